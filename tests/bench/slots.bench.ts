// Benchmark: free-slot search for an organisation with 50 agents and a year of recurring slots, after 1,000 booths'
// bookings (server/appointments/). Prints publication time, booking time and the search's median and p95.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createAppointmentService, createSqliteAppointmentStore } from '../../server/appointments/index.js';
import { WEEKDAY_HOURS, createHubStore, openHubDb } from '../../server/store.js';

const AGENTS = 50;
const BOOTHS = 1_000;
const BOOKINGS_PER_BOOTH = 20;
const SEARCHES = 2_000;
/** Monday 5 January 2026, 08:00 in Paris. */
const NOW = Date.UTC(2026, 0, 5, 7);
const YEAR_MS = 365 * 86_400_000;

let seed = 0x5107;
const random = (): number => {
  seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff;
  return seed / 0x80000000;
};
const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
const fmt = (ms: number): string => `${ms.toFixed(2)} ms`;

const dir = mkdtempSync(path.join(tmpdir(), 'relais-slots-bench-'));
try {
  const hub = createHubStore(openHubDb(path.join(dir, 'hub.sqlite')));
  hub.seedOrganisations(WEEKDAY_HOURS);
  const boothIds: number[] = [];
  hub.db.transaction(() => {
    for (let i = 0; i < BOOTHS; i++) boothIds.push(hub.addBooth(`Borne ${i + 1}`, NOW).id);
    for (let i = 0; i < AGENTS; i++) hub.addAgent({ organisation: 'CAF', login: `caf${i}`, displayName: `Agent ${i}`, passwordHash: 'x' }, NOW);
  })();
  const store = createSqliteAppointmentStore(hub.db);
  const service = createAppointmentService({ store, clock: () => NOW, newId: randomUUID });

  // Each agent: weekdays, half-hours 09:00–12:00 and 14:00–17:00, for a year; one agent in five for 100 booths only.
  let t = performance.now();
  let slots = 0;
  for (let i = 0; i < AGENTS; i++) {
    const booths = i % 5 === 4 ? boothIds.slice((i * 17) % 900, ((i * 17) % 900) + 100) : undefined;
    const r = await service.publish('CAF', 1, {
      start: '2026-01-05T09:00',
      rule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;BYHOUR=9,10,11,14,15,16;BYMINUTE=0,30;UNTIL=20270101T000000',
      lengthMin: 30,
      capacity: 1,
      agents: [`caf${i}`],
      ...(booths ? { booths } : {}),
    });
    if (!r.ok) throw new Error(`publication refused: ${r.code}`);
    slots += r.slots;
  }
  const publishMs = performance.now() - t;

  // 1,000 booths book 20 appointments each, mostly in the first three months (where searches meet full slots).
  const bookTimes: number[] = [];
  let booked = 0;
  for (let round = 0; round < BOOKINGS_PER_BOOTH; round++) {
    for (const boothId of boothIds) {
      const from = NOW + Math.floor(random() * random() * 90 * 86_400_000);
      const [slot] = await service.freeSlots('CAF', boothId, from, 1);
      if (!slot) continue;
      t = performance.now();
      const r = await service.book({ organisation: 'CAF', boothId, startsAt: slot.startsAt, subject: 'rsa' });
      bookTimes.push(performance.now() - t);
      if (r.ok) booked++;
    }
  }

  const searchTimes: number[] = [];
  let found = 0;
  for (let i = 0; i < SEARCHES; i++) {
    const boothId = boothIds[Math.floor(random() * BOOTHS)] ?? 1;
    const from = NOW + Math.floor(random() * random() * YEAR_MS);
    t = performance.now();
    found += (await service.freeSlots('CAF', boothId, from, 10)).length;
    searchTimes.push(performance.now() - t);
  }
  searchTimes.sort((a, b) => a - b);
  bookTimes.sort((a, b) => a - b);

  process.stdout.write(`Créneaux : ${AGENTS} conseillers, ${slots} créneaux sur un an, publiés en ${fmt(publishMs)}\n`);
  process.stdout.write(`Réservations : ${booked} par ${BOOTHS} bornes — médiane ${fmt(percentile(bookTimes, 50))}, p95 ${fmt(percentile(bookTimes, 95))}\n`);
  process.stdout.write(
    `Recherche de créneaux libres (${SEARCHES} recherches, 10 créneaux, ${found} trouvés) : médiane ${fmt(percentile(searchTimes, 50))}, p95 ${fmt(percentile(searchTimes, 95))}, max ${fmt(searchTimes.at(-1) ?? NaN)} (cible : médiane ≤ 20 ms)\n`,
  );
  hub.db.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
