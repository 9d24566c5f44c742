// The organisations as the call engine sees them: read from the store, with their opening state cached per minute.
import { openingState } from '../shared/openingHours.js';
import type { OrganisationInfo } from './calls.js';
import type { HubStore, OrganisationRow } from './store.js';

export interface OrganisationDirectory {
  info(code: string, now: number): OrganisationInfo | null;
  all(now: number): OrganisationInfo[];
  /** Reads the organisations and their hours again (the periodic tick: they change rarely). */
  refresh(): void;
}

export function createOrganisationDirectory(store: Pick<HubStore, 'organisations'>): OrganisationDirectory {
  // Organisations and their hours change rarely: cached, refreshed with the presence tick.
  let organisations = store.organisations();
  // Opening hours have minute resolution and the Paris calendar arithmetic is costly: computed once per minute.
  let infoMinute = -1;
  let infoCache = new Map<string, OrganisationInfo>();
  const infoOf = (o: OrganisationRow, now: number): OrganisationInfo => {
    const minute = Math.floor(now / 60_000);
    if (minute !== infoMinute) {
      infoMinute = minute;
      infoCache = new Map();
    }
    let info = infoCache.get(o.code);
    if (!info) {
      const s = openingState(o.openingHours, now);
      info = { code: o.code, name: o.name, openNow: s.openNow, nextOpening: s.nextOpening, closesAt: s.closesAt };
      infoCache.set(o.code, info);
    }
    return info;
  };
  return {
    info(code, now) {
      const o = organisations.find((x) => x.code === code);
      return o ? infoOf(o, now) : null;
    },
    all: (now) => organisations.map((o) => infoOf(o, now)),
    refresh() {
      organisations = store.organisations();
      infoMinute = -1;
    },
  };
}
