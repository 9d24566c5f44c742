// The kiosk's evaluation feature against a real hub: a week's counts reach the coordinator's store; with the hub down the
// week waits in the queue and arrives once the hub is back; a correction replaces the week; kiosk faults open one incident.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../../../electron/services/dispatch.js';
import { hubHttpBase } from '../../../../electron/services/evaluation/feature.js';
import { createKiosk, type Kiosk } from '../../../../electron/services/kiosk.js';
import { silentLogger } from '../../../../electron/services/logger.js';
import { siteIdOfBooth } from '../../../../server/coordinator/index.js';
import { startHub, type RunningHub } from '../../../../server/hub.js';
import { weekKeyOf } from '../../../../shared/time.js';
import { ASSETS_DIR, fakeClock, paris } from '../services/support.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function hubOn(dataDir: string, port = 0): Promise<RunningHub> {
  return startHub({ host: '127.0.0.1', port, dataDir });
}

function kioskFor(hub: { url: string; token: string } | null, clock = fakeClock(paris(2026, 11, 25, 10, 0))): Kiosk {
  const kiosk = createKiosk({
    dbFile: ':memory:',
    clock,
    logger: silentLogger(),
    assetsDir: ASSETS_DIR,
    evaluation: { hub: hub ? { url: hub.url, token: hub.token, demo: false, consoleUrl: null } : null, flushEveryMs: 3_600_000, requestTimeoutMs: 2_000 },
  });
  cleanups.push(() => kiosk.close());
  return kiosk;
}

const weekTotal = (hub: RunningHub, boothId: number): number | undefined =>
  (hub.store.db.prepare('SELECT total FROM aggregate_weeks WHERE site_id = ?').get(siteIdOfBooth(boothId)) as { total: number } | undefined)?.total;

describe('hub URL for HTTP', () => {
  it('derives http(s)://host:port from the WebSocket URL', () => {
    expect(hubHttpBase('ws://127.0.0.1:8787/hub')).toBe('http://127.0.0.1:8787');
    expect(hubHttpBase('wss://hub.lot.fr/hub')).toBe('https://hub.lot.fr');
  });
});

describe('aggregate sync to the hub', () => {
  it('sends the week after services are recorded, waits while the hub is down, and delivers once it is back', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'relais-sync-hub-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    let hub = await hubOn(dataDir);
    const port = hub.port;
    const booth = hub.store.addBooth('Relais de Gramat', Date.now());
    const kiosk = kioskFor({ url: hub.url, token: booth.token });
    const at = paris(2026, 11, 25, 9, 0);

    kiosk.visits.record({ organisation: 'CAF', service: 'visio', startedAt: at, endedAt: at + 600_000 }, { mediatorId: null, source: 'visio' });
    kiosk.visits.record({ organisation: 'CPAM', service: 'info', startedAt: at, endedAt: at }, { mediatorId: 1, source: 'mediator' });
    const first = await kiosk.evaluation.flushNow();
    expect(first).toMatchObject({ sent: 1, failed: false, pending: 0 });
    expect(weekTotal(hub, booth.id)).toBe(2);

    await hub.close();
    kiosk.visits.record({ organisation: 'CAF', service: 'documents', startedAt: at, endedAt: at }, { mediatorId: 1, source: 'mediator' });
    kiosk.evaluation.onVisitsChanged(weekKeyOf(at));
    const down = await kiosk.evaluation.flushNow();
    expect(down).toMatchObject({ sent: 0, failed: true, pending: 1 });
    expect(kiosk.evaluation.sync.status().lastError).toMatch(/^hub injoignable/);

    hub = await hubOn(dataDir, port);
    cleanups.push(() => hub.close());
    // The retry delay has not run out, but the hub answers again: the week goes at once.
    const back = await kiosk.evaluation.flushNow();
    expect(back).toMatchObject({ sent: 1, failed: false, pending: 0 });
    expect(weekTotal(hub, booth.id)).toBe(3);
  });

  it('queues a week by itself when a visit of it is recorded, corrected or deleted', async () => {
    const kiosk = kioskFor(null);
    const at = paris(2026, 11, 25, 9, 0);
    const week = weekKeyOf(at);
    const queued = () => kiosk.db.prepare('SELECT payload_hash FROM sync_queue WHERE week_key = ?').pluck().get(week) as string | undefined;
    const current = () => kiosk.evaluation.sync.payloadFor(week).hash;
    const visit = kiosk.visits.record({ organisation: 'CAF', service: 'info', startedAt: at, endedAt: at }, { mediatorId: 1, source: 'mediator' });
    await expect.poll(queued).toBe(current());
    const first = current();
    kiosk.visits.update(visit.id, { service: 'documents' }, 1);
    await expect.poll(queued).not.toBe(first);
    expect(queued()).toBe(current());
    kiosk.visits.remove(visit.id, 1);
    const emptied = current();
    expect(queued()).not.toBe(emptied);
    await expect.poll(queued).toBe(emptied);
    expect(kiosk.evaluation.sync.status().pending).toBe(1);
  });

  it('keeps the week pending when no hub is configured, and reports it through sync.status', async () => {
    const kiosk = kioskFor(null);
    const at = paris(2026, 11, 25, 9, 0);
    kiosk.visits.record({ organisation: 'CAF', service: 'info', startedAt: at, endedAt: at }, { mediatorId: 1, source: 'mediator' });
    await kiosk.evaluation.flushNow();
    expect(kiosk.evaluation.sync.status().pending).toBe(1);
    await kiosk.auth.unlock('1234');
    const r = await dispatch({ handlers: kiosk.handlers, requireMediator: () => kiosk.requireMediator(), logger: silentLogger() }, 'sync.status', {});
    expect(r).toMatchObject({ ok: true, value: { pending: 1, configured: false } });
  });
});

describe('kiosk faults through the contract', () => {
  it('opens one incident for a fault reported twice, counts the occurrences, and resolves it when cleared', async () => {
    const kiosk = kioskFor(null);
    const events: string[] = [];
    kiosk.onEvent((name) => events.push(name));
    const deps = { handlers: kiosk.handlers, requireMediator: () => kiosk.requireMediator(), logger: silentLogger() };
    const report = { faultKey: 'printer_fault:PDF', category: 'equipment', what: "L'imprimante est en panne ou indisponible." };
    const a = await dispatch(deps, 'incidents.reportFault', report);
    const b = await dispatch(deps, 'incidents.reportFault', report);
    expect(a).toMatchObject({ ok: true, value: { opened: true } });
    expect(b).toMatchObject({ ok: true, value: { opened: false } });
    expect(a.ok && b.ok && (a.value as { incidentId: number }).incidentId === (b.value as { incidentId: number }).incidentId).toBe(true);
    expect(events.filter((e) => e === 'incidents.changed')).toHaveLength(1);

    await kiosk.auth.unlock('1234');
    const list = await dispatch(deps, 'incidents.list', {});
    expect(list.ok && (list.value as { occurrences: number; status: string }[])).toMatchObject([{ occurrences: 2, status: 'open', faultKey: 'printer_fault:PDF' }]);

    expect(await dispatch(deps, 'incidents.faultCleared', { faultKey: 'printer_fault:PDF' })).toMatchObject({ ok: true, value: { cleared: true } });
    expect(await dispatch(deps, 'incidents.faultCleared', { faultKey: 'printer_fault:PDF' })).toMatchObject({ ok: true, value: { cleared: false } });
    const again = await dispatch(deps, 'incidents.reportFault', report);
    expect(again).toMatchObject({ ok: true, value: { opened: true } });
  });

  it('refuses the mediator verbs while locked but lets visitors answer the survey', async () => {
    const kiosk = kioskFor(null);
    const deps = { handlers: kiosk.handlers, requireMediator: () => kiosk.requireMediator(), logger: silentLogger() };
    expect(await dispatch(deps, 'incidents.list', {})).toMatchObject({ ok: false, error: { code: 'NOT_UNLOCKED' } });
    const offer = await dispatch(deps, 'survey.offer', { service: 'visio' });
    expect(offer).toMatchObject({ ok: true, value: { offer: true } });
    const recorded = await dispatch(deps, 'survey.record', { organisation: 'CAF', service: 'visio', answers: { welcome: 5, answer: null } });
    expect(recorded).toMatchObject({ ok: true, value: { stored: true } });
  });
});
