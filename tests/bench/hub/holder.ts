// Holds the benchmark's idle sockets in a process of its own, so the load generator's pauses do not pollute its figures.
import { readFileSync } from 'node:fs';
import WebSocket from 'ws';
import { handshakeProtocols } from '../../../shared/protocol.js';

type Kind = 'relais' | 'peerjs' | 'bare';
// Opens sockets when asked (`{ cmd: 'open', count }`, answered with what it holds), so that the bench can interleave the
// sign-ins of two servers; `{ cmd: 'idle' }` once all are open starts what an idle client does.
const [kind, base, tokensFile, heartbeatArg] = process.argv.slice(2) as [Kind, string, string | undefined, string | undefined];
const tokens = kind === 'relais' && tokensFile ? readFileSync(tokensFile, 'utf8').trim().split('\n') : [];
const sockets: WebSocket[] = [];
let held = 0;
let failed = 0;

function open(i: number): Promise<void> {
  return new Promise((resolve) => {
    const url = kind === 'relais' ? base : kind === 'peerjs' ? `${base}?key=peerjs&id=idle-${i}&token=t${i}` : `${base}?id=idle-${i}`;
    // Ours signs in as shared/hubClient.ts does: the booth's token goes with the handshake.
    const ws = kind === 'relais' ? new WebSocket(url, handshakeProtocols({ booth: tokens[i]! }), { perMessageDeflate: false }) : new WebSocket(url, { perMessageDeflate: false });
    let done = false;
    const finish = (ok: boolean): void => {
      if (done) return;
      done = true;
      if (ok) held++;
      else failed++;
      resolve();
    };
    ws.on('error', () => finish(false));
    ws.on('close', () => {
      if (done && sockets.includes(ws)) held--;
      finish(false);
    });
    ws.on('open', () => {
      sockets.push(ws);
      if (kind === 'bare') finish(true);
    });
    ws.on('message', (data) => {
      if (done) return;
      const text = String(data);
      if (kind === 'relais' && text.includes('"auth.ok"')) finish(true);
      else if (kind === 'relais' && text.includes('"error"')) finish(false);
      else if (kind === 'peerjs' && text.includes('"OPEN"')) finish(true);
    });
  });
}

let next = 0;

/** Opens `count` more sockets, 100 at a time, and answers with what is held. */
async function openMore(count: number): Promise<void> {
  const started = performance.now();
  const end = next + count;
  const inFlight = 100;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < end) await open(next++);
    }),
  );
  process.send?.({ held, failed, ms: Math.round(performance.now() - started) });
}

/**
 * Each idle socket does what its real client does when idle, each with its own phase as clients that connected at
 * different times. Ours (shared/hubClient.ts) is an idle booth: it beats only while it has a call (the hub leaves an
 * idle booth's socket to TCP keepalive), so it says nothing. A PeerJS client sends HEARTBEAT every `heartbeatArg` ms
 * (the PeerJS server drops a client silent for 60 s).
 */
function idle(): void {
  const period = kind === 'peerjs' ? Number(heartbeatArg ?? 5_000) : 0;
  const text = '{"type":"HEARTBEAT"}';
  if (period <= 0) return;
  const step = 100;
  let slot = 0;
  const perStep = Math.ceil((sockets.length * step) / period);
  setInterval(() => {
    for (let k = 0; k < perStep; k++) {
      const ws = sockets[slot++ % sockets.length];
      if (ws && ws.readyState === WebSocket.OPEN) ws.send(text);
    }
  }, step);
}

process.on('message', (m: { cmd?: string; count?: number }) => {
  if (m.cmd === 'open') void openMore(m.count ?? 0);
  if (m.cmd === 'idle') idle();
  if (m.cmd === 'exit') process.exit(0);
});
