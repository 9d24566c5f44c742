// Visio appointments on the hub (issue 19): slots published by organisations' planners, booked from booths, honoured by
// the call at the time, and each agent's iCalendar feed. `createHubAppointments` composes them for server/hub.ts.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { HubFrame } from '../../shared/protocol.js';
import type { Conn } from '../connections/conn.js';
import type { Writes } from '../connections/writes.js';
import type { HubStore } from '../store.js';
import { createAppointmentFrames } from './frames.js';
import { createIcalRoute } from './ical.js';
import { createAppointmentService, DEFAULT_GRACE_MS } from './service.js';
import { createSqliteAppointmentStore } from './sqliteStore.js';

export { createSqliteAppointmentStore } from './sqliteStore.js';
export { createAppointmentService, DEFAULT_GRACE_MS } from './service.js';
export type { AppointmentStore, Appointment } from './store.js';

export interface HubAppointmentsDeps {
  hubStore: HubStore;
  clock: () => number;
  conns: () => Iterable<Conn>;
  writes: Pick<Writes, 'sendFrame' | 'sendError'>;
  graceMs?: number;
  log: Logger;
}

export function createHubAppointments({ hubStore, clock, conns, writes, graceMs = DEFAULT_GRACE_MS, log }: HubAppointmentsDeps) {
  const store = createSqliteAppointmentStore(hubStore.db);
  const service = createAppointmentService({ store, clock, newId: randomUUID, graceMs });
  // This node's sockets only: with several hub nodes these notices ride the bus (ARCHITECTURE.md), as presence will.
  const each = (match: (c: Conn) => boolean, frame: HubFrame): void => {
    for (const c of conns()) if (!c.closed && match(c)) writes.sendFrame(c, frame);
  };
  const organisationOf = (agentId: number): string | null => {
    const a = hubStore.agentById(agentId);
    return a && !a.revoked ? a.organisation : null;
  };
  const frames = createAppointmentFrames({
    service,
    store,
    clock,
    organisationOf: (conn) => organisationOf(conn.subjectId),
    sendFrame: writes.sendFrame,
    sendError: writes.sendError,
    toBooth: (boothId, frame) => each((c) => c.role === 'booth' && c.subjectId === boothId, frame),
    toAgents: (organisation, agentId, frame) =>
      each((c) => c.role === 'agent' && (agentId === null ? organisationOf(c.subjectId) === organisation : c.subjectId === agentId), frame),
    log,
  });
  const icalRoute = createIcalRoute({
    store,
    agentOf: (id) => {
      const a = hubStore.agentById(id);
      return a && !a.revoked ? { organisation: a.organisation, displayName: a.displayName } : null;
    },
    clock,
    log,
  });
  return { store, service, frames, icalRoute };
}
