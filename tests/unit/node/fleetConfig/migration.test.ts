// Migration 0008 (the configuration's versions and each booth's state) on `:memory:`, and the effective version's query
// answered from the index on (target_booth, version), not a scan of every version.
import { describe, expect, it } from 'vitest';
import { createHubFleetConfig, createSqliteFleetConfigStore } from '../../../../server/fleetConfig/index.js';
import { createHubStore, openHubDb } from '../../../../server/store.js';
import pino from 'pino';
import { sampleConfig } from './sample.js';

describe('migration 0008', () => {
  it('creates the tables and an index the effective version’s look-up uses', () => {
    const db = openHubDb(':memory:');
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>).map((t) => t.name);
    expect(tables).toEqual(expect.arrayContaining(['fleet_config_versions', 'booth_config_state']));
    const plan = (
      db
        .prepare(
          `EXPLAIN QUERY PLAN SELECT * FROM fleet_config_versions WHERE version = (SELECT MAX(v) FROM (
             SELECT MAX(version) AS v FROM fleet_config_versions WHERE target_booth = 1
             UNION ALL SELECT MAX(version) FROM fleet_config_versions WHERE target_booth IS NULL))`,
        )
        .all() as Array<{ detail: string }>
    ).map((r) => r.detail);
    expect(plan.some((d) => d.includes('fleet_config_by_target'))).toBe(true);
    expect(plan.some((d) => /^SCAN fleet_config_versions$/.test(d))).toBe(false);
    db.close();
  });

  it('deletes a booth’s own versions and state with the booth, and never reuses a version number', async () => {
    const store = createHubStore(openHubDb(':memory:'));
    const booth = store.addBooth('Relais de Gramat', 1);
    const service = createHubFleetConfig({
      store: createSqliteFleetConfigStore(store.db),
      organisations: async () => store.organisations(),
      clock: () => 1,
      sendToBooth: () => false,
      connectedBooths: () => [],
      log: pino({ level: 'silent' }),
    });
    const mine = await service.publish({ target: booth.id, config: sampleConfig(), by: 'coord' });
    if (!mine.ok) throw new Error('published');
    service.applied(booth.id, mine.version);
    await service.settled();
    store.db.prepare('DELETE FROM booths WHERE id = ?').run(booth.id);
    expect(await service.versions()).toEqual([]);
    expect(store.db.prepare('SELECT COUNT(*) AS n FROM booth_config_state').get()).toEqual({ n: 0 });
    const next = await service.publish({ target: null, config: sampleConfig(), by: 'coord' });
    expect(next).toMatchObject({ ok: true, version: mine.version + 1 });
    store.db.close();
  });
});
