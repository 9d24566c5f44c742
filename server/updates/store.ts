// The releases, their files and rollout, and booths' update reports, in the hub's SQLite (migration 0009).
import type Database from 'better-sqlite3';
import type { Rollout, UpdateFailure, UpdateOutcome, UpdatePlatform, UpdateReport } from '../../shared/updates.js';

export interface ReleaseFile {
  platform: UpdatePlatform;
  name: string;
  size: number;
  /** base64, as electron-builder writes it in latest.yml. */
  sha512: string;
}

export interface Release {
  version: string;
  createdAt: number;
  files: ReleaseFile[];
  rollout: Rollout;
}

export interface BoothUpdateReport {
  version: string;
  outcome: UpdateOutcome;
  reason: UpdateFailure | null;
  at: number;
}

export interface UpdateStore {
  /** Registers a release (a new one starts with nobody in its rollout) and its file for a platform (replaced if present). */
  addReleaseFile(version: string, file: ReleaseFile, now: number): void;
  releases(): Release[];
  release(version: string): Release | null;
  /** false when there is no such release. */
  setRollout(version: string, rollout: Rollout, now: number): boolean;
  recordReport(boothId: number, report: UpdateReport, now: number): void;
  reports(): Map<number, BoothUpdateReport>;
}

const NEW_ROLLOUT: Rollout = { booths: [], percent: 0, all: false, paused: false };

type ReleaseSql = { version: string; created_at: number; rollout_booths: string; rollout_percent: number; rollout_all: number; paused: number };
type FileSql = { version: string; platform: UpdatePlatform; name: string; size: number; sha512: string };

function boothsOf(text: string): number[] {
  try {
    const v = JSON.parse(text) as unknown;
    return Array.isArray(v) ? v.filter((x): x is number => Number.isSafeInteger(x) && (x as number) > 0) : [];
  } catch {
    return [];
  }
}

export function createSqliteUpdateStore(db: Database.Database): UpdateStore {
  const st = {
    insertRelease: db.prepare(
      'INSERT INTO releases (version, created_at, rollout_booths, rollout_percent, rollout_all, paused, updated_at) VALUES (?, ?, ?, 0, 0, 0, ?) ON CONFLICT (version) DO NOTHING',
    ),
    upsertFile: db.prepare(
      'INSERT INTO release_files (version, platform, name, size, sha512) VALUES (?, ?, ?, ?, ?) ON CONFLICT (version, platform) DO UPDATE SET name = excluded.name, size = excluded.size, sha512 = excluded.sha512',
    ),
    releases: db.prepare<[], ReleaseSql>('SELECT version, created_at, rollout_booths, rollout_percent, rollout_all, paused FROM releases'),
    release: db.prepare<[string], ReleaseSql>('SELECT version, created_at, rollout_booths, rollout_percent, rollout_all, paused FROM releases WHERE version = ?'),
    files: db.prepare<[], FileSql>('SELECT version, platform, name, size, sha512 FROM release_files ORDER BY platform'),
    filesOf: db.prepare<[string], FileSql>('SELECT version, platform, name, size, sha512 FROM release_files WHERE version = ? ORDER BY platform'),
    setRollout: db.prepare('UPDATE releases SET rollout_booths = ?, rollout_percent = ?, rollout_all = ?, paused = ?, updated_at = ? WHERE version = ?'),
    upsertReport: db.prepare(
      'INSERT INTO booth_updates (booth_id, version, outcome, reason, at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (booth_id) DO UPDATE SET version = excluded.version, outcome = excluded.outcome, reason = excluded.reason, at = excluded.at',
    ),
    reports: db.prepare<[], { booth_id: number; version: string; outcome: UpdateOutcome; reason: UpdateFailure | null; at: number }>(
      'SELECT booth_id, version, outcome, reason, at FROM booth_updates',
    ),
  };
  const toFile = (f: FileSql): ReleaseFile => ({ platform: f.platform, name: f.name, size: f.size, sha512: f.sha512 });
  const toRelease = (r: ReleaseSql, files: ReleaseFile[]): Release => ({
    version: r.version,
    createdAt: r.created_at,
    files,
    rollout: { booths: boothsOf(r.rollout_booths), percent: r.rollout_percent, all: r.rollout_all === 1, paused: r.paused === 1 },
  });
  const addReleaseFile = db.transaction((version: string, file: ReleaseFile, now: number) => {
    st.insertRelease.run(version, now, JSON.stringify(NEW_ROLLOUT.booths), now);
    st.upsertFile.run(version, file.platform, file.name, file.size, file.sha512);
  });
  return {
    addReleaseFile: (version, file, now) => addReleaseFile(version, file, now),
    releases() {
      const byVersion = new Map<string, ReleaseFile[]>();
      for (const f of st.files.all()) {
        const list = byVersion.get(f.version) ?? [];
        list.push(toFile(f));
        byVersion.set(f.version, list);
      }
      return st.releases.all().map((r) => toRelease(r, byVersion.get(r.version) ?? []));
    },
    release(version) {
      const r = st.release.get(version);
      return r ? toRelease(r, st.filesOf.all(version).map(toFile)) : null;
    },
    setRollout(version, rollout, now) {
      const booths = [...new Set(rollout.booths)].sort((a, b) => a - b);
      return st.setRollout.run(JSON.stringify(booths), rollout.percent, rollout.all ? 1 : 0, rollout.paused ? 1 : 0, now, version).changes > 0;
    },
    recordReport(boothId, report, now) {
      st.upsertReport.run(boothId, report.version, report.outcome, report.reason, now);
    },
    reports() {
      return new Map(st.reports.all().map((r) => [r.booth_id, { version: r.version, outcome: r.outcome, reason: r.reason, at: r.at }]));
    },
  };
}
