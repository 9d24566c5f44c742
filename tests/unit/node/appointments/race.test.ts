// The last place of a slot, asked for by 100 booths at once from 4 threads, each with its own connection to one
// SQLite file: the store decides (conditional UPDATE in an IMMEDIATE transaction), exactly one booth gets it, and every
// other is refused SLOT_TAKEN with the next free slots.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, expect, it } from 'vitest';
import { openHubDb } from '../../../../server/store.js';
import { MONDAY_8H, appointmentsFixture } from './fixture.js';

const dir = mkdtempSync(path.join(tmpdir(), 'appointments-race-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Outcome = { boothId: number; ok: boolean; code: string | null; next: Array<{ startsAt: number; free: number }> };

it('gives the last place to exactly one of 100 concurrent attempts and offers the others the next slots', async () => {
  const file = path.join(dir, 'hub.sqlite');
  const { hub, service, boothIds } = appointmentsFixture(file, 100);
  const published = await service.publish('CAF', 1, { start: '2026-06-01T10:00', rule: 'FREQ=DAILY;COUNT=3', lengthMin: 30, capacity: 1 });
  expect(published.ok).toBe(true);
  const [first, second] = await service.freeSlots('CAF', boothIds[0] ?? 0, undefined, 3);
  hub.db.close();

  const barrier = new SharedArrayBuffer(8);
  const flags = new Int32Array(barrier);
  const THREADS = 4;
  const workers = Array.from({ length: THREADS }, (_, i) => {
    const mine = boothIds.filter((_, j) => j % THREADS === i);
    return new Worker(new URL('./tsWorker.mjs', import.meta.url), {
      workerData: { module: new URL('./bookWorker.ts', import.meta.url).href, file, startsAt: first?.startsAt, now: MONDAY_8H, boothIds: mine, barrier },
    });
  });
  const outcomes = workers.map(
    (w) =>
      new Promise<Outcome[]>((resolve, reject) => {
        w.once('message', (m: Outcome[]) => resolve(m));
        w.once('error', reject);
      }),
  );
  // Every thread has opened its connection and waits: release them together.
  let failed: unknown = null;
  for (const o of outcomes) o.catch((e: unknown) => (failed = e));
  while (Atomics.load(flags, 1) < THREADS) {
    if (failed) throw failed;
    await new Promise((r) => setTimeout(r, 5));
  }
  Atomics.store(flags, 0, 1);
  Atomics.notify(flags, 0);
  const all = (await Promise.all(outcomes)).flat();
  await Promise.all(workers.map((w) => w.terminate()));

  expect(all).toHaveLength(100);
  const winners = all.filter((o) => o.ok);
  expect(winners).toHaveLength(1);
  const losers = all.filter((o) => !o.ok);
  expect(new Set(losers.map((o) => o.code))).toEqual(new Set(['SLOT_TAKEN']));
  for (const l of losers) expect(l.next[0]?.startsAt).toBe(second?.startsAt);

  const check = openHubDb(file);
  const row = check.prepare('SELECT booked, capacity FROM slots WHERE starts_at = ?').get(first?.startsAt) as { booked: number; capacity: number };
  expect(row).toEqual({ booked: 1, capacity: 1 });
  expect(check.prepare("SELECT COUNT(*) FROM appointments WHERE status = 'booked'").pluck().get()).toBe(1);
  check.close();
}, 90_000);
