// Every migration of the kiosk database, in order. A new one is a new numbered file added here.
import type { Migration } from '../index.js';
import { migration0001 } from './0001-foundation.js';
import { migration0002 } from './0002-printing.js';
import { migration0003 } from './0003-evaluation.js';
import { migration0004 } from './0004-pin-escalation.js';
import { migration0005 } from './0005-appointments.js';

export const MIGRATIONS: readonly Migration[] = [migration0001, migration0002, migration0003, migration0004, migration0005];
