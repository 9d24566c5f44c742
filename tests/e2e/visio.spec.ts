// Visio-accueil end to end in Chromium through the real kiosk web shell: the visitor taps CAF on the kiosk home and
// « Parler à un conseiller en visio », the agent answers on the console served by a real hub; two browsers with known fake
// cameras (booth red, agent blue), ICE on loopback only; direct and relay-only through coturn; an agent who closes the
// tab, a hub restarted and a hub gone while the booth waits; after the call the survey, and the visit in the weekly grid.
import { chromium, expect, test, type Browser, type Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { CHROMIUM_ARGS, CHROMIUM_ENV } from './playwright.config.js';
import { showDocumentPhoto } from './support/documentPhoto.js';
import { expectAccessible, expectTouchTargets } from './support/axe.js';
import { SITE_NAME, type TestHub } from './support/hub.js';
import { agentSignsInAt, agentTabClosedMidCall, expectRemoteColour, expectSelectedPair, expectVisioVisitsInGrid, leaveEndedCall, relayOnlyCall, visitorCallsCaf, type VisioRig } from './support/visioFlow.js';
import { createVisioStage, requireRenderer } from './support/visioStage.js';
import { BLUE, RED, mediaArgs, writeY4m } from './support/media.js';

test.describe.configure({ mode: 'serial', timeout: 120_000 });

let tmp: string;
let boothBrowser: Browser;
let agentBrowser: Browser;
const stage = createVisioStage();
const { startHubAndKiosk } = stage;

test.beforeAll(async () => {
  requireRenderer();
  tmp = mkdtempSync(join(tmpdir(), 'relais-visio-e2e-'));
  writeY4m(join(tmp, 'booth.y4m'), RED);
  writeY4m(join(tmp, 'agent.y4m'), BLUE);
  const launch = (y4m: string) =>
    chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: [...CHROMIUM_ARGS, ...mediaArgs(join(tmp, y4m))], env: CHROMIUM_ENV });
  [boothBrowser, agentBrowser] = await Promise.all([launch('booth.y4m'), launch('agent.y4m')]);
});

test.afterAll(async () => {
  await Promise.all([boothBrowser?.close(), agentBrowser?.close()]);
  rmSync(tmp, { recursive: true, force: true });
});

test.afterEach(() => stage.stop());

async function openPages(relayOnly: boolean): Promise<{ booth: Page; agent: Page }> {
  const [booth, agent] = await Promise.all([stage.newPage(boothBrowser, { relayOnly, clock: true }), stage.newPage(agentBrowser, { relayOnly })]);
  return { booth, agent };
}

async function agentSignsIn(agent: Page, h: TestHub): Promise<void> {
  await agentSignsInAt(agent, h.hub.httpUrl);
}

/**
 * The codec this page sends its voice with: the first payload type of the audio section of the other side's description
 * (Chromium's stats name Opus even when RED carries it; RED doubles the bytes per packet, measured beside plain Opus).
 */
async function sentVoiceCodec(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    const list = (window as unknown as { __peerConnections?: RTCPeerConnection[] }).__peerConnections ?? [];
    const sdp = list[list.length - 1]?.remoteDescription?.sdp;
    if (!sdp) return null;
    const lines = sdp.split(/\r?\n/);
    const first = lines.find((l) => l.startsWith('m=audio'))?.split(' ')[3];
    const rtpmap = lines.find((l) => l.startsWith(`a=rtpmap:${first} `));
    return rtpmap ? rtpmap.split(' ')[1]!.split('/')[0]!.toLowerCase() : null;
  });
}

/** The addresses of the remote candidates this page was given by signalling (host, srflx or relay; prflx are learnt). */
async function signalledRemoteAddresses(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const list = (window as unknown as { __peerConnections?: RTCPeerConnection[] }).__peerConnections ?? [];
    const pc = list[list.length - 1];
    const out = new Set<string>();
    if (!pc) return [];
    (await pc.getStats()).forEach((s: Record<string, unknown>) => {
      if (s.type === 'remote-candidate' && s.candidateType !== 'prflx') out.add(String(s.address));
    });
    return [...out];
  });
}

async function makePdf(): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([595, 842]);
  page.drawText('Attestation de paiement — CAF', { x: 60, y: 760, size: 22, font: await doc.embedFont(StandardFonts.Helvetica) });
  return Buffer.from(await doc.save());
}

test('a visitor calls CAF from the kiosk, the agent answers, each sees the other, a document photo and a PDF cross intact, then the survey and the weekly grid count the visit', async () => {
  const { h, k } = await startHubAndKiosk();
  const { booth, agent } = await openPages(false);
  await agentSignsIn(agent, h);
  await expectAccessible(agent, 'agent desk');

  await booth.goto(await k.launchUrl());
  await visitorCallsCaf(booth);
  await expect(booth.getByRole('heading', { level: 2, name: 'Un conseiller va vous répondre' })).toBeVisible();
  await expect(booth.getByTestId('queue-position')).toHaveText('Vous êtes le prochain.');
  await expect(booth.getByRole('status').filter({ hasText: 'Attente estimée' })).toBeVisible();
  await expectAccessible(booth, 'booth waiting');
  await expectTouchTargets(booth, 'booth waiting');

  const ringing = agent.locator('.agent__ringing');
  await expect(ringing).toContainText(`${SITE_NAME} — CAF`);
  await ringing.getByRole('button', { name: 'Décrocher' }).click();
  await expect(booth.locator('main[data-phase="connected"]')).toBeVisible();
  await expect(booth.getByText('Vous parlez avec Claire Martin (CAF)')).toBeVisible();

  await expectRemoteColour(booth, BLUE, 'the booth');
  await expectRemoteColour(agent, RED, 'the agent');
  // Only 127.0.0.1 candidates are signalled; the selected pair reaches the other side on 127.0.0.1, or on a peer-reflexive
  // address learnt from the other page's own checks (another socket of this very host, so packets stay inside it).
  for (const page of [booth, agent]) {
    await expectSelectedPair(page, /@127\.0\.0\.1$|→prflx@/);
    expect(await signalledRemoteAddresses(page)).toEqual(['127.0.0.1']);
    // The voice goes with redundancy (RED) both ways: a lost packet costs no sound (renderer/call/redundantVoice.ts).
    expect(await sentVoiceCodec(page)).toBe('red');
  }
  await expectAccessible(booth, 'booth in call');
  await expectTouchTargets(booth, 'booth in call');
  await expectAccessible(agent, 'agent in call');

  // The visitor shows a document: a JPEG still of the booth camera, checked by SHA-256 on arrival.
  await showDocumentPhoto(booth, agent);

  // The agent sends a PDF to print: the booth renders it with pdf.js and offers printing (after the visitor confirms).
  const pdf = await makePdf();
  await agent.getByTestId('pdf-input').setInputFiles({ name: 'attestation.pdf', mimeType: 'application/pdf', buffer: pdf });
  await expect(agent.locator('[data-transfer="out-verified"]')).toHaveText('La borne a reçu le document (empreinte vérifiée).');
  await expect(booth.locator('.call__pdf-pages[data-rendered="true"] canvas')).toHaveCount(1);
  await expect(booth.getByRole('img', { name: 'Page 1 sur 1' })).toBeVisible();
  const inkOnPage = await booth.evaluate(() => {
    const c = document.querySelector<HTMLCanvasElement>('.call__pdf-pages canvas');
    const d = c?.getContext('2d')?.getImageData(0, 0, c.width, c.height / 4).data;
    let dark = 0;
    for (let i = 0; d && i < d.length; i += 4) if (d[i]! < 100) dark++;
    return dark;
  });
  expect(inkOnPage).toBeGreaterThan(50);
  await expectAccessible(booth, 'booth with PDF');
  await booth.getByRole('button', { name: 'Imprimer le document' }).click();
  const confirm = booth.getByRole('dialog', { name: 'Voulez-vous imprimer ce document ?' });
  await expect(confirm).toContainText('attestation.pdf');
  await confirm.getByRole('button', { name: 'Non', exact: true }).click();
  await expect(confirm).toHaveCount(0);

  // Sound only, chosen on the booth: both sides show it.
  await booth.getByRole('button', { name: 'Son seulement (connexion lente)' }).click();
  await expect(agent.locator('[data-level="audio_only"]')).toBeVisible();
  await booth.getByRole('button', { name: 'Remettre l’image' }).click();
  await expect(agent.locator('[data-level="full"]')).toBeVisible();

  await booth.getByRole('button', { name: 'Raccrocher' }).click();
  await expect(booth.getByTestId('end-reason')).toHaveText('Vous avez raccroché.');
  await expect(agent.getByTestId('agent-ended')).toHaveText('La borne a raccroché.');
  await expectAccessible(booth, 'booth call ended');

  // After an answered call: the survey, then the mediator finds the visit in this week's grid.
  await leaveEndedCall(booth, 'answer');
  await expectVisioVisitsInGrid(booth, 1);
});

const rig: VisioRig = {
  startHubAndKiosk,
  openPages,
  agentSignsIn,
  boothSeesAgent: (booth) => expectRemoteColour(booth, BLUE, 'the booth'),
  agentSeesBooth: (agent) => expectRemoteColour(agent, RED, 'the agent'),
};

test('the same call through coturn with relay-only ICE: both videos arrive over a relay candidate', () => relayOnlyCall(rig));

test('an agent who closes the tab mid-call frees the booth with a message, and the visit is still recorded', () => agentTabClosedMidCall(rig));

test('a hub restarted while the booth waits puts it back in the queue; a hub gone is said clearly, an incident is opened and nothing is stuck', async () => {
  test.setTimeout(150_000);
  const { h, k } = await startHubAndKiosk();
  const { booth, agent } = await openPages(false);
  await agentSignsIn(agent, h);
  await booth.goto(await k.launchUrl());
  await visitorCallsCaf(booth);
  await expect(booth.getByTestId('queue-position')).toHaveText('Vous êtes le prochain.');
  await expect(agent.locator('.agent__ringing')).toHaveCount(1);

  await h.restart();
  await expect(booth.getByText('Le service d’appel a redémarré. Vous êtes de nouveau dans la file.')).toBeVisible();
  await expect(booth.getByTestId('queue-position')).toHaveText('Vous êtes le prochain.');
  // The agent's console reconnects with its session and the call rings again: it can still be answered.
  const ringing = agent.locator('.agent__ringing');
  await expect(ringing).toHaveCount(1, { timeout: 15_000 });
  await ringing.getByRole('button', { name: 'Décrocher' }).click();
  await expect(booth.locator('main[data-phase="connected"]')).toBeVisible();
  await booth.getByRole('button', { name: 'Raccrocher' }).click();
  await expect(booth.getByTestId('end-reason')).toHaveText('Vous avez raccroché.');
  await leaveEndedCall(booth, 'skip');

  // No agent free: said at once, and the kiosk goes home without a survey (the call was never answered).
  await agent.getByRole('button', { name: 'Absent' }).click();
  await visitorCallsCaf(booth);
  await expect(booth.getByTestId('end-reason')).toHaveText('Aucun conseiller n’est libre pour le moment.');
  await leaveEndedCall(booth, 'none');

  // A new call waits, then the hub goes away for good: the booth says so, opens an incident and returns home.
  await agent.getByRole('button', { name: 'Disponible' }).click();
  await visitorCallsCaf(booth);
  await expect(booth.getByTestId('queue-position')).toBeVisible();
  await h.kill();
  await expect(booth.getByText('La connexion est coupée. La borne essaie de se reconnecter…')).toBeVisible();
  await expect(booth.getByTestId('end-reason')).toHaveText('Le service d’appel ne répond plus. Vous pouvez réessayer plus tard.', { timeout: 45_000 });
  await leaveEndedCall(booth, 'none');
  await expectVisioVisitsInGrid(booth, 1);
  await booth.getByRole('button', { name: 'Incidents', exact: true }).click();
  await expect(booth.locator('li.incident[data-fault="visio:hub_unreachable"]')).toHaveCount(1);
  await expect(booth.locator('li.incident[data-fault="visio:unreachable.CAF"]')).toHaveCount(1);
});
