// Benchmark: weekly grid over 1,000,000 visits (five years), durable recording of one visit, database size. Prints figures.
import { closeSync, fdatasyncSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../../electron/services/db/index.js';
import { weeklyGrid } from '../../electron/services/foundation/grid.js';
import { silentLogger } from '../../electron/services/logger.js';
import { createSettings, DemoConfig } from '../../electron/services/foundation/settings.js';
import { createVisits } from '../../electron/services/foundation/visits.js';
import { SERVICE_TYPES, type ServiceType } from '../../shared/domain.js';
import { dayKeyOf, parisWallTimeToEpoch, weekKeyOf } from '../../shared/time.js';
import demoJson from '../../assets/demo-config.json' with { type: 'json' };

const TOTAL_VISITS = 1_000_000;
const YEARS = 5;
const GRID_RUNS = 250;
const RECORD_RUNS = 600;

// A deterministic generator, so two runs seed the same data.
let seed = 0x5eed;
const random = (): number => {
  seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff;
  return seed / 0x80000000;
};
const weighted = <T>(entries: readonly (readonly [T, number])[]): (() => T) => {
  const total = entries.reduce((s, [, w]) => s + w, 0);
  return () => {
    let r = random() * total;
    for (const [v, w] of entries) if ((r -= w) < 0) return v;
    return entries[entries.length - 1]![0];
  };
};
const pickOrganisation = weighted([['CAF', 30], ['CPAM', 25], ['FT', 20], ['CARSAT', 10], ['ML', 10], ['UDAF', 5]] as const);
const pickService = weighted<ServiceType>([['info', 35], ['documents', 25], ['teleservice', 20], ['visio', 10], ['internet', 10]]);

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
const fmt = (ms: number): string => `${ms.toFixed(2)} ms`;

const dir = mkdtempSync(path.join(tmpdir(), 'relais-bench-'));
const file = path.join(dir, 'relais.sqlite');
try {
  const db = openDatabase(file);
  const clock = Date.now;
  const settings = createSettings({ db, clock, logger: silentLogger() });
  settings.seedDemoIfEmpty(DemoConfig.parse(demoJson));

  // Seed: open days (Monday–Saturday) over five years, visits between 09:00 and 17:59 Paris time.
  const firstDay = Date.UTC(2021, 0, 4, 12);
  const days: { y: number; m: number; d: number; dayKey: number; weekKey: number }[] = [];
  for (let t = firstDay; days.length < YEARS * 313; t += 86_400_000) {
    const date = new Date(t);
    if (date.getUTCDay() === 0) continue;
    const [y, m, d] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
    const noon = parisWallTimeToEpoch(y, m, d, 12, 0);
    days.push({ y, m, d, dayKey: dayKeyOf(noon), weekKey: weekKeyOf(noon) });
  }
  const insert = db.prepare(
    `INSERT INTO visits (organisation, service, started_at, ended_at, day_key, week_key, mediator_id, age_band, commune, first_visit, source, created_at)
     VALUES (?, ?, ?, ?, ?, ?, 1, NULL, NULL, NULL, 'mediator', ?)`,
  );
  const seedStart = performance.now();
  let inserted = 0;
  const batches = 5;
  for (let b = 0; b < batches; b++) {
    db.transaction(() => {
      for (let i = Math.floor((b * days.length) / batches); i < Math.floor(((b + 1) * days.length) / batches); i++) {
        const day = days[i]!;
        const opening = parisWallTimeToEpoch(day.y, day.m, day.d, 9, 0);
        const target = Math.round(((i + 1) * TOTAL_VISITS) / days.length) - Math.round((i * TOTAL_VISITS) / days.length);
        for (let k = 0; k < target; k++) {
          const start = opening + Math.floor(random() * 9 * 3_600_000);
          insert.run(pickOrganisation(), pickService(), start, start + 600_000, day.dayKey, day.weekKey, start);
          inserted++;
        }
      }
    })();
  }
  const seedMs = performance.now() - seedStart;
  db.pragma('wal_checkpoint(TRUNCATE)');

  // Weekly grid over random weeks of the five years.
  const weeks = [...new Set(days.map((d) => d.weekKey))];
  const organisations = settings.organisations();
  const siteName = settings.site().name;
  for (let i = 0; i < 10; i++) weeklyGrid(db, weeks[i]!, organisations, siteName);
  const gridTimes: number[] = [];
  let checksum = 0;
  for (let i = 0; i < GRID_RUNS; i++) {
    const week = weeks[Math.floor(random() * weeks.length)]!;
    const t0 = performance.now();
    checksum += weeklyGrid(db, week, organisations, siteName).total;
    gridTimes.push(performance.now() - t0);
  }
  gridTimes.sort((a, b) => a - b);

  // Durable recording of one visit (WAL, synchronous=FULL, visit + audit row in one transaction).
  const visits = createVisits({ db, clock, logger: silentLogger() });
  const recordTimes: number[] = [];
  for (let i = 0; i < RECORD_RUNS; i++) {
    const t0 = performance.now();
    visits.record({ organisation: pickOrganisation(), service: SERVICE_TYPES[i % SERVICE_TYPES.length]! }, { mediatorId: 1, source: 'mediator' });
    recordTimes.push(performance.now() - t0);
  }
  recordTimes.sort((a, b) => a - b);

  // The same without waiting for the disk (synchronous=OFF): the CPU part of recording.
  db.pragma('synchronous = OFF');
  const cpuTimes: number[] = [];
  for (let i = 0; i < RECORD_RUNS; i++) {
    const t0 = performance.now();
    visits.record({ organisation: pickOrganisation(), service: SERVICE_TYPES[i % SERVICE_TYPES.length]! }, { mediatorId: 1, source: 'mediator' });
    cpuTimes.push(performance.now() - t0);
  }
  cpuTimes.sort((a, b) => a - b);
  db.close();

  // The disk's floor: one 4 KiB write + fdatasync, what a durable commit cannot go below.
  const fd = openSync(path.join(dir, 'fsync.bin'), 'w');
  const syncTimes: number[] = [];
  for (let i = 0; i < RECORD_RUNS; i++) {
    writeSync(fd, Buffer.alloc(4096, i & 0xff));
    const t0 = performance.now();
    fdatasyncSync(fd);
    syncTimes.push(performance.now() - t0);
  }
  closeSync(fd);
  syncTimes.sort((a, b) => a - b);

  const reopenStart = performance.now();
  openDatabase(file).close();
  const reopenMs = performance.now() - reopenStart;

  const size = statSync(file).size;
  const walSize = (() => {
    try {
      return statSync(`${file}-wal`).size;
    } catch {
      return 0;
    }
  })();
  const lines = [
    `grid benchmark (${new Date().toISOString()}, Node ${process.version})`,
    `seed: ${inserted.toLocaleString('en')} visits over ${days.length} open days (${weeks.length} ISO weeks) in ${(seedMs / 1000).toFixed(1)} s (${batches} transactions)`,
    `weeklyGrid over ${GRID_RUNS} random weeks: median ${fmt(percentile(gridTimes, 50))}, p99 ${fmt(percentile(gridTimes, 99))}, max ${fmt(gridTimes.at(-1)!)} (avg ${Math.round(checksum / GRID_RUNS)} visits/week); target ≤ 20 ms median, ≤ 50 ms p99`,
    `visits.record (file, WAL, synchronous=FULL) × ${RECORD_RUNS}: median ${fmt(percentile(recordTimes, 50))}, p99 ${fmt(percentile(recordTimes, 99))}, max ${fmt(recordTimes.at(-1)!)}; target p99 ≤ 5 ms`,
    `visits.record with synchronous=OFF (CPU only) × ${RECORD_RUNS}: median ${fmt(percentile(cpuTimes, 50))}, p99 ${fmt(percentile(cpuTimes, 99))}`,
    `disk floor, 4 KiB write + fdatasync × ${RECORD_RUNS}: median ${fmt(percentile(syncTimes, 50))}, p99 ${fmt(percentile(syncTimes, 99))}`,
    `re-open with quick_check + migrate check: ${fmt(reopenMs)}`,
    `database file: ${(size / 1_048_576).toFixed(1)} MiB (+ WAL ${(walSize / 1_048_576).toFixed(1)} MiB)`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
