import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../electron/services/db/index.js';
import { tempDir } from '../services/support.js';

const CHILD = path.join(import.meta.dirname, 'record-loop.ts');
const KILLS = 5;

/** Runs the recording child until it has acknowledged `stopAfter` visits, then SIGKILLs it; returns the acknowledged ids. */
function recordThenKill(dbFile: string, stopAfter: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dbFile, String(stopAfter + 2000)], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acked: number[] = [];
    let buffer = '';
    let stderr = '';
    let killed = false;
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) if (/^\d+$/.test(line)) acked.push(Number(line));
      if (!killed && acked.length >= stopAfter) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      if (signal === 'SIGKILL') resolve(acked);
      else reject(new Error(`child ended without being killed (${String(signal)}): ${stderr.slice(0, 500)}`));
    });
  });
}

describe('visitor log under kill -9', () => {
  const tmp = tempDir('relais-crash-');
  afterAll(() => tmp.cleanup());

  it('keeps every acknowledged visit and an intact database after repeated SIGKILLs during recording', async () => {
    const dbFile = path.join(tmp.dir, 'relais.sqlite');
    const acknowledged: number[] = [];
    for (let i = 0; i < KILLS; i++) {
      const stopAfter = 20 + Math.floor(Math.random() * 281);
      const ids = await recordThenKill(dbFile, stopAfter);
      expect(ids.length).toBeGreaterThanOrEqual(stopAfter);
      acknowledged.push(...ids);
    }
    const db = openDatabase(dbFile);
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const stored = new Set((db.prepare('SELECT id FROM visits').all() as { id: number }[]).map((r) => r.id));
      const lost = acknowledged.filter((id) => !stored.has(id));
      expect(lost).toEqual([]);
      const audited = db.prepare("SELECT COUNT(*) AS n FROM visits v WHERE NOT EXISTS (SELECT 1 FROM visit_audit a WHERE a.visit_id = v.id AND a.action = 'create')").get();
      expect(audited).toEqual({ n: 0 });
      console.info(`crash test: ${KILLS} kills, ${acknowledged.length} acknowledged, ${stored.size} stored`);
    } finally {
      db.close();
    }
  }, 60_000);
});
