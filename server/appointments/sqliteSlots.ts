// The SQLite store's slot side: publishing a series (one row per slot), closing series and days, listing, free places.
import type { HubDb } from '../store.js';
import { APPOINTMENT_COLUMNS, APPOINTMENT_JOINS, toAppointment, toSeriesSummary, type AppointmentSql, type SeriesSql } from './rows.js';
import type { SqliteAppointmentStore } from './store.js';

type SlotSide = Pick<SqliteAppointmentStore, 'subjects' | 'closures' | 'publish' | 'closeSeries' | 'closeDays' | 'listSeries' | 'freeSlots'>;

export function createSqliteSlots(db: HubDb): SlotSide {
  const st = {
    free: db.prepare(`
      SELECT starts_at, MIN(ends_at) AS ends_at, SUM(capacity - booked) AS free FROM slots s
      WHERE organisation = ? AND starts_at >= ? AND closed_at IS NULL AND booked < capacity
        AND (all_booths = 1 OR EXISTS (SELECT 1 FROM slot_series_booths sb WHERE sb.series_id = s.series_id AND sb.booth_id = ?))
      GROUP BY starts_at ORDER BY starts_at LIMIT ?`),
    insertSlot: db.prepare(
      'INSERT OR IGNORE INTO slots (series_id, organisation, starts_at, ends_at, local_day, capacity, all_booths) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    affectedOfSlots: (where: string) =>
      db.prepare(`SELECT ${APPOINTMENT_COLUMNS} FROM appointments a ${APPOINTMENT_JOINS} WHERE a.status = 'booked' AND a.slot_id IN (SELECT id FROM slots WHERE ${where})`),
  };
  const affectedSeries = st.affectedOfSlots('series_id = ? AND starts_at >= ? AND closed_at IS NULL');
  const affectedDays = st.affectedOfSlots('organisation = ? AND local_day BETWEEN ? AND ? AND closed_at IS NULL');

  /** The appointments of the slots about to close become `closed`, their notes erased; returned for the notices. */
  function closeAppointments(rows: AppointmentSql[], now: number): ReturnType<typeof toAppointment>[] {
    const close = db.prepare("UPDATE appointments SET status = 'closed', note = NULL, updated_at = ? WHERE id = ? AND status = 'booked'");
    return rows.filter((r) => close.run(now, r.id).changes === 1).map((r) => toAppointment({ ...r, status: 'closed', note: null }));
  }

  return {
    subjects(organisation) {
      const rows = db.prepare('SELECT code, label, bring FROM appointment_subjects WHERE organisation = ? ORDER BY position').all(organisation) as Array<{ code: string; label: string; bring: string }>;
      return rows.map((r) => ({ code: r.code, label: r.label, bring: JSON.parse(r.bring) as string[] }));
    },
    closures(organisation, fromDay) {
      return db.prepare('SELECT from_day AS "from", to_day AS "to", reason FROM slot_closures WHERE organisation = ? AND to_day >= ? ORDER BY from_day').all(organisation, fromDay) as Array<{
        from: string;
        to: string;
        reason: string | null;
      }>;
    },
    publish(series, occurrences, now) {
      return db.transaction(() => {
        const r = db
          .prepare(
            'INSERT INTO slot_series (organisation, start_local, rule, time_zone, length_min, capacity, all_booths, on_holidays, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
          )
          .run(series.organisation, series.start, series.rule, series.timeZone, series.lengthMin, series.capacity, series.booths ? 0 : 1, series.onHolidays ? 1 : 0, series.createdBy, now);
        const seriesId = Number(r.lastInsertRowid);
        const booth = db.prepare('INSERT OR IGNORE INTO slot_series_booths (series_id, booth_id) VALUES (?, ?)');
        for (const b of series.booths ?? []) booth.run(seriesId, b);
        const agent = db.prepare('INSERT OR IGNORE INTO slot_series_agents (series_id, agent_id, position) VALUES (?, ?, ?)');
        series.agentIds.forEach((a, i) => agent.run(seriesId, a, i));
        let slots = 0;
        for (const o of occurrences) slots += st.insertSlot.run(seriesId, series.organisation, o.startsAt, o.endsAt, o.day, series.capacity, series.booths ? 0 : 1).changes;
        return { seriesId, slots };
      }).immediate();
    },
    closeSeries(organisation, seriesId, now) {
      return db.transaction(() => {
        const found = db.prepare('UPDATE slot_series SET removed_at = ? WHERE id = ? AND organisation = ? AND removed_at IS NULL').run(now, seriesId, organisation);
        if (found.changes === 0) return null;
        const affected = closeAppointments(affectedSeries.all(seriesId, now) as AppointmentSql[], now);
        const slots = db.prepare('UPDATE slots SET closed_at = ? WHERE series_id = ? AND starts_at >= ? AND closed_at IS NULL').run(now, seriesId, now).changes;
        return { slots, affected };
      }).immediate();
    },
    closeDays(organisation, range, reason, now) {
      return db.transaction(() => {
        db.prepare('INSERT INTO slot_closures (organisation, from_day, to_day, reason, created_at) VALUES (?, ?, ?, ?, ?)').run(organisation, range.from, range.to, reason, now);
        const affected = closeAppointments(affectedDays.all(organisation, range.from, range.to) as AppointmentSql[], now);
        const slots = db
          .prepare('UPDATE slots SET closed_at = ? WHERE organisation = ? AND local_day BETWEEN ? AND ? AND closed_at IS NULL')
          .run(now, organisation, range.from, range.to).changes;
        return { slots, affected };
      }).immediate();
    },
    listSeries(organisation, now) {
      const rows = db
        .prepare(
          `SELECT ss.id, ss.start_local, ss.rule, ss.length_min, ss.capacity, ss.all_booths,
             (SELECT COUNT(*) FROM slots s WHERE s.series_id = ss.id AND s.starts_at >= ? AND s.closed_at IS NULL) AS upcoming,
             (SELECT COALESCE(SUM(booked), 0) FROM slots s WHERE s.series_id = ss.id AND s.starts_at >= ? AND s.closed_at IS NULL) AS booked
           FROM slot_series ss WHERE ss.organisation = ? AND ss.removed_at IS NULL ORDER BY ss.id`,
        )
        .all(now, now, organisation) as Array<SeriesSql & { all_booths: number }>;
      const boothsOf = db.prepare('SELECT booth_id FROM slot_series_booths WHERE series_id = ? ORDER BY booth_id').pluck();
      const agentsOf = db.prepare('SELECT a.login FROM slot_series_agents sa JOIN agents a ON a.id = sa.agent_id WHERE sa.series_id = ? ORDER BY sa.position').pluck();
      return rows.map((r) => toSeriesSummary(r, r.all_booths === 1 ? null : (boothsOf.all(r.id) as number[]), agentsOf.all(r.id) as string[]));
    },
    freeSlots(organisation, boothId, from, limit) {
      const rows = st.free.all(organisation, from, boothId, limit) as Array<{ starts_at: number; ends_at: number; free: number }>;
      return rows.map((r) => ({ startsAt: r.starts_at, endsAt: r.ends_at, free: r.free }));
    },
  };
}
