// Visio appointments on PostgreSQL, as in the SQLite hub (server/migrations/0005-appointments.ts): planners and
// iCalendar secrets on agents, each organisation's subjects (seeded with DEFAULT_SUBJECTS), slot series and their slots
// (one row per slot: the place a booking takes is decided on that row, under its lock), closures, and appointments.
// Instants are epoch milliseconds and ids BIGINT, as in 0001; SQLite's 0/1 flags are BOOLEAN. Local days (YYYY-MM-DD)
// compare and sort byte by byte (COLLATE "C"), as SQLite's BINARY, whatever the database's locale.
import { DEFAULT_SUBJECTS } from '../../appointments/subjects.js';
import type { PgMigration } from './index.js';

/** A string as an SQL literal (standard_conforming_strings, on since PostgreSQL 9.1: only quotes are doubled). */
function literal(s: string): string {
  if (s.includes('\0')) throw new Error('a seeded subject cannot hold NUL');
  return `'${s.replaceAll("'", "''")}'`;
}

// The migration is SQL text: the subjects are written into it as literals, inserted only where missing.
const SUBJECT_ROWS = Object.entries(DEFAULT_SUBJECTS).flatMap(([organisation, subjects]) =>
  subjects.map((s, i) => `(${[organisation, s.code, s.label, JSON.stringify(s.bring)].map(literal).join(', ')}, ${i})`),
);

export const pgMigration0007: PgMigration = {
  version: 7,
  name: 'appointments',
  sql: `
    ALTER TABLE agents ADD COLUMN planner BOOLEAN NOT NULL DEFAULT FALSE, ADD COLUMN ical_hash TEXT;
    -- The hash of a secret (64 hex digits): short enough for a B-tree entry as it is.
    CREATE UNIQUE INDEX agents_ical ON agents (ical_hash) WHERE ical_hash IS NOT NULL;
    CREATE TABLE appointment_subjects (
      organisation TEXT NOT NULL,
      code TEXT NOT NULL,
      label TEXT NOT NULL,
      bring TEXT NOT NULL DEFAULT '[]',
      position INTEGER NOT NULL,
      PRIMARY KEY (organisation, code)
    );
    CREATE TABLE slot_series (
      id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      organisation TEXT NOT NULL,
      start_local TEXT NOT NULL,
      rule TEXT,
      time_zone TEXT NOT NULL,
      length_min INTEGER NOT NULL CHECK (length_min BETWEEN 5 AND 480),
      capacity INTEGER NOT NULL CHECK (capacity BETWEEN 1 AND 100),
      all_booths BOOLEAN NOT NULL,
      on_holidays BOOLEAN NOT NULL,
      created_by BIGINT,
      created_at BIGINT NOT NULL,
      removed_at BIGINT
    );
    CREATE INDEX slot_series_org ON slot_series (organisation);
    CREATE TABLE slot_series_booths (
      series_id BIGINT NOT NULL REFERENCES slot_series (id),
      booth_id BIGINT NOT NULL,
      PRIMARY KEY (series_id, booth_id)
    );
    CREATE TABLE slot_series_agents (
      series_id BIGINT NOT NULL REFERENCES slot_series (id),
      agent_id BIGINT NOT NULL REFERENCES agents (id),
      position INTEGER NOT NULL,
      PRIMARY KEY (series_id, agent_id)
    );
    CREATE TABLE slot_closures (
      id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      organisation TEXT NOT NULL,
      from_day TEXT COLLATE "C" NOT NULL,
      to_day TEXT COLLATE "C" NOT NULL,
      reason TEXT,
      created_at BIGINT NOT NULL
    );
    CREATE INDEX slot_closures_org ON slot_closures (organisation, to_day);
    CREATE TABLE slots (
      id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      series_id BIGINT NOT NULL REFERENCES slot_series (id),
      organisation TEXT NOT NULL,
      starts_at BIGINT NOT NULL,
      ends_at BIGINT NOT NULL,
      local_day TEXT COLLATE "C" NOT NULL,
      capacity INTEGER NOT NULL CHECK (capacity >= 1),
      booked INTEGER NOT NULL DEFAULT 0 CHECK (booked >= 0 AND booked <= capacity),
      all_booths BOOLEAN NOT NULL,
      closed_at BIGINT,
      UNIQUE (series_id, starts_at)
    );
    CREATE INDEX slots_free ON slots (organisation, starts_at) WHERE closed_at IS NULL AND booked < capacity;
    CREATE INDEX slots_org_day ON slots (organisation, local_day);
    CREATE TABLE appointments (
      id TEXT PRIMARY KEY,
      -- The order of booking, for SQLite's rowid: appointments starting together are listed in the order they were booked.
      seq BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
      slot_id BIGINT NOT NULL REFERENCES slots (id),
      organisation TEXT NOT NULL,
      booth_id BIGINT NOT NULL,
      agent_id BIGINT,
      starts_at BIGINT NOT NULL,
      ends_at BIGINT NOT NULL,
      subject TEXT NOT NULL,
      note TEXT,
      note_consent BOOLEAN NOT NULL DEFAULT FALSE,
      status TEXT NOT NULL CHECK (status IN ('booked', 'honoured', 'missed', 'cancelled', 'closed')),
      created_at BIGINT NOT NULL,
      updated_at BIGINT NOT NULL,
      CHECK (note IS NULL OR note_consent)
    );
    CREATE INDEX appointments_booth ON appointments (booth_id, starts_at);
    CREATE INDEX appointments_agent ON appointments (agent_id, starts_at);
    CREATE INDEX appointments_org ON appointments (organisation, starts_at);
    CREATE INDEX appointments_slot ON appointments (slot_id);
    CREATE INDEX appointments_due ON appointments (starts_at) WHERE status = 'booked';
    -- The sweep every node runs erases the notes of what is over: only the few rows still holding one are indexed.
    CREATE INDEX appointments_noted ON appointments (ends_at) WHERE note IS NOT NULL;
    -- An agent holds at most one place of a slot: a second booking given the same holder fails here, not in memory.
    CREATE UNIQUE INDEX appointments_holder ON appointments (slot_id, agent_id) WHERE agent_id IS NOT NULL AND status IN ('booked', 'honoured');
    INSERT INTO appointment_subjects (organisation, code, label, bring, position) VALUES
      ${SUBJECT_ROWS.join(',\n      ')}
    ON CONFLICT DO NOTHING;
  `,
};
