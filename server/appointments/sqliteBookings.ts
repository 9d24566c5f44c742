// The SQLite store's booking side. The last place of a slot is decided by one conditional UPDATE (`booked < capacity`)
// inside an IMMEDIATE transaction, and backed by the CHECK (booked <= capacity) of the table: two booths, two processes
// or two hub nodes asking at once, exactly one gets the place. The same statement reads the same under PostgreSQL.
import type { HubDb } from '../store.js';
import { APPOINTMENT_COLUMNS, APPOINTMENT_JOINS, toAppointment, type AppointmentSql } from './rows.js';
import type { SqliteAppointmentStore } from './store.js';

type BookingSide = Pick<SqliteAppointmentStore, 'book' | 'cancel' | 'honour' | 'sweep' | 'byId' | 'forAgent' | 'forBooth'>;

/** A booth holds at most this many appointments to come (a booth cannot empty an organisation's diary). */
export const MAX_BOOKED_PER_BOOTH = 30;

export function createSqliteBookings(db: HubDb): BookingSide {
  const select = `SELECT ${APPOINTMENT_COLUMNS} FROM appointments a ${APPOINTMENT_JOINS}`;
  const st = {
    subject: db.prepare('SELECT 1 FROM appointment_subjects WHERE organisation = ? AND code = ?'),
    boothLoad: db.prepare("SELECT COUNT(*) FROM appointments WHERE booth_id = ? AND status = 'booked' AND starts_at >= ?").pluck(),
    candidate: db.prepare(`
      SELECT id, series_id, starts_at, ends_at FROM slots s
      WHERE organisation = ? AND starts_at = ? AND closed_at IS NULL AND booked < capacity
        AND (all_booths = 1 OR EXISTS (SELECT 1 FROM slot_series_booths sb WHERE sb.series_id = s.series_id AND sb.booth_id = ?))
      ORDER BY id LIMIT 1`),
    take: db.prepare('UPDATE slots SET booked = booked + 1 WHERE id = ? AND booked < capacity AND closed_at IS NULL'),
    release: db.prepare('UPDATE slots SET booked = booked - 1 WHERE id = ? AND booked > 0'),
    holder: db
      .prepare(
        `SELECT agent_id FROM slot_series_agents sa WHERE sa.series_id = ? AND NOT EXISTS (
           SELECT 1 FROM appointments a WHERE a.slot_id = ? AND a.agent_id = sa.agent_id AND a.status IN ('booked', 'honoured'))
         ORDER BY position LIMIT 1`,
      )
      .pluck(),
    insert: db.prepare(
      "INSERT INTO appointments (id, slot_id, organisation, booth_id, agent_id, starts_at, ends_at, subject, note, note_consent, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'booked', ?, ?)",
    ),
    byId: db.prepare(`${select} WHERE a.id = ?`),
    cancel: db.prepare("UPDATE appointments SET status = 'cancelled', note = NULL, updated_at = ? WHERE id = ? AND booth_id = ? AND status = 'booked'"),
    honour: db.prepare("UPDATE appointments SET status = 'honoured', updated_at = ? WHERE id = ? AND status = 'booked'"),
    due: db.prepare(`${select} WHERE a.status = 'booked' AND a.starts_at <= ?`),
    miss: db.prepare("UPDATE appointments SET status = 'missed', note = NULL, updated_at = ? WHERE id = ? AND status = 'booked'"),
    erase: db.prepare("UPDATE appointments SET note = NULL WHERE note IS NOT NULL AND (ends_at <= ? OR status IN ('missed', 'cancelled', 'closed'))"),
    forAgent: db.prepare(`${select} WHERE a.organisation = ? AND (a.agent_id = ? OR a.agent_id IS NULL) AND a.starts_at >= ? AND a.starts_at < ? ORDER BY a.starts_at`),
    forBooth: db.prepare(`${select} WHERE a.booth_id = ? AND a.ends_at >= ? ORDER BY a.starts_at`),
  };
  const read = (id: string) => {
    const r = st.byId.get(id) as AppointmentSql | undefined;
    return r ? toAppointment(r) : null;
  };

  const bookTx = db.transaction((req: Parameters<SqliteAppointmentStore['book']>[0], now: number) => {
    if (!st.subject.get(req.organisation, req.subject)) return { ok: false as const, code: 'UNKNOWN_SUBJECT' as const };
    if (req.startsAt <= now) return { ok: false as const, code: 'SLOT_TAKEN' as const };
    if ((st.boothLoad.get(req.boothId, now) as number) >= MAX_BOOKED_PER_BOOTH) return { ok: false as const, code: 'TOO_MANY_APPOINTMENTS' as const };
    // Several slots may start at this time (one series per agent): the first with room; if another transaction took its
    // last place in between (possible under PostgreSQL's READ COMMITTED), the next one.
    for (let attempt = 0; attempt < 5; attempt++) {
      const slot = st.candidate.get(req.organisation, req.startsAt, req.boothId) as { id: number; series_id: number; starts_at: number; ends_at: number } | undefined;
      if (!slot) return { ok: false as const, code: 'SLOT_TAKEN' as const };
      if (st.take.run(slot.id).changes !== 1) continue;
      const holder = (st.holder.get(slot.series_id, slot.id) as number | undefined) ?? null;
      const id = req.newId();
      st.insert.run(id, slot.id, req.organisation, req.boothId, holder, slot.starts_at, slot.ends_at, req.subject, req.note, req.note === null ? 0 : 1, now, now);
      return { ok: true as const, id };
    }
    return { ok: false as const, code: 'SLOT_TAKEN' as const };
  });

  return {
    book(req, now) {
      const r = bookTx.immediate(req, now);
      if (!r.ok) return r;
      const appointment = read(r.id);
      return appointment ? { ok: true, appointment } : { ok: false, code: 'SLOT_TAKEN' };
    },
    cancel(appointmentId, boothId, now) {
      return db.transaction(() => {
        const before = read(appointmentId);
        if (!before || st.cancel.run(now, appointmentId, boothId).changes !== 1) return null;
        st.release.run(before.slotId);
        return { ...before, status: 'cancelled' as const, note: null };
      }).immediate();
    },
    honour(appointmentId, now) {
      return st.honour.run(now, appointmentId).changes === 1;
    },
    sweep(now, graceMs) {
      return db.transaction(() => {
        const due = (st.due.all(now - graceMs) as AppointmentSql[]).map(toAppointment);
        const missed = due.filter((a) => st.miss.run(now, a.id).changes === 1).map((a) => ({ ...a, status: 'missed' as const, note: null }));
        const notesErased = st.erase.run(now).changes;
        return { missed, notesErased };
      }).immediate();
    },
    byId: read,
    forAgent(agentId, organisation, from, to) {
      return (st.forAgent.all(organisation, agentId, from, to) as AppointmentSql[]).map(toAppointment);
    },
    forBooth(boothId, from) {
      return (st.forBooth.all(boothId, from) as AppointmentSql[]).map(toAppointment);
    },
  };
}
