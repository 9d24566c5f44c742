// Printing end to end in Chromium through the web shell and the machine's CUPS (queue PDF, cups-pdf): a form filled on
// screen and printed (its values read back from the PDF CUPS wrote), a leaflet in two copies counted once as
// `documents`, and the weekly grid printed with the right numbers. axe-core on each printing screen.
import { expect, test, type Page } from '@playwright/test';
import Database from 'better-sqlite3';
import { kioskDbFile } from '../../electron/services/paths.js';
import { CHROMIUM_ARGS, CHROMIUM_ENV } from './playwright.config.js';
import { expectAccessible, expectTouchTargets } from './support/axe.js';
import { assertCupsReady, cupsPdfOutputFile, pdfText, PDF_QUEUE, removeCupsPdfOutput } from './support/cups.js';
import { startKiosk, type RunningKiosk } from './support/kiosk.js';

// Wednesday 25 November 2026, 10:00 in Paris (ISO week 2026-W48).
const CLOCK = '2026-11-25T10:00:00+01:00';

// A fake camera and microphone (a test pattern and a beep) for the devices tab's media test.
test.use({
  launchOptions: {
    executablePath: '/usr/bin/chromium',
    args: [...CHROMIUM_ARGS, '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'],
    env: CHROMIUM_ENV,
  },
});

interface JobRow {
  id: number;
  cups_job_id: number | null;
  state: string;
  kind: string;
}

/** The kiosk's print jobs, read from its SQLite file (read-only, beside the running kiosk). */
function jobs(kiosk: RunningKiosk): JobRow[] {
  const db = new Database(kioskDbFile(kiosk.dataDir), { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT id, cups_job_id, state, kind FROM print_jobs ORDER BY id').all() as JobRow[];
  } finally {
    db.close();
  }
}

async function completedJob(kiosk: RunningKiosk, kind: string): Promise<JobRow> {
  let found: JobRow | undefined;
  await expect
    .poll(() => {
      found = jobs(kiosk).find((j) => j.kind === kind && j.state === 'completed');
      return found !== undefined;
    }, { timeout: 20_000 })
    .toBe(true);
  return found!;
}

async function outputText(cupsJobId: number, layout = false): Promise<string> {
  let file: string | null = null;
  await expect.poll(() => (file = cupsPdfOutputFile(cupsJobId)) !== null, { timeout: 10_000 }).toBe(true);
  return pdfText(file!, layout);
}

let kiosk: RunningKiosk;
const printed: Array<number | null> = [];
test.beforeAll(async () => {
  await assertCupsReady();
});
test.beforeEach(async () => {
  kiosk = await startKiosk({ clockStart: CLOCK, env: { RELAIS_PRINTER: PDF_QUEUE } });
});
test.afterEach(async () => {
  await kiosk.stop();
  for (const id of printed.splice(0)) removeCupsPdfOutput(id);
});

async function openOrganisation(page: Page, code: string): Promise<void> {
  await page.goto(await kiosk.launchUrl());
  await page.locator(`.tile[data-org="${code}"]`).click();
}

test('a form filled on screen is previewed, printed, and the PDF CUPS wrote holds the typed values', async ({ page }) => {
  await openOrganisation(page, 'CAF');
  await page.getByRole('button', { name: /Formulaires à remplir/ }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Formulaires');
  await expectAccessible(page, 'forms list');
  await page.locator('[data-form="caf-changement-situation"]').getByRole('button', { name: 'Remplir' }).click();
  // Fields are addressed by id (f + position in the PDF); the form is shown page by page.
  // How many fields a page holds depends on the room the screen leaves: each field is reached with « Suivant ».
  const field = async (id: string) => {
    const box = page.locator(`[data-field="${id}"]`);
    while ((await box.count()) === 0) await page.getByRole('button', { name: 'Suivant' }).click();
    return box;
  };
  await expect(page.getByTestId('form-page')).toContainText('Page 1 sur');
  await (await field('f0')).fill('Dupont-Lefèvre');
  await expectAccessible(page, 'form filling');
  await expectTouchTargets(page, 'form filling');
  await (await field('f1')).fill('Élodie');
  // A French date box, not the browser's date picker: typed digits get their slashes.
  await (await field('f2')).pressSequentially('02112026');
  await expect(page.locator('[data-field="f2"]')).toHaveValue('02/11/2026');
  await (await field('f6')).fill('Déménagement à Cahors');

  await page.getByRole('button', { name: 'Voir le document' }).click();
  await expect(page.getByTestId('pdf-preview')).toHaveAttribute('data-rendered', 'true', { timeout: 15_000 });
  await page.getByRole('button', { name: 'Imprimer', exact: true }).click();
  await expect(page.getByTestId('job-progress')).toHaveText('C’est imprimé. Prenez votre feuille.', { timeout: 20_000 });

  const job = await completedJob(kiosk, 'form');
  printed.push(job.cups_job_id);
  const text = await outputText(job.cups_job_id!);
  for (const typed of ['Dupont-Lefèvre', 'Élodie', '02/11/2026', 'Déménagement à Cahors']) expect(text).toContain(typed);
});

test('a leaflet printed in two copies counts once as documents, and the printed weekly grid has the right numbers', async ({ page }) => {
  await openOrganisation(page, 'CAF');
  await page.getByRole('button', { name: /Documents à imprimer/ }).click();
  const card = page.locator('[data-doc="caf-aides-logement"]');
  await card.getByRole('button', { name: 'Un exemplaire de plus' }).click();
  await expect(card.getByTestId('copies-caf-aides-logement-value')).toHaveText('2');
  await expectAccessible(page, 'documents');
  await expectTouchTargets(page, 'documents');
  await card.getByRole('button', { name: 'Imprimer', exact: true }).click();
  await expect(card.getByTestId('job-progress')).toHaveText('C’est imprimé. Prenez votre feuille.', { timeout: 20_000 });
  const leaflet = await completedJob(kiosk, 'document');
  printed.push(leaflet.cups_job_id);
  // Two copies in the one file cups-pdf wrote: the leaflet's text twice.
  const leafletText = await outputText(leaflet.cups_job_id!);
  expect(leafletText.length).toBeGreaterThan(0);

  await page.goto(await kiosk.launchUrl());
  await page.getByRole('button', { name: 'Mode médiateur' }).click();
  await page.getByLabel('Code PIN', { exact: true }).fill('1234');
  await page.getByRole('button', { name: 'Valider' }).click();
  await page.getByRole('button', { name: 'Grille hebdomadaire' }).click();
  await expect(page.locator('table.table--grid tr[data-org="CAF"] td[data-service="documents"]')).toHaveText('1');
  await expect(page.locator('table.table--grid tr[data-org="total"] td[data-service="total"]')).toHaveText('1');

  await page.getByRole('button', { name: 'Imprimer la grille' }).click();
  await expect(page.getByText('La grille est envoyée à l’imprimante.')).toBeVisible();
  const grid = await completedJob(kiosk, 'grid');
  printed.push(grid.cups_job_id);
  const text = await outputText(grid.cups_job_id!, true);
  expect(text).toContain('Semaine 48 (du 23 au 29 novembre 2026)');
  const cafLine = text.split('\n').find((l) => /allocations familiales/i.test(l));
  expect(cafLine, text).toBeDefined();
  // CAF's row: 1 in documents, 1 in total; every other count 0.
  const numbers = (cafLine!.match(/\b\d+\b/g) ?? []).map(Number);
  expect(numbers.filter((n) => n === 1)).toHaveLength(2);
  expect(numbers.every((n) => n === 0 || n === 1)).toBe(true);
  // Still counted once after the grid was printed (the grid itself is never counted).
  await page.getByRole('button', { name: 'Grille hebdomadaire' }).click();
  await expect(page.locator('table.table--grid tr[data-org="total"] td[data-service="total"]')).toHaveText('1');
});

test('the mediator sees the printer ready, the devices, and prints a test page from the devices tab', async ({ page }) => {
  await page.goto(await kiosk.launchUrl());
  await page.getByRole('button', { name: 'Mode médiateur' }).click();
  await page.getByLabel('Code PIN', { exact: true }).fill('1234');
  await page.getByRole('button', { name: 'Valider' }).click();
  await page.getByRole('button', { name: 'Imprimante et appareils' }).click();
  await expect(page.getByTestId('printer-reasons')).toContainText("L'imprimante est prête.");
  await expect(page.getByTestId('health-disk')).toContainText('Go libres');
  await expect(page.getByTestId('health-camera')).toContainText('Présent');
  await expect(page.getByTestId('health-microphone')).toContainText('Présent');
  await expectAccessible(page, 'devices tab');
  await expectTouchTargets(page, 'devices tab');
  await page.getByRole('button', { name: 'Tester la caméra et le micro' }).click();
  await expect.poll(() => page.getByTestId('media-preview').evaluate((v: HTMLVideoElement) => v.videoWidth), { timeout: 10_000 }).toBeGreaterThan(0);
  await expect.poll(() => page.getByTestId('level-meter').evaluate((m: HTMLMeterElement) => m.value), { timeout: 10_000 }).toBeGreaterThan(0);
  await page.getByRole('button', { name: 'Arrêter le test' }).click();
  await page.getByRole('button', { name: 'Imprimer une page de test' }).click();
  const job = await completedJob(kiosk, 'other');
  printed.push(job.cups_job_id);
  expect(await outputText(job.cups_job_id!)).toContain('Page de test');
});
