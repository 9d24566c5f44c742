// Every screen at real kiosk sizes (issue 14): each visitor screen — home, organisation, documents, forms, guided session
// with its panel, idle countdown, the visio call in each state, the survey, help called, booking an appointment — at
// 1024×768, 1280×800, 1366×768, 1920×1080 and 1080×1920 (portrait), at text sizes A, A+ and A++: no scroll, every control
// in view and not covered, no text clipped or spilling, touch targets of 48 px, no hover-only state. The mediator's space
// and the agents' console keep their primary actions in view at 1280×800. One page per screen, its viewport and text size
// changed in place; screenshots in docs/screenshots/<viewport>/, browsed from docs/screenshots/index.html (or index.md).
import { expect, test, type Locator, type Page } from '@playwright/test';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { SITE_NAME } from './support/hub.js';
import { smallChartLabels } from './support/screenAudit.js';
import { createScreensMatrix, VIEWPORTS } from './support/screensMatrix.js';
import { startScreensStage, type ScreensStage } from './support/screensStage.js';
import { agentSignsInAt } from './support/visioFlow.js';

test.describe.configure({ timeout: 20 * 60_000 });

let stage: ScreensStage;
const matrix = createScreensMatrix();
let started = 0;

test.beforeAll(async () => {
  started = Date.now();
  matrix.clearScreenshots();
  stage = await startScreensStage();
});
test.afterAll(async () => {
  const seconds = Math.round((Date.now() - started) / 1000);
  matrix.writeIndex(seconds);
  const checks = matrix.timings.reduce((n, t) => n + t.checks, 0);
  console.log(`screens matrix: ${matrix.timings.length} screens, ${checks} checks in ${seconds} s`);
  console.log(`  time spent settling ${matrix.phases.settle} ms, auditing ${matrix.phases.audit} ms, in screenshots ${matrix.phases.shot} ms, in axe ${matrix.phases.axe} ms`);
  for (const t of matrix.timings) console.log(`  ${t.screen.padEnd(24)} ${String(t.checks).padStart(3)} checks ${(t.ms / 1000).toFixed(1).padStart(6)} s (screenshots ${(t.shots / 1000).toFixed(1)} s)`);
  await stage?.stop();
});

/** A tap that lands whatever covers the element (the matrix, not the tap, says what is covered or out of view). */
async function press(target: Locator): Promise<void> {
  await expect(target).toBeVisible();
  await target.evaluate((el: HTMLElement) => el.click());
}

async function home(booth: Page): Promise<void> {
  await expect(booth.getByRole('heading', { level: 1, name: 'Bienvenue' })).toBeVisible();
}

async function openCaf(booth: Page): Promise<void> {
  await press(booth.locator('.tile[data-org="CAF"]'));
  await expect(booth.getByRole('heading', { level: 1 })).toContainText('allocations familiales');
}

/** Pauses the booth page's clock (timers stop: the end message or the idle countdown stays), `aheadMs` from now. */
async function pauseClock(page: Page, aheadMs: number): Promise<void> {
  const now = await page.evaluate(() => Date.now());
  await page.clock.pauseAt(now + aheadMs);
}

/** The styles that show a chosen or pressed control. */
const look = (el: Element) => {
  const s = getComputedStyle(el);
  return { border: s.borderColor, background: s.backgroundColor, shadow: s.boxShadow, outline: s.outlineStyle, transform: s.transform };
};

/** Pressing (finger or button down) changes how a control looks; it is checked on one control of each kind present. */
async function expectPressedState(page: Page, screen: string, selectors: string[]): Promise<void> {
  for (const selector of selectors) {
    const target = page.locator(selector).first();
    if ((await target.count()) === 0) continue;
    const box = await target.boundingBox();
    if (!box) continue;
    const before = await target.evaluate(look);
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    const during = await target.evaluate(look);
    // Released elsewhere: no click.
    await page.mouse.move(1, 1);
    await page.mouse.up();
    expect.soft(during, `${screen}: ${selector} shows that it is pressed`).not.toEqual(before);
  }
}

async function makePdf(): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([595, 842]);
  const font = await doc.embedFont(StandardFonts.Helvetica);
  page.drawText('Attestation de paiement — CAF', { x: 60, y: 760, size: 22, font });
  page.drawText('Montant versé le 5 novembre 2026 : 312,40 euros', { x: 60, y: 700, size: 14, font });
  return Buffer.from(await doc.save());
}

/** The visitor sees the agent's document in view, and the agent's picture is still there beside or above it. */
async function documentInView(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const vh = document.documentElement.clientHeight;
    const vw = document.documentElement.clientWidth;
    const visible = (r: DOMRect) => Math.max(0, Math.min(r.bottom, vh) - Math.max(r.top, 0)) * Math.max(0, Math.min(r.right, vw) - Math.max(r.left, 0));
    const page1 = document.querySelector('.call__pdf-pages canvas');
    const video = document.querySelector('video[data-role="remote"]');
    if (!page1) out.push('no page of the document is drawn');
    else {
      const r = page1.getBoundingClientRect();
      if (visible(r) < 0.9 * r.width * r.height) out.push(`the document's first page is out of view (top at ${Math.round(r.top)} px on a ${vh} px screen)`);
      if (r.height < 0.35 * vh) out.push(`the document's first page is only ${Math.round(r.height)} px high on a ${vh} px screen`);
    }
    if (!video) out.push('the agent’s picture is gone');
    else {
      const r = video.getBoundingClientRect();
      if (visible(r) < 0.9 * r.width * r.height || r.height < 120) out.push(`the agent’s picture is not in view beside the document (${Math.round(r.width)} × ${Math.round(r.height)} px at ${Math.round(r.top)} px)`);
    }
    return out;
  });
}

/** During the call the agent's picture takes the room the controls leave: at least 40 % of the screen's height. */
async function videoTakesTheRoom(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const video = document.querySelector('video[data-role="remote"]');
    const vh = document.documentElement.clientHeight;
    if (!video) return ['no remote video'];
    const r = video.getBoundingClientRect();
    return r.height < 0.4 * vh ? [`the agent’s picture is ${Math.round(r.height)} px high on a ${vh} px screen (under 40 %)`] : [];
  });
}

/** The agent's picture (its stage: on a slow link the picture gives way to « le son seulement » there) and hang-up. */
const CALL_CONTROLS = ['.call__stage', '.call__hangup'];

test('every screen fits at every kiosk size and text size, with nothing covered, clipped or hover-only', async () => {
  const { booth, agent, kiosk, hub } = stage;
  await agentSignsInAt(agent, hub.hub.httpUrl);
  await booth.goto(await kiosk.launchUrl());
  await home(booth);

  await test.step('home, organisation, documents, forms', async () => {
    await matrix.check(booth, { screen: 'home', title: 'Home', scope: 'visitor' });
    await expectPressedState(booth, 'home', ['.tile', '.text-size .button']);
    // The charter, also the home's idle screen (it opens by itself after a minute without a touch).
    await press(booth.getByRole('button', { name: 'Notre charte qualité' }));
    await expect(booth.getByRole('heading', { level: 2, name: 'Notre charte qualité' })).toBeVisible();
    await matrix.check(booth, { screen: 'home-charter', title: 'Home, the quality charter open', scope: 'visitor' });
    await press(booth.getByRole('button', { name: 'Fermer la charte' }));
    await openCaf(booth);
    await matrix.check(booth, { screen: 'organisation', title: 'Organisation (CAF)', scope: 'visitor' });
    await expectPressedState(booth, 'organisation', ['.button--primary', '.print-entry', '.guide-choice']);

    await press(booth.getByRole('button', { name: /Documents à imprimer/ }));
    await expect(booth.getByRole('heading', { level: 1, name: /^Documents/ })).toBeVisible();
    await matrix.check(booth, { screen: 'documents', title: 'Documents to print (CAF)', scope: 'visitor' });
    await press(booth.getByRole('button', { name: 'Retour', exact: true }));

    await press(booth.getByRole('button', { name: /Formulaires à remplir/ }));
    await expect(booth.getByRole('heading', { level: 1, name: /^Formulaires/ })).toBeVisible();
    await matrix.check(booth, { screen: 'forms', title: 'Forms to fill in (CAF), the list', scope: 'visitor' });
    // A long form, page by page: each page holds in the room left at every size (useMeasuredPages.ts).
    await press(booth.getByRole('button', { name: 'Remplir' }).first());
    await expect(booth.locator('#form-title')).toBeVisible();
    await matrix.check(booth, { screen: 'form', title: 'A form, its first page (CAF)', scope: 'visitor' });
    await booth.goto(await kiosk.launchUrl());
    await home(booth);
  });

  await test.step('online procedures, guided session, idle countdown, session closed', async () => {
    await openCaf(booth);
    // Several procedures are one card that opens their list.
    const procedures = booth.getByRole('button', { name: 'Faire une démarche sur Internet' });
    await expect(procedures.or(booth.getByRole('button', { name: 'Service factice de test' })).first()).toBeVisible();
    if ((await procedures.count()) > 0) {
      await press(procedures);
      await matrix.check(booth, { screen: 'organisation-guides', title: 'Organisation (CAF): its online procedures', scope: 'visitor', axe: true });
    }
    await press(booth.getByRole('button', { name: 'Service factice de test' }));
    await expect(booth.frameLocator('iframe.site-frame').getByRole('heading', { name: 'Connexion' })).toBeVisible();
    await matrix.check(booth, { screen: 'guided', title: 'Guided online session with its panel', scope: 'visitor' });

    await pauseClock(booth, 125_000);
    const dialog = booth.getByRole('alertdialog', { name: 'Êtes-vous toujours là ?' });
    await expect(dialog).toBeVisible();
    await matrix.check(booth, { screen: 'idle', title: 'Idle countdown (over a guided session)', scope: 'visitor', keepAlive: false, axe: false });
    await booth.clock.resume();
    await press(dialog.getByRole('button', { name: 'Je suis là' }));
    await expect(dialog).toHaveCount(0);

    await press(booth.getByRole('button', { name: 'J’ai fini' }));
    await expect(booth.getByText('Tout ce que vous avez fait sur ce site est effacé de la borne.')).toBeVisible();
    await matrix.check(booth, { screen: 'guided-closed', title: 'Guided session closed and erased', scope: 'visitor' });
    await press(booth.getByRole('button', { name: 'Retour à l’accueil' }));
    await home(booth);
  });

  await test.step('the call: pre-flight, waiting (the console rings), connected, document shown, link interrupted, ended', async () => {
    await openCaf(booth);
    await booth.evaluate(() => (window as unknown as { __holdCamera(): void }).__holdCamera());
    await press(booth.getByRole('button', { name: 'Parler à un conseiller en visio' }));
    await expect(booth.locator('main[data-phase="preflight"]')).toBeVisible();
    await matrix.check(booth, { screen: 'visio-preflight', title: 'Call: pre-flight (camera check)', scope: 'visitor', axe: true });
    await booth.evaluate(() => (window as unknown as { __releaseCamera(): void }).__releaseCamera());

    await expect(booth.getByTestId('queue-position')).toHaveText('Vous êtes le prochain.');
    const ringing = agent.locator('.agent__ringing');
    await expect(ringing).toContainText(`${SITE_NAME} — CAF`);
    await matrix.check(booth, { screen: 'visio-waiting', title: 'Call: waiting in the queue (the agent’s console rings)', scope: 'visitor', primary: ['.call__hangup'] });
    await matrix.check(agent, {
      screen: 'agent-ringing',
      title: 'Agents’ console: a call rings',
      scope: 'staff',
      axe: true,
      viewports: ['1280x800', '1366x768', '1920x1080'],
      sizes: [],
      primary: ['.agent__ringing button'],
    });

    await ringing.getByRole('button', { name: 'Décrocher' }).click();
    await expect(booth.locator('main[data-phase="connected"]')).toBeVisible();
    await expect(booth.getByRole('button', { name: 'Montrer un document' })).toBeVisible({ timeout: 15_000 });
    await matrix.check(booth, { screen: 'visio-connected', title: 'Call: connected', scope: 'visitor', primary: CALL_CONTROLS, extra: videoTakesTheRoom });
    await expectPressedState(booth, 'visio-connected', ['.call__hangup']);
    await matrix.check(agent, {
      screen: 'agent-call',
      title: 'Agents’ console: in a call',
      scope: 'staff',
      viewports: ['1280x800', '1366x768', '1920x1080'],
      sizes: [],
      primary: ['.call__hangup', '.call__bar button', '.call__stage'],
    });

    await press(booth.getByRole('button', { name: 'Montrer un document' }));
    await expect(booth.locator('[data-transfer="verified"]')).toContainText('Le conseiller a bien reçu votre document.');
    await agent.getByTestId('pdf-input').setInputFiles({ name: 'attestation.pdf', mimeType: 'application/pdf', buffer: await makePdf() });
    await expect(booth.locator('.call__pdf-pages[data-rendered="true"] canvas')).toHaveCount(1, { timeout: 60_000 });
    // What a shown document must keep in view, with or without the link to the call service.
    const withDocument = { scope: 'visitor' as const, primary: [...CALL_CONTROLS, '.call__pdf-pages canvas'], extra: documentInView };
    await matrix.check(booth, { screen: 'visio-document', title: 'Call: a document sent by the agent, shown', ...withDocument });

    await press(booth.getByRole('button', { name: 'Imprimer le document' }));
    const confirm = booth.getByRole('dialog', { name: 'Voulez-vous imprimer ce document ?' });
    await expect(confirm).toBeVisible();
    await matrix.check(booth, { screen: 'visio-print-confirm', title: 'Call: print the agent’s document?', scope: 'visitor', axe: true });
    await press(confirm.getByRole('button', { name: 'Non', exact: true }));

    // The hub socket lost mid-call (on a hub across machines, its node died): the video goes on, the screen says so with
    // its controls in place. The clock stands still while it is measured, so the kiosk reconnects only afterwards (and
    // axe-core, whose steps wait on timers, does not run: the status is a plain paragraph in a polite live region).
    await pauseClock(booth, 100);
    await booth.evaluate(() => (window as unknown as { __dropHubSocket(): void }).__dropHubSocket());
    const interrupted = booth.getByRole('status').filter({ hasText: 'La visio continue. Reconnexion' });
    await expect(interrupted).toBeVisible();
    await matrix.check(booth, { screen: 'visio-interrupted-document', title: 'Call: link to the call service interrupted, a document shown', ...withDocument, axe: false });
    await press(booth.getByRole('button', { name: 'Fermer le document' }));
    await expect(interrupted).toBeVisible();
    await matrix.check(booth, { screen: 'visio-interrupted', title: 'Call: link to the call service interrupted, the video goes on', scope: 'visitor', primary: CALL_CONTROLS, axe: false });
    await booth.clock.resume();
    // The one-machine hub ended the call when the socket closed: the kiosk's resume is answered call.ended.
    await expect(booth.getByTestId('end-reason')).toHaveText('La connexion avec le conseiller est perdue.');
    await pauseClock(booth, 100);
    await matrix.check(booth, { screen: 'visio-ended', title: 'Call: ended', scope: 'visitor', axe: false });
    await booth.clock.resume();
    await press(booth.locator('main[data-phase="ended"]').getByRole('button', { name: 'Retour à l’accueil' }));
  });

  await test.step('the survey, answered by touch', async () => {
    await expect(booth.getByRole('heading', { level: 1, name: 'Avez-vous été bien accueilli ?' })).toBeVisible();
    await matrix.check(booth, { screen: 'survey', title: 'Survey: first question', scope: 'visitor' });
    await expectPressedState(booth, 'survey', ['.smiley']);
    // A finger on « Très satisfait »: on the next question the same place must not look chosen (no sticky hover).
    const tapped = booth.locator('.smiley[data-score="5"]');
    await tapped.tap();
    await expect(booth.getByRole('heading', { level: 1, name: 'Avez-vous obtenu une réponse ?' })).toBeVisible();
    const [under, other] = await Promise.all([tapped.evaluate(look), booth.locator('.smiley[data-score="3"]').evaluate(look)]);
    expect.soft(under, 'after a touch, the next question’s smiley under the finger looks like the others').toEqual(other);
    await matrix.check(booth, { screen: 'survey-next', title: 'Survey: the next question, after a touch', scope: 'visitor' });
    await booth.getByRole('button', { name: 'Satisfait', exact: true }).tap();
    await expect(booth.getByRole('heading', { level: 1, name: 'L’image et le son étaient-ils bons ?' })).toBeVisible();
    await booth.getByRole('button', { name: 'Très satisfait' }).tap();
    await expect(booth.getByRole('heading', { level: 1, name: 'Recommanderiez-vous ce service ?' })).toBeVisible();
    await booth.getByRole('button', { name: 'Très satisfait' }).tap();
    await expect(booth.getByRole('heading', { level: 1, name: 'Merci pour votre réponse !' })).toBeVisible();
    await matrix.check(booth, { screen: 'survey-thanks', title: 'Survey: thanks', scope: 'visitor', axe: true });
    await press(booth.getByRole('button', { name: 'Retour à l’accueil' }));
    await home(booth);
  });

  await test.step('help called, then the mediator: unlock, a wrong PIN, the space, the report', async () => {
    await press(booth.getByRole('button', { name: 'Appeler le médiateur' }));
    await expect(booth.getByRole('status').filter({ hasText: 'Un médiateur arrive' })).toBeVisible();
    await matrix.check(booth, { screen: 'home-help-called', title: 'Home, the mediator called', scope: 'visitor', axe: true });
    await openCaf(booth);
    await matrix.check(booth, { screen: 'organisation-help-called', title: 'Organisation (CAF), the mediator called', scope: 'visitor' });
    await press(booth.getByRole('button', { name: 'Retour à l’accueil' }));

    await press(booth.getByRole('button', { name: 'Mode médiateur' }));
    await expect(booth.getByLabel('Code PIN', { exact: true })).toBeVisible();
    const unlockPrimary = ['#pin', '.pin-pad button', '.pin-form button[type="submit"]'];
    await matrix.check(booth, { screen: 'unlock', title: 'Mediator mode: the PIN', scope: 'visitor', primary: unlockPrimary });
    await booth.getByLabel('Code PIN', { exact: true }).fill('0000');
    await press(booth.getByRole('button', { name: 'Valider' }));
    await expect(booth.getByRole('alert')).toHaveText('Code incorrect. Il reste 4 essais.');
    await matrix.check(booth, { screen: 'unlock-wrong-pin', title: 'Mediator mode: a wrong PIN', scope: 'visitor', axe: true, primary: [...unlockPrimary, '#pin-message'] });

    await booth.getByLabel('Code PIN', { exact: true }).fill('1234');
    await press(booth.getByRole('button', { name: 'Valider' }));
    await expect(booth.getByRole('heading', { level: 1, name: 'Espace médiateur' })).toBeVisible();
    await matrix.check(booth, {
      screen: 'mediator',
      title: 'Mediator’s space: quick entry, a visitor asking for help',
      scope: 'staff',
      viewports: ['1280x800'],
      primary: ['.banner button', '.mediator-header button', '.tabs button', '.choice'],
    });
    await press(booth.getByRole('button', { name: 'Rapport', exact: true }));
    await expect(booth.locator('svg.chart')).toBeVisible();
    await matrix.check(booth, {
      screen: 'mediator-report',
      title: 'Mediator’s space: the month’s report and its chart',
      scope: 'staff',
      viewports: ['1280x800'],
      primary: ['.tabs button'],
      extra: (page) => page.evaluate(smallChartLabels, 16),
    });
  });

  await test.step('a visio appointment booked from the mediator’s space: subject, day, time, check, booked', async () => {
    await press(booth.getByRole('button', { name: 'Rendez-vous', exact: true }));
    await expect(booth.getByRole('heading', { level: 2, name: 'Rendez-vous de la borne' })).toBeVisible();
    await matrix.check(booth, {
      screen: 'mediator-appointments',
      title: 'Mediator’s space: the booth’s appointments, booking for a visitor',
      scope: 'staff',
      axe: true,
      viewports: ['1280x800'],
      primary: ['.tabs button', '[data-testid="book-appointment"]'],
    });
    await press(booth.getByTestId('book-appointment').filter({ hasText: 'allocations familiales' }));
    await expect(booth.getByRole('heading', { level: 1, name: 'Pour quoi voulez-vous un rendez-vous ?' })).toBeVisible();
    await matrix.check(booth, { screen: 'appointment-subject', title: 'Appointment: the subject', scope: 'visitor', axe: true });
    await press(booth.locator('.choice[data-subject]').first());
    await expect(booth.getByRole('heading', { level: 1, name: 'Quel jour ?' })).toBeVisible();
    await matrix.check(booth, { screen: 'appointment-day', title: 'Appointment: the day', scope: 'visitor' });
    await press(booth.locator('.choice[data-day]').first());
    await expect(booth.getByRole('heading', { level: 1, name: /^À quelle heure/ })).toBeVisible();
    await matrix.check(booth, { screen: 'appointment-time', title: 'Appointment: the time', scope: 'visitor' });
    await press(booth.locator('.choice[data-starts-at]').first());
    await expect(booth.getByRole('heading', { level: 1, name: 'Vérifiez votre rendez-vous' })).toBeVisible();
    await matrix.check(booth, { screen: 'appointment-confirm', title: 'Appointment: the check, a first name for the agent', scope: 'visitor', axe: true });
    await press(booth.getByRole('button', { name: 'Confirmer le rendez-vous' }));
    await expect(booth.getByRole('heading', { level: 1, name: 'Votre rendez-vous est pris' })).toBeVisible();
    await matrix.check(booth, { screen: 'appointment-booked', title: 'Appointment: booked, the slip to print', scope: 'visitor', axe: true });
  });
  expect(VIEWPORTS).toHaveLength(5);
});
