// Test helpers of the evaluation tools: a migrated in-memory kiosk database, visits inserted directly, a settable clock.
import { openDatabase, type Db } from '../../../../electron/services/db/index.js';
import { dayKeyOf, parisWallTimeToEpoch, weekKeyOf } from '../../../../shared/time.js';

export const openTestDb = (): Db => openDatabase(':memory:');

/** Paris wall-clock time as epoch ms. */
export const paris = (year: number, month: number, day: number, hour = 10, minute = 0): number => parisWallTimeToEpoch(year, month, day, hour, minute);

export interface TestVisit {
  organisation?: string;
  service?: string;
  startedAt: number;
  durationMin?: number;
  ageBand?: string | null;
  commune?: string | null;
  firstVisit?: boolean | null;
}

export function insertVisit(db: Db, v: TestVisit): number {
  const info = db
    .prepare(
      `INSERT INTO visits (organisation, service, started_at, ended_at, day_key, week_key, mediator_id, age_band, commune, first_visit, source, created_at)
       VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?, 'mediator', ?)`,
    )
    .run(
      v.organisation ?? 'CAF',
      v.service ?? 'info',
      v.startedAt,
      v.startedAt + (v.durationMin ?? 15) * 60_000,
      dayKeyOf(v.startedAt),
      weekKeyOf(v.startedAt),
      v.ageBand ?? null,
      v.commune ?? null,
      v.firstVisit === undefined || v.firstVisit === null ? null : v.firstVisit ? 1 : 0,
      v.startedAt,
    );
  return Number(info.lastInsertRowid);
}

export function insertVisits(db: Db, n: number, v: TestVisit): void {
  db.transaction(() => {
    for (let i = 0; i < n; i++) insertVisit(db, { ...v, startedAt: v.startedAt + i * 60_000 });
  })();
}

export function fakeClock(start: number): { now: () => number; set(t: number): void; advance(ms: number): void } {
  let t = start;
  return {
    now: () => t,
    set(value) {
      t = value;
    },
    advance(ms) {
      t += ms;
    },
  };
}
