// The hub asks every 5 s what was revoked since: without these the three tables were scanned whole each time
// (10,000 booths, and every session ever opened). Partial: only revoked rows are indexed.
import type { Migration } from '../../shared/node/migrations.js';

export const migration0002: Migration = {
  version: 2,
  name: 'revocation-indexes',
  up(db) {
    db.exec(`
      CREATE INDEX booths_revoked ON booths(revoked_at) WHERE revoked_at IS NOT NULL;
      CREATE INDEX agents_revoked ON agents(revoked_at) WHERE revoked_at IS NOT NULL;
      CREATE INDEX sessions_revoked ON sessions(revoked_at) WHERE revoked_at IS NOT NULL;
    `);
  },
};
