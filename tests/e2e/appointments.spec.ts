// Visio appointments end to end (issue 19) over loopback: a real hub whose clock the test moves, the kiosk's web shell with
// the virtual PDF printer, the agents' console, each page in Chromium with a fake camera. The agent publishes CAF's slots
// from the console; a visitor books two from CAF's screen while the visio is closed, and the first slip comes out of the
// printer (read back with pdftotext); at the first slot's time the booth's home offers « Rejoindre », the holding agent
// rings with the subject and the note, and answers; the second is missed: « Non honoré » on both sides; the agent's
// calendar address, made in the console, gives an iCalendar feed holding both. axe-core on the console's view.
import { chromium, expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import Database from 'better-sqlite3';
import ICAL from 'ical.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteAppointmentStore } from '../../server/appointments/sqliteStore.js';
import { kioskDbFile } from '../../electron/services/paths.js';
import { CHROMIUM_ARGS, CHROMIUM_ENV } from './playwright.config.js';
import { expectAccessible, expectTouchTargets } from './support/axe.js';
import { assertCupsReady, cupsPdfOutputFile, pdfText, PDF_QUEUE, removeCupsPdfOutput } from './support/cups.js';
import { AGENT, SITE_NAME, startTestHub, type TestHub } from './support/hub.js';
import { startKiosk, type RunningKiosk } from './support/kiosk.js';
import { BLUE, RED, loopbackIceScript, mediaArgs, writeY4m } from './support/media.js';
import { RENDERER, requireRenderer } from './support/visioStage.js';

test.describe.configure({ mode: 'serial', timeout: 240_000 });

/** Monday 14 December 2026, 19:00 in Paris: CAF's visio is closed at the booth (weekday hours end at 17:00). */
const MONDAY_EVENING = Date.parse('2026-12-14T19:00:00+01:00');
/** The slots: Tuesday 15 December 2026, 14:00 and 14:30 (the same ISO week, so the agent's week shows both). */
const FIRST = Date.parse('2026-12-15T14:00:00+01:00');
const SECOND = Date.parse('2026-12-15T14:30:00+01:00');
const MIN = 60_000;

let tmp: string;
let boothBrowser: Browser;
let agentBrowser: Browser;
let hub: TestHub | null = null;
let kiosk: RunningKiosk | null = null;
const contexts: BrowserContext[] = [];
const printed: Array<number | null> = [];
/** The hub's clock runs from MONDAY_EVENING; the test moves it forward. */
let hubOffset = 0;

test.beforeAll(async () => {
  requireRenderer();
  await assertCupsReady();
  tmp = mkdtempSync(join(tmpdir(), 'relais-appointments-e2e-'));
  writeY4m(join(tmp, 'booth.y4m'), RED);
  writeY4m(join(tmp, 'agent.y4m'), BLUE);
  const launch = (y4m: string) => chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: [...CHROMIUM_ARGS, ...mediaArgs(join(tmp, y4m))], env: CHROMIUM_ENV });
  [boothBrowser, agentBrowser] = await Promise.all([launch('booth.y4m'), launch('agent.y4m')]);
});

test.afterAll(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
  await kiosk?.stop();
  await hub?.stop();
  for (const id of printed.splice(0)) removeCupsPdfOutput(id);
  await Promise.all([boothBrowser?.close(), agentBrowser?.close()]);
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

async function newPage(browser: Browser, clockAt?: number): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'fr-FR', timezoneId: 'Europe/Paris', permissions: ['clipboard-read', 'clipboard-write'] });
  contexts.push(context);
  await context.addInitScript(loopbackIceScript(false));
  if (clockAt !== undefined) await context.clock.install({ time: clockAt });
  return context.newPage();
}

/** The hub and the booth's page both move to `at` (the kiosk's home reads the page's clock). */
async function moveTo(booth: Page, at: number): Promise<void> {
  hubOffset = at - Date.now();
  await booth.clock.setSystemTime(at);
  // The home's clock ticks every 30 s: one tick draws the new time.
  await booth.clock.runFor(31_000);
}

interface JobRow {
  cups_job_id: number | null;
  state: string;
  kind: string;
}

function jobs(k: RunningKiosk): JobRow[] {
  const db = new Database(kioskDbFile(k.dataDir), { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT cups_job_id, state, kind FROM print_jobs ORDER BY id').all() as JobRow[];
  } finally {
    db.close();
  }
}

async function book(booth: Page, k: RunningKiosk, startsAt: number, note: string | null): Promise<string> {
  await booth.goto(await k.launchUrl());
  await expect(booth.getByRole('heading', { level: 1, name: 'Bienvenue' })).toBeVisible();
  await booth.locator('.tile[data-org="CAF"]').click();
  await expect(booth.getByTestId('visio-closed')).toBeVisible();
  await booth.getByTestId('book-appointment').click();
  await expect(booth.getByRole('heading', { level: 1, name: 'Pour quoi voulez-vous un rendez-vous ?' })).toBeVisible();
  const subject = booth.locator('.choice[data-subject]').first();
  const subjectText = (await subject.innerText()).split('\n')[0]?.trim() ?? '';
  await subject.click();
  await expect(booth.getByRole('heading', { level: 1, name: 'Quel jour ?' })).toBeVisible();
  await booth.locator('.choice[data-day]').first().click();
  await booth.locator(`.choice[data-starts-at="${startsAt}"]`).click();
  await expect(booth.getByRole('heading', { level: 1, name: 'Vérifiez votre rendez-vous' })).toBeVisible();
  if (note !== null) {
    await booth.getByLabel('Votre prénom ou vos initiales').fill(note);
    await booth.getByRole('checkbox').check();
  }
  await booth.getByRole('button', { name: 'Confirmer le rendez-vous' }).click();
  await expect(booth.getByRole('heading', { level: 1, name: 'Votre rendez-vous est pris' })).toBeVisible();
  return subjectText;
}

test('an agent publishes slots from the console; a visitor books, gets the slip, joins at the time; the missed one is « non honoré » on both sides; the feed holds both', async () => {
  hubOffset = MONDAY_EVENING - Date.now();
  hub = await startTestHub({ staticDir: RENDERER, clock: () => Date.now() + hubOffset, revocationPollMs: 200 });
  const appointments = createSqliteAppointmentStore(hub.hub.store.db);
  const [agentId] = appointments.agentIdsByLogin('CAF', [AGENT.login]) ?? [];
  appointments.setPlanner(agentId!, true);
  kiosk = await startKiosk({ clockStart: new Date(MONDAY_EVENING).toISOString(), env: { RELAIS_HUB_URL: hub.hub.url, RELAIS_HUB_TOKEN: hub.boothToken, RELAIS_PRINTER: PDF_QUEUE } });
  const agent = await newPage(agentBrowser);
  const booth = await newPage(boothBrowser, MONDAY_EVENING);

  await test.step('the agent signs in and publishes Tuesday’s slots from the console', async () => {
    await agent.goto(hub!.hub.httpUrl);
    await agent.getByLabel('Identifiant').fill(AGENT.login);
    await agent.getByLabel('Mot de passe').fill(AGENT.password);
    await agent.getByRole('button', { name: 'Se connecter' }).click();
    await expect(agent.locator('[data-hub="ready"]')).toBeVisible();
    await agent.getByRole('button', { name: 'Rendez-vous', exact: true }).click();
    await expect(agent.getByRole('heading', { level: 2, name: 'Publier des créneaux' })).toBeVisible();
    await expect(agent.getByText('Aucun rendez-vous sur cette période.')).toBeVisible();
    await expectAccessible(agent, 'console: appointments');
    await expectTouchTargets(agent, 'console: appointments');

    // A refused value is named and focused, nothing sent.
    await agent.getByLabel('Un créneau unique').check();
    await agent.getByRole('button', { name: 'Publier' }).click();
    await expect(agent.getByRole('alert').filter({ hasText: 'Indiquez une date valide.' })).toBeVisible();
    await expect(agent.getByLabel('Date', { exact: true })).toBeFocused();

    await agent.getByLabel('Date', { exact: true }).fill('2026-12-15');
    await agent.getByLabel('Début (heure)').fill('14:00');
    await agent.getByLabel('Fin (heure)').fill('15:00');
    await agent.getByLabel('Durée d’un créneau (minutes)').fill('30');
    await agent.getByLabel('Nombre de conseillers par créneau').fill('1');
    await agent.getByLabel(/^Identifiants des conseillers/).fill(AGENT.login);
    await agent.getByRole('button', { name: 'Publier' }).click();
    await expect(agent.getByTestId('planner-outcome')).toContainText('2 créneaux publiés.');
    const series = agent.locator('[data-series]');
    await expect(series).toHaveCount(1);
    await expect(series).toContainText('Le 15 décembre 2026 à 14:00, 14:30');
    await expect(series).toContainText(`Conseillers : ${AGENT.login}`);
    await agent.getByRole('button', { name: 'Cette semaine' }).click();
    await expectAccessible(agent, 'console: appointments after publishing');
  });

  await test.step('a weekly series for some booths, published then removed from the keyboard', async () => {
    await agent.getByLabel('Chaque semaine').check();
    await agent.getByLabel('jeudi').check();
    await agent.getByLabel('À partir du').fill('2027-01-07');
    await agent.getByLabel('Jusqu’au').fill('2027-01-28');
    await agent.getByLabel('Début (heure)').fill('09:00');
    await agent.getByLabel('Fin (heure)').fill('10:00');
    await agent.getByLabel('Durée d’un créneau (minutes)').fill('20');
    await agent.getByLabel('Nombre de conseillers par créneau').fill('2');
    // The booths come from the hub's list as checkboxes in their own group; none ticked is refused and focused.
    await agent.getByLabel('Certaines bornes').check();
    const choice = agent.getByRole('group', { name: 'Bornes concernées' });
    const ourBooth = choice.getByRole('checkbox', { name: `${SITE_NAME} (borne n° 1)` });
    await expect(choice.getByRole('checkbox')).toHaveCount(1);
    await agent.getByRole('button', { name: 'Publier' }).click();
    await expect(agent.getByRole('alert').filter({ hasText: 'Cochez de 1 à 500 bornes, ou choisissez « Toutes les bornes ».' })).toBeVisible();
    await expect(ourBooth).toBeFocused();
    await expectAccessible(agent, 'console: choosing booths');
    await expectTouchTargets(agent, 'console: choosing booths');
    await agent.keyboard.press('Space');
    await expect(ourBooth).toBeChecked();
    await agent.getByLabel(/^Identifiants des conseillers/).fill('');
    await agent.getByRole('button', { name: 'Publier' }).click();
    // Four Thursdays of January 2027, three slots each.
    await expect(agent.getByTestId('planner-outcome')).toContainText('12 créneaux publiés.');
    const weekly = agent.locator('[data-series]').filter({ hasText: 'Chaque jeudi' });
    await expect(weekly).toContainText('Chaque jeudi, 09:00, 09:20, 09:40, à partir du 7 janvier 2027 jusqu’au 28 janvier 2027');
    await expect(weekly).toContainText('Bornes n° 1');
    const remove = weekly.getByRole('button', { name: /^Retirer la série : Chaque jeudi/ });
    await remove.focus();
    await agent.keyboard.press('Enter');
    await expect(agent.getByRole('button', { name: 'Oui, retirer' })).toBeFocused();
    await expectAccessible(agent, 'console: removing a series');
    await expectTouchTargets(agent, 'console: removing a series');
    await agent.keyboard.press('Escape');
    await expect(remove).toBeFocused();
    await agent.keyboard.press('Enter');
    await agent.keyboard.press('Enter');
    await expect(agent.getByTestId('planner-outcome')).toContainText('12 créneaux retirés.');
    await expect(agent.locator('[data-series]')).toHaveCount(1);
  });

  let subject = '';
  await test.step('a visitor books the 14:00 slot from CAF’s closed screen, with a first name for the agent; the slip is printed', async () => {
    subject = await book(booth, kiosk!, FIRST, 'Amina');
    await booth.getByRole('button', { name: 'Imprimer le rendez-vous' }).click();
    await expect(booth.getByTestId('job-progress')).toHaveText('C’est imprimé. Prenez votre feuille.', { timeout: 30_000 });
    let job: JobRow | undefined;
    await expect.poll(() => (job = jobs(kiosk!).find((j) => j.kind === 'other' && j.state === 'completed')) !== undefined, { timeout: 20_000 }).toBe(true);
    printed.push(job!.cups_job_id);
    let file: string | null = null;
    await expect.poll(() => (file = cupsPdfOutputFile(job!.cups_job_id!)) !== null, { timeout: 10_000 }).toBe(true);
    const text = (await pdfText(file!)).replace(/\s+/g, ' ');
    expect(text).toContain('15 décembre 2026');
    expect(text).toContain('14:00');
    expect(text).toMatch(/allocations familiales/i);
    expect(text).not.toContain('Amina');
    // The agent's week shows it at once, with the note.
    const row = agent.locator('tr[data-status]').filter({ hasText: '14:00' });
    await expect(row).toContainText('À venir');
    await expect(row).toContainText('Amina');
    await expect(row).toContainText(SITE_NAME);
    await expect(row).toContainText(subject);
  });

  await test.step('a second booking, at 14:30, without a name', async () => {
    await book(booth, kiosk!, SECOND, null);
    await booth.getByRole('button', { name: 'Terminé' }).click();
    await expect(agent.locator('tr[data-status]')).toHaveCount(2);
  });

  await test.step('at 13:55 on Tuesday the home offers « Rejoindre »; the holding agent rings with the subject and the note, and answers', async () => {
    await moveTo(booth, FIRST - 5 * MIN);
    const reminder = booth.getByRole('heading', { level: 2, name: /^Rendez-vous .+ à 14:00$/ });
    await expect(reminder).toBeVisible();
    await expectAccessible(booth, 'home with the appointment');
    await agent.getByRole('button', { name: 'Appels', exact: true }).click();
    await booth.getByRole('button', { name: 'Rejoindre' }).click();
    const ringing = agent.locator('.agent__ringing');
    await expect(ringing).toContainText(`${SITE_NAME} — CAF`);
    await expect(ringing.getByTestId('ringing-appointment')).toContainText('Rendez-vous de 14:00');
    await expect(ringing.getByTestId('ringing-appointment')).toContainText(subject);
    await expect(ringing.getByTestId('ringing-appointment')).toContainText('Note : Amina');
    await ringing.getByRole('button', { name: 'Décrocher' }).click();
    await expect(booth.locator('main[data-phase="connected"]')).toBeVisible();
    await expect(agent.getByTestId('agent-call')).toBeVisible();
    await agent.getByRole('button', { name: 'Raccrocher' }).click();
    await agent.getByRole('button', { name: 'Rendez-vous', exact: true }).click();
    await expect(agent.locator('tr[data-status]').filter({ hasText: '14:00' })).toContainText('Honoré');
  });

  await test.step('nobody joins the 14:30 one: after the grace time it is « non honoré » for the agent and at the booth', async () => {
    await moveTo(booth, SECOND + 16 * MIN);
    const missed = agent.locator('tr[data-status="missed"]');
    await expect(missed).toContainText('14:30');
    await expect(missed).toContainText('Non honoré');
    await expect(agent.getByRole('status').filter({ hasText: 'Rendez-vous non honoré' })).toBeVisible();
    await booth.goto(await kiosk!.launchUrl());
    await booth.getByRole('button', { name: 'Mode médiateur' }).click();
    await booth.getByLabel('Code PIN', { exact: true }).fill('1234');
    await booth.getByRole('button', { name: 'Valider' }).click();
    await booth.getByRole('button', { name: 'Rendez-vous', exact: true }).click();
    const row = booth.locator('tr').filter({ hasText: '14:30' });
    await expect(row).toContainText('Non honoré');
  });

  await test.step('the agent makes a calendar address in the console: the iCalendar feed parses and holds both', async () => {
    await agent.getByRole('button', { name: 'Nouvelle adresse' }).click();
    const field = agent.getByLabel('Adresse de l’agenda');
    await expect(field).toHaveValue(/\/agents\/ical\/[A-Za-z0-9_-]+\.ics$/);
    const url = await field.inputValue();
    expect(url.startsWith(hub!.hub.httpUrl)).toBe(true);
    await agent.getByRole('button', { name: 'Copier l’adresse' }).click();
    await expect(agent.getByRole('status').filter({ hasText: 'Adresse copiée.' })).toBeVisible();
    const res = await fetch(url);
    expect(res.status).toBe(200);
    const calendar = new ICAL.Component(ICAL.parse(await res.text()));
    for (const tz of calendar.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(tz);
    const events = calendar.getAllSubcomponents('vevent').map((e) => new ICAL.Event(e));
    expect(events.map((e) => e.startDate.toJSDate().getTime()).sort()).toEqual([FIRST, SECOND]);
    const summaryAt = (at: number) => events.find((e) => e.startDate.toJSDate().getTime() === at)?.summary ?? '';
    expect(summaryAt(FIRST)).toMatch(/\(honoré\)$/);
    expect(summaryAt(SECOND)).toMatch(/\(non honoré\)$/);
    await expectAccessible(agent, 'console: appointments with the calendar address');
    await agent.getByRole('button', { name: 'Révoquer l’adresse' }).click();
    await expect(agent.getByRole('status').filter({ hasText: 'Adresse révoquée' })).toBeVisible();
    expect((await fetch(url)).status).toBe(404);
  });
});
