// The evaluation tools as a kiosk feature: the verbs of shared/contract/evaluation.ts over the evaluation services,
// retention at start-up and daily, and the weekly aggregates' queue to the hub (reconciled and flushed periodically,
// at once when the hub answers again after an outage).
import path from 'node:path';
import { AGGREGATES_PATH } from '../../../shared/aggregates.js';
import type { HubConnection } from '../../../shared/contract/index.js';
import type { evaluationVerbs } from '../../../shared/contract/evaluation.js';
import { shiftWeek, weekKeyOf } from '../../../shared/time.js';
import type { KioskCore, KioskFeature } from '../core.js';
import type { Handlers } from '../dispatch.js';
import { createAuditLog } from './audit.js';
import { monthOf } from './calendar.js';
import { loadCharter, type Charter } from './charter.js';
import type { FaultReport } from './incidents.js';
import { monthReport, visitsCsv } from './reports.js';
import { reportPdf } from './reportPdf.js';
import { purge } from './retention.js';
import { createEvaluationSettings } from './settings.js';
import { SMILEY_SCALE, createSurvey, questionsFor } from './survey.js';
import { AggregatesRefused, REFUSED_PREFIX, createAggregateSync, type AggregatePayload, type AggregateSync, type FlushResult, type RetryPolicy } from './sync.js';

export type EvaluationVerb = keyof typeof evaluationVerbs;

export interface EvaluationFeatureOptions {
  /** The hub this booth reports to (its WebSocket URL and booth token); null: weeks wait in the queue. */
  hub: HubConnection | null | (() => HubConnection | null);
  /** How often the queue is reconciled with the visits and flushed (default 2 minutes). */
  flushEveryMs?: number;
  /** How often retention runs after start-up (default daily). */
  retentionEveryMs?: number;
  /** Time allowed to one HTTP request to the hub (default 10 s). */
  requestTimeoutMs?: number;
  retry?: RetryPolicy;
  /** Defaults to `<assetsDir>/charter/charte-qualite.json`. */
  charterFile?: string;
  fetch?: typeof fetch;
}

export interface EvaluationFeature extends KioskFeature<EvaluationVerb> {
  /** A visit of that week (key 202648) was recorded, corrected or deleted: the week is queued again. The feature sees visit
   *  changes by itself (TEMP triggers on its connection); this stays for callers that change counts another way. */
  onVisitsChanged(weekKey: number): void;
  /** For faults seen in main (printer, …): one incident per fault key while it lasts. */
  reportFault(report: FaultReport): { incidentId: number; opened: boolean };
  faultCleared(faultKey: string): boolean;
  /** Reconciles the queue with the visits and sends what is due (`force` ignores the backoff). */
  flushNow(force?: boolean): Promise<FlushResult>;
  sync: AggregateSync;
}

/** `ws://host:port/hub` → `http://host:port` (wss → https). */
export function hubHttpBase(wsUrl: string): string {
  const u = new URL(wsUrl);
  const protocol = u.protocol === 'wss:' ? 'https:' : u.protocol === 'ws:' ? 'http:' : u.protocol;
  return `${protocol}//${u.host}`;
}

const NETWORK_PREFIX = 'hub injoignable';

/** The hub's code and explanation in a refusal's body (`{ error, message }`), when it is one. */
function hubRefusal(body: string): { code: string | null; message: string | null } {
  try {
    const value = JSON.parse(body) as { error?: unknown; message?: unknown };
    return {
      code: typeof value.error === 'string' ? value.error.slice(0, 64) : null,
      message: typeof value.message === 'string' ? value.message.slice(0, 500) : null,
    };
  } catch {
    return { code: null, message: null };
  }
}

export function createEvaluationFeature(core: KioskCore, options: EvaluationFeatureOptions): EvaluationFeature {
  const { db, clock, emit } = core;
  const logger = core.logger.child({ scope: 'evaluation' });
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const hubOf = (): HubConnection | null => (typeof options.hub === 'function' ? options.hub() : options.hub);
  const evaluationSettings = createEvaluationSettings({ db, clock });
  const survey = createSurvey({ db, clock, logger, settings: evaluationSettings });
  const audit = createAuditLog({ db, clock, logger });
  const { incidents } = core;
  let charter: Charter | null = null;
  const charterFile = options.charterFile ?? path.join(core.assetsDir, 'charter', 'charte-qualite.json');
  const organisations = () => core.settings.organisations().map((o) => ({ code: o.code, name: o.name }));
  const openIncidents = () => incidents.list({ status: 'open' }).length;
  const incidentsChanged = () => emit('incidents.changed', { open: openIncidents() });
  const requestTimeoutMs = options.requestTimeoutMs ?? 10_000;

  const send = async (payload: AggregatePayload): Promise<'ok' | 'error'> => {
    const hub = hubOf();
    if (!hub) throw new Error(`${NETWORK_PREFIX} : aucun hub configuré`);
    let response: Response;
    try {
      response = await fetchImpl(`${hubHttpBase(hub.url)}${AGGREGATES_PATH}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${hub.token}` },
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(requestTimeoutMs),
      });
    } catch (cause) {
      throw new Error(`${NETWORK_PREFIX} : ${(cause as Error).message}`);
    }
    const body = await response.text().catch(() => '');
    if (response.ok) return 'ok';
    // The hub judged the payload itself (its counts out of bounds, say): the same payload would be refused again.
    if (response.status === 400 || response.status === 413) {
      const answer = hubRefusal(body);
      throw new AggregatesRefused(response.status, answer.code, answer.message);
    }
    throw new Error(`refusé par le hub (HTTP ${response.status})`);
  };

  const sync = createAggregateSync({
    db,
    clock,
    logger,
    siteId: evaluationSettings.get().siteId,
    send,
    incidents,
    onIncidentsChanged: () => incidentsChanged(),
    ...(options.retry ? { retry: options.retry } : {}),
  });

  /**
   * Makes pending weeks due now: after a manual request (every week, refused ones included), or when the hub answers
   * again after an outage (not the weeks it refused: they wait for a correction or their day).
   */
  const clearBackoff = (includeRefused: boolean) =>
    db
      .prepare("UPDATE sync_queue SET next_attempt_at = ? WHERE state = 'pending' AND next_attempt_at > ? AND (? OR last_error IS NULL OR last_error NOT LIKE ? || '%')")
      .run(clock(), clock(), includeRefused ? 1 : 0, REFUSED_PREFIX);
  const waitingOnNetwork = (): boolean =>
    db.prepare("SELECT 1 FROM sync_queue WHERE state = 'pending' AND next_attempt_at > ? AND last_error LIKE ? || '%' LIMIT 1").get(clock(), NETWORK_PREFIX) !== undefined;

  const hubAnswers = async (): Promise<boolean> => {
    const hub = hubOf();
    if (!hub) return false;
    try {
      const r = await fetchImpl(`${hubHttpBase(hub.url)}/healthz`, { signal: AbortSignal.timeout(requestTimeoutMs) });
      await r.arrayBuffer().catch(() => undefined);
      return r.ok;
    } catch {
      return false;
    }
  };

  const flushNow = async (force = false): Promise<FlushResult> => {
    sync.reconcile(shiftWeek(weekKeyOf(clock()), -8));
    const status = sync.status();
    if (status.pending > 0 && hubOf()) {
      // A hub that was unreachable and answers again gets the waiting weeks at once, not after the remaining backoff.
      if (force) clearBackoff(true);
      else if (waitingOnNetwork() && (await hubAnswers())) clearBackoff(false);
    }
    if (!hubOf()) return { sent: 0, failed: false, pending: sync.status().pending };
    return sync.flush();
  };

  const runRetention = () => {
    try {
      const result = purge(db, clock(), evaluationSettings.get().retentionMonths);
      if (result.visitsDeleted > 0) logger.info({ code: 'RETENTION_PURGED', visits: result.visitsDeleted, keptFrom: result.keptFrom }, 'old visit records purged');
    } catch (cause) {
      logger.error({ code: 'RETENTION_FAILED', err: cause }, 'retention purge failed');
    }
  };

  const tick = () => {
    flushNow().catch((cause: unknown) => logger.error({ code: 'AGGREGATES_FLUSH_FAILED', err: cause }, 'aggregate flush failed'));
  };

  // Visits recorded, corrected or deleted by any path (mediator, visio, corrections) queue their week again: TEMP triggers on
  // this connection only note the week keys; the queue is updated right after the visit's transaction.
  const changedWeeks = new Set<number>();
  let closed = false;
  const processChanged = () => {
    const weeks = [...changedWeeks];
    changedWeeks.clear();
    if (closed || weeks.length === 0) return;
    try {
      for (const w of weeks) sync.markWeekChanged(w);
      tick();
    } catch (cause) {
      logger.error({ code: 'AGGREGATES_MARK_FAILED', err: cause }, 'could not queue the changed weeks');
    }
  };
  db.function('relais_evaluation_week_changed', { deterministic: false, varargs: false }, (week: unknown) => {
    if (typeof week === 'number' || typeof week === 'bigint') {
      if (changedWeeks.size === 0) setImmediate(processChanged);
      changedWeeks.add(Number(week));
    }
    return null;
  });
  db.exec(`
    CREATE TEMP TRIGGER IF NOT EXISTS evaluation_visit_inserted AFTER INSERT ON visits BEGIN SELECT relais_evaluation_week_changed(NEW.week_key); END;
    CREATE TEMP TRIGGER IF NOT EXISTS evaluation_visit_updated AFTER UPDATE ON visits BEGIN
      SELECT relais_evaluation_week_changed(OLD.week_key); SELECT relais_evaluation_week_changed(NEW.week_key);
    END;
    CREATE TEMP TRIGGER IF NOT EXISTS evaluation_visit_deleted AFTER DELETE ON visits BEGIN SELECT relais_evaluation_week_changed(OLD.week_key); END;
  `);

  runRetention();
  const startTimer = setTimeout(tick, 1_000);
  startTimer.unref();
  const flushTimer = setInterval(tick, options.flushEveryMs ?? 120_000);
  flushTimer.unref();
  const retentionTimer = setInterval(runRetention, options.retentionEveryMs ?? 24 * 3_600_000);
  retentionTimer.unref();

  const reportFault = (report: FaultReport) => {
    const { incident, opened } = incidents.reportFault(report);
    if (opened) incidentsChanged();
    return { incidentId: incident.id, opened };
  };
  const faultCleared = (faultKey: string) => {
    const cleared = incidents.faultCleared(faultKey) !== null;
    if (cleared) incidentsChanged();
    return cleared;
  };

  const settingsView = () => {
    const s = evaluationSettings.get();
    return { surveyMode: s.surveyMode, siteStartedAt: s.siteStartedAt, retentionMonths: s.retentionMonths };
  };

  return {
    sync,
    reportFault,
    faultCleared,
    flushNow,
    onVisitsChanged(weekKey) {
      sync.markWeekChanged(weekKey);
      tick();
    },
    handlers: {
      'survey.offer': ({ service }) => ({
        offer: survey.shouldOffer(service),
        questions: questionsFor(service).map((q) => ({ id: q.id, text: q.text, spoken: q.spoken })),
        scale: SMILEY_SCALE.map((p) => ({ value: p.value, icon: p.icon, label: p.label })),
      }),
      'survey.record': (input) => ({ stored: survey.record(input).stored }),
      'charter.get': () => {
        charter ??= loadCharter(charterFile);
        return charter;
      },

      'audit.due': () => ({ due: audit.isDue(), month: monthOf(clock()) }),
      'audit.record': ({ month, items }, { mediator }) => {
        const record = audit.record(month, items, mediator);
        emit('audit.changed', { due: audit.isDue() });
        return record;
      },
      'audit.history': () => audit.history(),

      'incidents.list': ({ status }) => incidents.list(status ? { status } : {}),
      'incidents.open': ({ category, organisation, what, action }) => {
        const incident = incidents.open({ category, organisation, what, ...(action !== undefined ? { action } : {}) });
        incidentsChanged();
        return incident;
      },
      'incidents.resolve': ({ id, action }) => {
        const incident = incidents.resolve(id, action);
        incidentsChanged();
        return incident;
      },
      'incidents.reportFault': ({ faultKey, category, organisation, what }) => reportFault({ faultKey, category, organisation: organisation ?? null, what }),
      'incidents.faultCleared': ({ faultKey }) => ({ cleared: faultCleared(faultKey) }),

      'reports.month': ({ month }) => monthReport(db, month, organisations()),
      'reports.pdf': async ({ month }) => {
        const siteName = core.settings.site().name;
        const bytes = await reportPdf(monthReport(db, month, organisations()), siteName, { generatedAt: clock() });
        return { filename: `rapport-${month}.pdf`, pdfBase64: Buffer.from(bytes).toString('base64') };
      },
      'reports.csv': ({ from, to }) => visitsCsv(db, from, to, organisations()),

      'evaluation.settings': () => settingsView(),
      'evaluation.setSettings': (patch) => {
        evaluationSettings.update({
          ...(patch.surveyMode !== undefined ? { surveyMode: patch.surveyMode } : {}),
          ...(patch.retentionMonths !== undefined ? { retentionMonths: patch.retentionMonths } : {}),
        });
        if (patch.retentionMonths !== undefined) runRetention();
        return settingsView();
      },
      'sync.status': () => ({ ...sync.status(), configured: hubOf() !== null }),
      'sync.now': async () => {
        await flushNow(true);
        return { ...sync.status(), configured: hubOf() !== null };
      },
    } satisfies Handlers<EvaluationVerb>,
    close() {
      closed = true;
      clearTimeout(startTimer);
      clearInterval(flushTimer);
      clearInterval(retentionTimer);
    },
  };
}
