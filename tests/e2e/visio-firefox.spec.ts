// The agents' console in Firefox (Debian's Firefox ESR over WebDriver BiDi) answering the real kiosk in Chromium: the CAF
// call is accepted, each side sees the other's camera, the booth's document photo arrives intact, the agent's PDF is shown
// on the booth, and the agent hangs up. ICE on 127.0.0.1 only on both sides (`loopbackIceScript`).
import { chromium, expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { CHROMIUM_ARGS, CHROMIUM_ENV } from './playwright.config.js';
import { showDocumentPhoto } from './support/documentPhoto.js';
import { expectAccessible } from './support/axe.js';
import { FIREFOX_ESR, firefoxInstalled, launchFirefox, type RunningFirefox } from './support/firefox.js';
import { AGENT, SITE_NAME, startTestHub, type TestHub } from './support/hub.js';
import { REPO, startKiosk, type RunningKiosk } from './support/kiosk.js';
import { RED, closeTo, loopbackIceScript, mediaArgs, sampleVideoColour, writeY4m } from './support/media.js';

const CLOCK = '2026-11-25T10:00:00+01:00';
const RENDERER = join(REPO, 'dist/renderer');

test.describe.configure({ mode: 'serial', timeout: 150_000 });
const FIREFOX_MISSING = firefoxInstalled() ? null : `Firefox ESR is not installed (${FIREFOX_ESR}): « apt-get install -y firefox-esr » (.ci/run installs it)`;
// The list reporter shows a skip without its reason: say it on the console too.
if (FIREFOX_MISSING) console.warn(`visio-firefox.spec.ts skipped: ${FIREFOX_MISSING}`);
test.skip(FIREFOX_MISSING !== null, FIREFOX_MISSING ?? '');

let tmp: string;
let boothBrowser: Browser;
let firefox: RunningFirefox;
let hub: TestHub | null = null;
let kiosk: RunningKiosk | null = null;
const contexts: BrowserContext[] = [];

test.beforeAll(async () => {
  if (!existsSync(join(RENDERER, 'agent.html'))) throw new Error('dist/renderer is not built: run « npx vite build » first');
  tmp = mkdtempSync(join(tmpdir(), 'relais-visio-firefox-'));
  writeY4m(join(tmp, 'booth.y4m'), RED);
  [boothBrowser, firefox] = await Promise.all([
    chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: [...CHROMIUM_ARGS, ...mediaArgs(join(tmp, 'booth.y4m'))], env: CHROMIUM_ENV }),
    launchFirefox(),
  ]);
});

test.afterAll(async () => {
  await Promise.all([boothBrowser?.close(), firefox?.close()]);
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

test.afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
  await kiosk?.stop();
  kiosk = null;
  await hub?.stop();
  hub = null;
});

async function openPage(browser: Browser, side: 'booth' | 'agent'): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'fr-FR', timezoneId: 'Europe/Paris', acceptDownloads: true });
  contexts.push(context);
  await context.addInitScript(loopbackIceScript(false));
  if (side === 'booth') await context.clock.install({ time: CLOCK });
  return context.newPage();
}

/** Runs in the page: how many video frames its last peer connection has decoded so far. */
const framesDecoded = async (): Promise<number> => {
  const list = (window as unknown as { __peerConnections?: RTCPeerConnection[] }).__peerConnections ?? [];
  const pc = list[list.length - 1];
  let frames = 0;
  (await pc?.getStats())?.forEach((s: Record<string, unknown>) => {
    if (s.type === 'inbound-rtp' && s.kind === 'video') frames += Number(s.framesDecoded ?? 0);
  });
  return frames;
};

/** Runs in the page: the state of its last peer connection and of the remote video, to say why a picture is missing. */
const peerState = (): Record<string, unknown> => {
  const list = (window as unknown as { __peerConnections?: RTCPeerConnection[] }).__peerConnections ?? [];
  const pc = list[list.length - 1];
  const video = document.querySelector<HTMLVideoElement>('video[data-role="remote"]');
  return { connection: pc?.connectionState, ice: pc?.iceConnectionState, readyState: video?.readyState, width: video?.videoWidth, paused: video?.paused };
};

/** Runs in the page: the remote addresses of the candidate pair its last peer connection selected. */
const selectedRemoteAddress = async (): Promise<string | null> => {
  const list = (window as unknown as { __peerConnections?: RTCPeerConnection[] }).__peerConnections ?? [];
  const pc = list[list.length - 1];
  if (!pc) return null;
  const report = await pc.getStats();
  let address: string | null = null;
  report.forEach((s: Record<string, unknown>) => {
    if (s.type === 'candidate-pair' && s.state === 'succeeded' && s.nominated) {
      const remote = report.get(String(s.remoteCandidateId)) as { address?: string; candidateType?: string } | undefined;
      address = `${remote?.candidateType ?? '?'}@${remote?.address ?? '?'}`;
    }
  });
  return address;
};

async function makePdf(): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([595, 842]);
  page.drawText('Attestation de paiement — CAF', { x: 60, y: 760, size: 22, font: await doc.embedFont(StandardFonts.Helvetica) });
  return Buffer.from(await doc.save());
}

test('the agent answers from Firefox: each side sees the other, the booth’s document photo arrives intact, the agent’s PDF is shown on the booth, and the agent hangs up', async () => {
  hub = await startTestHub({ staticDir: RENDERER });
  kiosk = await startKiosk({ clockStart: CLOCK, env: { RELAIS_HUB_URL: hub.hub.url, RELAIS_HUB_TOKEN: hub.boothToken } });
  const [booth, agent] = await Promise.all([openPage(boothBrowser, 'booth'), openPage(firefox.browser, 'agent')]);
  expect(await agent.evaluate(() => navigator.userAgent)).toContain('Firefox/');

  // The agent signs in and is available.
  await agent.goto(hub.hub.httpUrl);
  await expect(agent.getByRole('heading', { level: 1, name: 'Console des conseillers' })).toBeVisible();
  // Typed key by key: Playwright's BiDi `fill` sets `value` through the element's own setter, which React's controlled
  // inputs take for their own write and ignore (the state stays empty, so the hub gets an empty login).
  await agent.getByLabel('Identifiant').pressSequentially(AGENT.login);
  await agent.getByLabel('Mot de passe').pressSequentially(AGENT.password);
  await expect(agent.getByLabel('Identifiant')).toHaveValue(AGENT.login);
  await agent.getByRole('button', { name: 'Se connecter' }).click();
  await expect(agent.getByRole('button', { name: 'Disponible' })).toHaveAttribute('aria-pressed', 'true');
  await expect(agent.locator('[data-hub="ready"]')).toBeVisible();
  await expectAccessible(agent, 'agent desk in Firefox');

  // The visitor calls CAF from the kiosk home; the agent accepts in Firefox.
  await booth.goto(kiosk.launchUrl);
  await expect(booth.getByRole('heading', { level: 1, name: 'Bienvenue' })).toBeVisible();
  await booth.locator('.tile[data-org="CAF"]').click();
  await booth.getByRole('button', { name: 'Parler à un conseiller en visio' }).click();
  await expect(booth.getByTestId('queue-position')).toHaveText('Vous êtes le prochain.');
  const ringing = agent.locator('.agent__ringing');
  await expect(ringing).toContainText(`${SITE_NAME} — CAF`);
  await ringing.getByRole('button', { name: 'Décrocher' }).click();
  await expect(booth.locator('main[data-phase="connected"]')).toBeVisible();
  await expect(agent.getByTestId('agent-call')).toBeVisible();

  // Firefox shows the booth's red camera; the booth receives Firefox's fake camera: frames keep arriving and are not black.
  await expect
    .poll(
      async () => {
        const colour = await agent.evaluate(sampleVideoColour, 'video[data-role="remote"]');
        return closeTo(colour, RED) ? 'red' : JSON.stringify({ colour, ...(await agent.evaluate(peerState)) });
      },
      { message: 'Firefox sees the booth camera', timeout: 20_000 },
    )
    .toBe('red');
  await expect.poll(() => booth.evaluate(framesDecoded), { message: 'the booth decodes the agent video', timeout: 20_000 }).toBeGreaterThan(10);
  const before = await booth.evaluate(framesDecoded);
  await expect.poll(() => booth.evaluate(framesDecoded), { message: 'frames keep arriving', timeout: 10_000 }).toBeGreaterThan(before);
  await expect
    .poll(
      async () => {
        const c = await booth.evaluate(sampleVideoColour, 'video[data-role="remote"]');
        return c !== null && c[0] + c[1] + c[2] > 60;
      },
      { message: 'the booth sees a picture from Firefox, not black' },
    )
    .toBe(true);
  for (const page of [booth, agent]) expect(await page.evaluate(selectedRemoteAddress)).toMatch(/@127\.0\.0\.1$|^prflx@/);
  await expectAccessible(agent, 'agent in call in Firefox');

  // The visitor shows a document: Firefox receives the JPEG, shows it, and the file its « Télécharger » link saves hashes to
  // what the booth sent.
  await showDocumentPhoto(booth, agent);

  // The agent sends a PDF from Firefox: the booth verifies it and renders it.
  const pdfFile = join(tmp, 'attestation.pdf');
  writeFileSync(pdfFile, await makePdf());
  await agent.getByTestId('pdf-input').setInputFiles(pdfFile);
  await expect(agent.locator('[data-transfer="out-verified"]')).toHaveText('La borne a reçu le document (empreinte vérifiée).');
  await expect(booth.locator('.call__pdf-pages[data-rendered="true"] canvas')).toHaveCount(1);
  await expect(booth.getByRole('img', { name: 'Page 1 sur 1' })).toBeVisible();
  await booth.getByRole('button', { name: 'Imprimer le document' }).click();
  const confirm = booth.getByRole('dialog', { name: 'Voulez-vous imprimer ce document ?' });
  await expect(confirm).toContainText('attestation.pdf');
  await confirm.getByRole('button', { name: 'Non', exact: true }).click();

  // The agent hangs up in Firefox: both sides say so.
  await agent.getByRole('button', { name: 'Raccrocher' }).click();
  await expect(agent.getByTestId('agent-ended')).toHaveText('Vous avez raccroché.');
  await expect(booth.getByTestId('end-reason')).toHaveText('Le conseiller a terminé l’appel.');
});
