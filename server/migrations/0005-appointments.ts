// Visio appointments (issue 19): planners and iCalendar secrets on agents, each organisation's subjects, slot series and
// their slots (one row per slot: the place a booking takes is decided on that row), closures, and appointments.
// A visitor's note (a first name or initials, with consent) lives only on the appointment, and only until it is over.
import type { Migration } from '../../shared/node/migrations.js';
import { DEFAULT_SUBJECTS } from '../appointments/subjects.js';

export const migration0005: Migration = {
  version: 5,
  name: 'appointments',
  up(db) {
    // Safe to run again over its own tables (a database set back to an older user_version, as migration 0004 allows).
    const agentColumns = new Set((db.prepare('PRAGMA table_info(agents)').all() as Array<{ name: string }>).map((c) => c.name));
    if (!agentColumns.has('planner')) db.exec('ALTER TABLE agents ADD COLUMN planner INTEGER NOT NULL DEFAULT 0');
    if (!agentColumns.has('ical_hash')) db.exec('ALTER TABLE agents ADD COLUMN ical_hash TEXT');
    db.exec(`
      CREATE UNIQUE INDEX IF NOT EXISTS agents_ical ON agents (ical_hash) WHERE ical_hash IS NOT NULL;
      CREATE TABLE IF NOT EXISTS appointment_subjects (
        organisation TEXT NOT NULL,
        code         TEXT NOT NULL,
        label        TEXT NOT NULL,
        bring        TEXT NOT NULL DEFAULT '[]',
        position     INTEGER NOT NULL,
        PRIMARY KEY (organisation, code)
      ) STRICT;
      CREATE TABLE IF NOT EXISTS slot_series (
        id           INTEGER PRIMARY KEY,
        organisation TEXT NOT NULL,
        start_local  TEXT NOT NULL,
        rule         TEXT,
        time_zone    TEXT NOT NULL,
        length_min   INTEGER NOT NULL CHECK (length_min BETWEEN 5 AND 480),
        capacity     INTEGER NOT NULL CHECK (capacity BETWEEN 1 AND 100),
        all_booths   INTEGER NOT NULL,
        on_holidays  INTEGER NOT NULL,
        created_by   INTEGER,
        created_at   INTEGER NOT NULL,
        removed_at   INTEGER
      ) STRICT;
      CREATE INDEX IF NOT EXISTS slot_series_org ON slot_series (organisation);
      CREATE TABLE IF NOT EXISTS slot_series_booths (
        series_id INTEGER NOT NULL REFERENCES slot_series (id),
        booth_id  INTEGER NOT NULL,
        PRIMARY KEY (series_id, booth_id)
      ) STRICT, WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS slot_series_agents (
        series_id INTEGER NOT NULL REFERENCES slot_series (id),
        agent_id  INTEGER NOT NULL REFERENCES agents (id),
        position  INTEGER NOT NULL,
        PRIMARY KEY (series_id, agent_id)
      ) STRICT, WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS slot_closures (
        id           INTEGER PRIMARY KEY,
        organisation TEXT NOT NULL,
        from_day     TEXT NOT NULL,
        to_day       TEXT NOT NULL,
        reason       TEXT,
        created_at   INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX IF NOT EXISTS slot_closures_org ON slot_closures (organisation, to_day);
      CREATE TABLE IF NOT EXISTS slots (
        id           INTEGER PRIMARY KEY,
        series_id    INTEGER NOT NULL REFERENCES slot_series (id),
        organisation TEXT NOT NULL,
        starts_at    INTEGER NOT NULL,
        ends_at      INTEGER NOT NULL,
        local_day    TEXT NOT NULL,
        capacity     INTEGER NOT NULL CHECK (capacity >= 1),
        booked       INTEGER NOT NULL DEFAULT 0 CHECK (booked >= 0 AND booked <= capacity),
        all_booths   INTEGER NOT NULL,
        closed_at    INTEGER,
        UNIQUE (series_id, starts_at)
      ) STRICT;
      CREATE INDEX IF NOT EXISTS slots_free ON slots (organisation, starts_at) WHERE closed_at IS NULL AND booked < capacity;
      CREATE INDEX IF NOT EXISTS slots_org_day ON slots (organisation, local_day);
      CREATE TABLE IF NOT EXISTS appointments (
        id           TEXT PRIMARY KEY,
        slot_id      INTEGER NOT NULL REFERENCES slots (id),
        organisation TEXT NOT NULL,
        booth_id     INTEGER NOT NULL,
        agent_id     INTEGER,
        starts_at    INTEGER NOT NULL,
        ends_at      INTEGER NOT NULL,
        subject      TEXT NOT NULL,
        note         TEXT,
        note_consent INTEGER NOT NULL DEFAULT 0,
        status       TEXT NOT NULL CHECK (status IN ('booked', 'honoured', 'missed', 'cancelled', 'closed')),
        created_at   INTEGER NOT NULL,
        updated_at   INTEGER NOT NULL,
        CHECK (note IS NULL OR note_consent = 1)
      ) STRICT;
      CREATE INDEX IF NOT EXISTS appointments_booth ON appointments (booth_id, starts_at);
      CREATE INDEX IF NOT EXISTS appointments_agent ON appointments (agent_id, starts_at);
      CREATE INDEX IF NOT EXISTS appointments_org ON appointments (organisation, starts_at);
      CREATE INDEX IF NOT EXISTS appointments_slot ON appointments (slot_id);
      CREATE INDEX IF NOT EXISTS appointments_due ON appointments (starts_at) WHERE status = 'booked';
      -- An agent holds at most one place of a slot: a second booking given the same holder fails here, not in memory.
      CREATE UNIQUE INDEX IF NOT EXISTS appointments_holder ON appointments (slot_id, agent_id) WHERE agent_id IS NOT NULL AND status IN ('booked', 'honoured');
    `);
    const insert = db.prepare('INSERT OR IGNORE INTO appointment_subjects (organisation, code, label, bring, position) VALUES (?, ?, ?, ?, ?)');
    for (const [organisation, subjects] of Object.entries(DEFAULT_SUBJECTS)) {
      subjects.forEach((s, i) => insert.run(organisation, s.code, s.label, JSON.stringify(s.bring), i));
    }
  },
};
