// Baseline for the hub benchmark: the barest ws relay — `?id=` names a socket, `{dst, payload}` is forwarded as received.
import { WebSocketServer, type WebSocket } from 'ws';

const port = Number(process.argv[2] ?? 0);
const sockets = new Map<string, WebSocket>();
const wss = new WebSocketServer({ host: '127.0.0.1', port, perMessageDeflate: false, clientTracking: false, maxPayload: 256 * 1024 });

wss.on('connection', (ws, req) => {
  const id = new URL(req.url ?? '/', 'http://relay.invalid').searchParams.get('id') ?? '';
  sockets.set(id, ws);
  ws.on('message', (data: Buffer) => {
    let dst: unknown;
    try {
      dst = (JSON.parse(data.toString('utf8')) as { dst?: unknown }).dst;
    } catch {
      return;
    }
    const target = typeof dst === 'string' ? sockets.get(dst) : undefined;
    target?.send(data, { binary: false });
  });
  ws.on('error', () => undefined);
  ws.on('close', () => {
    if (sockets.get(id) === ws) sockets.delete(id);
  });
});
wss.on('listening', () => process.stdout.write(`listening ${port}\n`));
process.on('SIGTERM', () => process.exit(0));
