// Sends each week's aggregates (counts only) to the hub: a persistent queue, oldest week first, retried with backoff when offline,
// re-sent when a week's counts change (the hub replaces the week: idempotent per site and week).
import { createHash } from 'node:crypto';
import { isoWeekLabel } from '../../../shared/time.js';
import type { Db } from '../db/index.js';
import type { Logger } from '../logger.js';
import { weekCounts } from './counts.js';

export interface AggregatePayload {
  siteId: string;
  /** ISO week 'YYYY-Www' (Paris). */
  week: string;
  counts: { organisation: string; service: string; count: number }[];
  /** SHA-256 of the canonical counts: the week's revision. */
  hash: string;
}

export type SendAggregates = (payload: AggregatePayload) => Promise<'ok' | 'error'>;

export interface RetryPolicy {
  /** Delay after the first failure; doubled after each further one. */
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { baseMs: 30_000, maxMs: 3_600_000 };

export interface FlushResult {
  sent: number;
  /** True when a send failed: flushing stopped there (the hub is likely unreachable) and resumes after the backoff. */
  failed: boolean;
  pending: number;
}

export interface SyncStatus {
  pending: number;
  sent: number;
  nextAttemptAt: number | null;
  lastError: string | null;
}

export interface AggregateSync {
  /** Call after a visit of that week was recorded, updated or deleted (week key 202605). */
  markWeekChanged(weekKey: number): void;
  /** Marks every week holding counts from `sinceWeekKey` on whose counts differ from what the hub has (e.g. at start-up). */
  reconcile(sinceWeekKey: number): number;
  payloadFor(weekKey: number): AggregatePayload;
  /** Sends pending weeks, oldest first, stopping at the first failure or at a week still in backoff. Concurrent calls share one run. */
  flush(): Promise<FlushResult>;
  status(): SyncStatus;
}

interface QueueRow {
  week_key: number;
  payload_hash: string;
  state: 'pending' | 'sent';
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  sent_hash: string | null;
}

function hashOf(week: string, counts: AggregatePayload['counts']): string {
  return createHash('sha256')
    .update(JSON.stringify([week, counts.map((c) => [c.organisation, c.service, c.count])]))
    .digest('hex');
}

export function createAggregateSync(deps: { db: Db; clock: () => number; logger: Logger; siteId: string; send: SendAggregates; retry?: RetryPolicy }): AggregateSync {
  const { db, clock, logger, siteId, send } = deps;
  const retry = deps.retry ?? DEFAULT_RETRY;
  const rowOf = db.prepare<[number], QueueRow>('SELECT * FROM sync_queue WHERE week_key = ?');
  const nextPending = db.prepare<[number], QueueRow>("SELECT * FROM sync_queue WHERE state = 'pending' AND week_key > ? ORDER BY week_key LIMIT 1");
  let running: Promise<FlushResult> | null = null;

  const payloadFor = (weekKey: number): AggregatePayload => {
    const week = isoWeekLabel(weekKey);
    const counts = weekCounts(db, weekKey).filter((c) => c.count > 0);
    return { siteId, week, counts, hash: hashOf(week, counts) };
  };

  const markWeekChanged = (weekKey: number): void => {
    const { hash, counts } = payloadFor(weekKey);
    const row = rowOf.get(weekKey);
    if (!row) {
      if (counts.length === 0) return;
      db.prepare("INSERT INTO sync_queue (week_key, payload_hash, state, attempts, next_attempt_at) VALUES (?, ?, 'pending', 0, ?)").run(weekKey, hash, clock());
      return;
    }
    if (row.payload_hash === hash) return;
    if (row.sent_hash === hash) {
      db.prepare("UPDATE sync_queue SET payload_hash = ?, state = 'sent', attempts = 0, last_error = NULL WHERE week_key = ?").run(hash, weekKey);
      return;
    }
    // A correction: due now, whatever backoff the previous revision was in.
    db.prepare("UPDATE sync_queue SET payload_hash = ?, state = 'pending', attempts = 0, next_attempt_at = ?, last_error = NULL WHERE week_key = ?").run(hash, clock(), weekKey);
  };

  const sendOne = async (row: QueueRow): Promise<boolean> => {
    const payload = payloadFor(row.week_key);
    let outcome: 'ok' | 'error';
    let reason = 'refusé par le serveur';
    try {
      outcome = await send(payload);
    } catch (cause) {
      outcome = 'error';
      reason = (cause as Error).message ?? String(cause);
    }
    if (outcome === 'ok') {
      // A correction marked while the send was in flight stays pending; otherwise what was sent is the week's revision.
      const current = rowOf.get(row.week_key);
      const changedMeanwhile = current !== undefined && current.payload_hash !== row.payload_hash && current.payload_hash !== payload.hash;
      db.prepare('UPDATE sync_queue SET sent_hash = ?, sent_at = ?, attempts = 0, last_error = NULL, payload_hash = ?, state = ? WHERE week_key = ?').run(
        payload.hash,
        clock(),
        changedMeanwhile ? current.payload_hash : payload.hash,
        changedMeanwhile ? 'pending' : 'sent',
        row.week_key,
      );
      return true;
    }
    const attempts = row.attempts + 1;
    const delay = Math.min(retry.maxMs, retry.baseMs * 2 ** (attempts - 1));
    db.prepare('UPDATE sync_queue SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE week_key = ?').run(attempts, clock() + delay, reason.slice(0, 200), row.week_key);
    logger.warn({ code: 'AGGREGATES_SEND_FAILED', week: payload.week, attempts, retryInMs: delay }, 'weekly aggregates not sent; will retry');
    return false;
  };

  const runFlush = async (): Promise<FlushResult> => {
    let sent = 0;
    let failed = false;
    let after = 0;
    for (;;) {
      const row = nextPending.get(after);
      // Strictly oldest first: a week waiting out its backoff holds back the later ones (the hub is likely still unreachable).
      if (!row || row.next_attempt_at > clock()) break;
      after = row.week_key;
      if (await sendOne(row)) sent += 1;
      else {
        failed = true;
        break;
      }
    }
    if (sent > 0) logger.info({ code: 'AGGREGATES_SENT', weeks: sent }, 'weekly aggregates sent');
    return { sent, failed, pending: (db.prepare("SELECT COUNT(*) AS n FROM sync_queue WHERE state = 'pending'").get() as { n: number }).n };
  };

  return {
    markWeekChanged,
    reconcile(sinceWeekKey) {
      const weeks = db
        .prepare<[number, number], { week_key: number }>('SELECT DISTINCT week_key FROM visits WHERE week_key >= ? UNION SELECT DISTINCT week_key FROM daily_aggregates WHERE week_key >= ?')
        .all(sinceWeekKey, sinceWeekKey);
      const before = (db.prepare("SELECT COUNT(*) AS n FROM sync_queue WHERE state = 'pending'").get() as { n: number }).n;
      for (const w of weeks) markWeekChanged(w.week_key);
      return (db.prepare("SELECT COUNT(*) AS n FROM sync_queue WHERE state = 'pending'").get() as { n: number }).n - before;
    },
    payloadFor,
    flush() {
      running ??= runFlush().finally(() => {
        running = null;
      });
      return running;
    },
    status() {
      const s = db
        .prepare<[], { pending: number; sent: number; next: number | null; lastError: string | null }>(
          `SELECT SUM(state = 'pending') AS pending, SUM(state = 'sent') AS sent,
             (SELECT next_attempt_at FROM sync_queue WHERE state = 'pending' ORDER BY week_key LIMIT 1) AS next,
             (SELECT last_error FROM sync_queue WHERE state = 'pending' AND last_error IS NOT NULL ORDER BY week_key LIMIT 1) AS lastError
           FROM sync_queue`,
        )
        .get();
      return { pending: s?.pending ?? 0, sent: s?.sent ?? 0, nextAttemptAt: s?.next ?? null, lastError: s?.lastError ?? null };
    },
  };
}
