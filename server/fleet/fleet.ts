// The fleet on the hub: a booth's socket opening and closing, its health reports (rate-bounded, written when something
// changed or once a minute), the « Bornes » view and history, and the alerts started and ended through the store.
import type { Logger } from 'pino';
import type { OpeningSlot } from '../../shared/domain.js';
import { HEALTH_MIN_GAP_MS, type AlertsResponse, type BoothEvent, type BoothHealth, type BoothProblem, type BoothRow, type BoothsResponse } from '../../shared/fleet.js';
import { DEFAULT_ALERT_DELAYS, dueAlerts, type AlertDelays } from './alerts.js';
import { judgeBooth, newestVersion } from './judge.js';
import type { AlertNotice } from './notify.js';
import type { FleetRecord, FleetState, FleetStore, ProblemsSince } from './store.js';

export interface FleetDeps {
  store: FleetStore;
  clock: () => number;
  /** The hours during which a booth is expected online (see unionOfHours). */
  openingHours: () => readonly OpeningSlot[];
  /** The version every booth should run; null: the newest any booth reports. */
  expectedVersion: string | null;
  /** Sends an alert's start or end; the fleet does not wait for it. */
  notify: (notice: AlertNotice) => void;
  /** A report that changes nothing judged is written at most this often per booth. */
  persistEveryMs?: number;
  /** Reports closer than this to the previous one of the same booth are dropped (counted). */
  minReportGapMs?: number;
  /** How long offline or a printer down lasts before its alert starts (default 15 and 10 min). */
  alertDelays?: AlertDelays;
  log: Logger;
}

export interface FleetCounters {
  reports: number;
  dropped: number;
  writes: number;
}

export interface Fleet {
  /** A booth's socket opened here: its state is read, then written online (in the background, in order per booth). */
  connected(boothId: number): void;
  disconnected(boothId: number): void;
  /** False if dropped (too soon after the previous report of this booth); the write follows in the background. */
  report(boothId: number, health: BoothHealth): boolean;
  view(): Promise<BoothsResponse>;
  alerts(): Promise<AlertsResponse>;
  /** Null for an unknown booth. */
  history(boothId: number, limit?: number): Promise<BoothEvent[] | null>;
  /** Starts and ends alerts (the hub runs it periodically; tests call it with their clock). */
  checkAlerts(): Promise<void>;
  /** Writes every state kept in memory only (at the hub's close). */
  flush(): Promise<void>;
  /** Resolves when every read and write started so far has ended. */
  settled(): Promise<void>;
  counters: FleetCounters;
}

interface Live {
  state: FleetState;
  lastWrite: number;
  lastReport: number;
  dirty: boolean;
  /** Null until the store's record is read; false: no such booth (its reports are ignored). */
  known: boolean | null;
  /** The booth's reads and writes, one after the other. */
  chain: Promise<void>;
}

/** What a report says that is worth a write at once; uptime, free disk and clock offset drift at every report. */
function sameStable(a: BoothHealth | null, b: BoothHealth): boolean {
  return (
    a !== null &&
    a.version === b.version &&
    a.shell === b.shell &&
    a.printer.state === b.printer.state &&
    a.printer.reasons.join() === b.printer.reasons.join() &&
    a.cameras === b.cameras &&
    a.microphones === b.microphones &&
    a.openIncidents === b.openIncidents &&
    a.lastCountSyncAt === b.lastCountSyncAt
  );
}

const rowName = (r: { boothId: number; name: string }): string => r.name.trim().slice(0, 120) || `Borne n° ${r.boothId}`;

export function createFleet(deps: FleetDeps): Fleet {
  const { store, clock, log } = deps;
  const persistEveryMs = deps.persistEveryMs ?? 60_000;
  const minGapMs = deps.minReportGapMs ?? HEALTH_MIN_GAP_MS;
  const live = new Map<number, Live>();
  const counters: FleetCounters = { reports: 0, dropped: 0, writes: 0 };
  const pending = new Set<Promise<void>>();
  const track = (work: Promise<void>): void => {
    pending.add(work);
    void work.finally(() => pending.delete(work));
  };
  let newest: string | null = null;
  const noteVersion = (version: string): void => {
    if (newest === null || newestVersion([newest, version]) !== newest) newest = version;
  };
  track(
    store.records().then(
      (all) => {
        for (const r of all) if (r.health && !r.revoked) noteVersion(r.health.version);
      },
      (e: unknown) => log.error({ code: 'FLEET_READ_FAILED', err: (e as Error).message }, 'booth versions not read'),
    ),
  );
  const expected = (): string | null => deps.expectedVersion ?? newest;
  /**
   * What the store refused of booths' connections (PostgreSQL restarting), written again at the next check: booths gone
   * from this hub whose going offline was not written (else « en ligne » for good), and booths connected here whose
   * coming online was not (else « hors ligne » until their next report), with the time they came. Each is forgotten
   * when the booth connects or goes again.
   */
  const offlineUnwritten = new Map<number, { l: Live; events: BoothEvent[] }>();
  const onlineUnwritten = new Map<number, number>();
  const writeUnwritten = (now: number): void => {
    for (const [boothId, since] of onlineUnwritten) if (!live.has(boothId)) connected(boothId, since);
    for (const [boothId, { l, events }] of offlineUnwritten) {
      queue(l, async () => {
        if (offlineUnwritten.get(boothId)?.l !== l) return;
        await write(boothId, l, events, now);
        if (!l.dirty) offlineUnwritten.delete(boothId);
      });
    }
  };
  const settled = async (): Promise<void> => {
    while (pending.size > 0) await Promise.all([...pending]);
  };

  /** Runs `step` after the booth's earlier ones. */
  function queue(l: Live, step: () => Promise<void>): void {
    const next = l.chain.then(step).catch((e: unknown) => log.error({ code: 'FLEET_STEP_FAILED', err: (e as Error).message }, 'booth state step failed'));
    l.chain = next;
    track(next);
  }

  /** What the store holds of a booth is now its state in memory (a save, or a connection written in one step). */
  const written = (l: Live, now: number): void => {
    counters.writes++;
    l.lastWrite = now;
    l.dirty = false;
  };

  async function write(boothId: number, l: Live, events: BoothEvent[], now: number): Promise<void> {
    try {
      await store.save(boothId, l.state, events);
      written(l, now);
    } catch (e) {
      l.dirty = true;
      log.error({ code: 'FLEET_WRITE_FAILED', booth: boothId, err: (e as Error).message }, 'booth state not written');
    }
  }

  /** Waits for the reads and writes started so far (not for those they start): what is asked next sees them. */
  const caughtUp = async (): Promise<void> => {
    await Promise.all([...pending]);
  };

  /** Every booth, with the state this hub holds in memory for the booths connected to it (fresher than the store). */
  async function records(): Promise<FleetRecord[]> {
    await caughtUp();
    return (await store.records()).map(fresher);
  }

  /** A booth's record with the state this hub holds in memory if the booth is connected to it. */
  function fresher(r: FleetRecord): FleetRecord {
    const l = live.get(r.boothId);
    return l?.known ? { ...r, ...l.state } : r;
  }

  function connected(boothId: number, now = clock()): Live {
    offlineUnwritten.delete(boothId);
    onlineUnwritten.delete(boothId);
    const l: Live = {
      state: { online: true, since: now, health: null, reportedAt: null, problems: {} },
      lastWrite: 0,
      lastReport: 0,
      dirty: false,
      known: null,
      chain: live.get(boothId)?.chain ?? Promise.resolve(),
    };
    live.set(boothId, l);
    queue(l, async () => {
      // Read and written in one step (one round trip on PostgreSQL): the booth online, its last report and problems kept.
      let r: FleetRecord | null;
      try {
        r = await store.connect(boothId, now);
      } catch (e) {
        // A booth whose state cannot be read nor written still signs in and calls; its reports wait for the next connection.
        log.error({ code: 'FLEET_READ_FAILED', booth: boothId, err: (e as Error).message }, 'booth state not read');
        r = null;
      }
      l.known = r !== null;
      if (!r) {
        if (live.get(boothId) === l) {
          live.delete(boothId);
          onlineUnwritten.set(boothId, now);
        }
        return;
      }
      l.state = { ...l.state, health: r.health, reportedAt: r.reportedAt, problems: r.problems };
      written(l, now);
    });
    return l;
  }

  return {
    counters,
    connected(boothId) {
      connected(boothId);
    },
    disconnected(boothId) {
      onlineUnwritten.delete(boothId);
      const l = live.get(boothId);
      if (!l) return;
      live.delete(boothId);
      const now = clock();
      queue(l, async () => {
        if (!l.known) return;
        l.state = { ...l.state, online: false, since: now };
        const events: BoothEvent[] = [{ at: now, kind: 'offline', problem: null, version: null }];
        await write(boothId, l, events, now);
        if (l.dirty && !live.has(boothId)) offlineUnwritten.set(boothId, { l, events });
      });
    },
    report(boothId, health) {
      const now = clock();
      const l = live.get(boothId) ?? connected(boothId);
      if (l.known === false) return false;
      if (l.lastReport !== 0 && now - l.lastReport < minGapMs) {
        counters.dropped++;
        return false;
      }
      counters.reports++;
      l.lastReport = now;
      if (!deps.expectedVersion) noteVersion(health.version);
      queue(l, async () => {
        if (!l.known) return;
        const before = l.state;
        const judged = judgeBooth({ online: true, revoked: false, health, expectedVersion: expected() }).filter((p) => p !== 'offline');
        const problems: ProblemsSince = {};
        for (const p of judged) problems[p] = before.problems[p] ?? now;
        const events: BoothEvent[] = [];
        if (before.health && before.health.version !== health.version) events.push({ at: now, kind: 'version', problem: null, version: health.version });
        for (const p of judged) if (before.problems[p] === undefined) events.push({ at: now, kind: 'problem_start', problem: p, version: null });
        for (const p of Object.keys(before.problems) as BoothProblem[]) if (problems[p] === undefined) events.push({ at: now, kind: 'problem_end', problem: p, version: null });
        const changed = events.length > 0 || !sameStable(before.health, health);
        l.state = { ...before, health, reportedAt: now, problems };
        if (changed || now - l.lastWrite >= persistEveryMs) await write(boothId, l, events, now);
        else l.dirty = true;
      });
      return true;
    },
    async view() {
      const all = await records();
      const expectedVersion = deps.expectedVersion ?? newestVersion(all.flatMap((r) => (r.health && !r.revoked ? [r.health.version] : [])));
      const booths: BoothRow[] = all.map((r) => ({
        id: r.boothId,
        name: rowName(r),
        online: r.online,
        since: r.since,
        problems: judgeBooth({ online: r.online, revoked: r.revoked, health: r.health, expectedVersion }),
        health: r.health,
        reportedAt: r.reportedAt,
        revoked: r.revoked,
      }));
      return { at: clock(), expectedVersion, booths };
    },
    async alerts() {
      await caughtUp();
      // The alerts come with their booths' names (the dashboard asks every 5 s: not every booth read each time).
      const alerts = (await store.activeAlerts()).map((a) => ({ boothId: a.boothId, name: rowName(a), rule: a.rule, since: a.startedAt }));
      return { at: clock(), alerts };
    },
    async history(boothId, limit = 200) {
      await caughtUp();
      if (!(await store.record(boothId))) return null;
      return store.history(boothId, Math.max(1, Math.min(200, Math.floor(limit))));
    },
    async checkAlerts() {
      const now = clock();
      const hours = deps.openingHours();
      const delays = deps.alertDelays ?? DEFAULT_ALERT_DELAYS;
      writeUnwritten(now);
      await caughtUp();
      // What this hub holds in memory is fresher than the store (a write that failed is retried later): its booths
      // whose printer is down are judged on it even if the store does not say so yet.
      const all = (await store.alertCandidates(now - delays.offlineMs)).map(fresher);
      const seen = new Set(all.map((r) => r.boothId));
      for (const [boothId, l] of live) {
        if (seen.has(boothId) || !l.known || l.state.problems.printer_down === undefined) continue;
        const r = await store.record(boothId);
        if (r) all.push(fresher(r));
      }
      const byId = new Map(all.map((r) => [r.boothId, r]));
      const due = all.flatMap((r) => dueAlerts(r, now, hours, delays));
      const key = (boothId: number, rule: string): string => `${boothId}:${rule}`;
      const dueKeys = new Set(due.map((d) => key(d.boothId, d.rule)));
      for (const a of await store.activeAlerts()) {
        if (dueKeys.has(key(a.boothId, a.rule))) continue;
        const r = byId.get(a.boothId);
        // The store decides which hub ends it (and says so); a revoked booth's alert ends without a message.
        if ((await store.endAlert(a.boothId, a.rule)) && r && !r.revoked) deps.notify({ state: 'end', rule: a.rule, boothId: a.boothId, boothName: rowName(r), since: a.startedAt, at: now });
      }
      for (const d of due) {
        const r = byId.get(d.boothId);
        if (r && (await store.startAlert(d.boothId, d.rule, d.since))) {
          log.warn({ code: 'FLEET_ALERT', booth: d.boothId, rule: d.rule }, 'booth alert started');
          deps.notify({ state: 'start', rule: d.rule, boothId: d.boothId, boothName: rowName(r), since: d.since, at: now });
        }
      }
    },
    async flush() {
      const now = clock();
      for (const [boothId, l] of live) if (l.dirty) queue(l, () => write(boothId, l, [], now));
      writeUnwritten(now);
      await settled();
    },
    settled,
  };
}
