import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HUB_MIGRATIONS } from '../../../../server/migrations/index.js';
import { WEEKDAY_HOURS, createHubStore, openHubDb } from '../../../../server/store.js';
import { latestVersion } from '../../../../shared/node/migrations.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('hub store: what was revoked since', () => {
  it('answers from indexes of revoked rows only, so the 5-second poll does not scan every booth and session', () => {
    const store = createHubStore(openHubDb(':memory:'));
    for (const table of ['booths', 'agents', 'sessions']) {
      const plan = store.db.prepare(`EXPLAIN QUERY PLAN SELECT * FROM ${table} WHERE revoked_at >= ?`).all(0) as Array<{ detail: string }>;
      expect(plan.map((p) => p.detail).join(' ')).toMatch(new RegExp(`SEARCH ${table} USING INDEX ${table}_revoked`));
    }
  });

  it('upgrades a database of the first schema and keeps its booths, then reports a booth revoked after a given time', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hub-store-'));
    dirs.push(dir);
    const file = path.join(dir, 'hub.sqlite');
    const first = createHubStore(openHubDb(file));
    first.seedOrganisations(WEEKDAY_HOURS);
    const kept = first.addBooth('Mairie de Saint-Privat', 1_000);
    const revoked = first.addBooth('Médiathèque', 1_000);
    first.db.close();
    // Back to the first schema, as a hub installed before this version left it.
    const raw = new Database(file);
    raw.exec('DROP INDEX booths_revoked; DROP INDEX agents_revoked; DROP INDEX sessions_revoked; PRAGMA user_version = 1;');
    raw.close();

    const store = createHubStore(openHubDb(file));
    expect(store.db.pragma('user_version', { simple: true })).toBe(latestVersion(HUB_MIGRATIONS));
    expect(store.boothByToken(kept.token)?.name).toBe('Mairie de Saint-Privat');
    store.revokeBooth(revoked.id, 5_000);
    expect(store.revokedSince(4_000).booths).toEqual([revoked.id]);
    expect(store.revokedSince(6_000).booths).toEqual([]);
    store.db.close();
  });
});
