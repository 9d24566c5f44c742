// The document camera chosen in settings, end to end in Chromium through the real kiosk web shell: the booth's browser has
// two built-in fake cameras that look different (Chromium's `--use-fake-device-for-media-stream=device-count=2`:
// fake_device_0 paints a green test card, fake_device_1 a grey one), the mediator picks the second one in the device tab,
// then in a visio call « Montrer un document » sends a still of that camera while the call keeps the first one. A chosen
// camera that is gone keeps the setting, is said on the tab, and the still falls back to the call camera.
// Proof: the colour of the photo the agent receives, and the deviceId constraints the booth gave getUserMedia (recorded by
// an init script).
import { chromium, expect, test, type Browser, type Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM_ARGS, CHROMIUM_ENV } from './playwright.config.js';
import { expectAccessible, expectTouchTargets } from './support/axe.js';
import { AGENT } from './support/hub.js';
import { BLUE, mediaArgs, writeY4m, type Rgb } from './support/media.js';
import { createVisioStage, requireRenderer } from './support/visioStage.js';

const CALL_CAMERA = 'fake_device_0';
const DOCUMENT_CAMERA = 'fake_device_1';

test.describe.configure({ mode: 'serial', timeout: 120_000 });

let tmp: string;
let boothBrowser: Browser;
let agentBrowser: Browser;
const stage = createVisioStage();

test.beforeAll(async () => {
  requireRenderer();
  tmp = mkdtempSync(join(tmpdir(), 'relais-devices-e2e-'));
  writeY4m(join(tmp, 'agent.y4m'), BLUE);
  // The booth: two built-in fake cameras (a capture file would replace both by one device), loopback WebRTC.
  const boothArgs = [
    '--use-fake-device-for-media-stream=device-count=2',
    '--use-fake-ui-for-media-stream',
    '--allow-loopback-in-peer-connection',
    '--autoplay-policy=no-user-gesture-required',
  ];
  [boothBrowser, agentBrowser] = await Promise.all([
    chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: [...CHROMIUM_ARGS, ...boothArgs], env: CHROMIUM_ENV }),
    chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: [...CHROMIUM_ARGS, ...mediaArgs(join(tmp, 'agent.y4m'))], env: CHROMIUM_ENV }),
  ]);
});

test.afterAll(async () => {
  await Promise.all([boothBrowser?.close(), agentBrowser?.close()]);
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

test.afterEach(() => stage.stop());

/** Records every getUserMedia constraint the page asks for, in `window.__gumCalls` (JSON strings). */
const RECORD_GUM = `(() => {
  const media = navigator.mediaDevices;
  if (!media) return;
  const native = media.getUserMedia.bind(media);
  window.__gumCalls = [];
  media.getUserMedia = (constraints) => { window.__gumCalls.push(JSON.stringify(constraints ?? null)); return native(constraints); };
})();`;

async function setUp(): Promise<{ booth: Page; agent: Page; launchUrl: () => Promise<string> }> {
  const { h: hub, k: kiosk } = await stage.startHubAndKiosk();
  const [booth, agent] = await Promise.all([stage.newPage(boothBrowser, { clock: true, initScripts: [RECORD_GUM] }), stage.newPage(agentBrowser)]);
  await agent.goto(hub.hub.httpUrl);
  await agent.getByLabel('Identifiant').fill(AGENT.login);
  await agent.getByLabel('Mot de passe').fill(AGENT.password);
  await agent.getByRole('button', { name: 'Se connecter' }).click();
  await expect(agent.locator('[data-hub="ready"]')).toBeVisible();
  return { booth, agent, launchUrl: () => kiosk.launchUrl() };
}

async function openDevicesTab(booth: Page): Promise<void> {
  await booth.getByRole('button', { name: 'Mode médiateur' }).click();
  await booth.getByLabel('Code PIN', { exact: true }).fill('1234');
  await booth.getByRole('button', { name: 'Valider' }).click();
  await expect(booth.getByRole('heading', { level: 1, name: 'Espace médiateur' })).toBeVisible();
  await booth.getByRole('button', { name: 'Imprimante et appareils' }).click();
  await expect(booth.getByRole('heading', { level: 2, name: 'Caméra à documents' })).toBeVisible();
}

/** Runs in the page: the mean colour of a whole video or image element (drawn on a canvas). */
const meanColour = (selector: string): Rgb | null => {
  const el = document.querySelector<HTMLVideoElement | HTMLImageElement>(selector);
  if (!el) return null;
  const width = el instanceof HTMLVideoElement ? el.videoWidth : el.naturalWidth;
  const height = el instanceof HTMLVideoElement ? el.videoHeight : el.naturalHeight;
  if (!width || !height) return null;
  const canvas = document.createElement('canvas');
  canvas.width = 160;
  canvas.height = 120;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) return null;
  ctx.drawImage(el, 0, 0, canvas.width, canvas.height);
  const d = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  const sum = [0, 0, 0];
  for (let i = 0; i < d.length; i += 4) for (let c = 0; c < 3; c++) sum[c]! += d[i + c]!;
  const n = d.length / 4;
  return [Math.round(sum[0]! / n), Math.round(sum[1]! / n), Math.round(sum[2]! / n)];
};

/** The two fake cameras as measured in Chromium 156: fake_device_0 ≈ (11, 155, 3) green, fake_device_1 ≈ (35, 35, 35) grey. */
type Look = 'green' | 'grey' | 'other';
const lookOf = (c: Rgb | null): Look | null => {
  if (!c) return null;
  const [r, g, b] = c;
  if (g > 90 && g > r + 60 && g > b + 60) return 'green';
  if (Math.max(r, g, b) - Math.min(r, g, b) < 25) return 'grey';
  return 'other';
};
const look = async (page: Page, selector: string): Promise<Look | null> => lookOf(await page.evaluate(meanColour, selector));

async function deviceIdOf(booth: Page, label: string): Promise<string> {
  const id = await booth.evaluate(async (l) => (await navigator.mediaDevices.enumerateDevices()).find((d) => d.kind === 'videoinput' && d.label === l)?.deviceId ?? '', label);
  expect(id, `deviceId of ${label}`).not.toBe('');
  return id;
}

/** The exact deviceIds the booth asked getUserMedia for, in order (video only, as the still of the document camera does). */
const exactVideoIds = (booth: Page): Promise<string[]> =>
  booth.evaluate(() =>
    ((window as unknown as { __gumCalls?: string[] }).__gumCalls ?? [])
      .map((s) => JSON.parse(s) as { video?: { deviceId?: { exact?: string } } } | null)
      .map((c) => c?.video?.deviceId?.exact)
      .filter((id): id is string => typeof id === 'string'),
  );

/** The visitor calls CAF, the agent answers; the agent sees the call camera (green). Then the visitor shows a document. */
async function callAndShowDocument(booth: Page, agent: Page): Promise<Look | null> {
  await expect(booth.getByRole('heading', { level: 1, name: 'Bienvenue' })).toBeVisible();
  await booth.locator('.tile[data-org="CAF"]').click();
  await booth.getByRole('button', { name: 'Parler à un conseiller en visio' }).click();
  const ringing = agent.locator('.agent__ringing');
  await expect(ringing).toHaveCount(1);
  await ringing.getByRole('button', { name: 'Décrocher' }).click();
  await expect(booth.locator('main[data-phase="connected"]')).toBeVisible();
  await expect.poll(() => look(agent, 'video[data-role="remote"]'), { message: 'the agent sees the call camera', timeout: 15_000 }).toBe('green');

  await booth.getByRole('button', { name: 'Montrer un document' }).click();
  const sent = booth.locator('[data-transfer="verified"]');
  await expect(sent).toContainText('Le conseiller a bien reçu votre document.');
  const photo = agent.locator('.agent__photos li[data-sha256]');
  await expect(photo).toHaveCount(1);
  expect(await photo.getAttribute('data-sha256')).toBe(await sent.getAttribute('data-sha256'));
  await expect.poll(() => agent.evaluate(() => document.querySelector<HTMLImageElement>('.agent__photos li img')?.complete ?? false)).toBe(true);
  const photoLook = await look(agent, '.agent__photos li img');
  // The call itself still shows the call camera after the still.
  await expect.poll(() => look(agent, 'video[data-role="remote"]'), { timeout: 10_000 }).toBe('green');
  await booth.getByRole('button', { name: 'Raccrocher' }).click();
  await expect(booth.getByTestId('end-reason')).toHaveText('Vous avez raccroché.');
  return photoLook;
}

test('the mediator picks the second camera as document camera; in a call the document still comes from it while the call keeps the first', async () => {
  const { booth, agent, launchUrl } = await setUp();
  await booth.goto(await launchUrl());
  await openDevicesTab(booth);
  const panel = booth.getByTestId('document-camera');
  const none = panel.getByRole('radio', { name: 'Aucune (la caméra de l’appel sert aussi aux documents)' });
  await expect(none).toBeChecked();
  await expect(panel).toContainText('Les documents sont photographiés avec la caméra de l’appel.');

  // Before camera access the browser hides names and ids: the mediator asks to see them.
  const showNames = panel.getByRole('button', { name: 'Afficher le nom des caméras' });
  // Wait for the browser's list: either the names are hidden (the button) or the cameras are listed by name.
  await expect(showNames.or(panel.getByRole('radio', { name: CALL_CAMERA })).first()).toBeVisible();
  const hidden = await showNames.isVisible();
  console.info(`camera names before access: ${hidden ? 'hidden (« Afficher le nom des caméras » pressed)' : 'already shown'}`);
  if (hidden) {
    await expectTouchTargets(booth, 'devices tab, camera names hidden');
    await showNames.click();
  }
  const documentChoice = panel.getByRole('radio', { name: DOCUMENT_CAMERA });
  await expect(panel.getByRole('radio', { name: CALL_CAMERA })).toBeVisible();
  await expect(documentChoice).toBeVisible();
  await expectAccessible(booth, 'devices tab, document camera choice');
  await expectTouchTargets(booth, 'devices tab, document camera choice');

  // Keyboard: from « Aucune », arrow keys move through the radio group and choosing saves at once.
  await none.focus();
  await booth.keyboard.press('ArrowDown');
  await expect(panel.getByRole('radio', { name: CALL_CAMERA })).toBeChecked();
  await expect(booth.getByTestId('document-camera-notice')).toHaveText(`Réglage enregistré : ${CALL_CAMERA}.`);
  await booth.keyboard.press('ArrowDown');
  await expect(documentChoice).toBeChecked();
  await expect(booth.getByTestId('document-camera-notice')).toHaveText(`Réglage enregistré : ${DOCUMENT_CAMERA}.`);
  const documentId = await deviceIdOf(booth, DOCUMENT_CAMERA);
  await expect(panel).toHaveAttribute('data-saved', documentId);

  // The live preview shows the chosen camera: grey, not the green call camera.
  await expect.poll(() => look(booth, '[data-testid="document-camera-preview"]'), { message: 'the preview shows the document camera', timeout: 10_000 }).toBe('grey');
  await expectAccessible(booth, 'devices tab with the document camera preview');

  // Kept after leaving and coming back to the tab.
  await booth.getByRole('button', { name: 'Grille hebdomadaire' }).click();
  await booth.getByRole('button', { name: 'Imprimante et appareils' }).click();
  await expect(booth.getByTestId('document-camera').getByRole('radio', { name: DOCUMENT_CAMERA })).toBeChecked();

  await booth.getByRole('button', { name: 'Verrouiller' }).click();
  const before = (await exactVideoIds(booth)).length;
  const photoLook = await callAndShowDocument(booth, agent);
  expect(photoLook, 'the photo the agent received comes from the document camera').toBe('grey');
  // The still asked for exactly the chosen device.
  expect((await exactVideoIds(booth)).slice(before)).toEqual([documentId]);
});

test('a chosen document camera that is gone: the tab says it is absent and keeps it; the still falls back to the call camera', async () => {
  const { booth, agent, launchUrl } = await setUp();
  await booth.goto(await launchUrl());
  await openDevicesTab(booth);
  // A camera saved earlier and since unplugged: its id is set through the same verb the tab uses (no fake camera can be unplugged).
  const gone = 'f'.repeat(64);
  const saved = await booth.evaluate(async (id) => {
    const res = await fetch('/api/visio.setDevices', { method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ documentCameraId: id }) });
    return (await res.json()) as { ok: boolean };
  }, gone);
  expect(saved.ok).toBe(true);
  await booth.getByRole('button', { name: 'Grille hebdomadaire' }).click();
  await booth.getByRole('button', { name: 'Imprimante et appareils' }).click();
  const panel = booth.getByTestId('document-camera');
  await expect(panel.getByRole('alert')).toContainText('La caméra à documents choisie est absente (débranchée ?). Le réglage est gardé');
  await expect(panel.getByRole('radio', { name: 'Caméra choisie, absente pour le moment' })).toBeChecked();
  await expect(panel).toHaveAttribute('data-saved', gone);
  await expectAccessible(booth, 'devices tab, document camera absent');

  await booth.getByRole('button', { name: 'Verrouiller' }).click();
  const before = (await exactVideoIds(booth)).length;
  const photoLook = await callAndShowDocument(booth, agent);
  expect(photoLook, 'the photo falls back to the call camera').toBe('green');
  // The booth did ask for the saved camera first (refused: absent), then used the call camera's picture.
  expect((await exactVideoIds(booth)).slice(before)).toEqual([gone]);
});
