// What the screens matrix runs against: a hub (CAF agent, always open), the kiosk's web shell using it, with the virtual
// PDF printer and a fake online service's guide; one Chromium with a fake camera; the booth's page (a touch screen, its
// clock at the kiosk's instant, camera opening that the test can hold) and the agents' console.
import { chromium, type Browser, type Page } from '@playwright/test';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM_ARGS, CHROMIUM_ENV } from '../playwright.config.js';
import { startFakeOnlineService, writeFakeServiceGuide, type FakeOnlineService } from './fakeOnlineService.js';
import { startTestHub, type TestHub } from './hub.js';
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
  const kiosk = await startKiosk({
    clockStart: VISIO_CLOCK,
    env: { RELAIS_HUB_URL: hub.hub.url, RELAIS_HUB_TOKEN: hub.boothToken, RELAIS_PRINTER: 'PDF', RELAIS_EXTRA_GUIDES_DIR: guidesDir },
  });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: [...CHROMIUM_ARGS, ...mediaArgs(join(tmp, 'camera.y4m'))], env: CHROMIUM_ENV });
  const boothContext = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'fr-FR', timezoneId: 'Europe/Paris', hasTouch: true });
  await boothContext.addInitScript(loopbackIceScript(false));
  await boothContext.addInitScript(HOLD_CAMERA_SCRIPT);
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
