// The agents' console in Firefox (Debian's Firefox ESR over WebDriver BiDi) answering the real kiosk in Chromium: the CAF
// call is accepted, each side sees the other's camera, the booth's document photo arrives intact, the agent's PDF is shown
// on the booth, and the agent hangs up; the same call relay-only through coturn; an agent who closes the Firefox tab
// mid-call. ICE on 127.0.0.1 only on both sides (`loopbackIceScript`).
import { chromium, expect, test, type Browser, type Page } from '@playwright/test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { CHROMIUM_ARGS, CHROMIUM_ENV } from './playwright.config.js';
import { showDocumentPhoto } from './support/documentPhoto.js';
import { expectAccessible } from './support/axe.js';
import { FIREFOX_ESR, firefoxInstalled, launchFirefox, type RunningFirefox } from './support/firefox.js';
import { AGENT, type TestHub } from './support/hub.js';
import { RED, closeTo, mediaArgs, sampleVideoColour, writeY4m } from './support/media.js';
import { agentTabClosedMidCall, connectCall, expectSelectedPair, relayOnlyCall, type VisioRig } from './support/visioFlow.js';
import { createVisioStage, requireRenderer } from './support/visioStage.js';

test.describe.configure({ mode: 'serial', timeout: 150_000 });
const FIREFOX_MISSING = firefoxInstalled() ? null : `Firefox ESR is not installed (${FIREFOX_ESR}): « apt-get install -y firefox-esr » (.ci/run installs it)`;
// The list reporter shows a skip without its reason: say it on the console too.
if (FIREFOX_MISSING) console.warn(`visio-firefox.spec.ts skipped: ${FIREFOX_MISSING}`);
test.skip(FIREFOX_MISSING !== null, FIREFOX_MISSING ?? '');

let tmp: string;
let boothBrowser: Browser;
let firefox: RunningFirefox;
const stage = createVisioStage();
const { startHubAndKiosk } = stage;

test.beforeAll(async () => {
  requireRenderer();
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

test.afterEach(() => stage.stop());

/** The booth page in Chromium and the agent page in Firefox, both keeping ICE on 127.0.0.1 (and relay-only if asked). */
async function openPages(relayOnly: boolean): Promise<{ booth: Page; agent: Page }> {
  const [booth, agent] = await Promise.all([stage.newPage(boothBrowser, { relayOnly, clock: true }), stage.newPage(firefox.browser, { relayOnly })]);
  expect(await agent.evaluate(() => navigator.userAgent)).toContain('Firefox/');
  return { booth, agent };
}

/** The agent signs in on the console in Firefox and is available. */
async function agentSignsIn(agent: Page, h: TestHub): Promise<void> {
  await agent.goto(h.hub.httpUrl);
  await expect(agent.getByRole('heading', { level: 1, name: 'Console des conseillers' })).toBeVisible();
  // Typed key by key: Playwright's BiDi `fill` sets `value` through the element's own setter, which React's controlled
  // inputs take for their own write and ignore (the state stays empty, so the hub gets an empty login).
  await agent.getByLabel('Identifiant').pressSequentially(AGENT.login);
  await agent.getByLabel('Mot de passe').pressSequentially(AGENT.password);
  await expect(agent.getByLabel('Identifiant')).toHaveValue(AGENT.login);
  await agent.getByRole('button', { name: 'Se connecter' }).click();
  await expect(agent.getByRole('button', { name: 'Disponible' })).toHaveAttribute('aria-pressed', 'true');
  await expect(agent.locator('[data-hub="ready"]')).toBeVisible();
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

/** Firefox shows the booth's red camera. */
async function expectFirefoxSeesBooth(agent: Page): Promise<void> {
  await expect
    .poll(
      async () => {
        const colour = await agent.evaluate(sampleVideoColour, 'video[data-role="remote"]');
        return closeTo(colour, RED) ? 'red' : JSON.stringify({ colour, ...(await agent.evaluate(peerState)) });
      },
      { message: 'Firefox sees the booth camera', timeout: 20_000 },
    )
    .toBe('red');
}

/** The booth receives Firefox's fake camera: frames keep arriving and are not black. */
async function expectBoothSeesFirefox(booth: Page): Promise<void> {
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
}

async function makePdf(): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([595, 842]);
  page.drawText('Attestation de paiement — CAF', { x: 60, y: 760, size: 22, font: await doc.embedFont(StandardFonts.Helvetica) });
  return Buffer.from(await doc.save());
}

test('the agent answers from Firefox: each side sees the other, the booth’s document photo arrives intact, the agent’s PDF is shown on the booth, and the agent hangs up', async () => {
  const { h, k } = await startHubAndKiosk();
  const { booth, agent } = await openPages(false);
  await agentSignsIn(agent, h);
  await expectAccessible(agent, 'agent desk in Firefox');

  // The visitor calls CAF from the kiosk home; the agent accepts in Firefox; each side sees the other.
  await booth.goto(await k.launchUrl());
  await connectCall(booth, agent);
  await expectFirefoxSeesBooth(agent);
  await expectBoothSeesFirefox(booth);
  // The selected pair reaches the other side on 127.0.0.1, or on a peer-reflexive address learnt from its checks.
  for (const page of [booth, agent]) await expectSelectedPair(page, /@127\.0\.0\.1$|→prflx@/);
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

const rig: VisioRig = { startHubAndKiosk, openPages, agentSignsIn, boothSeesAgent: expectBoothSeesFirefox, agentSeesBooth: expectFirefoxSeesBooth };

test('the same call through coturn with relay-only ICE, answered from Firefox: both videos arrive over a relay candidate', () => relayOnlyCall(rig));

test('an agent who closes the Firefox tab mid-call frees the booth with a message, and the visit is still recorded', () => agentTabClosedMidCall(rig));
