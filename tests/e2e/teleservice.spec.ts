// Guided online services end to end, in Chromium through the web shell, against a fake online service on 127.0.0.1:
// a mediator's full session (automatic steps, a refused foreign link, a PDF printed on the CUPS virtual printer, the
// wipe, the counting), a second visitor who starts logged out with empty storage, and the idle countdown that wipes.
import { expect, test, type Frame, type Page } from '@playwright/test';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectAccessible, expectTouchTargets } from './support/axe.js';
import { assertCupsReady, pdfText, PDF_QUEUE } from './support/cups.js';
import { FAKE_PDF_TEXT, startFakeOnlineService, writeFakeServiceGuide, type FakeOnlineService } from './support/fakeOnlineService.js';
import { startKiosk, type RunningKiosk } from './support/kiosk.js';

// Wednesday 25 November 2026, 10:00 in Paris (ISO week 2026-W48).
const CLOCK = '2026-11-25T10:00:00+01:00';
const GUIDE_TITLE = 'Service factice de test';
const CAF = "Caisse d'allocations familiales";
const CUPS_PDF_DIRS = [join(homedir(), 'PDF'), '/root/PDF', '/var/spool/cups-pdf/ANONYMOUS'];

let service: FakeOnlineService;
let guidesDir: string;
let kiosk: RunningKiosk;

test.beforeAll(async () => {
  await assertCupsReady();
  service = await startFakeOnlineService();
  guidesDir = mkdtempSync(join(tmpdir(), 'relais-e2e-guides-'));
  await writeFakeServiceGuide(guidesDir, service.origin);
});
test.afterAll(async () => {
  await service.close();
  rmSync(guidesDir, { recursive: true, force: true });
});
test.beforeEach(async () => {
  kiosk = await startKiosk({ clockStart: CLOCK, env: { RELAIS_EXTRA_GUIDES_DIR: guidesDir, RELAIS_PRINTER: PDF_QUEUE } });
});
test.afterEach(async () => {
  await kiosk.stop();
});

async function unlockMediator(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Mode médiateur' }).click();
  await page.getByLabel('Code PIN', { exact: true }).fill('1234');
  await page.getByRole('button', { name: 'Valider' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Espace médiateur' })).toBeVisible();
}

/** The website's frame, once it shows a page of the fake service through the proxy. */
async function siteFrame(page: Page): Promise<Frame> {
  const handle = await page.locator('iframe.site-frame').elementHandle();
  const frame = await handle?.contentFrame();
  if (!frame) throw new Error('no website frame');
  return frame;
}

/** PDF files cups-pdf wrote since `since` (ms), with their text. */
async function printedSince(since: number): Promise<string[]> {
  const texts: string[] = [];
  for (const dir of CUPS_PDF_DIRS) {
    let names: string[] = [];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names.filter((n) => n.endsWith('.pdf'))) {
      const file = join(dir, name);
      if (statSync(file).mtimeMs >= since) texts.push(await pdfText(file).catch(() => ''));
    }
  }
  return texts;
}

const cell = (page: Page, org: string, service: string) => page.locator(`table.table--grid tr[data-org="${org}"] td[data-service="${service}"]`);

test('a mediator runs a guided session: the guide follows the site, a foreign link is refused, the PDF is printed, the session is wiped and counted; the next visitor starts logged out', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await page.goto(await kiosk.launchUrl());
  await unlockMediator(page);
  await page.getByRole('button', { name: 'Démarches en ligne' }).click();
  await expect(page.getByRole('heading', { name: 'Démarches en ligne guidées' })).toBeVisible();
  await expectAccessible(page, 'mediator online procedures');
  await expectTouchTargets(page, 'mediator online procedures');
  await page.getByRole('button', { name: CAF }).click();
  await page.getByRole('button', { name: `Commencer : ${GUIDE_TITLE}` }).click();

  // The website fills most of the screen, the guide beside it, at step 1.
  await expect(page.getByRole('heading', { level: 1, name: GUIDE_TITLE })).toBeVisible();
  const site = page.frameLocator('iframe.site-frame');
  await expect(site.getByRole('heading', { name: 'Connexion' })).toBeVisible();
  await expect(page.getByText('Étape 1 sur 5')).toBeVisible();
  const frameBox = await page.locator('iframe.site-frame').boundingBox();
  expect(frameBox?.width ?? 0).toBeGreaterThan(1280 * 0.6);
  await expectAccessible(page, 'guided session');
  await expectTouchTargets(page, 'guided session');

  // Logging in leads to the visitor's space: the guide moves there by itself.
  await site.getByLabel('Identifiant').fill('visiteur-test');
  await site.getByRole('button', { name: 'Se connecter' }).click();
  await expect(site.locator('#status')).toHaveText('Connecté');
  await expect(site.locator('#storage')).toHaveText('stockage vide');
  await expect(page.getByText('Étape 2 sur 5')).toBeVisible();
  expect(service.issuedSessions()).toBe(1);

  await site.getByRole('link', { name: 'Déclarer' }).click();
  await expect(page.getByText('Étape 3 sur 5')).toBeVisible();
  await site.getByRole('link', { name: 'Valider' }).click();
  await expect(site.getByRole('heading', { name: 'Déclaration enregistrée' })).toBeVisible();
  await expect(page.getByText('Étape 4 sur 5')).toBeVisible();
  await page.getByRole('button', { name: 'Suivant' }).click();
  await expect(page.getByText('Étape 5 sur 5')).toBeVisible();

  // A link to another site is refused, in the frame and in the guide.
  await site.locator('#foreign').click();
  await expect(page.getByRole('alert').filter({ hasText: 'Cette page n’est pas disponible ici.' })).toBeVisible();
  await expect(site.getByRole('heading', { name: 'Cette page n’est pas disponible ici.' })).toBeVisible();
  await expectAccessible(page, 'guided session, foreign page refused');
  await page.getByRole('button', { name: 'J’ai compris' }).click();

  // The attestation downloaded from the site is printed on the virtual PDF printer.
  const frame = await siteFrame(page);
  await frame.goto(`${new URL(frame.url()).origin}/espace`);
  await expect(site.locator('#status')).toHaveText('Connecté');
  const printStart = Date.now() - 1_000;
  await site.locator('#pdf').click();
  await expect(page.getByText('Le document est prêt. Voulez-vous l’imprimer ?')).toBeVisible();
  await page.getByRole('button', { name: 'Imprimer' }).click();
  await expect(page.getByText('Le document part à l’imprimante.')).toBeVisible();
  await expect.poll(async () => (await printedSince(printStart)).some((text) => text.includes(FAKE_PDF_TEXT)), { timeout: 30_000 }).toBe(true);

  // "J'ai fini": the frame goes, the browser is told to clear the site's data, and the visitor is told so.
  await page.getByRole('button', { name: 'J’ai fini' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Votre séance est fermée' })).toBeVisible();
  await expect(page.getByText('Votre séance est fermée. Tout ce que vous avez fait sur ce site est effacé de la borne.')).toBeVisible();
  await expect(page.locator('iframe.site-frame')).toHaveCount(0);
  await expectAccessible(page, 'session closed');

  // Counted: one teleservice and one document for the CAF.
  await page.getByRole('button', { name: 'Retour à l’espace médiateur' }).click();
  await page.getByRole('button', { name: 'Grille hebdomadaire' }).click();
  await expect(cell(page, 'CAF', 'teleservice')).toHaveText('1');
  await expect(cell(page, 'CAF', 'documents')).toHaveText('1');

  // The next visitor, alone from the CAF's screen, starts on the same site logged out, with empty storage.
  await page.getByRole('button', { name: 'Verrouiller' }).click();
  await page.locator('.tile[data-org="CAF"]').click();
  // The CAF has two procedures a visitor may start alone (its own and the fake one): one card opens their list.
  await page.getByRole('button', { name: 'Faire une démarche sur Internet' }).click();
  await expect(page.getByRole('button', { name: GUIDE_TITLE })).toBeVisible();
  await expectAccessible(page, 'organisation screen with online procedures');
  await expectTouchTargets(page, 'organisation screen with online procedures');
  await page.getByRole('button', { name: GUIDE_TITLE }).click();
  await expect(site.getByRole('heading', { name: 'Connexion' })).toBeVisible();
  await site.getByRole('link', { name: 'Mon espace' }).click();
  await expect(site.locator('#status')).toHaveText('Non connecté');
  await expect(site.locator('#storage')).toHaveText('stockage vide');
  await page.getByRole('button', { name: 'J’ai fini' }).click();
  await expect(page.getByText('Votre séance est fermée. Tout ce que vous avez fait sur ce site est effacé de la borne.')).toBeVisible();
});

test('after the idle time "Êtes-vous toujours là ?" counts down; a touch cancels it, and going idle ends and wipes the session', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto(await kiosk.launchUrl());
  await unlockMediator(page);
  await page.getByRole('button', { name: 'Démarches en ligne' }).click();
  await page.getByLabel('Après combien de secondes sans toucher l’écran (5 à 3600)').fill('5');
  await page.getByRole('button', { name: 'Enregistrer le délai' }).click();
  await expect(page.getByText('Délai enregistré.')).toBeVisible();
  await page.getByRole('button', { name: 'Verrouiller' }).click();

  await page.locator('.tile[data-org="CAF"]').click();
  await page.getByRole('button', { name: 'Faire une démarche sur Internet' }).click();
  await page.getByRole('button', { name: GUIDE_TITLE }).click();
  await expect(page.frameLocator('iframe.site-frame').getByRole('heading', { name: 'Connexion' })).toBeVisible();

  const dialog = page.getByRole('alertdialog', { name: 'Êtes-vous toujours là ?' });
  await expect(dialog).toBeVisible({ timeout: 15_000 });
  await expect(dialog).toContainText('Sinon, l’écran revient à l’accueil dans');
  await expectAccessible(page, 'idle countdown');
  await expectTouchTargets(page, 'idle countdown');
  await dialog.getByRole('button', { name: 'Je suis là' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByRole('heading', { level: 1, name: GUIDE_TITLE })).toBeVisible();

  await expect(dialog).toBeVisible({ timeout: 15_000 });
  await expect(page.getByRole('heading', { level: 1, name: 'Bienvenue' })).toBeVisible({ timeout: 30_000 });
  await expect(page.locator('iframe.site-frame')).toHaveCount(0);
  await expect(page.getByRole('status').filter({ hasText: 'Tout ce que vous avez fait sur ce site est effacé de la borne.' })).toBeVisible();
});
