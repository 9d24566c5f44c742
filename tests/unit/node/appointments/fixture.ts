// A hub database for the appointments' tests: organisations, booths, agents, and the service at a clock the test moves.
import { randomUUID } from 'node:crypto';
import { createAppointmentService } from '../../../../server/appointments/service.js';
import { createSqliteAppointmentStore } from '../../../../server/appointments/sqliteStore.js';
import { WEEKDAY_HOURS, createHubStore, openHubDb } from '../../../../server/store.js';

/** Monday 1 June 2026, 08:00 in Paris. */
export const MONDAY_8H = Date.UTC(2026, 5, 1, 6);

export function appointmentsFixture(file = ':memory:', booths = 3) {
  const hub = createHubStore(openHubDb(file));
  hub.seedOrganisations(WEEKDAY_HOURS);
  const boothIds = Array.from({ length: booths }, (_, i) => hub.addBooth(`Mairie ${i + 1}`, MONDAY_8H).id);
  const agentIds = ['c.martin', 'p.durand', 'l.petit'].map((login) => hub.addAgent({ organisation: 'CAF', login, displayName: login, passwordHash: 'x' }, MONDAY_8H));
  const store = createSqliteAppointmentStore(hub.db);
  const clock = { now: MONDAY_8H };
  const service = createAppointmentService({ store, clock: () => clock.now, newId: randomUUID });
  return { hub, store, service, clock, boothIds, agentIds };
}
