// A node's call records while the store refuses them (server/cluster/records.ts), and which errors say the store is
// unreachable for now (server/sharedStore/unavailable.ts), with real node-postgres errors and hostile values.
import pg from 'pg';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { CallRecord } from '../../../../server/calls.js';
import { createRecordWriter } from '../../../../server/cluster/records.js';
import { storeUnavailable } from '../../../../server/sharedStore/unavailable.js';
import { freeLoopbackPort } from '../../../support/childServer.js';

const record = (id: string): CallRecord => ({ id, organisation: 'CAF', boothId: 1, agentId: 2, queuedAt: 1, answeredAt: 2, endedAt: 3, outcome: 'answered', reason: 'hangup_booth' });

/** A store that refuses while `down`, and keeps what it took, in order. */
function flakyStore() {
  const state = { down: true, written: [] as string[], tries: 0 };
  const write = async (c: CallRecord): Promise<void> => {
    state.tries++;
    await Promise.resolve();
    if (state.down) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    state.written.push(c.id);
  };
  return { state, write };
}

describe('call records kept while the store refuses them', () => {
  it('keeps what was refused and writes it at the next pass, oldest first, each once', async () => {
    const { state, write } = flakyStore();
    const w = createRecordWriter({ write, log: pino({ level: 'silent' }) });
    w.record(record('a'));
    await w.drain();
    w.record(record('b'));
    w.record(record('c'));
    expect(w.unwritten()).toBe(3);
    await w.retry();
    expect(w.unwritten()).toBe(3);
    expect(state.written).toEqual([]);
    state.down = false;
    await w.retry();
    expect(state.written).toEqual(['a', 'b', 'c']);
    expect(w.unwritten()).toBe(0);
    // Nothing waits: a new record goes straight to the store.
    w.record(record('d'));
    expect(await w.drain()).toBe(0);
    expect(state.written).toEqual(['a', 'b', 'c', 'd']);
  });

  it('stops a pass at the first refusal and keeps the rest; two passes asked at once are one', async () => {
    const { state, write } = flakyStore();
    const w = createRecordWriter({ write, log: pino({ level: 'silent' }) });
    for (const id of ['a', 'b', 'c']) w.record(record(id));
    await w.drain();
    const tries = state.tries;
    await Promise.all([w.retry(), w.retry()]);
    expect(state.tries - tries).toBe(1);
    expect(w.unwritten()).toBe(3);
  });

  it('drops the oldest past its bound, and says so', async () => {
    const { state, write } = flakyStore();
    const lines: string[] = [];
    const log = pino({ level: 'info' }, { write: (l: string) => void lines.push(l) });
    const w = createRecordWriter({ write, log, max: 2 });
    for (const id of ['a', 'b', 'c']) w.record(record(id));
    await w.drain();
    expect(w.unwritten()).toBe(2);
    expect(lines.some((l) => l.includes('"code":"HUB_RECORD_DROPPED"') && l.includes('"callId":"a"'))).toBe(true);
    state.down = false;
    expect(await w.drain()).toBe(0);
    expect(state.written).toEqual(['b', 'c']);
  });
});

describe('store unreachable or not', () => {
  it('knows a refused connection and a server shutting down, from real node-postgres errors', async () => {
    const port = await freeLoopbackPort();
    const client = new pg.Client({ connectionString: `postgres://relais@127.0.0.1:${port}/relais`, connectionTimeoutMillis: 2_000 });
    const refused = await client.connect().then(() => null, (e: unknown) => e);
    expect(refused).not.toBeNull();
    expect(storeUnavailable(refused)).toBe(true);
    const pool = new pg.Pool({ connectionString: `postgres://relais@127.0.0.1:${port}/relais` });
    const fromPool = await pool.query('SELECT 1').then(() => null, (e: unknown) => e);
    await pool.end();
    expect(storeUnavailable(fromPool)).toBe(true);
    const ended = await pool.query('SELECT 1').then(() => null, (e: unknown) => e);
    expect(storeUnavailable(ended)).toBe(true);
  });

  it('says no for faults of the request or the code, and for hostile values', () => {
    const sqlError = (code: string) => Object.assign(new Error('x'), { code });
    for (const code of ['08006', '08001', '57P01', '57P03', '53300']) expect(storeUnavailable(sqlError(code)), code).toBe(true);
    expect(storeUnavailable(new AggregateError([sqlError('ECONNREFUSED'), sqlError('ECONNREFUSED')], 'x'))).toBe(true);
    // A unique violation, a syntax error, a type error of the code: faults, not an outage.
    for (const value of [sqlError('23505'), sqlError('42601'), new TypeError('x is undefined'), new AggregateError([], 'x'), new AggregateError([sqlError('ECONNREFUSED'), new Error('y')], 'x')]) {
      expect(storeUnavailable(value)).toBe(false);
    }
    for (const value of [null, undefined, 0, 'ECONNREFUSED', { code: 8 }, { code: null }, { message: 42 }, { errors: 'ECONNREFUSED' }, { errors: [null] }, Object.create(null)]) {
      expect(storeUnavailable(value)).toBe(false);
    }
  });
});
