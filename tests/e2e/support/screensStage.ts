// What the screens matrix runs against: a hub (CAF agent, always open), the kiosk's web shell using it, with the virtual
// PDF printer and a fake online service's guide; one Chromium with a fake camera; the booth's page (a touch screen, its
// clock at the kiosk's instant, camera opening that the test can hold) and the agents' console.
import { chromium, type Browser, type Page } from '@playwright/test';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM_ARGS, CHROMIUM_ENV } from '../playwright.config.js';
import { createAppointmentService } from '../../../server/appointments/service.js';
import { createSqliteAppointmentStore } from '../../../server/appointments/sqliteStore.js';
import { openHubDb } from '../../../server/store.js';
import { parisParts } from '../../../shared/time.js';
import { startFakeOnlineService, writeFakeServiceGuide, type FakeOnlineService } from './fakeOnlineService.js';
import { AGENT, startTestHub, type TestHub } from './hub.js';
import { startKiosk, type RunningKiosk } from './kiosk.js';
import { RED, loopbackIceScript, mediaArgs, writeY4m } from './media.js';
import { RENDERER, VISIO_CLOCK, requireRenderer } from './visioStage.js';

/**
 * Before any page script: `window.__holdCamera()` makes the next getUserMedia wait until `window.__releaseCamera()`, so the
 * call's pre-flight (« Vérification de la caméra… ») stays on screen while it is measured.
 */
const HOLD_CAMERA_SCRIPT = `(() => {
  const media = navigator.mediaDevices;
  if (!media) return;
  const open = media.getUserMedia.bind(media);
  let held = null;
  window.__holdCamera = () => { let release; held = new Promise((r) => (release = r)); window.__releaseCamera = () => { held = null; release(); }; };
  media.getUserMedia = async (constraints) => { if (held) await held; return open(constraints); };
})();`;

/**
 * Before any page script: `window.__dropHubSocket()` closes the booth's socket to the hub from the page, as the death of
 * the hub node holding it does on a hub across machines, so the call screen's « liaison interrompue » state is measured.
 */
const HUB_SOCKET_SCRIPT = `(() => {
  const Native = window.WebSocket;
  const open = new Set();
  window.WebSocket = class extends Native {
    constructor(url, protocols) {
      super(url, protocols);
      if (!String(url).includes('/hub')) return;
      open.add(this);
      this.addEventListener('close', () => open.delete(this));
    }
  };
  window.__dropHubSocket = () => { for (const ws of open) ws.close(); };
})();`;

/**
 * CAF's visio slots for the booking screens: every weekday at 09:00, 09:30, 10:00, 14:00 and 14:30 for three weeks from
 * tomorrow, two places each, published as a planner would (the appointments' service over the hub's own database).
 */
async function publishCafSlots(hub: TestHub): Promise<void> {
  const db = openHubDb(join(hub.dataDir, 'hub.sqlite'));
  try {
    const store = createSqliteAppointmentStore(db);
    const [agentId] = store.agentIdsByLogin('CAF', [AGENT.login]) ?? [];
    if (agentId === undefined) throw new Error('the CAF agent of the test hub is missing');
    const tomorrow = parisParts(Date.now() + 24 * 3600_000);
    const start = `${tomorrow.year}-${String(tomorrow.month).padStart(2, '0')}-${String(tomorrow.day).padStart(2, '0')}T09:00`;
    const service = createAppointmentService({ store, clock: Date.now, newId: randomUUID });
    const published = await service.publish('CAF', agentId, { start, rule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;BYHOUR=9,10,14;BYMINUTE=0,30;COUNT=75', lengthMin: 30, capacity: 2 });
    if (!published.ok) throw new Error(`CAF's slots were not published: ${published.code}`);
  } finally {
    db.close();
  }
}

export interface ScreensStage {
  hub: TestHub;
  kiosk: RunningKiosk;
  service: FakeOnlineService;
  browser: Browser;
  booth: Page;
  agent: Page;
  stop(): Promise<void>;
}

export async function startScreensStage(): Promise<ScreensStage> {
  requireRenderer();
  const tmp = mkdtempSync(join(tmpdir(), 'relais-screens-'));
  const guidesDir = join(tmp, 'guides');
  writeY4m(join(tmp, 'camera.y4m'), RED);
  const service = await startFakeOnlineService();
  mkdirSync(guidesDir);
  await writeFakeServiceGuide(guidesDir, service.origin);
  // A ring long enough for the waiting screen and the ringing console to be measured at every size.
  const hub = await startTestHub({ staticDir: RENDERER, ringTimeoutMs: 600_000 });
  await publishCafSlots(hub);
  const kiosk = await startKiosk({
    clockStart: VISIO_CLOCK,
    env: { RELAIS_HUB_URL: hub.hub.url, RELAIS_HUB_TOKEN: hub.boothToken, RELAIS_PRINTER: 'PDF', RELAIS_EXTRA_GUIDES_DIR: guidesDir },
  });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: [...CHROMIUM_ARGS, ...mediaArgs(join(tmp, 'camera.y4m'))], env: CHROMIUM_ENV });
  const boothContext = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'fr-FR', timezoneId: 'Europe/Paris', hasTouch: true });
  await boothContext.addInitScript(loopbackIceScript(false));
  await boothContext.addInitScript(HOLD_CAMERA_SCRIPT);
  await boothContext.addInitScript(HUB_SOCKET_SCRIPT);
  await boothContext.clock.install({ time: VISIO_CLOCK });
  const agentContext = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'fr-FR', timezoneId: 'Europe/Paris' });
  await agentContext.addInitScript(loopbackIceScript(false));
  const [booth, agent] = await Promise.all([boothContext.newPage(), agentContext.newPage()]);
  return {
    hub,
    kiosk,
    service,
    browser,
    booth,
    agent,
    async stop() {
      await browser.close().catch(() => undefined);
      await kiosk.stop();
      await hub.stop();
      await service.close();
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}
