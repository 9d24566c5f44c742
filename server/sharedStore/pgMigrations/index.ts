// Every migration of the shared store's PostgreSQL schema, in order. A new one is a new numbered file added here.
import { pgMigration0001 } from './0001-foundation.js';
import { pgMigration0002 } from './0002-evaluation.js';
import { pgMigration0003 } from './0003-fleet.js';
import { pgMigration0004 } from './0004-enrolment.js';
import { pgMigration0005 } from './0005-fleet-config.js';
import { pgMigration0006 } from './0006-updates.js';
import { pgMigration0007 } from './0007-appointments.js';

export interface PgMigration {
  version: number;
  /** What the migration is about, as in its file name (`0001-foundation.ts`: 'foundation'). */
  name: string;
  /** Run inside the migration's transaction: DDL is transactional in PostgreSQL. */
  sql: string;
}

export const PG_MIGRATIONS: readonly PgMigration[] = [pgMigration0001, pgMigration0002, pgMigration0003, pgMigration0004, pgMigration0005, pgMigration0006, pgMigration0007];
