// Steps of a visio-accueil shared by the Chromium and Firefox specs: the visitor's call from the kiosk home up to the
// agent's accept, the way out of an ended call (survey), the visit in the mediator's weekly grid, what ICE selected, and
// two whole scenarios (relay-only call, agent's tab closed) that each spec runs with its own browsers.
import { expect, type Page } from '@playwright/test';
import type { IceServer } from '../../../shared/protocol.js';
import { startCoturn } from './coturn.js';
import type { RunningKiosk } from './kiosk.js';
import { AGENT, SITE_NAME, type TestHub } from './hub.js';
import { closeTo, sampleVideoColour, type Rgb } from './media.js';

/** What a spec provides to run a shared scenario in its browsers. */
export interface VisioRig {
  startHubAndKiosk(options?: { iceServers?: IceServer[] }): Promise<{ h: TestHub; k: RunningKiosk }>;
  openPages(relayOnly: boolean): Promise<{ booth: Page; agent: Page }>;
  agentSignsIn(agent: Page, h: TestHub): Promise<void>;
  /** The booth's page shows the agent's camera. */
  boothSeesAgent(booth: Page): Promise<void>;
  /** The agent's page shows the booth's camera. */
  agentSeesBooth(agent: Page): Promise<void>;
}

/** A selected pair that goes through coturn on both sides, see relayOnlyCall. */
const RELAY_PAIR = /^relay→(relay|prflx)@127\.0\.0\.1$/;

/** The call through coturn with relay-only ICE on both sides: both videos arrive over a relay candidate, then the agent hangs up. */
export async function relayOnlyCall(rig: VisioRig): Promise<void> {
  const turn = await startCoturn();
  try {
    const { h, k } = await rig.startHubAndKiosk({ iceServers: turn.iceServers });
    const { booth, agent } = await rig.openPages(true);
    await rig.agentSignsIn(agent, h);
    await booth.goto(await k.launchUrl());
    await connectCall(booth, agent);
    await rig.boothSeesAgent(booth);
    await rig.agentSeesBooth(agent);
    // Each side sends through its own relay (local type relay). The remote end is the other side's relay address; it may
    // show as peer-reflexive when the other side's check reaches it before the signaled candidate does (seen in Firefox):
    // with relay-only ICE on both sides that address can only be a relay allocation.
    await expectSelectedPair(booth, RELAY_PAIR);
    await expectSelectedPair(agent, RELAY_PAIR);
    await agent.getByRole('button', { name: 'Raccrocher' }).click();
    await expect(booth.getByTestId('end-reason')).toHaveText('Le conseiller a terminé l’appel.');
    await leaveEndedCall(booth, 'skip');
  } finally {
    await turn.stop();
  }
}

/** The agent's tab closes mid-call: the booth says the connection is lost, and the visit still counts in the weekly grid. */
export async function agentTabClosedMidCall(rig: VisioRig): Promise<void> {
  const { h, k } = await rig.startHubAndKiosk();
  const { booth, agent } = await rig.openPages(false);
  await rig.agentSignsIn(agent, h);
  await booth.goto(await k.launchUrl());
  await connectCall(booth, agent);
  await rig.boothSeesAgent(booth);
  await agent.close();
  await expect(booth.getByTestId('end-reason')).toHaveText('La connexion avec le conseiller est perdue.', { timeout: 20_000 });
  await leaveEndedCall(booth, 'skip');
  await expectVisioVisitsInGrid(booth, 1);
}

/** The CAF agent signs in on the console served at `url` (Chromium: fields filled at once) and is available. */
export async function agentSignsInAt(agent: Page, url: string): Promise<void> {
  await agent.goto(url);
  await expect(agent.getByRole('heading', { level: 1, name: 'Console des conseillers' })).toBeVisible();
  await agent.getByLabel('Identifiant').fill(AGENT.login);
  await agent.getByLabel('Mot de passe').fill(AGENT.password);
  await agent.getByRole('button', { name: 'Se connecter' }).click();
  await expect(agent.getByRole('button', { name: 'Disponible' })).toHaveAttribute('aria-pressed', 'true');
  await expect(agent.locator('[data-hub="ready"]')).toBeVisible();
}

/** The page's remote video shows the other side's camera colour (polled: the first frames take a moment). */
export async function expectRemoteColour(page: Page, colour: Rgb, side: string): Promise<void> {
  await expect
    .poll(async () => closeTo(await page.evaluate(sampleVideoColour, 'video[data-role="remote"]'), colour), { message: `${side} sees the other camera`, timeout: 15_000 })
    .toBe(true);
}

/** The visitor on the kiosk home taps the CAF tile, then « Parler à un conseiller en visio ». */
export async function visitorCallsCaf(booth: Page): Promise<void> {
  await expect(booth.getByRole('heading', { level: 1, name: 'Bienvenue' })).toBeVisible();
  await booth.locator('.tile[data-org="CAF"]').click();
  await expect(booth.getByRole('heading', { level: 1 })).toContainText('allocations familiales');
  await booth.getByRole('button', { name: 'Parler à un conseiller en visio' }).click();
}

/** The visitor's tap on "call CAF" up to the agent's accept; both sides connected. */
export async function connectCall(booth: Page, agent: Page): Promise<void> {
  await visitorCallsCaf(booth);
  await expect(booth.getByTestId('queue-position')).toHaveText('Vous êtes le prochain.');
  const ringing = agent.locator('.agent__ringing');
  await expect(ringing).toContainText(`${SITE_NAME} — CAF`);
  await ringing.getByRole('button', { name: 'Décrocher' }).click();
  await expect(booth.locator('main[data-phase="connected"]')).toBeVisible();
  await expect(agent.getByTestId('agent-call')).toBeVisible();
}

/** From the call's end message back out of the call screen: the survey after an answered call (answered or skipped), then home. */
export async function leaveEndedCall(booth: Page, survey: 'answer' | 'skip' | 'none'): Promise<void> {
  await booth.locator('main[data-phase="ended"]').getByRole('button', { name: 'Retour à l’accueil' }).click();
  const home = booth.getByRole('heading', { level: 1, name: 'Bienvenue' });
  if (survey === 'none') {
    await expect(home).toBeVisible();
    return;
  }
  await expect(booth.getByRole('heading', { level: 1, name: 'Avez-vous été bien accueilli ?' })).toBeVisible();
  if (survey === 'answer') {
    await booth.getByRole('button', { name: 'Très satisfait' }).click();
    await expect(booth.getByRole('heading', { level: 1, name: 'Avez-vous obtenu une réponse ?' })).toBeVisible();
    await booth.getByRole('button', { name: 'Satisfait', exact: true }).click();
    await expect(booth.getByRole('heading', { level: 1, name: 'L’image et le son étaient-ils bons ?' })).toBeVisible();
    await booth.getByRole('button', { name: 'Très satisfait' }).click();
    await expect(booth.getByRole('heading', { level: 1, name: 'Recommanderiez-vous ce service ?' })).toBeVisible();
    await booth.getByRole('button', { name: 'Très satisfait' }).click();
    await expect(booth.getByRole('heading', { level: 1, name: 'Merci pour votre réponse !' })).toBeVisible();
    await booth.getByRole('button', { name: 'Retour à l’accueil' }).click();
  } else {
    await booth.getByRole('button', { name: 'Ne pas répondre' }).click();
    const thanks = booth.getByRole('button', { name: 'Retour à l’accueil' });
    await expect(thanks.or(home)).toBeVisible();
    if (await thanks.isVisible()) await thanks.click();
  }
  await expect(home).toBeVisible();
}

async function unlock(booth: Page): Promise<void> {
  await booth.getByRole('button', { name: 'Mode médiateur' }).click();
  await booth.getByLabel('Code PIN', { exact: true }).fill('1234');
  await booth.getByRole('button', { name: 'Valider' }).click();
  await expect(booth.getByRole('heading', { level: 1, name: 'Espace médiateur' })).toBeVisible();
}

/** The mediator unlocks and reads CAF / Visio-accueil in this week's grid. */
export async function expectVisioVisitsInGrid(booth: Page, count: number): Promise<void> {
  await unlock(booth);
  await booth.getByRole('button', { name: 'Grille hebdomadaire' }).click();
  await expect(booth.locator('table.table--grid tr[data-org="CAF"] td[data-service="visio"]')).toHaveText(String(count));
}

/**
 * The candidate pair the page's last peer connection selected, as `local type→remote type@remote address`, e.g.
 * `relay→relay@127.0.0.1`; null before one is selected. Chromium names it in its transport stats
 * (selectedCandidatePairId); Firefox marks the pair `selected`; either may lag the first frames by a moment, so callers
 * poll (expectSelectedPair).
 */
export async function selectedCandidateType(page: Page): Promise<string | null> {
  return page.evaluate(async () => {
    const list = (window as unknown as { __peerConnections?: RTCPeerConnection[] }).__peerConnections ?? [];
    const pc = list[list.length - 1];
    if (!pc) return null;
    const report = await pc.getStats();
    let pairId: string | null = null;
    report.forEach((s: Record<string, unknown>) => {
      if (s.type === 'transport' && typeof s.selectedCandidatePairId === 'string') pairId = s.selectedCandidatePairId;
    });
    if (pairId === null) {
      report.forEach((s: Record<string, unknown>) => {
        if (s.type === 'candidate-pair' && s.state === 'succeeded' && (s.selected === true || s.nominated === true)) pairId = String(s.id);
      });
    }
    if (pairId === null) return null;
    const pair = report.get(pairId) as { localCandidateId?: string; remoteCandidateId?: string } | undefined;
    if (!pair) return null;
    const local = report.get(String(pair.localCandidateId)) as { candidateType?: string; address?: string } | undefined;
    const remote = report.get(String(pair.remoteCandidateId)) as { candidateType?: string; address?: string } | undefined;
    return `${local?.candidateType ?? '?'}→${remote?.candidateType ?? '?'}@${remote?.address ?? '?'}`;
  });
}

/** Waits (up to 10 s) until the page's selected candidate pair matches `pattern`. */
export async function expectSelectedPair(page: Page, pattern: RegExp): Promise<void> {
  await expect.poll(() => selectedCandidateType(page), { timeout: 10_000 }).toMatch(pattern);
}
