// The shared store over the one-machine hub's SQLite (server/store.ts): each answer is the synchronous store's, resolved.
import type { HubStore } from '../store.js';
import type { SharedHubStore } from './types.js';

export function sqliteSharedStore(store: HubStore): SharedHubStore {
  return {
    kind: 'sqlite',
    seedOrganisations: async (hours) => store.seedOrganisations(hours),
    organisations: async () => store.organisations(),
    setOpeningHours: async (code, hours) => store.setOpeningHours(code, hours),
    addBooth: async (name, now, demo) => store.addBooth(name, now, demo),
    boothByTokenHash: async (hash) => store.boothByTokenHash(hash),
    activeBooths: async () => store.activeBooths(),
    revokeBooth: async (id, now) => store.revokeBooth(id, now),
    boothExists: async (id) => store.boothExists(id),
    removeDemoBooths: async (name) => store.removeDemoBooths(name),
    listBooths: async () => store.listBooths(),
    addAgent: async (a, now) => store.addAgent(a, now),
    agentByLogin: async (login) => store.agentByLogin(login),
    agentById: async (id) => store.agentById(id),
    revokeAgent: async (id, now) => store.revokeAgent(id, now),
    restoreAgent: async (id, passwordHash) => store.restoreAgent(id, passwordHash),
    listAgents: async () => store.listAgents(),
    newSession: async (agentId, now, ttlMs) => store.newSession(agentId, now, ttlMs),
    agentBySession: async (token, now) => store.agentBySession(token, now),
    revokeSession: async (token, now) => store.revokeSession(token, now),
    revokedSince: async (since) => store.revokedSince(since),
    recordCall: async (c) => store.recordCall(c),
    calls: async (limit) => store.calls(limit),
    close: async () => {
      store.db.close();
    },
  };
}
