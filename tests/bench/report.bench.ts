// Benchmark of the evaluation reports: a month's report over 1,000,000 visits (kiosk) and the coordinator's dashboard
// over 100 sites × 104 weeks (hub). Prints figures; not a pass/fail test. Run: npm run bench:report
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabase, type Db } from '../../electron/services/db/index.js';
import { monthReport } from '../../electron/services/evaluation/reports.js';
import { reportPdf } from '../../electron/services/evaluation/reportPdf.js';
import { purge } from '../../electron/services/evaluation/retention.js';
import { dashboard, dashboardCsv, migrateAggregates, storeWeek } from '../../server/aggregates/index.js';
import { ORGANISATION_CODES, SERVICE_TYPES } from '../../shared/domain.js';
import { dayKeyOf, isoWeekLabel, parisWallTimeToEpoch, shiftWeek, weekKeyOf } from '../../shared/time.js';

const VISITS = 1_000_000;
const RUNS = 60;
const ORGS = ORGANISATION_CODES.map((code) => ({ code, name: code }));

/** Deterministic pseudo-random numbers, so runs are comparable. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function stats(samples: number[]): { median: number; p99: number; min: number; max: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;
  return { median: at(0.5), p99: at(0.99), min: sorted[0] ?? NaN, max: sorted[sorted.length - 1] ?? NaN };
}

const ms = (n: number): string => `${n.toFixed(1)} ms`;

function time<T>(fn: () => T): [T, number] {
  const t0 = performance.now();
  const value = fn();
  return [value, performance.now() - t0];
}

/** Inserts `n` visits spread at random over the given days, in day order as a kiosk writes them, opening hours 9–17. */
function seedVisits(db: Db, n: number, days: { midnight: number; dayKey: number; weekKey: number }[], random: () => number): void {
  const insert = db.prepare(
    `INSERT INTO visits (organisation, service, started_at, ended_at, day_key, week_key, mediator_id, age_band, commune, first_visit, source, created_at)
     VALUES (?, ?, ?, ?, ?, ?, 1, ?, NULL, ?, 'mediator', ?)`,
  );
  const bands = ['under25', '25to59', '60plus', null];
  const dayOfVisit = Uint32Array.from({ length: n }, () => Math.floor(random() * days.length)).sort();
  db.transaction(() => {
    for (let i = 0; i < n; i++) {
      const day = days[dayOfVisit[i] ?? 0];
      if (!day) throw new Error('no days');
      const start = day.midnight + 9 * 3_600_000 + Math.floor(random() * 8 * 3_600_000);
      insert.run(
        ORGANISATION_CODES[Math.floor(random() * ORGANISATION_CODES.length)],
        SERVICE_TYPES[Math.floor(random() * SERVICE_TYPES.length)],
        start,
        start + 600_000 + Math.floor(random() * 1_800_000),
        day.dayKey,
        day.weekKey,
        bands[Math.floor(random() * bands.length)] ?? null,
        random() < 0.3 ? 1 : 0,
        start,
      );
    }
  })();
}

function daysBetween(from: { y: number; m: number; d: number }, count: number) {
  const out: { midnight: number; dayKey: number; weekKey: number }[] = [];
  for (let i = 0; i < count; i++) {
    const civil = new Date(Date.UTC(from.y, from.m - 1, from.d + i, 12));
    const midnight = parisWallTimeToEpoch(civil.getUTCFullYear(), civil.getUTCMonth() + 1, civil.getUTCDate(), 0, 0);
    out.push({ midnight, dayKey: dayKeyOf(midnight + 12 * 3_600_000), weekKey: weekKeyOf(midnight + 12 * 3_600_000) });
  }
  return out;
}

function benchMonthReports(label: string, db: Db, months: string[], random: () => number): void {
  monthReport(db, months[0] ?? '2024-01', ORGS);
  const samples: number[] = [];
  let totals = 0;
  for (let i = 0; i < RUNS; i++) {
    const month = months[Math.floor(random() * months.length)] ?? '2024-01';
    const [report, elapsed] = time(() => monthReport(db, month, ORGS));
    totals += report.total;
    samples.push(elapsed);
  }
  const s = stats(samples);
  console.log(`${label}: ${RUNS} runs, ${Math.round(totals / RUNS)} visits/month on average — median ${ms(s.median)}, p99 ${ms(s.p99)} (min ${ms(s.min)}, max ${ms(s.max)}); target ≤ 200 ms`);
}

async function kiosk(dir: string): Promise<void> {
  const random = lcg(42);
  const db = openDatabase(join(dir, 'kiosk.sqlite'));
  const days = daysBetween({ y: 2024, m: 1, d: 1 }, 731);
  const [, seedMs] = time(() => seedVisits(db, VISITS, days, random));
  console.log(`kiosk: seeded ${VISITS.toLocaleString('en')} visits over 24 months (2024–2025) in ${ms(seedMs)}`);
  const months = Array.from({ length: 24 }, (_, i) => `${2024 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`);
  benchMonthReports('monthReport, 1M visits over 24 months', db, months, random);

  const [report, pdfMs] = await (async () => {
    const t0 = performance.now();
    const r = monthReport(db, '2025-03', ORGS);
    const bytes = await reportPdf(r, 'Relais de démonstration');
    return [bytes, performance.now() - t0] as const;
  })();
  console.log(`reportPdf (report + PDF of one month): ${ms(pdfMs)}, ${Math.round(report.length / 1024)} KiB`);

  const [purged, purgeMs] = time(() => purge(db, parisWallTimeToEpoch(2026, 1, 1, 12, 0), 12));
  console.log(`retention purge of 12 months (${purged.visitsDeleted.toLocaleString('en')} visits → ${purged.aggregateRows.toLocaleString('en')} day aggregates): ${ms(purgeMs)}`);
  benchMonthReports('monthReport after purge (2024 from aggregates, 2025 from visits)', db, months, random);
  db.close();

  const dense = openDatabase(join(dir, 'dense.sqlite'));
  seedVisits(dense, VISITS, daysBetween({ y: 2025, m: 3, d: 1 }, 31), random);
  benchMonthReports('monthReport, worst case: 1M visits in the one month', dense, ['2025-03'], random);
  dense.close();
}

function hub(): void {
  const random = lcg(7);
  const db = new Database(':memory:');
  migrateAggregates(db);
  const firstWeek = 202401;
  const weeks: number[] = [];
  for (let w = firstWeek, i = 0; i < 104; i++, w = shiftWeek(w, 1)) weeks.push(w);
  const [, seedMs] = time(() => {
    for (let s = 0; s < 100; s++) {
      const siteId = `site-${String(s).padStart(4, '0')}-bench`;
      for (const w of weeks) {
        const counts = ORGANISATION_CODES.flatMap((organisation) => SERVICE_TYPES.map((service) => ({ organisation, service, count: Math.floor(random() * 20) })));
        storeWeek(db, siteId, `Site ${s}`, { siteId, week: isoWeekLabel(w), counts, hash: `rev-${s}-${w}` }, 0);
      }
    }
  });
  const rows = (db.prepare('SELECT COUNT(*) AS n FROM aggregate_counts').get() as { n: number }).n;
  console.log(`hub: stored 100 sites × 104 weeks (${rows.toLocaleString('en')} count rows) through storeWeek in ${ms(seedMs)}`);
  const range = { fromWeek: isoWeekLabel(weeks[0] ?? firstWeek), toWeek: isoWeekLabel(weeks[weeks.length - 1] ?? firstWeek) };
  dashboard(db, range);
  const samples: number[] = [];
  const csvSamples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const [d, elapsed] = time(() => dashboard(db, range));
    samples.push(elapsed);
    csvSamples.push(time(() => dashboardCsv(d))[1]);
  }
  const s = stats(samples);
  const c = stats(csvSamples);
  console.log(`dashboard ${range.fromWeek}..${range.toWeek} (100 sites × 104 weeks): ${RUNS} runs — median ${ms(s.median)}, p99 ${ms(s.p99)}; dashboardCsv median ${ms(c.median)}, p99 ${ms(c.p99)}`);
  const oneQuarter = { fromWeek: isoWeekLabel(weeks[91] ?? firstWeek), toWeek: range.toWeek };
  const q = stats(Array.from({ length: RUNS }, () => time(() => dashboard(db, oneQuarter))[1]));
  console.log(`dashboard of the last 13 weeks: median ${ms(q.median)}, p99 ${ms(q.p99)}`);
  db.close();
}

const dir = mkdtempSync(join(tmpdir(), 'relais-bench-report-'));
try {
  await kiosk(dir);
  hub();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
