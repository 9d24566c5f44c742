// Migration 0009 on `:memory:`: its tables after the earlier ones, run again harmlessly, a report removed with its booth,
// and the feed's lookups by primary key (EXPLAIN QUERY PLAN).
import { describe, expect, it } from 'vitest';
import { HUB_MIGRATIONS } from '../../../../server/migrations/index.js';
import { migration0009 } from '../../../../server/migrations/0009-updates.js';
import { createSqliteUpdateStore } from '../../../../server/updates/index.js';
import { createHubStore, openHubDb } from '../../../../server/store.js';

describe('migration 0009 (updates)', () => {
  it('creates releases, release_files and booth_updates in the numbered sequence, and may run twice', () => {
    const versions = HUB_MIGRATIONS.map((m) => m.version);
    expect(versions).toEqual(versions.map((_, i) => i + 1));
    expect(versions).toContain(9);
    const store = createHubStore(openHubDb(':memory:'));
    const tables = (store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>).map((t) => t.name);
    expect(tables).toEqual(expect.arrayContaining(['releases', 'release_files', 'booth_updates']));
    expect(() => migration0009.up(store.db)).not.toThrow();
    store.db.close();
  });

  it('keeps a report per booth, removed with the booth; the release lookups use their primary keys', async () => {
    const store = createHubStore(openHubDb(':memory:'));
    const updates = createSqliteUpdateStore(store.db);
    const { id } = store.addBooth('Relais de Gramat', 1);
    await updates.addReleaseFile('1.1.0', { platform: 'linux', name: 'Relais-1.1.0.AppImage', size: 10, sha512: 'x' }, 1);
    await updates.recordReport(id, { version: '1.1.0', outcome: 'downloaded', reason: null }, 2);
    await updates.recordReport(id, { version: '1.1.0', outcome: 'updated', reason: null }, 3);
    expect(await updates.report(id)).toEqual({ version: '1.1.0', outcome: 'updated', reason: null, at: 3 });
    expect((await updates.reports()).get(id)).toEqual({ version: '1.1.0', outcome: 'updated', reason: null, at: 3 });
    const plan = (sql: string) => (store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all('1.1.0') as Array<{ detail: string }>).map((r) => r.detail).join(' | ');
    expect(plan('SELECT * FROM releases WHERE version = ?')).toMatch(/USING INDEX sqlite_autoindex_releases_1/);
    expect(plan('SELECT * FROM release_files WHERE version = ?')).toMatch(/USING INDEX sqlite_autoindex_release_files_1/);
    store.db.pragma('foreign_keys = ON');
    store.db.prepare('DELETE FROM booths WHERE id = ?').run(id);
    expect((await updates.reports()).size).toBe(0);
    expect(await updates.setRollout('9.9.9', { booths: [], percent: 0, all: true, paused: false }, 4)).toBe(false);
    store.db.close();
  });
});
