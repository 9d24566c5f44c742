// The appointments' store over the hub's SQLite file: slots, bookings, and the two agent flags (planner, iCalendar secret).
import type { AppointmentRecord } from '../../shared/appointmentCounts.js';
import type { HubDb } from '../store.js';
import { BOOTH_CHOICES_SQL, toBoothChoice, type BoothChoiceSql } from './rows.js';
import { createSqliteBookings } from './sqliteBookings.js';
import { createSqliteSlots } from './sqliteSlots.js';
import type { SqliteAppointmentStore } from './store.js';

export function createSqliteAppointmentStore(db: HubDb): SqliteAppointmentStore {
  const planner = db.prepare('SELECT planner FROM agents WHERE id = ? AND revoked_at IS NULL').pluck();
  const byIcal = db.prepare('SELECT id FROM agents WHERE ical_hash = ? AND revoked_at IS NULL').pluck();
  return {
    ...createSqliteSlots(db),
    ...createSqliteBookings(db),
    isPlanner: (agentId) => planner.get(agentId) === 1,
    setPlanner: (agentId, on) => db.prepare('UPDATE agents SET planner = ? WHERE id = ?').run(on ? 1 : 0, agentId).changes === 1,
    setIcalHash: (agentId, hash) => db.prepare('UPDATE agents SET ical_hash = ? WHERE id = ?').run(hash, agentId).changes === 1,
    agentIdByIcalHash: (hash) => (byIcal.get(hash) as number | undefined) ?? null,
    agentIdsByLogin(organisation, logins) {
      const one = db.prepare('SELECT id FROM agents WHERE organisation = ? AND login = ? AND revoked_at IS NULL').pluck();
      const ids: number[] = [];
      for (const login of logins) {
        const id = one.get(organisation, login) as number | undefined;
        if (id === undefined) return null;
        if (!ids.includes(id)) ids.push(id);
      }
      return ids;
    },
    boothChoices() {
      return (db.prepare(BOOTH_CHOICES_SQL).all() as BoothChoiceSql[]).map(toBoothChoice);
    },
    records(start, end) {
      return db.prepare('SELECT id, organisation, starts_at AS startsAt, status, updated_at AS updatedAt FROM appointments WHERE starts_at >= ? AND starts_at < ?').all(start, end) as AppointmentRecord[];
    },
  };
}
