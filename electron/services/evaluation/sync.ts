// Sends each week's aggregates (counts only) to the hub: a persistent queue, oldest week first, retried with backoff when offline,
// re-sent when a week's counts change (the hub replaces the week: idempotent per site and week). A week the hub refuses
// (its counts out of the hub's bounds, say) opens one incident in the kiosk's incident log and waits for a correction
// (or a day) without holding back the later weeks.
import { createHash } from 'node:crypto';
import type { WeeklyAggregatePayload } from '../../../shared/aggregates.js';
import { isoWeekLabel } from '../../../shared/time.js';
import type { Db } from '../db/index.js';
import type { Logger } from '../logger.js';
import { weekCounts } from './counts.js';
import { KIOSK_FAULTS, type IncidentLog } from './incidents.js';

/** What one week's delivery carries: the payload the hub validates (shared/aggregates.ts). */
export type AggregatePayload = WeeklyAggregatePayload;

/** Resolves 'ok' or 'error' (or throws: a network failure); throws `AggregatesRefused` when the hub refuses the payload itself. */
export type SendAggregates = (payload: AggregatePayload) => Promise<'ok' | 'error'>;

/** The hub answered that it refuses this payload (HTTP 400 or 413): sending it again unchanged would be refused again. */
export class AggregatesRefused extends Error {
  constructor(
    readonly status: number,
    /** The hub's code (COUNTS_OUT_OF_BOUNDS, INVALID_PAYLOAD…), or null when it gave none. */
    readonly code: string | null,
    /** The hub's explanation, when it gave one. */
    readonly detail: string | null,
  ) {
    super(`${REFUSED_PREFIX} (HTTP ${status}${code ? ` ${code}` : ''})${detail ? ` : ${detail}` : ''}`);
    this.name = 'AggregatesRefused';
  }
}

/** How a refused week's `last_error` begins: such a week waits without holding back the others. */
export const REFUSED_PREFIX = 'comptages refusés par le hub';
/** The fault key of the incident a refusal opens (one for the kiosk, whatever the week). */
export const AGGREGATES_REFUSED_FAULT = 'aggregates_refused';

export interface RetryPolicy {
  /** Delay after the first failure; doubled after each further one. */
  baseMs: number;
  maxMs: number;
  /** Delay before a week the hub refused is offered again unchanged (default a day; a correction sends it at once). */
  refusedMs?: number;
}

export const DEFAULT_RETRY: RetryPolicy = { baseMs: 30_000, maxMs: 3_600_000 };
const DEFAULT_REFUSED_MS = 24 * 3_600_000;

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

export function createAggregateSync(deps: {
  db: Db;
  clock: () => number;
  logger: Logger;
  siteId: string;
  send: SendAggregates;
  retry?: RetryPolicy;
  /** The kiosk's one incident log (built by the kiosk core). */
  incidents: IncidentLog;
  /** Called when a refusal opened an incident, or a delivery closed it (the renderer's count of open incidents changed). */
  onIncidentsChanged?: () => void;
}): AggregateSync {
  const { db, clock, logger, siteId, send } = deps;
  const retry = deps.retry ?? DEFAULT_RETRY;
  const { incidents } = deps;
  const refusedLeft = db.prepare<[string], { x: number }>("SELECT 1 AS x FROM sync_queue WHERE state = 'pending' AND last_error LIKE ? || '%' LIMIT 1");
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

  /** The hub refused the week: it waits a day (or a correction) instead of the backoff, and one incident is open for it. */
  const refused = (row: QueueRow, payload: AggregatePayload, refusal: AggregatesRefused): void => {
    const attempts = row.attempts + 1;
    const delay = retry.refusedMs ?? DEFAULT_REFUSED_MS;
    db.prepare('UPDATE sync_queue SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE week_key = ?').run(attempts, clock() + delay, refusal.message.slice(0, 200), row.week_key);
    logger.warn({ code: 'AGGREGATES_REFUSED', week: payload.week, status: refusal.status, reason: refusal.code, retryInMs: delay }, 'weekly aggregates refused by the hub');
    const motive = (refusal.detail ?? refusal.code ?? `réponse HTTP ${refusal.status}`).trim().replace(/[^.]$/, '$&.');
    const what =
      `${KIOSK_FAULTS.aggregates_refused.text.fr.replace(/\.$/, '')} (semaine ${payload.week}). Motif donné par le hub : ${motive} ` +
      "Vérifiez les passages enregistrés cette semaine-là et corrigez ceux qui sont erronés : la semaine corrigée sera renvoyée aussitôt ; sinon elle sera proposée de nouveau dans 24 heures. Si le problème persiste, prévenez la coordination départementale.";
    const { opened } = incidents.reportFault({ faultKey: AGGREGATES_REFUSED_FAULT, category: KIOSK_FAULTS.aggregates_refused.category, what: what.slice(0, 1000) });
    if (opened) deps.onIncidentsChanged?.();
  };

  const sendOne = async (row: QueueRow): Promise<'sent' | 'failed' | 'refused'> => {
    const payload = payloadFor(row.week_key);
    let outcome: 'ok' | 'error';
    let reason = 'refusé par le serveur';
    try {
      outcome = await send(payload);
    } catch (cause) {
      if (cause instanceof AggregatesRefused) {
        refused(row, payload, cause);
        return 'refused';
      }
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
      // The last refused week went through (corrected): the refusal's incident is resolved by itself.
      if (refusedLeft.get(REFUSED_PREFIX) === undefined && incidents.faultCleared(AGGREGATES_REFUSED_FAULT) !== null) deps.onIncidentsChanged?.();
      return 'sent';
    }
    const attempts = row.attempts + 1;
    const delay = Math.min(retry.maxMs, retry.baseMs * 2 ** (attempts - 1));
    db.prepare('UPDATE sync_queue SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE week_key = ?').run(attempts, clock() + delay, reason.slice(0, 200), row.week_key);
    logger.warn({ code: 'AGGREGATES_SEND_FAILED', week: payload.week, attempts, retryInMs: delay }, 'weekly aggregates not sent; will retry');
    return 'failed';
  };
  const isRefused = (row: QueueRow): boolean => row.last_error !== null && row.last_error.startsWith(REFUSED_PREFIX);

  const runFlush = async (): Promise<FlushResult> => {
    let sent = 0;
    let failed = false;
    let after = 0;
    for (;;) {
      const row = nextPending.get(after);
      if (!row) break;
      after = row.week_key;
      // Strictly oldest first: a week waiting out its backoff holds back the later ones (the hub is likely still
      // unreachable). A week the hub refused does not: the hub answers, and takes the other weeks.
      if (row.next_attempt_at > clock()) {
        if (isRefused(row)) continue;
        break;
      }
      const outcome = await sendOne(row);
      if (outcome === 'sent') sent += 1;
      else if (outcome === 'failed') {
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
