// The foundation end to end: the visitor home for a fixed clock, mediator unlock and lockout, recording and correcting
// services, the weekly grid's exact counts and its CSV export, with axe-core on every screen visited.
import { expect, test, type Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expectAccessible, expectTouchTargets } from './support/axe.js';
import { REPO, startKiosk, type RunningKiosk } from './support/kiosk.js';

// Wednesday 25 November 2026, 10:00 in Paris (ISO week 2026-W48).
const CLOCK = '2026-11-25T10:00:00+01:00';

let kiosk: RunningKiosk;
test.beforeEach(async () => {
  // The virtual PDF printer made by build/scripts/cups-setup.sh, so the home is shown as a site with a printer.
  kiosk = await startKiosk({ clockStart: CLOCK, env: { RELAIS_PRINTER: 'PDF' } });
});
test.afterEach(async () => {
  await kiosk.stop();
});

async function unlock(page: Page, pin: string): Promise<void> {
  await page.getByLabel('Code PIN', { exact: true }).fill(pin);
  await page.getByRole('button', { name: 'Valider' }).click();
}

async function recordService(page: Page, organisation: string, service: string): Promise<void> {
  await page.getByRole('button', { name: organisation, exact: true }).click();
  await page.getByRole('button', { name: service, exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Enregistré' })).toContainText(`${organisation} — ${service}`);
}

const cell = (page: Page, org: string, service: string) => page.locator(`table.table--grid tr[data-org="${org}"] td[data-service="${service}"]`);

test('the visitor home shows every organisation with its visio state for the clock, and help can be called', async ({ page }) => {
  await page.goto(await kiosk.launchUrl());
  await expect(page.getByRole('heading', { level: 1, name: 'Bienvenue' })).toBeVisible();
  const tiles = page.locator('.tile');
  await expect(tiles).toHaveCount(6);
  await expectVisioStates(page);
  await expect(page.getByText('Démonstration', { exact: true })).toBeVisible();
  await expectAccessible(page, 'visitor home');
  await expectTouchTargets(page, 'visitor home');
  await page.screenshot({ path: join(REPO, 'docs/screenshots/home.png'), fullPage: true });

  await page.getByRole('button', { name: 'Texte très grand' }).click();
  await expect(page.getByRole('button', { name: 'Texte très grand' })).toHaveAttribute('aria-pressed', 'true');
  const fontSize = await page.evaluate(() => getComputedStyle(document.documentElement).fontSize);
  expect(fontSize).toBe('27px');

  await page.locator('.tile[data-org="CAF"]').click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('allocations familiales');
  await expectAccessible(page, 'organisation screen');
  await page.getByRole('button', { name: 'Appeler le médiateur' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Un médiateur arrive' })).toBeVisible();
  await page.getByRole('button', { name: 'Retour à l’accueil' }).click();
  await expect(page.getByText('Un médiateur arrive')).toBeVisible();

  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Welcome' })).toBeVisible();
});

test('a mediator unlocks after three wrong PINs, records and corrects services, and the weekly grid and CSV count them exactly', async ({ page }) => {
  await page.goto(await kiosk.launchUrl());
  await page.getByRole('button', { name: 'Appeler le médiateur' }).click();
  await page.getByRole('button', { name: 'Mode médiateur' }).click();
  await expect(page.getByText('Démonstration : le code est 1234.')).toBeVisible();
  await expectAccessible(page, 'unlock');
  for (const remaining of [4, 3, 2]) {
    await unlock(page, '0000');
    await expect(page.getByRole('alert')).toHaveText(`Code incorrect. Il reste ${remaining} essais.`);
  }
  await unlock(page, '1234');
  await expect(page.getByRole('heading', { level: 1, name: 'Espace médiateur' })).toBeVisible();

  const banner = page.getByRole('alert').filter({ hasText: 'Un visiteur demande de l’aide' });
  await expect(banner).toBeVisible();
  await banner.getByRole('button', { name: 'J’arrive' }).click();
  await expect(banner).toHaveCount(0);
  await expectAccessible(page, 'mediator quick entry');

  const caf = "Caisse d'allocations familiales";
  await recordService(page, caf, 'Information / orientation');
  await recordService(page, caf, 'Visio-accueil');
  await recordService(page, caf, 'Information / orientation');
  await recordService(page, 'Assurance Maladie (CPAM)', 'Fourniture de documents');
  await recordService(page, 'France Travail (anciennement ANPE)', 'Aide aux téléservices');
  await recordService(page, 'Mission Locale', 'Consultation Internet');

  await page.getByRole('button', { name: 'Ajouter un profil anonyme (facultatif)' }).click();
  await page.getByLabel('Tranche d’âge').selectOption('under25');
  await page.getByLabel('Commune de résidence').fill('Figeac');
  await page.getByRole('button', { name: 'Enregistrer le profil' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Profil enregistré.' })).toBeVisible();

  await page.getByRole('button', { name: 'Aujourd’hui' }).click();
  const rows = page.locator('tr[data-visit]');
  await expect(rows).toHaveCount(6);
  await expect(rows.filter({ hasText: 'Figeac' })).toHaveCount(1);
  await expectAccessible(page, 'today list');
  // The CPAM documents line was in fact UDAF information.
  const cpamRow = rows.filter({ hasText: 'Assurance Maladie (CPAM)' });
  await cpamRow.getByRole('button', { name: /^Corriger/ }).click();
  await page.getByLabel('Organisme', { exact: true }).selectOption('UDAF');
  await page.getByLabel('Service', { exact: true }).selectOption('info');
  await page.getByRole('button', { name: 'Enregistrer la correction' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Correction enregistrée.' })).toBeVisible();
  // One CAF information line was typed twice by mistake.
  await rows.filter({ hasText: 'Information / orientation' }).filter({ hasText: caf }).first().getByRole('button', { name: /^Supprimer/ }).click();
  await page.getByRole('button', { name: 'Oui, supprimer' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Service supprimé.' })).toBeVisible();
  await expect(rows).toHaveCount(5);

  await page.getByRole('button', { name: 'Grille hebdomadaire' }).click();
  await expect(page.locator('table.table--grid')).toHaveAttribute('data-week', '2026-W48');
  await expect(cell(page, 'CAF', 'info')).toHaveText('1');
  await expect(cell(page, 'CAF', 'visio')).toHaveText('1');
  await expect(cell(page, 'CAF', 'total')).toHaveText('2');
  await expect(cell(page, 'CPAM', 'documents')).toHaveText('0');
  await expect(cell(page, 'UDAF', 'info')).toHaveText('1');
  await expect(cell(page, 'FT', 'teleservice')).toHaveText('1');
  await expect(cell(page, 'ML', 'internet')).toHaveText('1');
  await expect(cell(page, 'total', 'info')).toHaveText('2');
  await expect(cell(page, 'total', 'total')).toHaveText('5');
  await expectAccessible(page, 'weekly grid');
  await expectTouchTargets(page, 'weekly grid');
  await page.screenshot({ path: join(REPO, 'docs/screenshots/weekly-grid.png'), fullPage: true });

  const downloadPromise = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Exporter en CSV' }).click();
  const download = await downloadPromise;
  expect(download.suggestedFilename()).toBe('grille-comptage-2026-W48.csv');
  const bytes = await readFile((await download.path())!);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const lines = bytes.subarray(3).toString('utf8').trimEnd().split('\r\n');
  expect(lines[0]).toBe('Organisme;Information / orientation;Fourniture de documents;Visio-accueil;Aide aux téléservices;Consultation Internet;Total');
  expect(lines).toContain("Caisse d'allocations familiales;1;0;1;0;0;2");
  expect(lines).toContain('UDAF – Point Info Famille;1;0;0;0;0;1');
  expect(lines.at(-1)).toBe('Total;2;0;1;1;1;5');

  await page.getByRole('button', { name: 'Semaine précédente' }).click();
  await expect(page.locator('table.table--grid')).toHaveAttribute('data-week', '2026-W47');
  await expect(cell(page, 'total', 'total')).toHaveText('0');

  await page.getByRole('button', { name: 'Réglages' }).click();
  await expect(page.getByRole('heading', { name: 'Les médiateurs' })).toBeVisible();
  await expectAccessible(page, 'settings');
});

// A finger already down on « Mode médiateur » while the home's last answers arrive: nothing may move under it. The
// printer's state is known before the home's first frame (here a printer CUPS does not have, so its notice is shown),
// and the charter's toggle is in place before the charter is read.
test('a tap on the home while its content is still arriving is not lost', async ({ page }) => {
  await kiosk.stop();
  kiosk = await startKiosk({ clockStart: CLOCK, env: { RELAIS_PRINTER: 'Absente' } });
  const hold = async (verb: string) => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route(`**/api/${verb}`, async (route) => {
      await held;
      await route.continue();
    });
    return async () => {
      const answered = page.waitForResponse(`**/api/${verb}`);
      release();
      await answered;
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    };
  };
  const releasePrinter = await hold('printing.state');
  const releaseCharter = await hold('charter.get');
  const loaded = ['app.info', 'organisations.list', 'auth.state', 'help.state'].map((verb) => page.waitForResponse(`**/api/${verb}`));
  await page.goto(await kiosk.launchUrl());
  await Promise.all(loaded);
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  const entry = page.getByRole('button', { name: 'Mode médiateur' });
  await expect(entry).toHaveCount(0);
  await expect(page.getByRole('status').filter({ hasText: 'Chargement' })).toBeVisible();

  await releasePrinter();
  await expect(page.getByTestId('printing-notice')).toBeVisible();
  await entry.scrollIntoViewIfNeeded();
  const box = (await entry.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await releaseCharter();
  await page.mouse.up();
  await expect(page.getByLabel('Code PIN', { exact: true })).toBeVisible();
});

test('five wrong PINs lock mediator mode, even for the right PIN, and the lock survives a restart', async ({ page }) => {
  await page.goto(await kiosk.launchUrl());
  await page.getByRole('button', { name: 'Mode médiateur' }).click();
  for (const remaining of [4, 3, 2, 1]) {
    await unlock(page, '9999');
    await expect(page.getByRole('alert')).toHaveText(remaining === 1 ? 'Code incorrect. Il reste 1 essai.' : `Code incorrect. Il reste ${remaining} essais.`);
  }
  await unlock(page, '9999');
  await expect(page.getByRole('alert')).toHaveText('Trop d’essais. Le mode médiateur est bloqué jusqu’à 10:05.');
  await page.getByRole('button', { name: 'Retour à l’accueil' }).click();
  await page.getByRole('button', { name: 'Mode médiateur' }).click();
  await unlock(page, '1234');
  await expect(page.getByRole('alert')).toHaveText('Trop d’essais. Le mode médiateur est bloqué jusqu’à 10:05.');
  await expect(page.getByRole('heading', { name: 'Espace médiateur' })).toHaveCount(0);

  const dataDir = kiosk.dataDir;
  await kiosk.process.kill('SIGTERM');
  await new Promise((r) => kiosk.process.once('exit', r));
  const restarted = await startKiosk({ clockStart: CLOCK, dataDir });
  try {
    await page.goto(await restarted.launchUrl());
    await page.getByRole('button', { name: 'Mode médiateur' }).click();
    await unlock(page, '1234');
    await expect(page.getByRole('alert')).toHaveText('Trop d’essais. Le mode médiateur est bloqué jusqu’à 10:05.');
    await expect(page.getByRole('heading', { name: 'Espace médiateur' })).toHaveCount(0);
  } finally {
    await restarted.stop();
  }
});

async function expectVisioStates(page: Page): Promise<void> {
  const status = (org: string) => page.locator(`.tile[data-org="${org}"] .status`);
  for (const [org, text] of Object.entries(EXPECTED_VISIO_STATES)) await expect(status(org), org).toHaveText(text);
}

// The demo configuration's hours (assets/demo-config.json) seen on Wednesday at 10:00.
const EXPECTED_VISIO_STATES: Record<string, string> = {
  CAF: 'Visio ouverte jusqu’à 12:00',
  CPAM: 'Visio fermée. Ouvre demain à 13:30',
  CARSAT: 'Visio fermée. Ouvre demain à 09:00',
  FT: 'Visio fermée. Ouvre vendredi à 09:00',
  ML: 'Visio fermée. Ouvre aujourd’hui à 14:00',
  UDAF: 'Visio fermée. Ouvre mardi à 14:00',
};
