// Issue 14: French in every format whatever the browser's locale. The whole run uses a Chromium in US English
// (--lang=en-US, context locale en-US, the browser Debian ships without its French pack) and checks what a person reads:
// the home's visio hours, the mediator's tabs (week, month, incidents, audit, disk sizes), the fields (no browser
// picker), the printed weekly grid and month report (pdftotext of the CUPS output), and the CSV export.
import { expect, test, type Page } from '@playwright/test';
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { kioskDbFile } from '../../electron/services/paths.js';
import { CHROMIUM_ARGS, CHROMIUM_ENV } from './playwright.config.js';
import { assertCupsReady, cupsPdfOutputFile, pdfText, PDF_QUEUE, removeCupsPdfOutput } from './support/cups.js';
import { startKiosk, type RunningKiosk } from './support/kiosk.js';

// Wednesday 25 November 2026, 10:00 in Paris (ISO week 2026-W48).
const CLOCK = '2026-11-25T10:00:00+01:00';

test.use({
  locale: 'en-US',
  launchOptions: {
    executablePath: '/usr/bin/chromium',
    args: [...CHROMIUM_ARGS, '--lang=en-US'],
    env: { ...CHROMIUM_ENV, LANG: 'en_US.UTF-8', LANGUAGE: 'en_US:en' },
  },
});

/** What US English would show: 12-hour clocks, month-first dates, English month names, ISO week codes, decimal points. */
const US_FORMATS = [/\b\d{1,2}:\d{2}\s?(AM|PM)\b/i, /\b(January|February|March|April|May|June|July|August|September|October|November|December)\b/, /\b\d{4}-W\d{2}\b/, /\b\d+\.\d+ Go\b/, /mm\/dd\/yyyy/i];

async function expectNoUsFormats(page: Page, where: string): Promise<void> {
  const text = await page.locator('body').innerText();
  for (const pattern of US_FORMATS) expect(text, `${where}: ${pattern}`).not.toMatch(pattern);
}

async function unlock(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Mode médiateur' }).click();
  await page.getByLabel('Code PIN', { exact: true }).fill('1234');
  await page.getByRole('button', { name: 'Valider' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Espace médiateur' })).toBeVisible();
}

interface JobRow {
  cups_job_id: number | null;
  state: string;
  kind: string;
}

function gridJob(kiosk: RunningKiosk): JobRow | undefined {
  const db = new Database(kioskDbFile(kiosk.dataDir), { readonly: true, fileMustExist: true });
  try {
    return db.prepare("SELECT cups_job_id, state, kind FROM print_jobs WHERE kind = 'grid' ORDER BY id DESC LIMIT 1").get() as JobRow | undefined;
  } finally {
    db.close();
  }
}

let kiosk: RunningKiosk;
let printed: number | null = null;
test.beforeAll(async () => {
  await assertCupsReady();
});
test.beforeEach(async () => {
  kiosk = await startKiosk({ clockStart: CLOCK, env: { RELAIS_PRINTER: PDF_QUEUE } });
});
test.afterEach(async () => {
  await kiosk.stop();
  removeCupsPdfOutput(printed);
  printed = null;
});

test('a Chromium in US English still shows, prints and exports every date, time, week and number in French', async ({ page }) => {
  // One long walk through a dozen screens, two PDFs and a CSV (about 1.5 min on a loaded 2-core machine).
  test.setTimeout(300_000);
  await page.goto(await kiosk.launchUrl());
  // The browser really is in US English (else this test could not fail).
  expect(await page.evaluate(() => [navigator.language, new Intl.DateTimeFormat().resolvedOptions().locale])).toEqual(['en-US', 'en-US']);
  expect(await page.evaluate(() => new Date(Date.UTC(2026, 11, 1, 13)).toLocaleString())).toMatch(/PM/);

  // The home: visio hours in 24-hour time.
  await expect(page.getByRole('heading', { level: 1, name: 'Bienvenue' })).toBeVisible();
  const statuses = await page.locator('.tile__status').allInnerTexts();
  expect(statuses.join('\n')).toMatch(/Visio (ouverte jusqu’à|fermée\. Ouvre [^\n]* à) \d{2}:\d{2}/);
  await expectNoUsFormats(page, 'home');

  // A closed organisation's own screen says when it opens, in 24-hour time.
  const closedTile = page.locator('.tile').filter({ hasText: 'Visio fermée' }).first();
  if ((await closedTile.count()) > 0) {
    await closedTile.click();
    await expect(page.getByTestId('visio-closed')).toContainText(/Elle ouvre .* à \d{2}:\d{2}\.|Aucune heure de visio/);
    await expectNoUsFormats(page, 'closed organisation');
    await page.getByRole('button', { name: 'Retour à l’accueil' }).click();
  }

  await unlock(page);
  // One service today, for the CSV.
  await page.getByRole('button', { name: "Caisse d'allocations familiales", exact: true }).click();
  await page.getByRole('button', { name: 'Information / orientation', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Enregistré' })).toBeVisible();

  // The weekly grid: the week in words.
  await page.getByRole('button', { name: 'Grille hebdomadaire' }).click();
  await expect(page.locator('.week-picker__label')).toHaveText('Comptage de la semaine 48 (du 23 au 29 novembre)');
  await expectNoUsFormats(page, 'weekly grid');

  // The printed grid, as CUPS wrote it.
  await page.getByRole('button', { name: 'Imprimer la grille' }).click();
  await expect(page.getByText('La grille est envoyée à l’imprimante.')).toBeVisible();
  await expect.poll(() => gridJob(kiosk)?.state, { timeout: 30_000 }).toBe('completed');
  printed = gridJob(kiosk)?.cups_job_id ?? null;
  let file: string | null = null;
  await expect.poll(() => (file = cupsPdfOutputFile(printed!)) !== null, { timeout: 15_000 }).toBe(true);
  const gridText = await pdfText(file!, true);
  expect(gridText).toContain('Semaine 48 (du 23 au 29 novembre 2026)');
  expect(gridText).toMatch(/Édité le 25\/11\/2026 à 10:\d{2}/);
  for (const pattern of US_FORMATS) expect(gridText).not.toMatch(pattern);

  // An incident: its time in 24-hour French.
  await page.getByRole('button', { name: 'Incidents', exact: true }).click();
  await page.getByLabel('Ce qui s’est passé').fill('Le scanner ne répond plus');
  await page.getByRole('button', { name: 'Ouvrir l’incident' }).click();
  await expect(page.locator('li.incident').first()).toContainText(/Ouvert le 25 novembre 2026 à 10:\d{2}/);
  await expectNoUsFormats(page, 'incidents');

  // This month's audit: its date in French.
  await page.getByRole('button', { name: 'Audit du mois', exact: true }).click();
  await expect(page.getByText('Mois de novembre 2026')).toBeVisible();
  for (const item of ['furniture', 'cleanliness', 'information_displayed', 'room_confidentiality', 'equipment_working']) {
    await page.locator(`li[data-item="${item}"]`).getByLabel('Conforme', { exact: true }).check();
  }
  await page.getByRole('button', { name: 'Enregistrer l’audit' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Audit enregistré.' })).toBeVisible();
  await expect(page.locator('body')).toContainText(/fait le 25 novembre 2026 à 10:\d{2}/);
  await expectNoUsFormats(page, 'audit');

  // The report: the month by its French name, chosen with buttons, never a browser picker.
  await page.getByRole('button', { name: 'Rapport', exact: true }).click();
  await expect(page.getByTestId('month-label')).toHaveText('novembre 2026');
  await expect(page.locator('input[type="month"], input[type="date"], input[type="time"], input[type="week"]')).toHaveCount(0);
  await expect(page.locator('body')).toContainText(/Audit fait le 25 novembre 2026 à 10:\d{2}\./);
  await expect(page.locator('g[data-bar="2026-W48"] text').last()).toHaveText('semaine 48');
  await expectNoUsFormats(page, 'report');
  await page.getByRole('button', { name: 'Mois précédent' }).click();
  await expect(page.getByTestId('month-label')).toHaveText('octobre 2026');
  await page.getByRole('button', { name: 'Mois suivant' }).click();
  await expect(page.getByTestId('month-label')).toHaveText('novembre 2026');

  // The report's PDF.
  const pdfDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Imprimer / télécharger le PDF' }).click();
  const pdf = execFileSync('pdftotext', ['-layout', (await (await pdfDownload).path())!, '-'], { encoding: 'utf8' });
  expect(pdf).toContain('Rapport mensuel – novembre 2026');
  expect(pdf).toContain('Audit fait le 25/11/2026.');
  expect(pdf).toContain('semaine 48');
  for (const pattern of US_FORMATS) expect(pdf).not.toMatch(pattern);

  // The CSV: French dates and 24-hour times.
  const csvDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: /CSV/ }).click();
  const csv = (await readFile((await (await csvDownload).path())!)).subarray(3).toString('utf8').trimEnd().split('\r\n');
  expect(csv[0]).toBe('Date;Heure de début;Durée (min);Organisme;Type de service;Tranche d’âge;Commune;Première visite');
  expect(csv[1]).toMatch(/^25\/11\/2026;10:\d{2};/);

  // The devices tab: sizes with a decimal comma.
  await page.getByRole('button', { name: 'Imprimante et appareils' }).click();
  await expect(page.getByTestId('health-disk')).toContainText(/^\d+,\d Go libres sur \d+,\d Go/);
  await expectNoUsFormats(page, 'devices');

  // The visio hours in the settings: 24-hour lists, no browser time field.
  await page.getByRole('button', { name: 'Réglages', exact: true }).click();
  await expect(page.locator('.time-field').first()).toBeVisible();
  await expect(page.locator('input[type="time"]')).toHaveCount(0);
  const hourOptions = await page.locator('.time-field').first().getByLabel('heures').locator('option').allInnerTexts();
  expect(hourOptions).toContain('14');
  expect(hourOptions.join(' ')).not.toMatch(/AM|PM/);
});
