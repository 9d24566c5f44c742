// What the hub counts as it runs (frames, relays, refusals, liveness) and the figures `stats()` and /healthz report.
import type { HubErrorCode } from '../shared/protocol.js';
import type { CallEngine } from './calls.js';
import type { Conn } from './connections/conn.js';

export interface HubCounters {
  framesIn: number;
  relayed: number;
  badFrames: number;
  heartbeatDropped: number;
  pings: number;
  byError: Partial<Record<HubErrorCode, number>>;
}

export const newCounters = (): HubCounters => ({ framesIn: 0, relayed: 0, badFrames: 0, heartbeatDropped: 0, pings: 0, byError: {} });

export interface HubStats {
  sockets: number;
  booths: number;
  agents: number;
  framesIn: number;
  relayed: number;
  badFrames: number;
  byError: Partial<Record<HubErrorCode, number>>;
  heartbeatDropped: number;
  /** WebSocket pings sent: only to sockets silent for a whole heartbeat period. */
  pings: number;
  calls: ReturnType<CallEngine['stats']>;
  rssBytes: number;
  heapUsedBytes: number;
}

export function hubStats(conns: ReadonlyMap<string, Conn>, counters: HubCounters, calls: ReturnType<CallEngine['stats']>): HubStats {
  const mem = process.memoryUsage();
  let booths = 0;
  let agents = 0;
  for (const c of conns.values()) {
    if (c.role === 'booth') booths++;
    else if (c.role === 'agent') agents++;
  }
  return {
    sockets: conns.size,
    booths,
    agents,
    framesIn: counters.framesIn,
    relayed: counters.relayed,
    badFrames: counters.badFrames,
    byError: { ...counters.byError },
    heartbeatDropped: counters.heartbeatDropped,
    pings: counters.pings,
    calls,
    rssBytes: mem.rss,
    heapUsedBytes: mem.heapUsed,
  };
}
