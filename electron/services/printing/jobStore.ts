// The print_jobs table: one row per print, kept after the job ends so none vanishes. No document bytes, no form content.
import type { Db } from '../db/index.js';
import type { ReasonCode } from './reasons.js';

export type PrintJobState = 'waiting' | 'pending' | 'processing' | 'stopped' | 'completed' | 'canceled' | 'aborted' | 'failed';
export type PrintJobKind = 'form' | 'document' | 'grid' | 'other';

/** States in which the job is with the print system (or about to be sent) and is followed by the poller. */
export const IN_FLIGHT: readonly PrintJobState[] = ['waiting', 'pending', 'processing', 'stopped'];
/** States after which nothing more happens to the job. */
export const FINAL: readonly PrintJobState[] = ['completed', 'canceled'];

export interface PrintJob {
  id: number;
  cupsJobId: number | null;
  printer: string;
  title: string;
  kind: PrintJobKind;
  organisation: string | null;
  pages: number;
  copies: number;
  duplex: boolean;
  state: PrintJobState;
  /** Why the job waits or failed (printer reasons at the last check while it was in flight). */
  reasons: ReasonCode[];
  /** The print system's message, in its own words, for the mediator's details. */
  message: string;
  createdAt: number;
  updatedAt: number;
  endedAt: number | null;
  attempts: number;
}

interface Row {
  id: number;
  cups_job_id: number | null;
  printer: string;
  title: string;
  kind: PrintJobKind;
  organisation: string | null;
  pages: number;
  copies: number;
  duplex: number;
  state: PrintJobState;
  state_reasons: string;
  message: string;
  created_at: number;
  updated_at: number;
  ended_at: number | null;
  attempts: number;
}

const fromRow = (r: Row): PrintJob => ({
  id: r.id,
  cupsJobId: r.cups_job_id,
  printer: r.printer,
  title: r.title,
  kind: r.kind,
  organisation: r.organisation,
  pages: r.pages,
  copies: r.copies,
  duplex: r.duplex === 1,
  state: r.state,
  reasons: JSON.parse(r.state_reasons) as ReasonCode[],
  message: r.message,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  endedAt: r.ended_at,
  attempts: r.attempts,
});

export interface NewJob {
  printer: string;
  title: string;
  kind: PrintJobKind;
  organisation: string | null;
  pages: number;
  copies: number;
  duplex: boolean;
  at: number;
}

export interface JobUpdate {
  state: PrintJobState;
  reasons: ReasonCode[];
  message: string;
  at: number;
}

export class PrintJobStore {
  constructor(private readonly db: Db) {}

  insert(job: NewJob): PrintJob {
    const info = this.db
      .prepare(
        `INSERT INTO print_jobs (printer, title, kind, organisation, pages, copies, duplex, state, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'waiting', ?, ?)`,
      )
      .run(job.printer, job.title, job.kind, job.organisation, job.pages, job.copies, job.duplex ? 1 : 0, job.at, job.at);
    return this.get(Number(info.lastInsertRowid)) as PrintJob;
  }

  get(id: number): PrintJob | null {
    const row = this.db.prepare('SELECT * FROM print_jobs WHERE id = ?').get(id) as Row | undefined;
    return row ? fromRow(row) : null;
  }

  list(options: { activeOnly?: boolean; limit?: number } = {}): PrintJob[] {
    const limit = options.limit ?? 200;
    const rows = options.activeOnly
      ? this.db.prepare('SELECT * FROM print_jobs WHERE ended_at IS NULL ORDER BY id DESC LIMIT ?').all(limit)
      : this.db.prepare('SELECT * FROM print_jobs ORDER BY id DESC LIMIT ?').all(limit);
    return (rows as Row[]).map(fromRow);
  }

  inFlight(): PrintJob[] {
    const marks = IN_FLIGHT.map(() => '?').join(', ');
    const rows = this.db.prepare(`SELECT * FROM print_jobs WHERE ended_at IS NULL AND state IN (${marks}) ORDER BY id`).all(...IN_FLIGHT) as Row[];
    return rows.map(fromRow);
  }

  /** A new attempt: the job is (re)sent to `printer`; the previous print-system job id is forgotten. */
  startAttempt(id: number, printer: string, at: number): void {
    this.db
      .prepare("UPDATE print_jobs SET printer = ?, cups_job_id = NULL, state = 'waiting', attempts = attempts + 1, updated_at = ? WHERE id = ? AND ended_at IS NULL")
      .run(printer, at, id);
  }

  setCupsJobId(id: number, cupsJobId: number | null): void {
    this.db.prepare('UPDATE print_jobs SET cups_job_id = ? WHERE id = ?').run(cupsJobId, id);
  }

  /**
   * Applies a state if the job is still open and, when given, still on the same print-system job (a retry may have
   * replaced it meanwhile). Returns the job when something changed, null otherwise.
   */
  update(id: number, u: JobUpdate, onlyIfCupsJobId?: number | null): PrintJob | null {
    const before = this.get(id);
    if (!before || before.endedAt !== null) return null;
    if (onlyIfCupsJobId !== undefined && before.cupsJobId !== onlyIfCupsJobId) return null;
    const reasons = JSON.stringify(u.reasons);
    if (before.state === u.state && JSON.stringify(before.reasons) === reasons && before.message === u.message) return null;
    const ended = FINAL.includes(u.state) ? u.at : null;
    this.db
      .prepare('UPDATE print_jobs SET state = ?, state_reasons = ?, message = ?, updated_at = ?, ended_at = ? WHERE id = ? AND ended_at IS NULL')
      .run(u.state, reasons, u.message, u.at, ended, id);
    return this.get(id);
  }
}
