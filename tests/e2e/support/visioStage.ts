// What every visio spec sets up per test: a hub (CAF agent, always open), the kiosk web shell using it instead of its
// embedded demo hub, and the browser contexts of the booth and the agent; `stop()` (each spec's afterEach) closes them.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from '@playwright/test';
import type { IceServer } from '../../../shared/protocol.js';
import { startTestHub, type TestHub } from './hub.js';
import { REPO, startKiosk, type RunningKiosk } from './kiosk.js';
import { loopbackIceScript } from './media.js';

/**
 * Wednesday 25 November 2026, 10:00 in Paris: the kiosk's own CAF hours (demo config) have visio open. The booth page's
 * clock is set to the same instant so the visit it records falls in the kiosk's week.
 */
export const VISIO_CLOCK = '2026-11-25T10:00:00+01:00';
/** The built renderer (`npx vite build`): the kiosk's screens and the agents' console the hub serves. */
export const RENDERER = join(REPO, 'dist/renderer');

export function requireRenderer(): void {
  if (!existsSync(join(RENDERER, 'agent.html'))) throw new Error('dist/renderer is not built: run « npx vite build » first');
}

export interface PageOptions {
  /** ICE through the TURN relay only (still on 127.0.0.1). */
  relayOnly?: boolean;
  /** The kiosk's clock (the booth's page). */
  clock?: boolean;
  /** More init scripts, after the loopback-ICE one. */
  initScripts?: string[];
}

export interface VisioStage {
  startHubAndKiosk(options?: { iceServers?: IceServer[] }): Promise<{ h: TestHub; k: RunningKiosk }>;
  /** A page in a fresh French context of this browser, keeping ICE on 127.0.0.1. */
  newPage(browser: Browser, options?: PageOptions): Promise<Page>;
  stop(): Promise<void>;
}

export function createVisioStage(): VisioStage {
  let hub: TestHub | null = null;
  let kiosk: RunningKiosk | null = null;
  const contexts: Array<{ close(): Promise<void> }> = [];
  return {
    async startHubAndKiosk(options = {}) {
      hub = await startTestHub({ staticDir: RENDERER, ...options });
      kiosk = await startKiosk({ clockStart: VISIO_CLOCK, env: { RELAIS_HUB_URL: hub.hub.url, RELAIS_HUB_TOKEN: hub.boothToken } });
      return { h: hub, k: kiosk };
    },
    async newPage(browser, { relayOnly = false, clock = false, initScripts = [] } = {}) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'fr-FR', timezoneId: 'Europe/Paris', acceptDownloads: true });
      contexts.push(context);
      await context.addInitScript(loopbackIceScript(relayOnly));
      for (const script of initScripts) await context.addInitScript(script);
      if (clock) await context.clock.install({ time: VISIO_CLOCK });
      return context.newPage();
    },
    async stop() {
      await Promise.all(contexts.splice(0).map((c) => c.close()));
      await kiosk?.stop();
      kiosk = null;
      await hub?.stop();
      hub = null;
    },
  };
}
