// The demo hub's accounts: one agent per organisation (`demo-caf`, …) and a demo booth.
import { randomBytes } from 'node:crypto';
import { hashPassword } from './auth.js';
import type { HubStore } from './store.js';

export interface DemoAccounts {
  boothToken: string;
  agents: Array<{ organisation: string; login: string; password: string }>;
  consoleUrl: string;
}

const DEMO_LOGIN = (org: string): string => `demo-${org.toLowerCase()}`;
const DEMO_BOOTH_NAME = 'Borne de démonstration';

/** Passwords and token are new at each start: a demo agent of a previous start gets the new password back. */
export async function seedDemo(store: HubStore, now: number, httpUrl: string): Promise<DemoAccounts> {
  const password = `demo-${randomBytes(4).toString('hex')}`;
  const passwordHash = await hashPassword(password);
  const agents: DemoAccounts['agents'] = [];
  for (const o of store.organisations()) {
    const login = DEMO_LOGIN(o.code);
    const existing = store.agentByLogin(login);
    if (existing) store.restoreAgent(existing.id, passwordHash);
    else store.addAgent({ organisation: o.code, login, displayName: `Conseiller ${o.code} (démo)`, passwordHash, demo: true }, now);
    agents.push({ organisation: o.code, login, password });
  }
  store.removeDemoBooths(DEMO_BOOTH_NAME);
  const booth = store.addBooth(DEMO_BOOTH_NAME, now, true);
  return { boothToken: booth.token, agents, consoleUrl: `${httpUrl}/` };
}
