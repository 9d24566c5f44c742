// One hub socket as the hub's parts see it: who it is, what it was told while signing in, its liveness and its limits.
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import type { TokenBucket } from '../auth.js';

export type Role = 'none' | 'booth' | 'agent';

/** What the hub's parts use of a ws socket (a test passes a fake of just this). */
export type ConnSocket = Pick<WebSocket, 'readyState' | 'bufferedAmount' | 'send' | 'close' | 'terminate' | 'ping'>;

export interface Conn {
  id: string;
  ws: ConnSocket;
  /** The socket under `ws`, where a sign-in's answers (`flush`) and relayed signals (`relayRaw`) are written. */
  socket: Duplex;
  /** The peer's address, read on first need (failed sign-ins, password logins): a system call each. */
  address: string | null;
  /** While a socket is being signed in, what it is answered is gathered here and leaves in one write (`flush`). */
  batch: string[] | null;
  role: Role;
  subjectId: number;
  sessionHash: string | null;
  alive: boolean;
  /** In the liveness checks (an agent, or a booth with a call): see server/liveness.ts. */
  watched: boolean;
  authPending: boolean;
  bucket: TokenBucket;
  lastRateNotice: number;
  rateDrops: number;
  closed: boolean;
}
