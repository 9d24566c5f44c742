// The hub's numbered migrations (server/migrations/) over databases left by hubs from before them.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dashboard, storeWeek } from '../../../../server/aggregates/index.js';
import { createCoordinatorStore } from '../../../../server/coordinator/index.js';
import { HUB_MIGRATIONS } from '../../../../server/migrations/index.js';
import { createHubStore, openHubDb, sha256 } from '../../../../server/store.js';
import { latestVersion } from '../../../../shared/node/migrations.js';
import { HUB_SCHEMA_BEFORE_NUMBERED_MIGRATIONS, SCHEMA_VERSION_BEFORE } from './fixtures/hubSchemaBeforeNumberedMigrations.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempFile(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'hub-migrations-'));
  dirs.push(dir);
  return path.join(dir, 'hub.sqlite');
}

const TABLES = ['organisations', 'booths', 'agents', 'sessions', 'calls', 'aggregate_sites', 'aggregate_weeks', 'aggregate_counts', 'aggregate_department_weeks', 'coordinators', 'coordinator_sessions'];
const NOW = Date.UTC(2026, 2, 10, 9);

/** A hub database as the previous code left it after a start: schema 2, and the tables created beside it. */
function databaseOfBefore(file: string, { withStartTables = true } = {}): void {
  const raw = new Database(file);
  raw.pragma('journal_mode = WAL');
  const [first, second, aggregates, coordinators] = HUB_SCHEMA_BEFORE_NUMBERED_MIGRATIONS as [string, string, string, string];
  raw.exec(first);
  raw.exec(second);
  raw.pragma(`user_version = ${SCHEMA_VERSION_BEFORE}`);
  raw.prepare('INSERT INTO organisations (code, name, position, opening_hours) VALUES (?, ?, ?, ?)').run('CAF', "Caisse d'allocations familiales", 0, '[]');
  raw.prepare('INSERT INTO booths (id, name, token_hash, demo, created_at) VALUES (1, ?, ?, 0, ?)').run('Mairie de Saint-Privat', sha256('rb_kept'), NOW);
  raw.prepare('INSERT INTO agents (id, organisation, login, password_hash, display_name, demo, created_at) VALUES (1, ?, ?, ?, ?, 0, ?)').run('CAF', 'c.martin', 'scrypt$x', 'Claire Martin', NOW);
  raw.prepare('INSERT INTO sessions (token_hash, agent_id, created_at, expires_at) VALUES (?, 1, ?, ?)').run(sha256('rs_kept'), NOW, NOW + 3_600_000);
  raw.prepare("INSERT INTO calls (id, organisation, booth_id, agent_id, queued_at, answered_at, ended_at, outcome, reason) VALUES ('call-1', 'CAF', 1, 1, ?, ?, ?, 'answered', 'hangup')").run(NOW, NOW + 5_000, NOW + 60_000);
  if (withStartTables) {
    raw.exec(aggregates);
    raw.exec(coordinators);
    raw.prepare("INSERT INTO aggregate_sites (site_id, site_name, last_received_at) VALUES ('booth-0001', 'Mairie de Saint-Privat', ?)").run(NOW);
    raw.prepare("INSERT INTO aggregate_weeks (site_id, week_key, hash, total, received_at) VALUES ('booth-0001', 202610, 'h1', 7, ?)").run(NOW);
    raw.prepare("INSERT INTO aggregate_counts (site_id, week_key, organisation, service, count) VALUES ('booth-0001', 202610, 'CAF', 'info', 7)").run();
    raw.prepare("INSERT INTO aggregate_department_weeks (week_key, organisation, service, count) VALUES (202610, 'CAF', 'info', 7)").run();
    raw.prepare("INSERT INTO coordinators (id, login, password_hash, created_at) VALUES (1, 'coord.lot', 'scrypt$y', ?)").run(NOW);
    raw.prepare('INSERT INTO coordinator_sessions (token_hash, coordinator_id, created_at, expires_at) VALUES (?, 1, ?, ?)').run(sha256('rc_kept'), NOW, NOW + 3_600_000);
  }
  raw.close();
}

/** Every row of each table, in a stable order (some tables have no rowid). */
const columnsOf = (db: Database.Database, tables: readonly string[]): Record<string, string> =>
  Object.fromEntries(tables.map((t) => [t, (db.prepare(`PRAGMA table_info(${t})`).all() as Array<{ name: string }>).map((c) => `"${c.name}"`).join(', ')]));
/** Every row of these tables, read with the given columns (later migrations may add columns with defaults) or all. */
const rowsOf = (db: Database.Database, tables: readonly string[], columns: Record<string, string> = columnsOf(db, tables)): Record<string, string[]> =>
  Object.fromEntries(tables.map((t) => [t, db.prepare(`SELECT ${columns[t] ?? '*'} FROM ${t}`).all().map((r) => JSON.stringify(r)).sort()]));
/** The schema as SQLite keeps it, whitespace aside (it drops `IF NOT EXISTS` itself). */
const schemaOf = (db: Database.Database): string[] =>
  (db.prepare("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name").all() as Array<{ type: string; name: string; sql: string }>).map(
    (r) => `${r.type} ${r.name}: ${r.sql.replace(/--[^\n]*/g, '').replace(/\s+/g, ' ').trim()}`,
  );

describe('hub migrations', () => {
  it('opens a database left by the previous hub at the latest version, every row of every table kept', () => {
    const file = tempFile();
    databaseOfBefore(file);
    const before = new Database(file, { readonly: true });
    const rowsBefore = rowsOf(before, TABLES);
    const columnsBefore = columnsOf(before, TABLES);
    before.close();

    const store = createHubStore(openHubDb(file));
    expect(store.db.pragma('user_version', { simple: true })).toBe(latestVersion(HUB_MIGRATIONS));
    expect(latestVersion(HUB_MIGRATIONS)).toBeGreaterThan(SCHEMA_VERSION_BEFORE);
    expect(rowsOf(store.db, TABLES, columnsBefore)).toEqual(rowsBefore);
    expect(store.db.prepare('SELECT planner, ical_hash FROM agents').all()).toEqual([{ planner: 0, ical_hash: null }]);
    expect(Object.values(rowsBefore).every((rows) => rows.length > 0)).toBe(true);
    expect(store.boothByToken('rb_kept')?.name).toBe('Mairie de Saint-Privat');
    expect(store.agentBySession('rs_kept', NOW)?.login).toBe('c.martin');
    expect(store.calls().map((c) => c.id)).toEqual(['call-1']);
    expect(createCoordinatorStore(store.db).bySession('rc_kept', NOW)?.login).toBe('coord.lot');
    expect(dashboard(store.db, { fromWeek: '2026-W10', toWeek: '2026-W10' }).total).toBe(7);
    store.db.close();
  });

  it('gives a database the CLI made before any hub start (schema 2 only) the aggregate and coordinator tables', () => {
    const file = tempFile();
    databaseOfBefore(file, { withStartTables: false });
    const store = createHubStore(openHubDb(file));
    expect(store.db.pragma('user_version', { simple: true })).toBe(latestVersion(HUB_MIGRATIONS));
    const payload = { siteId: 'booth-0001', week: '2026-W10', hash: 'a'.repeat(16), counts: [{ organisation: 'CAF', service: 'info', count: 3 }] };
    expect(storeWeek(store.db, 'booth-0001', 'Mairie', payload, NOW).ok).toBe(true);
    expect(createCoordinatorStore(store.db).add('coord.lot', 'scrypt$y', NOW)).toBe(1);
    store.db.close();
  });

  it('makes the same schema for a new database as for an upgraded one', () => {
    const upgraded = tempFile();
    databaseOfBefore(upgraded);
    const a = openHubDb(upgraded);
    const b = openHubDb(':memory:');
    expect(schemaOf(a)).toEqual(schemaOf(b));
    expect(schemaOf(b).length).toBeGreaterThan(TABLES.length);
    a.close();
    b.close();
  });

  it('refuses a database from a newer hub and leaves it as it was', () => {
    const file = tempFile();
    databaseOfBefore(file);
    const raw = new Database(file);
    raw.pragma(`user_version = ${latestVersion(HUB_MIGRATIONS) + 3}`);
    raw.close();
    expect(() => openHubDb(file)).toThrow(/version plus récente/);
    const after = new Database(file, { readonly: true });
    expect(after.pragma('user_version', { simple: true })).toBe(latestVersion(HUB_MIGRATIONS) + 3);
    expect(after.prepare("SELECT name FROM sqlite_master WHERE name = 'aggregate_sites'").get()).toBeDefined();
    after.close();
  });
});
