// The PIN lock escalates (5 min, 15 min, 1 h, 24 h) instead of resetting when it ends: pin_lockout keeps the level of
// the last lock, and `locked_until` now stays after the lock ends (the escalation is forgotten one step per day from
// it). `failures` counts the wrong PINs since the last lock ended; a lock consumes them.
import type { Migration } from '../index.js';

export const migration0004: Migration = {
  version: 4,
  name: 'pin-escalation',
  up(db) {
    db.exec(`
      ALTER TABLE pin_lockout ADD COLUMN lock_level INTEGER NOT NULL DEFAULT 0 CHECK (lock_level >= 0);
      -- A lock recorded by an older version (locked_until > 0 was only ever written by a lock) is the first step.
      UPDATE pin_lockout SET lock_level = 1, failures = 0 WHERE locked_until > 0;
    `);
  },
};
