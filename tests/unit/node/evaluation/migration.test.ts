import { describe, expect, it } from 'vitest';
import { migrate } from '../../../../electron/services/db/index.js';
import { migration0001 } from '../../../../electron/services/db/migrations/0001-foundation.js';
import { migration0003 } from '../../../../electron/services/db/migrations/0003-evaluation.js';
import Database from 'better-sqlite3';

describe('migration 0003 (evaluation)', () => {
  it('creates the evaluation tables on top of the foundation schema', () => {
    const db = new Database(':memory:');
    migrate(db, [migration0001, migration0003]);
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((t) => t.name);
    expect(tables).toEqual(expect.arrayContaining(['survey_responses', 'audits', 'incidents', 'daily_aggregates', 'sync_queue']));
    expect(db.pragma('user_version', { simple: true })).toBe(3);
  });

  it('refuses an incident category outside the closed list', () => {
    const db = new Database(':memory:');
    migrate(db, [migration0001, migration0003]);
    expect(() => db.prepare("INSERT INTO incidents (category, what, status, opened_at, last_seen_at) VALUES ('fire', 'x', 'open', 0, 0)").run()).toThrow(/CHECK/);
  });

  it('allows the same fault again once the previous incident is resolved', () => {
    const db = new Database(':memory:');
    migrate(db, [migration0001, migration0003]);
    const insert = db.prepare("INSERT INTO incidents (category, what, status, opened_at, fault_key, last_seen_at) VALUES ('other', 'x', ?, 0, 'k', 0)");
    insert.run('resolved');
    insert.run('resolved');
    insert.run('open');
    expect(() => insert.run('open')).toThrow(/UNIQUE/);
  });
});
