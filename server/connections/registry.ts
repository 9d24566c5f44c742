// The hub's sockets: every one by its id, booths and agents by their account, and how one leaves (closed, dropped,
// replaced by a newer sign-in of the same account).
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { HubErrorCode, HubFrame } from '../../shared/protocol.js';
import { TokenBucket } from '../auth.js';
import type { Conn, ConnSocket } from './conn.js';
import type { Writes } from './writes.js';

export interface RegistryDeps {
  writes: Writes;
  clock: () => number;
  /** Frames per second and burst allowed per socket. */
  rateLimit: { perSecond: number; burst: number };
  /** The hub's hello, the first frame every socket is told. */
  helloText: string;
  /** A signed-in socket left (its calls end): called once per socket. */
  onLeave: (conn: Conn) => void;
  /** A socket became a booth's or an agent's (a hub across machines tells the other nodes: server/cluster/node.ts). */
  onClaim?: (conn: Conn, role: 'booth' | 'agent', id: number) => void;
}

export interface ConnectionRegistry {
  readonly conns: ReadonlyMap<string, Conn>;
  readonly boothConn: ReadonlyMap<number, Conn>;
  readonly agentConn: ReadonlyMap<number, Conn>;
  /** A new socket, its hello gathered in its batch. */
  add(ws: ConnSocket, socket: Duplex): Conn;
  /** Tells the socket why (the error frame before ws's close frame), closes it and forgets it. */
  drop(conn: Conn, code: HubErrorCode, wsCode: number): void;
  forget(conn: Conn): void;
  /** Closes every socket as a hub restarting does (1012 `hub_restart`: its client signs in again) and forgets it. */
  closeAllForRestart(): void;
  /** Makes this socket the booth's one: a previous socket of the same booth is dropped (REPLACED). */
  claimBooth(conn: Conn, boothId: number): void;
  claimAgent(conn: Conn, agentId: number, sessionHash: string): void;
  /** Sends to a socket by id, if it is still there (how the call engine addresses parties). */
  sendTo(party: string, frame: HubFrame): void;
  /** Sends to a booth's socket if it has one here: whether it did. */
  sendToBooth(boothId: number, frame: HubFrame): boolean;
  addressOf(conn: Conn): string;
}

export function createConnectionRegistry({ writes, clock, rateLimit, helloText, onLeave, onClaim }: RegistryDeps): ConnectionRegistry {
  const conns = new Map<string, Conn>();
  const boothConn = new Map<number, Conn>();
  const agentConn = new Map<number, Conn>();
  let nextConnId = 1;

  function forget(conn: Conn): void {
    if (conn.closed) return;
    conn.closed = true;
    conns.delete(conn.id);
    if (conn.role === 'booth' && boothConn.get(conn.subjectId) === conn) boothConn.delete(conn.subjectId);
    if (conn.role === 'agent' && agentConn.get(conn.subjectId) === conn) agentConn.delete(conn.subjectId);
    if (conn.role !== 'none') onLeave(conn);
  }
  function drop(conn: Conn, code: HubErrorCode, wsCode: number): void {
    if (conn.closed) return;
    writes.sendError(conn, code);
    // The error frame goes before ws's close frame.
    writes.flush(conn);
    conn.ws.close(wsCode, code);
    forget(conn);
  }

  return {
    conns,
    boothConn,
    agentConn,
    add(ws, socket) {
      const conn: Conn = {
        id: `c${nextConnId++}`,
        ws,
        socket,
        address: null,
        batch: [helloText],
        role: 'none',
        subjectId: 0,
        sessionHash: null,
        alive: true,
        watched: false,
        authPending: false,
        bucket: new TokenBucket(rateLimit.perSecond, rateLimit.burst, clock()),
        lastRateNotice: 0,
        rateDrops: 0,
        closed: false,
      };
      conns.set(conn.id, conn);
      return conn;
    },
    drop,
    forget,
    closeAllForRestart() {
      for (const c of [...conns.values()]) {
        c.ws.close(1012, 'hub_restart');
        forget(c);
      }
    },
    claimBooth(conn, boothId) {
      const previous = boothConn.get(boothId);
      if (previous && previous !== conn) drop(previous, 'REPLACED', 4001);
      conn.role = 'booth';
      conn.subjectId = boothId;
      boothConn.set(boothId, conn);
      onClaim?.(conn, 'booth', boothId);
    },
    claimAgent(conn, agentId, sessionHash) {
      const previous = agentConn.get(agentId);
      if (previous && previous !== conn) drop(previous, 'REPLACED', 4001);
      conn.role = 'agent';
      conn.subjectId = agentId;
      conn.sessionHash = sessionHash;
      agentConn.set(agentId, conn);
      onClaim?.(conn, 'agent', agentId);
    },
    sendTo(party, frame) {
      const c = conns.get(party);
      if (c) writes.sendFrame(c, frame);
    },
    sendToBooth(boothId, frame) {
      const c = boothConn.get(boothId);
      if (c) writes.sendFrame(c, frame);
      return c !== undefined;
    },
    addressOf: (conn) => (conn.address ??= (conn.socket as Socket).remoteAddress ?? '?'),
  };
}
