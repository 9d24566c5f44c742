// The fleet (« Bornes ») on PostgreSQL, as in the SQLite hub (server/migrations/0006-fleet.ts), plus the node holding
// each online booth's socket: when a node dies, the others mark its booths offline. Health and problems stay JSON text,
// read by the same defensive parsers as SQLite's.
import type { PgMigration } from './index.js';

export const pgMigration0003: PgMigration = {
  version: 3,
  name: 'fleet',
  sql: `
    CREATE TABLE booth_health (
      booth_id BIGINT PRIMARY KEY REFERENCES booths (id) ON DELETE CASCADE,
      online BOOLEAN NOT NULL DEFAULT FALSE,
      node TEXT,
      since BIGINT,
      health TEXT,
      reported_at BIGINT,
      problems TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX booth_health_online_node ON booth_health (node) WHERE online;
    CREATE TABLE booth_events (
      id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      booth_id BIGINT NOT NULL REFERENCES booths (id) ON DELETE CASCADE,
      at BIGINT NOT NULL,
      kind TEXT NOT NULL,
      problem TEXT,
      version TEXT
    );
    CREATE INDEX booth_events_by_booth ON booth_events (booth_id, id);
    CREATE TABLE fleet_alerts (
      booth_id BIGINT NOT NULL REFERENCES booths (id) ON DELETE CASCADE,
      rule TEXT NOT NULL,
      started_at BIGINT NOT NULL,
      PRIMARY KEY (booth_id, rule)
    );
  `,
};
