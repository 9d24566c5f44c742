// Every migration of the hub's database, in order. A new one is a new numbered file added here.
import type { Migration } from '../../shared/node/migrations.js';
import { migration0001 } from './0001-foundation.js';
import { migration0002 } from './0002-revocation-indexes.js';
import { migration0003 } from './0003-aggregates.js';
import { migration0004 } from './0004-coordinators.js';
import { migration0005 } from './0005-appointments.js';
import { migration0006 } from './0006-fleet.js';
import { migration0007 } from './0007-enrolment.js';
import { migration0008 } from './0008-fleet-config.js';
import { migration0009 } from './0009-updates.js';

export const HUB_MIGRATIONS: readonly Migration[] = [
  migration0001,
  migration0002,
  migration0003,
  migration0004,
  migration0005,
  migration0006,
  migration0007,
  migration0008,
  migration0009,
];
