// Liveness: sockets that never sign in are closed, and watched sockets that fall silent are pinged, then closed.
import type { Logger } from 'pino';
import type { HubErrorCode } from '../shared/protocol.js';
import type { Conn } from './connections/conn.js';
import { FifoDeadlines } from './deadlines.js';
import type { HubCounters } from './stats.js';

export interface LivenessDeps {
  /** Monotonic milliseconds (performance.now): real time, not the hub's injected clock. */
  now: () => number;
  heartbeatMs: number;
  /** A socket that has not authenticated after this long is closed. */
  authTimeoutMs: number;
  /** Whether the call engine has a call queued, ringing or active for this booth's socket. */
  boothInCall: (connId: string) => boolean;
  /** How many sockets are open: the pings per sweep follow it. */
  socketCount: () => number;
  drop: (conn: Conn, code: HubErrorCode, wsCode: number) => void;
  forget: (conn: Conn) => void;
  counters: HubCounters;
  log: Logger;
}

export interface Liveness {
  /** How often `sweep` should run. */
  readonly sweepMs: number;
  /** A new socket: closed (NOT_AUTHENTICATED) if it has not signed in within the auth timeout. */
  opened(conn: Conn): void;
  /** Starts watching a socket that needs it (an agent signed in, a booth that asked for a call). */
  watch(conn: Conn): void;
  /** Takes the deadlines due: auth timeouts, pongs due, periodic checks. */
  sweep(): void;
}

// Liveness. An idle booth (signed in, no call) costs nothing in user space: its socket has TCP keepalive (the kernel
// probes it after heartbeatMs of silence and closes it if the booth is gone; the booth's next connection replaces it
// anyway). Pinging 10,000 idle booths every 30 s cost ~15 ms of CPU a second (the idle figure of `npm run bench:hub`).
// Agents, and booths with a call queued, ringing or active, are watched: every heartbeatMs a watched socket that sent
// anything meanwhile (its client's `beat` at least) is kept as it is; a silent one is pinged (a client without beats,
// a browser tab whose timers are throttled: browsers answer pings themselves) and closed if no pong nor frame comes
// within pongWaitMs. Deadlines without a timer per socket (server/deadlines.ts), swept by one interval; pings capped
// per sweep so a burst is spread out. Real time, not the injected clock.
export function createLiveness(deps: LivenessDeps): Liveness {
  const { heartbeatMs, counters, log } = deps;
  let sweepNow = 0;
  const authDeadlines = new FifoDeadlines<Conn>(deps.authTimeoutMs);
  const checkDeadlines = new FifoDeadlines<Conn>(heartbeatMs);
  const pongDeadlines = new FifoDeadlines<Conn>(Math.min(heartbeatMs, 10_000));
  // A tenth of the shortest wait, at most a second: an idle hub wakes once a second for this, not ten times.
  const sweepMs = Math.min(1_000, Math.max(10, Math.floor(Math.min(pongDeadlines.delayMs, authDeadlines.delayMs) / 10)));
  const expireAuth = (conn: Conn): void => {
    if (!conn.closed && conn.role === 'none') deps.drop(conn, 'NOT_AUTHENTICATED', 4000);
  };
  const needsWatching = (conn: Conn): boolean => conn.role === 'agent' || (conn.role === 'booth' && deps.boothInCall(conn.id));
  /** A watched socket's period is over: kept if it said something, pinged if not; no longer watched once idle. */
  const checkDue = (conn: Conn): void => {
    if (conn.closed) return;
    conn.watched = needsWatching(conn);
    if (!conn.watched) return;
    if (conn.alive) {
      conn.alive = false;
      checkDeadlines.add(conn, sweepNow);
      return;
    }
    counters.pings++;
    conn.ws.ping();
    pongDeadlines.add(conn, sweepNow);
  };
  /** The answer to a ping is due: closed if nothing came and it is still watched, else back to the periodic check. */
  const pongDue = (conn: Conn): void => {
    if (conn.closed) return;
    if (conn.alive || !needsWatching(conn)) return checkDue(conn);
    counters.heartbeatDropped++;
    log.info({ code: 'HUB_HEARTBEAT_MISSED', role: conn.role }, 'connection missed its heartbeat: closed');
    conn.ws.terminate();
    deps.forget(conn);
  };
  return {
    sweepMs,
    opened(conn) {
      authDeadlines.add(conn, deps.now());
    },
    watch(conn) {
      if (conn.watched || conn.closed || !needsWatching(conn)) return;
      conn.watched = true;
      conn.alive = true;
      checkDeadlines.add(conn, deps.now());
    },
    sweep() {
      sweepNow = deps.now();
      authDeadlines.takeDue(sweepNow, expireAuth);
      pongDeadlines.takeDue(sweepNow, pongDue);
      const pingsPerSweep = Math.max(32, Math.ceil(((deps.socketCount() * sweepMs) / heartbeatMs) * 2));
      checkDeadlines.takeDue(sweepNow, checkDue, pingsPerSweep);
    },
  };
}
