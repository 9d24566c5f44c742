// Kiosk updates on PostgreSQL, for the nodes of a hub across machines: the SQLite update store's answers
// (server/updates/store.ts) and the release files themselves (server/updates/files.ts's `ReleaseFiles`), over the pool
// of the shared store, whose migration 0006 made the tables. The nodes share no filesystem: an installer is kept in
// chunks of bytea, written in one transaction, and a download reads only the chunks its range covers, one at a time.
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type pg from 'pg';
import { checkReleaseFile, isReleaseFile, measured, notFound, ReleaseFileError, sendRange, type ReleaseFiles } from '../updates/files.js';
import { NEW_ROLLOUT, releasesOf, rolloutBooths, toFile, toRelease, toReport, toReports, type FileSql, type ReleaseSql, type ReportSql, type UpdateStore } from '../updates/store.js';
import { inTransaction } from './pgTransaction.js';

/** A booth id PostgreSQL's BIGINT holds: anything else is no booth (and is not sent to the server). */
const isId = (id: number): boolean => Number.isSafeInteger(id);
/** TEXT cannot hold NUL (the server refuses it as a parameter): such a version is no release's, found nowhere. */
const storable = (s: string): boolean => !s.includes('\0');

const RELEASE_COLUMNS = 'version, created_at, rollout_booths, rollout_percent, rollout_all, paused';
const FILE_COLUMNS = 'version, platform, name, size, sha512';

export function postgresUpdateStore(pool: pg.Pool): UpdateStore {
  return {
    async addReleaseFile(version, file, now) {
      if (!storable(version) || !storable(file.name) || !storable(file.platform) || !storable(file.sha512)) throw new Error('a release cannot hold NUL');
      await inTransaction(pool, async (client) => {
        await client.query(
          'INSERT INTO releases (version, created_at, rollout_booths, rollout_percent, rollout_all, paused, updated_at) VALUES ($1, $2, $3, 0, FALSE, FALSE, $2) ON CONFLICT (version) DO NOTHING',
          [version, now, JSON.stringify(NEW_ROLLOUT.booths)],
        );
        await client.query(
          `INSERT INTO release_files (version, platform, name, size, sha512) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (version, platform) DO UPDATE SET name = EXCLUDED.name, size = EXCLUDED.size, sha512 = EXCLUDED.sha512`,
          [version, file.platform, file.name, file.size, file.sha512],
        );
      });
    },
    async releases() {
      // Byte order, as SQLite's BINARY collation: the same files' order whatever the database's locale.
      const [releases, files] = await Promise.all([
        pool.query<ReleaseSql>(`SELECT ${RELEASE_COLUMNS} FROM releases`),
        pool.query<FileSql>(`SELECT ${FILE_COLUMNS} FROM release_files ORDER BY platform COLLATE "C"`),
      ]);
      return releasesOf(releases.rows, files.rows.map(sized));
    },
    async release(version) {
      if (!storable(version)) return null;
      const [release, files] = await Promise.all([
        pool.query<ReleaseSql>(`SELECT ${RELEASE_COLUMNS} FROM releases WHERE version = $1`, [version]),
        pool.query<FileSql>(`SELECT ${FILE_COLUMNS} FROM release_files WHERE version = $1 ORDER BY platform COLLATE "C"`, [version]),
      ]);
      const [row] = release.rows;
      return row ? toRelease(row, files.rows.map(sized).map(toFile)) : null;
    },
    async setRollout(version, rollout, now) {
      if (!storable(version)) return false;
      const { rowCount } = await pool.query(
        'UPDATE releases SET rollout_booths = $1, rollout_percent = $2, rollout_all = $3, paused = $4, updated_at = $5 WHERE version = $6',
        [JSON.stringify(rolloutBooths(rollout)), rollout.percent, rollout.all, rollout.paused, now, version],
      );
      return (rowCount ?? 0) > 0;
    },
    async recordReport(boothId, report, now) {
      if (!isId(boothId)) return;
      // A booth deleted meanwhile has no report to keep (SQLite's foreign key would refuse it too).
      await pool.query(
        `INSERT INTO booth_updates (booth_id, version, outcome, reason, at) SELECT $1, $2, $3, $4, $5 WHERE EXISTS (SELECT 1 FROM booths WHERE id = $1)
         ON CONFLICT (booth_id) DO UPDATE SET version = EXCLUDED.version, outcome = EXCLUDED.outcome, reason = EXCLUDED.reason, at = EXCLUDED.at`,
        [boothId, report.version.replaceAll('\0', ''), report.outcome, report.reason, now],
      );
    },
    async reports() {
      return toReports((await pool.query<ReportSql>('SELECT booth_id, version, outcome, reason, at FROM booth_updates')).rows);
    },
    async report(boothId) {
      if (!isId(boothId)) return null;
      const [row] = (await pool.query<ReportSql>('SELECT booth_id, version, outcome, reason, at FROM booth_updates WHERE booth_id = $1', [boothId])).rows;
      return row ? toReport(row) : null;
    },
  };
}

/** BIGINT comes back as a number from the shared store's pool, as a string from a plain one: a number either way. */
const sized = (f: FileSql): FileSql => ({ ...f, size: Number(f.size) });

/** 1 MiB: a 150 MB installer is 150 rows; a range reads at most one more chunk than it covers. */
export const RELEASE_CHUNK_BYTES = 1024 * 1024;

export interface PostgresReleaseFilesOptions {
  /** The size of the chunks of a file stored from now on (those stored before keep theirs). */
  chunkSize?: number;
  clock?: () => number;
}

type BlobSql = { id: number | string; size: number | string; chunk_size: number };

/**
 * The bytes `start`–`end` (inclusive) of a stored file, the chunks it covers read one by one (each only the part the
 * range needs). A chunk missing or short (the file was stored again under its name meanwhile, and the old one deleted)
 * ends the stream with an error: the response is cut, never made of two files.
 */
async function* chunksOf(pool: pg.Pool, blob: { id: number; chunkSize: number }, start: number, end: number): AsyncGenerator<Buffer> {
  const cs = blob.chunkSize;
  for (let n = Math.floor(start / cs); n <= Math.floor(end / cs); n++) {
    const from = Math.max(start - n * cs, 0);
    const length = Math.min(end - n * cs, cs - 1) - from + 1;
    const { rows } = await pool.query<{ data: Buffer }>('SELECT substring(data FROM $3 FOR $4) AS data FROM release_chunks WHERE blob = $1 AND n = $2', [blob.id, n, from + 1, length]);
    const data = rows[0]?.data;
    if (!data || data.length !== length) throw new Error(`release file ${blob.id}: chunk ${n} missing or short`);
    yield data;
  }
}

export function postgresReleaseFiles(pool: pg.Pool, options: PostgresReleaseFilesOptions = {}): ReleaseFiles {
  const chunkSize = options.chunkSize ?? RELEASE_CHUNK_BYTES;
  if (!Number.isSafeInteger(chunkSize) || chunkSize <= 0 || chunkSize > 256 * 1024 * 1024) throw new Error(`chunk size ${chunkSize}: 1 byte to 256 MiB`);
  const clock = options.clock ?? Date.now;

  return {
    async store(version, name, source, maxBytes) {
      checkReleaseFile(version, name);
      const hash = createHash('sha512');
      const count = { size: 0 };
      // One transaction: until it commits nobody sees the blob, and a failure (too large, empty, the source or the
      // server failing) rolls every chunk back. The chunks go one by one: the file is never whole in memory.
      return inTransaction(pool, async (client) => {
        const { rows } = await client.query<{ id: number | string }>(
          "INSERT INTO release_blobs (version, name, size, chunk_size, sha512, stored_at) VALUES ($1, $2, 1, $3, '', $4) RETURNING id",
          [version, name, chunkSize, clock()],
        );
        const id = rows[0]!.id;
        let n = 0;
        const insert = (data: Buffer) => client.query('INSERT INTO release_chunks (blob, n, data) VALUES ($1, $2, $3)', [id, n++, data]);
        let pending: Buffer[] = [];
        let pendingBytes = 0;
        for await (const piece of measured(source, maxBytes, hash, count)) {
          pending.push(piece);
          pendingBytes += piece.length;
          if (pendingBytes < chunkSize) continue;
          let all = Buffer.concat(pending, pendingBytes);
          while (all.length >= chunkSize) {
            await insert(all.subarray(0, chunkSize));
            all = all.subarray(chunkSize);
          }
          pending = all.length > 0 ? [all] : [];
          pendingBytes = all.length;
        }
        if (pendingBytes > 0) await insert(Buffer.concat(pending, pendingBytes));
        if (count.size === 0) throw new ReleaseFileError('EMPTY', 'fichier vide');
        const sha512 = hash.digest('base64');
        await client.query('UPDATE release_blobs SET size = $1, sha512 = $2 WHERE id = $3', [count.size, sha512, id]);
        // Two uploads of the same name commit one after the other: the last one deletes every other, committed before it.
        await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`relais-release:${version}/${name}`]);
        await client.query('DELETE FROM release_blobs WHERE version = $1 AND name = $2 AND id <> $3', [version, name, id]);
        return { size: count.size, sha512 };
      });
    },

    async send(req, res, version, name, etag, headers) {
      if (!isReleaseFile(version, name)) return notFound(res, headers);
      const [row] = (await pool.query<BlobSql>('SELECT id, size, chunk_size FROM release_blobs WHERE version = $1 AND name = $2 ORDER BY id DESC LIMIT 1', [version, name])).rows;
      if (!row) return notFound(res, headers);
      const blob = { id: Number(row.id), chunkSize: row.chunk_size };
      // One chunk buffered at a time: a slow booth holds 1 MiB here, not its whole download.
      await sendRange(req, res, Number(row.size), etag, headers, (start, end) => Readable.from(chunksOf(pool, blob, start, end), { highWaterMark: 1 }));
    },
  };
}
