// The releases, their files and rollout, and booths' update reports. Asynchronous: the SQLite file of one machine
// (migration 0009, below) or PostgreSQL shared by the nodes of a hub across machines
// (server/sharedStore/postgresUpdates.ts). The files' bytes are kept apart, by a `ReleaseFiles` (files.ts).
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
  addReleaseFile(version: string, file: ReleaseFile, now: number): Promise<void>;
  /** Every release with its files (by platform), in no particular order (rollout.ts's `newestFirst` sorts them). */
  releases(): Promise<Release[]>;
  release(version: string): Promise<Release | null>;
  /** false when there is no such release. The chosen booths are kept once each, in increasing order. */
  setRollout(version: string, rollout: Rollout, now: number): Promise<boolean>;
  /** A booth's last report replaces its previous one. */
  recordReport(boothId: number, report: UpdateReport, now: number): Promise<void>;
  /** Each booth's last report (removed with the booth). */
  reports(): Promise<Map<number, BoothUpdateReport>>;
  /** One booth's last report, null when it sent none. */
  report(boothId: number): Promise<BoothUpdateReport | null>;
}

export const NEW_ROLLOUT: Rollout = { booths: [], percent: 0, all: false, paused: false };

/** A release row as both stores read it (SQLite's flags are 0/1, PostgreSQL's booleans). */
export type ReleaseSql = { version: string; created_at: number; rollout_booths: string; rollout_percent: number; rollout_all: number | boolean; paused: number | boolean };
export type FileSql = { version: string; platform: UpdatePlatform; name: string; size: number; sha512: string };
export type ReportSql = { booth_id: number; version: string; outcome: UpdateOutcome; reason: UpdateFailure | null; at: number };

/** The chosen booths as stored: each once, in increasing order. */
export const rolloutBooths = (rollout: Rollout): number[] => [...new Set(rollout.booths)].sort((a, b) => a - b);

/** Parses what the database holds defensively: a row edited by hand gives no booth, not a crash. */
function boothsOf(text: string): number[] {
  try {
    const v = JSON.parse(text) as unknown;
    return Array.isArray(v) ? v.filter((x): x is number => Number.isSafeInteger(x) && (x as number) > 0) : [];
  } catch {
    return [];
  }
}

export const toFile = (f: FileSql): ReleaseFile => ({ platform: f.platform, name: f.name, size: f.size, sha512: f.sha512 });
export const toRelease = (r: ReleaseSql, files: ReleaseFile[]): Release => ({
  version: r.version,
  createdAt: r.created_at,
  files,
  rollout: { booths: boothsOf(r.rollout_booths), percent: r.rollout_percent, all: r.rollout_all === 1 || r.rollout_all === true, paused: r.paused === 1 || r.paused === true },
});
export const toReport = (r: ReportSql): BoothUpdateReport => ({ version: r.version, outcome: r.outcome, reason: r.reason, at: r.at });
export const toReports = (rows: readonly ReportSql[]): Map<number, BoothUpdateReport> => new Map(rows.map((r) => [r.booth_id, toReport(r)]));

/** Releases with their files, from all the release rows and all the file rows. */
export function releasesOf(releases: readonly ReleaseSql[], files: readonly FileSql[]): Release[] {
  const byVersion = new Map<string, ReleaseFile[]>();
  for (const f of files) {
    const list = byVersion.get(f.version) ?? [];
    list.push(toFile(f));
    byVersion.set(f.version, list);
  }
  return releases.map((r) => toRelease(r, byVersion.get(r.version) ?? []));
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
    reports: db.prepare<[], ReportSql>('SELECT booth_id, version, outcome, reason, at FROM booth_updates'),
    report: db.prepare<[number], ReportSql>('SELECT booth_id, version, outcome, reason, at FROM booth_updates WHERE booth_id = ?'),
  };
  const addReleaseFile = db.transaction((version: string, file: ReleaseFile, now: number) => {
    st.insertRelease.run(version, now, JSON.stringify(NEW_ROLLOUT.booths), now);
    st.upsertFile.run(version, file.platform, file.name, file.size, file.sha512);
  });
  // better-sqlite3 answers at once; the promises only give the interface's shape (a throw becomes a rejection).
  return {
    async addReleaseFile(version, file, now) {
      addReleaseFile(version, file, now);
    },
    releases: async () => releasesOf(st.releases.all(), st.files.all()),
    async release(version) {
      const r = st.release.get(version);
      return r ? toRelease(r, st.filesOf.all(version).map(toFile)) : null;
    },
    setRollout: async (version, rollout, now) =>
      st.setRollout.run(JSON.stringify(rolloutBooths(rollout)), rollout.percent, rollout.all ? 1 : 0, rollout.paused ? 1 : 0, now, version).changes > 0,
    async recordReport(boothId, report, now) {
      st.upsertReport.run(boothId, report.version, report.outcome, report.reason, now);
    },
    reports: async () => toReports(st.reports.all()),
    async report(boothId) {
      const r = st.report.get(boothId);
      return r ? toReport(r) : null;
    },
  };
}
