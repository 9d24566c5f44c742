// Migration 0002: the print_jobs table on a fresh database.
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../electron/services/db/index.js';

describe('migration 0002-printing', () => {
  it('creates print_jobs with the columns of a job and no column able to hold a document', () => {
    const db = openDatabase(':memory:');
    const cols = db.prepare('PRAGMA table_info(print_jobs)').all() as Array<{ name: string; type: string }>;
    expect(cols.map((c) => c.name)).toEqual([
      'id',
      'cups_job_id',
      'printer',
      'title',
      'kind',
      'organisation',
      'pages',
      'copies',
      'duplex',
      'state',
      'state_reasons',
      'message',
      'created_at',
      'updated_at',
      'ended_at',
      'attempts',
    ]);
    expect(cols.some((c) => c.type === 'BLOB')).toBe(false);
    db.close();
  });

  it('finds the unfinished jobs through the index', () => {
    const db = openDatabase(':memory:');
    const plan = db.prepare('EXPLAIN QUERY PLAN SELECT * FROM print_jobs WHERE ended_at IS NULL ORDER BY id DESC LIMIT 50').all() as Array<{ detail: string }>;
    expect(plan.map((p) => p.detail).join(' ')).toContain('print_jobs_active');
    db.close();
  });
});
