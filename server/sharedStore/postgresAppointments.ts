// The visio appointments' store on PostgreSQL, for the nodes of a hub across machines: the SQLite store's answers
// (server/appointments/sqliteStore.ts) over the pool of the shared store, whose migration 0007 made the tables.
// Under READ COMMITTED every race is decided by a row lock and a condition PostgreSQL checks again on the row it locked:
// the last place of a slot (`booked < capacity` on the slot's row), the holding agent (the unique index
// appointments_holder), an appointment honoured, cancelled, closed or swept by two nodes at once (`status = 'booked'`:
// the first changes it, the other finds nothing). Rows are locked in one order everywhere — the booth, then slots, then
// appointments, each set by id — so that two nodes never wait for each other in a cycle.
import type pg from 'pg';
import type { AppointmentRecord } from '../../shared/appointmentCounts.js';
import { APPOINTMENT_COLUMNS, APPOINTMENT_JOINS, BOOTH_CHOICES_SQL, toAppointment, toBoothChoice, toSeriesSummary, type AppointmentSql, type BoothChoiceSql, type SeriesSql } from '../appointments/rows.js';
import { MAX_BOOKED_PER_BOOTH } from '../appointments/sqliteBookings.js';
import type { Appointment, BookRequest, BookResult, PostgresAppointmentStore } from '../appointments/store.js';
import { inTransaction } from './pgTransaction.js';
import { isId, lowerBound, storable, withoutNul } from './pgValues.js';

type Db = pg.Pool | pg.PoolClient;

/** Appointments starting together: in the order they were booked (SQLite's rowid; `seq` here). */
const BY_START = 'ORDER BY a.starts_at, a.seq';
const SELECT = `SELECT ${APPOINTMENT_COLUMNS} FROM appointments a ${APPOINTMENT_JOINS}`;
/** The appointments an `UPDATE appointments …` changed, as they are now, read with their booth and subject. */
const CHANGED = (update: string): string => `WITH a AS (${update} RETURNING *) SELECT ${APPOINTMENT_COLUMNS} FROM a ${APPOINTMENT_JOINS} ${BY_START}`;
/** The least integer above `n`, as a BIGINT bound: `column <= n` is `column < justAbove(n)` (see lowerBound). */
const justAbove = (n: number): string | null => lowerBound(Math.floor(n) + 1);

/** A slot this booth may book: every booth's, or its series names the booth. */
const BOOTH_MAY_BOOK = '(s.all_booths OR EXISTS (SELECT 1 FROM slot_series_booths sb WHERE sb.series_id = s.series_id AND sb.booth_id = $3))';

async function appointments(db: Db, text: string, values: unknown[]): Promise<Appointment[]> {
  return (await db.query<AppointmentSql>(text, values)).rows.map(toAppointment);
}

/**
 * Closes these slots (those still open), then marks `closed` the appointments they held, their notes erased. The slots
 * first: a booking taking a place in one of them meanwhile is then either refused (the slot closed) or committed before,
 * and its appointment found here.
 */
async function closeSlots(client: pg.PoolClient, where: string, values: unknown[], now: number): Promise<{ slots: number; affected: Appointment[] }> {
  const n = values.length;
  const closed = await client.query<{ id: number }>(
    `UPDATE slots SET closed_at = $${n + 1} WHERE id IN (SELECT id FROM slots WHERE ${where} AND closed_at IS NULL ORDER BY id FOR NO KEY UPDATE) RETURNING id`,
    [...values, now],
  );
  const slotIds = closed.rows.map((r) => r.id);
  if (slotIds.length === 0) return { slots: 0, affected: [] };
  const affected = await appointments(
    client,
    CHANGED(`UPDATE appointments SET status = 'closed', note = NULL, updated_at = $1
      WHERE id IN (SELECT id FROM appointments WHERE slot_id = ANY ($2::bigint[]) AND status = 'booked' ORDER BY id FOR UPDATE)`),
    [now, slotIds],
  );
  return { slots: slotIds.length, affected };
}

export function postgresAppointmentStore(pool: pg.Pool): PostgresAppointmentStore {
  const byId = async (appointmentId: string): Promise<Appointment | null> => {
    if (!storable(appointmentId)) return null;
    const [found] = await appointments(pool, `${SELECT} WHERE a.id = $1`, [appointmentId]);
    return found ?? null;
  };

  /** Takes a place at this start: the same steps as SQLite's, each race left to the rows. */
  async function book(req: BookRequest, now: number): Promise<BookResult> {
    if (!storable(req.organisation) || !storable(req.subject)) return { ok: false, code: 'UNKNOWN_SUBJECT' };
    const subject = await pool.query('SELECT 1 FROM appointment_subjects WHERE organisation = $1 AND code = $2', [req.organisation, req.subject]);
    if (subject.rows.length === 0) return { ok: false, code: 'UNKNOWN_SUBJECT' };
    if (req.startsAt <= now) return { ok: false, code: 'SLOT_TAKEN' };
    // No booth has such an id (SQLite would fail to store it), no slot starts at such an instant: no place.
    if (!isId(req.boothId) || !Number.isSafeInteger(req.startsAt)) return { ok: false, code: 'SLOT_TAKEN' };
    return inTransaction(pool, (client) => takePlace(client, req, now));
  }

  async function takePlace(client: pg.PoolClient, req: BookRequest, now: number): Promise<BookResult> {
    // The booth's row locked: two bookings of one booth on two nodes count its appointments one after the other.
    await client.query('SELECT 1 FROM booths WHERE id = $1 FOR NO KEY UPDATE', [req.boothId]);
    const load = await client.query<{ n: number }>("SELECT COUNT(*) AS n FROM appointments WHERE booth_id = $1 AND status = 'booked' AND starts_at >= $2", [
      req.boothId,
      lowerBound(now),
    ]);
    if ((load.rows[0]?.n ?? 0) >= MAX_BOOKED_PER_BOOTH) return { ok: false, code: 'TOO_MANY_APPOINTMENTS' };
    // Several slots may start at this time (one series per agent): the first with room. Its UPDATE waits for a booking
    // holding the row, then checks `booked < capacity` again on the row as that one left it: if it took the last place,
    // nothing is updated here and the next slot of this start is tried.
    for (let attempt = 0; attempt < 5; attempt++) {
      const [slot] = (
        await client.query<{ id: number; series_id: number; starts_at: number; ends_at: number }>(
          `SELECT id, series_id, starts_at, ends_at FROM slots s
           WHERE organisation = $1 AND starts_at = $2 AND closed_at IS NULL AND booked < capacity AND ${BOOTH_MAY_BOOK}
           ORDER BY id LIMIT 1`,
          [req.organisation, req.startsAt, req.boothId],
        )
      ).rows;
      if (!slot) return { ok: false, code: 'SLOT_TAKEN' };
      const taken = await client.query('UPDATE slots SET booked = booked + 1 WHERE id = $1 AND booked < capacity AND closed_at IS NULL', [slot.id]);
      if (taken.rowCount !== 1) continue;
      return { ok: true, appointment: await insertHeld(client, req, slot, now) };
    }
    return { ok: false, code: 'SLOT_TAKEN' };
  }

  /**
   * The appointment of a place taken (the slot's row locked by this transaction), held by the first named agent who
   * holds none of the slot's places yet, else by nobody. Bookings of one slot wait for each other on its row, so the
   * agents read here include every committed holder; should one still be taken meanwhile, the unique index refuses the
   * row (nothing inserted, no error) and the next agent is asked for.
   */
  async function insertHeld(client: pg.PoolClient, req: BookRequest, slot: { id: number; series_id: number; starts_at: number; ends_at: number }, now: number): Promise<Appointment> {
    for (let attempt = 0; ; attempt++) {
      const holder =
        attempt < 5
          ? ((
              await client.query<{ agent_id: number }>(
                `SELECT agent_id FROM slot_series_agents sa WHERE sa.series_id = $1 AND NOT EXISTS (
                   SELECT 1 FROM appointments a WHERE a.slot_id = $2 AND a.agent_id = sa.agent_id AND a.status IN ('booked', 'honoured'))
                 ORDER BY position LIMIT 1`,
                [slot.series_id, slot.id],
              )
            ).rows[0]?.agent_id ?? null)
          : null;
      const note = req.note === null ? null : withoutNul(req.note);
      const [inserted] = await appointments(
        client,
        `WITH a AS (
           INSERT INTO appointments (id, slot_id, organisation, booth_id, agent_id, starts_at, ends_at, subject, note, note_consent, status, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'booked', $11, $11)
           ON CONFLICT (slot_id, agent_id) WHERE agent_id IS NOT NULL AND status IN ('booked', 'honoured') DO NOTHING
           RETURNING *)
         SELECT ${APPOINTMENT_COLUMNS} FROM a ${APPOINTMENT_JOINS}`,
        [req.newId(), slot.id, req.organisation, req.boothId, holder, slot.starts_at, slot.ends_at, req.subject, note, note !== null, now],
      );
      if (inserted) return inserted;
    }
  }

  return {
    async subjects(organisation) {
      if (!storable(organisation)) return [];
      const { rows } = await pool.query<{ code: string; label: string; bring: string }>('SELECT code, label, bring FROM appointment_subjects WHERE organisation = $1 ORDER BY position', [
        organisation,
      ]);
      return rows.map((r) => ({ code: r.code, label: r.label, bring: JSON.parse(r.bring) as string[] }));
    },
    async closures(organisation, fromDay) {
      if (!storable(organisation) || !storable(fromDay)) return [];
      const { rows } = await pool.query<{ from: string; to: string; reason: string | null }>(
        'SELECT from_day AS "from", to_day AS "to", reason FROM slot_closures WHERE organisation = $1 AND to_day >= $2 ORDER BY from_day, id',
        [organisation, fromDay],
      );
      return rows;
    },
    async publish(series, occurrences, now) {
      // A booth or an agent no row can have is left out: the series is for none of it.
      const booths = series.booths?.filter(isId) ?? [];
      const agentIds = series.agentIds.filter(isId);
      const allBooths = series.booths === null;
      return inTransaction(pool, async (client) => {
        const { rows } = await client.query<{ id: number }>(
          `INSERT INTO slot_series (organisation, start_local, rule, time_zone, length_min, capacity, all_booths, on_holidays, created_by, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
          [
            withoutNul(series.organisation),
            withoutNul(series.start),
            series.rule === null ? null : withoutNul(series.rule),
            withoutNul(series.timeZone),
            series.lengthMin,
            series.capacity,
            allBooths,
            series.onHolidays,
            series.createdBy !== null && isId(series.createdBy) ? series.createdBy : null,
            now,
          ],
        );
        const seriesId = rows[0]!.id;
        if (booths.length > 0) {
          await client.query('INSERT INTO slot_series_booths (series_id, booth_id) SELECT $1, b FROM unnest($2::bigint[]) AS b ON CONFLICT DO NOTHING', [seriesId, booths]);
        }
        if (agentIds.length > 0) {
          // Positions in the order named; an agent named twice keeps the first (SQLite's INSERT OR IGNORE).
          await client.query(
            'INSERT INTO slot_series_agents (series_id, agent_id, position) SELECT $1, t.a, t.n - 1 FROM unnest($2::bigint[]) WITH ORDINALITY AS t(a, n) ORDER BY t.n ON CONFLICT DO NOTHING',
            [seriesId, agentIds],
          );
        }
        if (occurrences.length === 0) return { seriesId, slots: 0 };
        const inserted = await client.query(
          `INSERT INTO slots (series_id, organisation, starts_at, ends_at, local_day, capacity, all_booths)
           SELECT $1, $2, o.s, o.e, o.d, $3, $4 FROM unnest($5::bigint[], $6::bigint[], $7::text[]) WITH ORDINALITY AS o(s, e, d, n) ORDER BY o.n
           ON CONFLICT (series_id, starts_at) DO NOTHING`,
          [
            seriesId,
            withoutNul(series.organisation),
            series.capacity,
            allBooths,
            occurrences.map((o) => o.startsAt),
            occurrences.map((o) => o.endsAt),
            occurrences.map((o) => withoutNul(o.day)),
          ],
        );
        return { seriesId, slots: inserted.rowCount ?? 0 };
      });
    },
    async closeSeries(organisation, seriesId, now) {
      if (!isId(seriesId) || !storable(organisation)) return null;
      return inTransaction(pool, async (client) => {
        // Two nodes removing the series at once: the second waits for this row, then finds it removed.
        const found = await client.query('UPDATE slot_series SET removed_at = $1 WHERE id = $2 AND organisation = $3 AND removed_at IS NULL', [now, seriesId, organisation]);
        if (found.rowCount !== 1) return null;
        return closeSlots(client, 'series_id = $1 AND starts_at >= $2', [seriesId, lowerBound(now)], now);
      });
    },
    async closeDays(organisation, range, reason, now) {
      // The days closed are the days recorded: what `closures` gives back is what was closed.
      const [org, from, to] = [organisation, range.from, range.to].map(withoutNul) as [string, string, string];
      return inTransaction(pool, async (client) => {
        await client.query('INSERT INTO slot_closures (organisation, from_day, to_day, reason, created_at) VALUES ($1, $2, $3, $4, $5)', [
          org,
          from,
          to,
          reason === null ? null : withoutNul(reason),
          now,
        ]);
        return closeSlots(client, 'organisation = $1 AND local_day BETWEEN $2 AND $3', [org, from, to], now);
      });
    },
    async listSeries(organisation, now) {
      if (!storable(organisation)) return [];
      const { rows } = await pool.query<SeriesSql & { all_booths: boolean; booths: Array<string | number>; agents: string[] }>(
        `SELECT ss.id, ss.start_local, ss.rule, ss.length_min, ss.capacity, ss.all_booths,
           (SELECT COUNT(*) FROM slots s WHERE s.series_id = ss.id AND s.starts_at >= $1 AND s.closed_at IS NULL) AS upcoming,
           (SELECT COALESCE(SUM(booked), 0) FROM slots s WHERE s.series_id = ss.id AND s.starts_at >= $1 AND s.closed_at IS NULL) AS booked,
           ARRAY(SELECT sb.booth_id FROM slot_series_booths sb WHERE sb.series_id = ss.id ORDER BY sb.booth_id) AS booths,
           ARRAY(SELECT a.login FROM slot_series_agents sa JOIN agents a ON a.id = sa.agent_id WHERE sa.series_id = ss.id ORDER BY sa.position) AS agents
         FROM slot_series ss WHERE ss.organisation = $2 AND ss.removed_at IS NULL ORDER BY ss.id`,
        [lowerBound(now), organisation],
      );
      // An array of BIGINT comes back as strings (the pool parses a single BIGINT only).
      return rows.map((r) => toSeriesSummary(r, r.all_booths ? null : r.booths.map(Number), r.agents));
    },
    async freeSlots(organisation, boothId, from, limit) {
      if (!storable(organisation) || !isId(boothId)) return [];
      const { rows } = await pool.query<{ starts_at: number; ends_at: number; free: number }>(
        `SELECT starts_at, MIN(ends_at) AS ends_at, SUM(capacity - booked) AS free FROM slots s
         WHERE organisation = $1 AND starts_at >= $2 AND closed_at IS NULL AND booked < capacity AND ${BOOTH_MAY_BOOK}
         GROUP BY starts_at ORDER BY starts_at LIMIT $4`,
        // SQLite reads a negative LIMIT as no limit; PostgreSQL's "no limit" is LIMIT NULL.
        [organisation, lowerBound(from), boothId, limit < 0 ? null : limit],
      );
      return rows.map((r) => ({ startsAt: r.starts_at, endsAt: r.ends_at, free: r.free }));
    },
    book,
    async cancel(appointmentId, boothId, now) {
      if (!storable(appointmentId) || !isId(boothId)) return null;
      return inTransaction(pool, async (client) => {
        const [booked] = (
          await client.query<{ slot_id: number }>("SELECT slot_id FROM appointments WHERE id = $1 AND booth_id = $2 AND status = 'booked'", [appointmentId, boothId])
        ).rows;
        if (!booked) return null;
        // The slot's row before the appointment's, in the order bookings and closings lock them.
        await client.query('SELECT 1 FROM slots WHERE id = $1 FOR NO KEY UPDATE', [booked.slot_id]);
        const [cancelled] = await appointments(
          client,
          CHANGED("UPDATE appointments SET status = 'cancelled', note = NULL, updated_at = $1 WHERE id = $2 AND booth_id = $3 AND status = 'booked'"),
          [now, appointmentId, boothId],
        );
        if (!cancelled) return null;
        await client.query('UPDATE slots SET booked = booked - 1 WHERE id = $1 AND booked > 0', [cancelled.slotId]);
        return cancelled;
      });
    },
    async honour(appointmentId, now) {
      if (!storable(appointmentId)) return false;
      const { rowCount } = await pool.query("UPDATE appointments SET status = 'honoured', updated_at = $1 WHERE id = $2 AND status = 'booked'", [now, appointmentId]);
      return rowCount === 1;
    },
    sweep(now, graceMs) {
      return inTransaction(pool, async (client) => {
        // A node sweeping at the same time waits for the rows this one locked, then finds them `missed`: each
        // appointment is returned by one node only, the one that will send its notices.
        const missed = await appointments(
          client,
          CHANGED(`UPDATE appointments SET status = 'missed', note = NULL, updated_at = $1
            WHERE id IN (SELECT id FROM appointments WHERE status = 'booked' AND starts_at < $2 ORDER BY id FOR UPDATE)`),
          [now, justAbove(now - graceMs)],
        );
        // Holding the rows just marked, this transaction waits for no other: a note whose row another holds (a node
        // erasing it, a closing) is left to that one or to the next sweep. A wait here could close a cycle with a
        // closing that holds these notes' rows and waits for the rows marked above.
        const erased = await client.query(
          `UPDATE appointments SET note = NULL WHERE id IN (
             SELECT id FROM appointments WHERE note IS NOT NULL AND (ends_at < $1 OR status IN ('missed', 'cancelled', 'closed')) ORDER BY id FOR UPDATE SKIP LOCKED)`,
          [justAbove(now)],
        );
        return { missed, notesErased: erased.rowCount ?? 0 };
      });
    },
    byId,
    async forAgent(agentId, organisation, from, to) {
      if (!isId(agentId) || !storable(organisation)) return [];
      return appointments(pool, `${SELECT} WHERE a.organisation = $1 AND (a.agent_id = $2 OR a.agent_id IS NULL) AND a.starts_at >= $3 AND a.starts_at < $4 ${BY_START}`, [
        organisation,
        agentId,
        lowerBound(from),
        lowerBound(to),
      ]);
    },
    async forBooth(boothId, from) {
      if (!isId(boothId)) return [];
      return appointments(pool, `${SELECT} WHERE a.booth_id = $1 AND a.ends_at >= $2 ${BY_START}`, [boothId, lowerBound(from)]);
    },
    async isPlanner(agentId) {
      if (!isId(agentId)) return false;
      const { rows } = await pool.query<{ planner: boolean }>('SELECT planner FROM agents WHERE id = $1 AND revoked_at IS NULL', [agentId]);
      return rows[0]?.planner === true;
    },
    async setPlanner(agentId, on) {
      if (!isId(agentId)) return false;
      return (await pool.query('UPDATE agents SET planner = $1 WHERE id = $2', [on, agentId])).rowCount === 1;
    },
    async setIcalHash(agentId, hash) {
      if (!isId(agentId)) return false;
      // The hash of a secret is hexadecimal: one with NUL is a bug, and stored without it would be another secret's.
      if (hash !== null && !storable(hash)) throw new Error('an iCalendar hash cannot hold NUL');
      return (await pool.query('UPDATE agents SET ical_hash = $1 WHERE id = $2', [hash, agentId])).rowCount === 1;
    },
    async agentIdByIcalHash(hash) {
      if (!storable(hash)) return null;
      const { rows } = await pool.query<{ id: number }>('SELECT id FROM agents WHERE ical_hash = $1 AND revoked_at IS NULL', [hash]);
      return rows[0]?.id ?? null;
    },
    async agentIdsByLogin(organisation, logins) {
      if (logins.length === 0) return [];
      if (!storable(organisation) || !logins.every(storable)) return null;
      // md5(login): the index agents_login (see 0001); then the login itself.
      const { rows } = await pool.query<{ id: number; login: string }>(
        `SELECT id, login FROM agents WHERE md5(login) IN (SELECT md5(l) FROM unnest($2::text[]) AS l) AND login = ANY ($2::text[])
           AND organisation = $1 AND revoked_at IS NULL`,
        [organisation, logins],
      );
      const idOf = new Map(rows.map((r) => [r.login, r.id]));
      const ids: number[] = [];
      for (const login of logins) {
        const id = idOf.get(login);
        if (id === undefined) return null;
        if (!ids.includes(id)) ids.push(id);
      }
      return ids;
    },
    async boothChoices() {
      const { rows } = await pool.query<BoothChoiceSql>(BOOTH_CHOICES_SQL);
      return rows.map(toBoothChoice);
    },
    async records(start, end) {
      // In the order they were booked, as SQLite reads its table.
      const { rows } = await pool.query<AppointmentRecord>(
        'SELECT id, organisation, starts_at AS "startsAt", status, updated_at AS "updatedAt" FROM appointments WHERE starts_at >= $1 AND starts_at < $2 ORDER BY seq',
        [lowerBound(start), lowerBound(end)],
      );
      return rows;
    },
  };
}
