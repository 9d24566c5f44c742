// The bare WebRTC call the call benchmarks measure Relais against (bench:call, bench:rural): one page with
// getUserMedia + one RTCPeerConnection, no sender parameters and no step-down, and a ws relay that forwards each message
// to the other socket. The call flow is the product's: the booth offers once the agent has accepted.
import { WebSocketServer, type WebSocket } from 'ws';

/**
 * Served as index.html and opened with `?role=booth|agent&relay=<ws url>`, and optionally `ice=<JSON ICE servers>`,
 * `policy=relay` (relay-only ICE) and `fps=<camera frame rate>`. `window.__visioTap()` starts the booth's call and
 * returns when it was tapped; `window.__hangup()` ends either side.
 */
export const BARE_CALL_HTML = `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>témoin</title></head><body>
<video id="remote" autoplay playsinline></video>
<script>
const q = new URLSearchParams(location.search);
const role = q.get('role');
const iceServers = JSON.parse(q.get('ice') || '[]');
const iceTransportPolicy = q.get('policy') === 'relay' ? 'relay' : 'all';
const fps = Number(q.get('fps')) || undefined;
let ws, pc, stream, queue = Promise.resolve();
const send = (m) => ws.send(JSON.stringify(m));
const media = () => navigator.mediaDevices.getUserMedia({ audio: true, video: { width: { ideal: 640 }, height: { ideal: 480 }, ...(fps ? { frameRate: { ideal: fps } } : {}) } });
function makePc() {
  pc = new RTCPeerConnection({ iceServers, iceTransportPolicy });
  pc.onicecandidate = (e) => { if (e.candidate) send({ candidate: e.candidate.toJSON() }); };
  pc.ontrack = (e) => { const v = document.getElementById('remote'); if (v.srcObject !== e.streams[0]) { v.srcObject = e.streams[0]; v.play().catch(() => {}); } };
  for (const t of stream.getTracks()) pc.addTrack(t, stream);
}
async function onMessage(m) {
  if (m.call && role === 'agent') { stream = await media(); makePc(); send({ accept: true }); }
  else if (m.accept && role === 'booth') { makePc(); await pc.setLocalDescription(await pc.createOffer()); send({ sdp: pc.localDescription }); }
  else if (m.sdp) { await pc.setRemoteDescription(m.sdp); if (m.sdp.type === 'offer') { await pc.setLocalDescription(await pc.createAnswer()); send({ sdp: pc.localDescription }); } }
  else if (m.candidate && pc) { await pc.addIceCandidate(m.candidate).catch(() => {}); }
}
function connect() {
  return new Promise((resolve) => {
    ws = new WebSocket(q.get('relay') + '?role=' + role);
    ws.onmessage = (ev) => { queue = queue.then(() => onMessage(JSON.parse(ev.data))); };
    ws.onopen = resolve;
  });
}
window.__ready = role === 'agent' ? connect() : Promise.resolve();
window.__visioTap = () => { const at = performance.timeOrigin + performance.now(); (async () => { stream = await media(); await connect(); send({ call: true }); })(); return at; };
window.__hangup = () => { if (pc) pc.close(); if (stream) stream.getTracks().forEach((t) => t.stop()); if (ws) ws.close(); };
</script></body></html>`;

/** The bare call's ws relay on `host`: each message goes to every other socket (one booth, one agent at a time). */
export function startBareRelay(host = '127.0.0.1'): Promise<{ url: string; close(): Promise<void> }> {
  const wss = new WebSocketServer({ host, port: 0 });
  const sockets = new Set<WebSocket>();
  wss.on('connection', (ws) => {
    sockets.add(ws);
    ws.on('message', (data, binary) => {
      for (const other of sockets) if (other !== ws && other.readyState === 1) other.send(data, { binary });
    });
    ws.on('close', () => sockets.delete(ws));
  });
  return new Promise((resolve) =>
    wss.on('listening', () => {
      const address = wss.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      resolve({ url: `ws://${host}:${port}`, close: () => new Promise((r) => wss.close(() => r())) });
    }),
  );
}
