// Benchmark: free-slot search for an organisation with 50 agents and a year of recurring slots, after 1,000 booths'
// bookings (server/appointments/), on each store — the hub's SQLite file, then a real PostgreSQL (started and stopped
// here) — with the same load. Prints, per store, publication time, booking time and the search's median and p95; then,
// on PostgreSQL, the same bookings from 4 pools at once (as 4 nodes) against one pool one at a time, and what the
// races left (refusals, over-booked slots).
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { createAppointmentService, createSqliteAppointmentStore, type AppointmentStore } from '../../server/appointments/index.js';
import type { AppointmentService } from '../../server/appointments/service.js';
import { openPostgresStores, type PostgresStores } from '../../server/sharedStore/postgres.js';
import { WEEKDAY_HOURS, createHubStore, openHubDb } from '../../server/store.js';
import { startPostgres } from '../support/postgres.js';

const AGENTS = 50;
const BOOTHS = 1_000;
const BOOKINGS_PER_BOOTH = 20;
const SEARCHES = 2_000;
/** Nodes booking at once on PostgreSQL, each with its own pool (10 connections, the shared store's default). */
const NODES = 4;
const POOL_SIZE = 10;
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
const say = (line: string): boolean => process.stdout.write(`${line}\n`);

// The load, drawn once from the seed in the order the runs use it, so that every store gets the same: 1,000 booths
// book 20 appointments each, mostly in the first three months (where searches meet full slots); then searches over
// the year. Booths are indexes into each store's own ids.
const bookings: Array<{ booth: number; from: number }> = [];
for (let round = 0; round < BOOKINGS_PER_BOOTH; round++)
  for (let booth = 0; booth < BOOTHS; booth++) bookings.push({ booth, from: NOW + Math.floor(random() * random() * 90 * 86_400_000) });
const searches: Array<{ booth: number; from: number }> = [];
for (let i = 0; i < SEARCHES; i++) searches.push({ booth: Math.floor(random() * BOOTHS), from: NOW + Math.floor(random() * random() * YEAR_MS) });

const newService = (store: AppointmentStore): AppointmentService => createAppointmentService({ store, clock: () => NOW, newId: randomUUID });

/** Each agent: weekdays, half-hours 09:00–12:00 and 14:00–17:00, for a year; one agent in five for 100 booths only. */
async function publishYear(service: AppointmentService, boothIds: number[], createdBy: number): Promise<{ slots: number; ms: number }> {
  const t = performance.now();
  let slots = 0;
  for (let i = 0; i < AGENTS; i++) {
    const booths = i % 5 === 4 ? boothIds.slice((i * 17) % 900, ((i * 17) % 900) + 100) : undefined;
    const r = await service.publish('CAF', createdBy, {
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
  return { slots, ms: performance.now() - t };
}

/** A booth's booking as the kiosk makes it: the first free slot from `from`, then the booking (timed alone). */
async function bookFirstFree(service: AppointmentService, boothId: number, from: number): Promise<{ ms: number; code: string } | null> {
  const [slot] = await service.freeSlots('CAF', boothId, from, 1);
  if (!slot) return null;
  const t = performance.now();
  const r = await service.book({ organisation: 'CAF', boothId, startsAt: slot.startsAt, subject: 'rsa' });
  return { ms: performance.now() - t, code: r.ok ? 'ok' : r.code };
}

/** The three figures of one store, printed as they always were; returns how long the bookings took, one at a time. */
async function measureStore(label: string, service: AppointmentService, boothIds: number[], createdBy: number): Promise<{ bookingMs: number }> {
  const published = await publishYear(service, boothIds, createdBy);

  const bookTimes: number[] = [];
  let booked = 0;
  const bookingStart = performance.now();
  for (const b of bookings) {
    const r = await bookFirstFree(service, boothIds[b.booth]!, b.from);
    if (!r) continue;
    bookTimes.push(r.ms);
    if (r.code === 'ok') booked++;
  }
  const bookingMs = performance.now() - bookingStart;

  const searchTimes: number[] = [];
  let found = 0;
  for (const s of searches) {
    const t = performance.now();
    found += (await service.freeSlots('CAF', boothIds[s.booth] ?? 1, s.from, 10)).length;
    searchTimes.push(performance.now() - t);
  }
  searchTimes.sort((a, b) => a - b);
  bookTimes.sort((a, b) => a - b);

  say(`— ${label}`);
  say(`Créneaux : ${AGENTS} conseillers, ${published.slots} créneaux sur un an, publiés en ${fmt(published.ms)}`);
  say(`Réservations : ${booked} par ${BOOTHS} bornes — médiane ${fmt(percentile(bookTimes, 50))}, p95 ${fmt(percentile(bookTimes, 95))}`);
  say(
    `Recherche de créneaux libres (${SEARCHES} recherches, 10 créneaux, ${found} trouvés) : médiane ${fmt(percentile(searchTimes, 50))}, p95 ${fmt(percentile(searchTimes, 95))}, max ${fmt(searchTimes.at(-1) ?? NaN)} (cible : médiane ≤ 20 ms)`,
  );
  return { bookingMs };
}

/** The organisations, 1,000 booths and 50 agents (caf0…caf49, in that order) of a fresh PostgreSQL database. */
async function seedPostgres(stores: PostgresStores): Promise<{ boothIds: number[]; firstAgent: number }> {
  await stores.store.seedOrganisations(WEEKDAY_HOURS);
  const boothIds: number[] = [];
  for (let i = 0; i < BOOTHS; i++) boothIds.push((await stores.store.addBooth(`Borne ${i + 1}`, NOW)).id);
  const agentIds: number[] = [];
  for (let i = 0; i < AGENTS; i++) agentIds.push(await stores.store.addAgent({ organisation: 'CAF', login: `caf${i}`, displayName: `Agent ${i}`, passwordHash: 'x' }, NOW));
  return { boothIds, firstAgent: agentIds[0]! };
}

/**
 * The same 20,000 bookings from `NODES` pools at once, as that many nodes would take them: booth i on node i mod NODES,
 * each node's bookings in the sequential run's order, as many at a time as its pool has connections. Two booths that
 * found the same last place race for it; the loser is refused (SLOT_TAKEN) and does not try again.
 */
async function raceBookings(url: string, sequentialMs: number): Promise<void> {
  const nodes: PostgresStores[] = [];
  try {
    for (let k = 0; k < NODES; k++) nodes.push(await openPostgresStores(url, { poolSize: POOL_SIZE }));
    const { boothIds, firstAgent } = await seedPostgres(nodes[0]!);
    const published = await publishYear(newService(nodes[0]!.appointments), boothIds, firstAgent);
    const services = nodes.map((n) => newService(n.appointments));
    const bookTimes: number[] = [];
    const codes = new Map<string, number>();
    const start = performance.now();
    await Promise.all(
      services.map(async (service, k) => {
        const queue = bookings.filter((b) => b.booth % NODES === k);
        let next = 0;
        await Promise.all(
          Array.from({ length: POOL_SIZE }, async () => {
            while (next < queue.length) {
              const b = queue[next++]!;
              const r = await bookFirstFree(service, boothIds[b.booth]!, b.from);
              if (!r) continue;
              bookTimes.push(r.ms);
              codes.set(r.code, (codes.get(r.code) ?? 0) + 1);
            }
          }),
        );
      }),
    );
    const ms = performance.now() - start;
    bookTimes.sort((a, b) => a - b);

    // What the races left, read from the rows: no slot with more places taken than it has, each place one appointment.
    const check = new pg.Client({ connectionString: url });
    await check.connect();
    let row: { over: string; taken: string; appointments: string } | undefined;
    try {
      [row] = (
        await check.query<{ over: string; taken: string; appointments: string }>(
          `SELECT (SELECT COUNT(*) FROM slots WHERE booked > capacity) AS over, (SELECT COALESCE(SUM(booked), 0) FROM slots) AS taken,
             (SELECT COUNT(*) FROM appointments WHERE status = 'booked') AS appointments`,
        )
      ).rows;
    } finally {
      await check.end();
    }

    const booked = codes.get('ok') ?? 0;
    const refused = [...codes].filter(([c]) => c !== 'ok').map(([c, n]) => `${n} ${c}`).join(', ') || 'aucune';
    say(`— PostgreSQL, ${NODES} pools de ${POOL_SIZE} connexions à la fois (comme ${NODES} nœuds), sur une base neuve (publication : ${published.slots} créneaux en ${fmt(published.ms)})`);
    say(
      `Réservations concurrentes : ${booked} par ${BOOTHS} bornes en ${(ms / 1000).toFixed(1)} s, recherche comprise (un seul pool, une à une : ${(sequentialMs / 1000).toFixed(1)} s) — médiane ${fmt(percentile(bookTimes, 50))}, p95 ${fmt(percentile(bookTimes, 95))} ; refusées : ${refused}`,
    );
    say(`Après la course : ${row?.over} créneau(x) surréservé(s), ${row?.taken} places prises pour ${row?.appointments} rendez-vous réservés`);
  } finally {
    for (const n of nodes) await n.close();
  }
}

// SQLite: the hub's file, as the one-machine hub opens it.
const dir = mkdtempSync(path.join(tmpdir(), 'relais-slots-bench-'));
try {
  const hub = createHubStore(openHubDb(path.join(dir, 'hub.sqlite')));
  hub.seedOrganisations(WEEKDAY_HOURS);
  const boothIds: number[] = [];
  hub.db.transaction(() => {
    for (let i = 0; i < BOOTHS; i++) boothIds.push(hub.addBooth(`Borne ${i + 1}`, NOW).id);
    for (let i = 0; i < AGENTS; i++) hub.addAgent({ organisation: 'CAF', login: `caf${i}`, displayName: `Agent ${i}`, passwordHash: 'x' }, NOW);
  })();
  try {
    await measureStore('SQLite (le fichier du hub)', newService(createSqliteAppointmentStore(hub.db)), boothIds, 1);
  } finally {
    hub.db.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

// PostgreSQL: a server of this machine, one pool as a node opens it; then the races on another database of it.
const server = await startPostgres();
try {
  const stores = await openPostgresStores(server.url);
  let sequentialMs: number;
  try {
    const { boothIds, firstAgent } = await seedPostgres(stores);
    ({ bookingMs: sequentialMs } = await measureStore(`PostgreSQL (un pool de ${POOL_SIZE} connexions)`, newService(stores.appointments), boothIds, firstAgent));
  } finally {
    await stores.close();
  }
  await raceBookings(await server.newDatabase(), sequentialMs);
} finally {
  await server.stop();
}
