// Hub sockets without a network, for the hub's parts tested alone: what was sent, written, pinged, closed.
import type { Duplex } from 'node:stream';
import pino from 'pino';
import { TokenBucket } from '../../../../server/auth.js';
import type { Conn, ConnSocket, Role } from '../../../../server/connections/conn.js';

export interface FakeSocket {
  readyState: number;
  bufferedAmount: number;
  /** Texts sent through ws. */
  sent: string[];
  /** Buffers written straight to the socket (a sign-in's answers, relayed signals). */
  written: Buffer[];
  pings: number;
  closedWith: { code: number; reason: string } | null;
  terminated: boolean;
}

export type FakeConn = Conn & { fake: FakeSocket };

export function fakeConn(id: string, role: Role = 'none', subjectId = 0): FakeConn {
  const fake: FakeSocket = { readyState: 1, bufferedAmount: 0, sent: [], written: [], pings: 0, closedWith: null, terminated: false };
  const ws = {
    get readyState() {
      return fake.readyState;
    },
    get bufferedAmount() {
      return fake.bufferedAmount;
    },
    send: (text: string) => void fake.sent.push(text),
    ping: () => void fake.pings++,
    close: (code: number, reason: string) => {
      fake.closedWith = { code, reason };
      fake.readyState = 3;
    },
    terminate: () => {
      fake.terminated = true;
      fake.readyState = 3;
    },
  } as unknown as ConnSocket;
  const socket = { write: (b: Buffer) => fake.written.push(Buffer.from(b)), remoteAddress: '192.0.2.7' } as unknown as Duplex;
  return {
    id,
    ws,
    socket,
    address: null,
    batch: null,
    role,
    subjectId,
    sessionHash: null,
    alive: true,
    watched: false,
    authPending: false,
    bucket: new TokenBucket(50, 200, 0),
    lastRateNotice: 0,
    rateDrops: 0,
    closed: false,
    fake,
  };
}

/** The frames a fake socket was sent through ws, parsed. */
export const framesOf = (c: FakeConn): Array<{ type: string; code?: string; [k: string]: unknown }> => c.fake.sent.map((t) => JSON.parse(t));

export const silentLog = pino({ level: 'silent' });
