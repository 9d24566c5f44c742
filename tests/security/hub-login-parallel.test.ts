// Attack (issue 13, item 5): password guesses sent in parallel against the hub's two password logins — the department
// coordinator's (HTTP, /coordinator/api/login) and the agents' (WebSocket, auth.agent). The limit of 5 wrong passwords
// per login and window must hold whatever the concurrency: at most 5 guesses reach scrypt, and the right password sent
// after them is refused within the window. The password checks are counted where they happen (server/auth.ts).
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as auth from '../../server/auth.js';
import { createCoordinatorStore } from '../../server/coordinator/index.js';
import { startHub, type RunningHub } from '../../server/hub.js';
import { connect, type RawClient } from '../unit/node/hub/helpers.js';
import { capturingLogger } from './support/http.js';
import { request } from './support/hubRequest.js';

vi.mock('../../server/auth.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../server/auth.js')>();
  return { ...original, verifyPassword: vi.fn(original.verifyPassword) };
});
const checks = (): number => vi.mocked(auth.verifyPassword).mock.calls.length;

const GUESSES = 100;
const PASSWORD = 'le-bon-mot-de-passe';
/** Tuesday 10:00 in Paris: the agents' organisations are open. */
const NOW = Date.UTC(2026, 5, 2, 8, 0);

let hub: RunningHub;
const log = capturingLogger();

beforeAll(async () => {
  // The hub's defaults: 5 wrong passwords per login, 20 per address, over 15 minutes.
  hub = await startHub({ host: '127.0.0.1', port: 0, dbFile: ':memory:', clock: () => NOW, logger: log.logger });
  const hash = await auth.hashPassword(PASSWORD);
  createCoordinatorStore(hub.store.db).add('coord.lot', hash, NOW);
  hub.store.addAgent({ organisation: 'CAF', login: 'caf.lot', displayName: 'Agent CAF', passwordHash: hash }, NOW);
});
afterAll(async () => {
  await hub.close();
});

const coordinatorLogin = (password: string) =>
  request(hub.httpUrl, { method: 'POST', path: '/coordinator/api/login', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ login: 'coord.lot', password }) });

describe('parallel password guesses', () => {
  it(`lets at most 5 of ${GUESSES} parallel guesses at the coordinator's login reach scrypt, and then refuses the right password`, async () => {
    const before = checks();
    const answers = await Promise.all(Array.from({ length: GUESSES }, (_, i) => coordinatorLogin(`faux-${i}`)));
    const checked = checks() - before;
    const byStatus = Object.fromEntries([...new Set(answers.map((a) => a.status))].map((s) => [s, answers.filter((a) => a.status === s).length]));
    console.log(`coordinator login: ${checked} of ${GUESSES} parallel guesses checked by scrypt; answers by status ${JSON.stringify(byStatus)}`);
    expect(checked).toBeLessThanOrEqual(5);
    expect(answers.filter((a) => a.status === 401)).toHaveLength(checked);
    expect(answers.every((a) => a.status === 401 || a.status === 429)).toBe(true);

    const right = await coordinatorLogin(PASSWORD);
    expect(right.status).toBe(429);
    expect(Number(right.headers['retry-after'])).toBeGreaterThan(0);
    expect(right.headers['set-cookie']).toBeUndefined();
    expect(checks() - before).toBe(checked);
  });

  it(`lets at most 5 of ${GUESSES} parallel guesses at an agent's login (WebSocket) reach scrypt, and then refuses the right password`, async () => {
    const sockets: RawClient[] = await Promise.all(Array.from({ length: GUESSES }, () => connect(hub.url)));
    try {
      const before = checks();
      sockets.forEach((c, i) => c.send({ type: 'auth.agent', login: 'caf.lot', password: `faux-${i}` }));
      const answers = await Promise.all(sockets.map((c) => c.nextOf(['auth.ok', 'error'], 20_000)));
      const checked = checks() - before;
      const codes = answers.map((a) => (a.type === 'error' ? a.code : a.type));
      const byCode = Object.fromEntries([...new Set(codes)].map((c) => [c, codes.filter((x) => x === c).length]));
      console.log(`agent login over WebSocket: ${checked} of ${GUESSES} parallel guesses checked by scrypt; answers ${JSON.stringify(byCode)}`);
      expect(checked).toBeLessThanOrEqual(5);
      expect(codes.filter((c) => c === 'AUTH_FAILED')).toHaveLength(checked);
      expect(codes.every((c) => c === 'AUTH_FAILED' || c === 'AUTH_RATE_LIMITED')).toBe(true);

      const last = sockets[0]!;
      last.send({ type: 'auth.agent', login: 'caf.lot', password: PASSWORD });
      const answer = await last.nextOf(['auth.ok', 'error'], 20_000);
      expect(answer.type === 'error' ? answer.code : answer.type).toBe('AUTH_RATE_LIMITED');
      expect(checks() - before).toBe(checked);
    } finally {
      for (const c of sockets) c.close();
    }
  });

  it('left no error-level log line', () => {
    expect(log.errors()).toEqual([]);
  });
});
