// The SQLite migration runner both programs use (shared/node/migrations.ts), on its own.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { latestVersion, migrate, type Migration } from '../../../../shared/node/migrations.js';

const table = (version: number, name: string): Migration => ({ version, name, up: (db) => db.exec(`CREATE TABLE t${version} (x INTEGER)`) });
const newer = (found: number, latest: number): Error => new Error(`newer: ${found} > ${latest}`);

describe('the shared migration runner', () => {
  it('runs the migrations above user_version in order of version, whatever the order given', () => {
    const db = new Database(':memory:');
    const order: number[] = [];
    const traced = [table(3, 'c'), table(1, 'a'), table(2, 'b')].map((m) => ({ ...m, up: (d: Database.Database) => (order.push(m.version), m.up(d)) }));
    expect(migrate(db, traced.slice(1), newer)).toEqual({ from: 0, to: 2 });
    expect(migrate(db, traced, newer)).toEqual({ from: 2, to: 3 });
    expect(order).toEqual([1, 2, 3]);
    expect(db.pragma('user_version', { simple: true })).toBe(3);
    expect(latestVersion(traced)).toBe(3);
    db.close();
  });

  it('rolls back a failing migration with its user_version, keeping the ones before', () => {
    const db = new Database(':memory:');
    const broken: Migration = { version: 2, name: 'broken', up: (d) => d.exec('CREATE TABLE half (x INTEGER); SELECT * FROM missing') };
    expect(() => migrate(db, [table(1, 'a'), broken], newer)).toThrow();
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'half'").get()).toBeUndefined();
    db.close();
  });

  it("refuses a newer database with the caller's own error, before any migration runs", () => {
    const db = new Database(':memory:');
    db.pragma('user_version = 9');
    let ran = false;
    expect(() => migrate(db, [{ version: 1, name: 'a', up: () => (ran = true) }], newer)).toThrow('newer: 9 > 1');
    expect(ran).toBe(false);
    db.close();
  });
});
