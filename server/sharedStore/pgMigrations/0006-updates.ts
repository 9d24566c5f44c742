// Kiosk updates on PostgreSQL, as in the SQLite hub (server/migrations/0009-updates.ts): the releases with their staged
// rollout, each release's installer per platform, each booth's last update report; and, since the nodes of a hub
// across machines share no filesystem, the installers' bytes themselves. A stored file is one `release_blobs` row and
// its `release_chunks` (bytea, 1 MiB each by default), all written in one transaction: it appears whole. A file stored
// again under the same name is a new blob (a new id), the old one deleted as the new one commits: a download reads the
// chunks of one blob, never a mix of two.
import type { PgMigration } from './index.js';

export const pgMigration0006: PgMigration = {
  version: 6,
  name: 'updates',
  sql: `
    CREATE TABLE releases (
      version TEXT PRIMARY KEY,
      created_at BIGINT NOT NULL,
      rollout_booths TEXT NOT NULL DEFAULT '[]',
      rollout_percent INTEGER NOT NULL DEFAULT 0 CHECK (rollout_percent BETWEEN 0 AND 100),
      rollout_all BOOLEAN NOT NULL DEFAULT FALSE,
      paused BOOLEAN NOT NULL DEFAULT FALSE,
      updated_at BIGINT NOT NULL
    );
    CREATE TABLE release_files (
      version TEXT NOT NULL REFERENCES releases (version) ON DELETE CASCADE,
      platform TEXT NOT NULL,
      name TEXT NOT NULL,
      size BIGINT NOT NULL,
      sha512 TEXT NOT NULL,
      PRIMARY KEY (version, platform)
    );
    CREATE TABLE booth_updates (
      booth_id BIGINT PRIMARY KEY REFERENCES booths (id) ON DELETE CASCADE,
      version TEXT NOT NULL,
      outcome TEXT NOT NULL,
      reason TEXT,
      at BIGINT NOT NULL
    );
    CREATE TABLE release_blobs (
      id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      version TEXT NOT NULL,
      name TEXT NOT NULL,
      size BIGINT NOT NULL CHECK (size > 0),
      chunk_size INTEGER NOT NULL CHECK (chunk_size > 0),
      sha512 TEXT NOT NULL,
      stored_at BIGINT NOT NULL
    );
    CREATE INDEX release_blobs_by_name ON release_blobs (version, name, id);
    CREATE TABLE release_chunks (
      blob BIGINT NOT NULL REFERENCES release_blobs (id) ON DELETE CASCADE,
      n INTEGER NOT NULL,
      data BYTEA NOT NULL,
      PRIMARY KEY (blob, n)
    );
    -- Already compressed installers: stored as they are, out of line, without trying to compress them again.
    ALTER TABLE release_chunks ALTER COLUMN data SET STORAGE EXTERNAL;
  `,
};
