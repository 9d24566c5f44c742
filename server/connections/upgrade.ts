// The hub's WebSocket endpoint: the upgrade of `/hub`, a sign-in carried in the handshake, and each socket's events.
import type http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { WebSocketServer } from 'ws';
import { HUB_SUBPROTOCOL, handshakeCredential } from '../../shared/protocol.js';
import type { Liveness } from '../liveness.js';
import type { SignIn } from '../signIn.js';
import type { HubCounters } from '../stats.js';
import type { Conn } from './conn.js';
import type { ConnectionRegistry } from './registry.js';
import type { Writes } from './writes.js';
import { clientAddress } from '../http/clientAddress.js';

export const WS_PATH = '/hub';

export interface UpgradeDeps {
  server: http.Server;
  /** True once the hub is closing: new sockets are refused. */
  closing: () => boolean;
  /** Proxies whose X-Forwarded-For names the client (server/http/clientAddress.ts); empty: the peer is the client. */
  trusted: ReadonlySet<string>;
  heartbeatMs: number;
  maxFrameBytes: number;
  registry: Pick<ConnectionRegistry, 'add' | 'forget'>;
  writes: Pick<Writes, 'flush' | 'sendError'>;
  liveness: Pick<Liveness, 'opened'>;
  signIn: Pick<SignIn, 'booth' | 'session'>;
  onFrame: (conn: Conn, data: Buffer, isBinary: boolean) => void;
  counters: HubCounters;
  log: Logger;
}

/** Whether a request's target is the hub's socket path (with or without a query string). */
function isHubPath(target: string | undefined): boolean {
  return target !== undefined && target.startsWith(WS_PATH) && (target.length === WS_PATH.length || target[WS_PATH.length] === '?');
}

const ignoreSocketError = (): void => undefined;

/** Serves `/hub` on the HTTP server's upgrades; the WebSocketServer returned is closed by the hub. */
export function acceptHubSockets(deps: UpgradeDeps): WebSocketServer {
  const { registry, writes, counters, log } = deps;
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: Math.max(deps.maxFrameBytes * 4, 256 * 1024),
    perMessageDeflate: false,
    clientTracking: false,
    // Answer with the hub's subprotocol only: a credential offered beside it is never echoed back.
    handleProtocols: (offered) => (offered.has(HUB_SUBPROTOCOL) ? HUB_SUBPROTOCOL : false),
  });
  deps.server.on('upgrade', (req, socket, head) => {
    // Node's HTTP server stops listening for this socket's errors when it hands it over: without a listener, a client
    // that resets the connection before the answer is written would end the process. ws adds its own in handleUpgrade.
    socket.on('error', ignoreSocketError);
    if (!isHubPath(req.url) || deps.closing()) {
      socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
      return;
    }
    // TCP keepalive: the kernel probes a silent socket after heartbeatMs and closes it when the other end is gone (see
    // server/liveness.ts); it also keeps NAT and firewall state open for idle booths.
    if (socket instanceof net.Socket) socket.setKeepAlive(true, deps.heartbeatMs);
    // The handshake's answer and the hub's hello, with, for a credential in the handshake, ice.servers, auth.ok and the
    // presence, leave in one write (ws answers and calls back synchronously; the frames are gathered, see `flush`).
    socket.cork();
    wss.handleUpgrade(req, socket, head, (ws) => {
      const conn = registry.add(ws, socket);
      // Behind a trusted proxy the address is read from the handshake now (its headers are not kept); else on first need.
      if (deps.trusted.size > 0) conn.address = clientAddress(req, deps.trusted);
      deps.liveness.opened(conn);
      ws.on('message', (data: Buffer, isBinary: boolean) => {
        // Until it is signed in, what a socket is answered leaves in one write (ice.servers, auth.ok and the presence).
        const gather = conn.role === 'none';
        if (gather) conn.batch = [];
        try {
          deps.onFrame(conn, data, isBinary);
        } catch (e) {
          log.error({ code: 'HUB_FRAME_ERROR', err: (e as Error).message }, 'error while handling a frame');
          writes.sendError(conn, 'INTERNAL');
        } finally {
          if (gather) writes.flush(conn);
        }
      });
      ws.on('pong', () => {
        conn.alive = true;
      });
      ws.on('error', (e) => {
        counters.badFrames++;
        log.debug({ code: 'HUB_SOCKET_ERROR', err: e.message }, 'socket error');
      });
      ws.on('close', () => registry.forget(conn));
      const credential = handshakeCredential(req.headers['sec-websocket-protocol']);
      try {
        if (credential && 'booth' in credential) deps.signIn.booth(conn, credential.booth);
        else if (credential) deps.signIn.session(conn, credential.session);
      } catch (e) {
        log.error({ code: 'HUB_AUTH_ERROR', err: (e as Error).message }, 'error during a sign-in');
        writes.sendError(conn, 'INTERNAL');
      } finally {
        writes.flush(conn);
      }
    });
    socket.uncork();
  });
  return wss;
}

/** Listens on `host:port` (0: a free port) and gives the hub's HTTP and WebSocket addresses. */
export async function listenHub(server: http.Server, host: string, port: number): Promise<{ port: number; httpUrl: string; url: string }> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  const hostForUrl = host.includes(':') ? `[${host}]` : host;
  return { port: bound, httpUrl: `http://${hostForUrl}:${bound}`, url: `ws://${hostForUrl}:${bound}${WS_PATH}` };
}
