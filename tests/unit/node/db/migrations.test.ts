import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASE_ERROR_TEXTS, DatabaseError, latestVersion, migrate, openDatabase, type Migration } from '../../../../electron/services/db/index.js';
import { MIGRATIONS } from '../../../../electron/services/db/migrations/index.js';
import { tempDir } from '../services/support.js';

const tables = (db: Database.Database): string[] =>
  (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);

const fakeExtra: Migration = {
  version: latestVersion() + 1,
  name: 'test-extra',
  up(db) {
    db.exec('CREATE TABLE extra (id INTEGER PRIMARY KEY, note TEXT NOT NULL) STRICT');
  },
};

describe('kiosk database', () => {
  const temps: { cleanup(): void }[] = [];
  const tmp = (): string => {
    const t = tempDir('relais-db-');
    temps.push(t);
    return t.dir;
  };
  afterEach(() => {
    for (const t of temps.splice(0)) t.cleanup();
  });

  it('creates a fresh database at the latest version with the foundation tables', () => {
    const db = openDatabase(':memory:');
    expect(db.pragma('user_version', { simple: true })).toBe(latestVersion());
    expect(tables(db)).toEqual(
      expect.arrayContaining(['settings', 'organisations', 'mediators', 'pin_lockout', 'visits', 'visit_audit', 'mediator_calls']),
    );
    db.close();
  });

  it('opens a file database in WAL mode with synchronous FULL', () => {
    const file = path.join(tmp(), 'k.sqlite');
    const db = openDatabase(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    db.close();
  });

  it('upgrades a database at version N by running only the newer migration, keeping its data', () => {
    const file = path.join(tmp(), 'k.sqlite');
    const v1 = openDatabase(file);
    v1.prepare("INSERT INTO settings (key, value) VALUES ('site.name', 'Figeac')").run();
    v1.close();

    const upgraded = openDatabase(file, { migrations: [...MIGRATIONS, fakeExtra] });
    expect(upgraded.pragma('user_version', { simple: true })).toBe(fakeExtra.version);
    expect(tables(upgraded)).toContain('extra');
    expect(upgraded.prepare("SELECT value FROM settings WHERE key = 'site.name'").get()).toEqual({ value: 'Figeac' });
    upgraded.close();
  });

  it('rolls back a failing migration entirely and leaves user_version where it was', () => {
    const db = openDatabase(':memory:');
    const broken: Migration = {
      version: latestVersion() + 1,
      name: 'broken',
      up(d) {
        d.exec('CREATE TABLE half_done (id INTEGER)');
        d.exec('THIS IS NOT SQL');
      },
    };
    expect(() => migrate(db, [...MIGRATIONS, broken])).toThrow();
    expect(db.pragma('user_version', { simple: true })).toBe(latestVersion());
    expect(tables(db)).not.toContain('half_done');
    db.close();
  });

  it('refuses a database from a newer version with a French message and leaves the file unchanged', () => {
    const file = path.join(tmp(), 'future.sqlite');
    const future = new Database(file);
    future.exec('CREATE TABLE t (x INTEGER)');
    future.pragma(`user_version = ${latestVersion() + 5}`);
    future.close();
    const before = readFileSync(file);

    let caught: unknown;
    try {
      openDatabase(file);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(DatabaseError);
    expect((caught as DatabaseError).code).toBe('DB_FROM_NEWER_VERSION');
    expect((caught as DatabaseError).message).toMatch(/version plus récente/);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('reports a file of garbage bytes as DB_CORRUPT and never overwrites it', () => {
    const file = path.join(tmp(), 'garbage.sqlite');
    const garbage = Buffer.alloc(8192);
    for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 131 + 7) % 251;
    writeFileSync(file, garbage);

    let caught: unknown;
    try {
      openDatabase(file);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(DatabaseError);
    expect((caught as DatabaseError).code).toBe('DB_CORRUPT');
    expect((caught as DatabaseError).message).toMatch(/endommagée/);
    expect(readFileSync(file).equals(garbage)).toBe(true);
  });

  it('reports a database whose pages are damaged as DB_CORRUPT', () => {
    const file = path.join(tmp(), 'damaged.sqlite');
    const db = openDatabase(file);
    const insert = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?)');
    db.transaction(() => {
      for (let i = 0; i < 2000; i++) insert.run(`k${i}`, 'x'.repeat(100));
    })();
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.pragma('journal_mode = DELETE');
    db.close();
    const bytes = readFileSync(file);
    // Scribble over the middle pages, keeping the header valid.
    for (let i = 8192; i < 8192 + 16384 && i < bytes.length; i++) bytes[i] = 0xa5;
    writeFileSync(file, bytes);

    expect(() => openDatabase(file)).toThrow(expect.objectContaining({ code: 'DB_CORRUPT' }));
    expect(readFileSync(file).equals(bytes)).toBe(true);
  });

  it('reports a file that cannot be opened as DB_UNREADABLE', () => {
    expect(() => openDatabase(path.join(tmp(), 'no', 'such', 'dir', 'k.sqlite'))).toThrow(expect.objectContaining({ code: 'DB_UNREADABLE' }));
  });

  it('has a French and an English screen text for every refusal code', () => {
    for (const code of ['DB_FROM_NEWER_VERSION', 'DB_CORRUPT', 'DB_UNREADABLE'] as const) {
      expect(DATABASE_ERROR_TEXTS[code].fr.length).toBeGreaterThan(20);
      expect(DATABASE_ERROR_TEXTS[code].en.length).toBeGreaterThan(20);
    }
  });
});
