// Issue 14: no internal code reaches a person, and every promise on screen is kept. On a fresh install (no printer
// chosen), the visitor screens and every tab of the mediator's space are read as text and searched for what the code
// itself defines as internal — the contract's error codes, the printer's reason codes, the hub's call reasons, the help
// places in their raw form, the screens' and tabs' identifiers, and the catalog's own keys — built from the code, not
// typed by hand. On the way: the home stays calm without a printer, and « printing impossible » reaches the mediator.
import { expect, test, type Page } from '@playwright/test';
import { expectNoInternalCodes, FORBIDDEN, MEDIATOR_TABS } from './support/internalCodes.js';
import { startKiosk, type RunningKiosk } from './support/kiosk.js';

// Wednesday 25 November 2026, 10:00 in Paris.
const CLOCK = '2026-11-25T10:00:00+01:00';

const seen: string[] = [];
async function scan(page: Page, screen: string): Promise<void> {
  await expectNoInternalCodes(page, screen);
  seen.push(screen);
}

let kiosk: RunningKiosk;
test.beforeEach(async () => {
  // A fresh install: no printer chosen.
  expect(process.env.RELAIS_PRINTER ?? '').toBe('');
  kiosk = await startKiosk({ clockStart: CLOCK });
});
test.afterEach(async () => {
  await kiosk.stop();
});

test('no screen shows an internal code, and with no printer the mediator is called with a reason in words', async ({ page }) => {
  // Every visitor screen and every mediator tab, one after the other.
  test.setTimeout(300_000);
  expect(FORBIDDEN.length).toBeGreaterThan(100);
  await page.goto(await kiosk.launchUrl());
  await expect(page.getByRole('heading', { level: 1, name: 'Bienvenue' })).toBeVisible();
  // A fresh install does not alarm visitors.
  await expect(page.getByTestId('printing-notice')).toHaveCount(0);
  await scan(page, 'home');

  for (const tile of await page.locator('.tile').all()) {
    const code = await tile.getAttribute('data-org');
    await tile.click();
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await scan(page, `organisation ${code}`);
    if ((await page.getByTestId('visio-closed').count()) > 0) await expect(page.getByTestId('visio-closed')).toContainText(/Elle ouvre|Aucune heure/);
    await page.getByRole('button', { name: 'Retour à l’accueil' }).click();
  }

  // The CAF's documents: printing is impossible, the screen says so and the mediator is called by itself.
  await page.locator('.tile[data-org="CAF"]').click();
  await page.getByRole('button', { name: /^Documents à imprimer/ }).click();
  await expect(page.getByTestId('printing-notice')).toHaveText("L'impression n'est pas possible pour le moment.");
  await expect(page.getByTestId('mediator-alerted')).toHaveText('Le médiateur est prévenu. Il arrive.');
  await expect(page.getByRole('status').filter({ hasText: 'Un médiateur arrive' })).toBeVisible();
  await scan(page, 'documents CAF');
  await page.getByRole('button', { name: /Retour/ }).first().click();
  await page.getByRole('button', { name: 'Retour à l’accueil' }).click();

  await page.getByRole('button', { name: 'Mode médiateur' }).click();
  await scan(page, 'unlock');
  await page.getByLabel('Code PIN', { exact: true }).fill('1234');
  await page.getByRole('button', { name: 'Valider' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Espace médiateur' })).toBeVisible();
  // The request, in words, with the organisation's name and the time.
  await expect(page.getByRole('alert').filter({ hasText: 'Un visiteur demande de l’aide' })).toHaveText(/Un visiteur demande de l’aide \(Impression impossible — Caisse d'allocations familiales, 10:\d{2}\)/);
  // No printer chosen: said to the mediator, with the way to the tab where it is chosen.
  await expect(page.getByTestId('no-printer-notice')).toContainText('Choisissez-la avec le bouton « Choisir l’imprimante » de l\'onglet « Imprimante et appareils ».');

  const tabs = page.locator('ul.tabs button');
  const count = await tabs.count();
  for (let i = 0; i < count; i++) {
    const tab = page.locator('ul.tabs button').nth(i);
    const name = (await tab.innerText()).trim();
    await tab.click();
    await expect(tab).toHaveAttribute('aria-current', 'page');
    await scan(page, `mediator tab ${name}`);
  }
  expect(seen.length).toBeGreaterThanOrEqual(6 + 3 + MEDIATOR_TABS.length);
  console.log(`no internal code on ${seen.length} screens, ${FORBIDDEN.length} forbidden patterns: ${seen.join(', ')}`);
});
