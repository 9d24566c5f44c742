// Issue 14: no internal code reaches a person, and every promise on screen is kept. On a fresh install (no printer
// chosen), the visitor screens and every tab of the mediator's space are read as text and searched for what the code
// itself defines as internal — the contract's error codes, the printer's reason codes, the hub's call reasons, the help
// places in their raw form, the screens' and tabs' identifiers, and the catalog's own keys — built from the code, not
// typed by hand. On the way: the home stays calm without a printer, and « printing impossible » reaches the mediator.
import { expect, test, type Page } from '@playwright/test';
import { HELP_PLACES } from '../../shared/contract.js';
import { ErrorCode } from '../../shared/errors.js';
import { REASON_CODES } from '../../shared/printerReasons.js';
import { EndReason, UnavailableReason } from '../../shared/protocol.js';
import { mergeCatalogs } from '../../renderer/i18n/createI18n.js';
import { KIOSK_FEATURES } from '../../renderer/i18n/index.js';
import { startKiosk, type RunningKiosk } from './support/kiosk.js';

// Wednesday 25 November 2026, 10:00 in Paris.
const CLOCK = '2026-11-25T10:00:00+01:00';
/** The French texts as the kiosk loads them, every feature merged. */
const fr = mergeCatalogs(KIOSK_FEATURES, 'fr');

/** Every key path of the French catalog (« help.reasons.home »), plural suffixes removed. */
function catalogKeys(node: unknown, prefix = ''): string[] {
  if (typeof node !== 'object' || node === null) return [prefix.replace(/_(one|other|zero|few|many)$/, '')];
  return Object.entries(node).flatMap(([k, v]) => catalogKeys(v, prefix ? `${prefix}.${k}` : k));
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const MEDIATOR_TABS = ['quick', 'today', 'grid', 'teleservice', 'audit', 'incidents', 'report', 'evaluationSettings', 'devices', 'settings'];
const SCREEN_NAMES = ['home', 'organisation', 'visio', 'unlock', 'mediator', 'teleservice', 'survey', 'forms', 'documents'];
/** Identifiers that are not words: UPPER_SNAKE, snake_case, kebab-case, camelCase. */
const isIdentifier = (s: string): boolean => /[_-]/.test(s) || /[a-z][A-Z]/.test(s) || /^[A-Z][A-Z0-9_]+$/.test(s);

const FORBIDDEN: { what: string; pattern: RegExp }[] = [
  ...ErrorCode.options.map((code) => ({ what: `error code ${code}`, pattern: new RegExp(`(^|[^\\p{L}_])${escape(code)}(?![\\p{L}_])`, 'u') })),
  ...[...REASON_CODES, ...UnavailableReason.options, ...EndReason.options, ...MEDIATOR_TABS, ...SCREEN_NAMES]
    .filter(isIdentifier)
    .map((code) => ({ what: `identifier ${code}`, pattern: new RegExp(`(^|[^\\p{L}_-])${escape(code)}(?![\\p{L}_-])`, 'u') })),
  // A help request as stored (« home », « teleservice:CARSAT »): the raw place with a colon or in the old « (home, 10:00) ».
  ...[...HELP_PLACES, ...SCREEN_NAMES].map((place) => ({ what: `raw place ${place}`, pattern: new RegExp(`(^|[\\s(])${escape(place)}(:[A-Za-z_]+|,\\s*\\d{1,2}:\\d{2})`, 'u') })),
  // A catalog key shown instead of its text (i18next shows the key when it is missing).
  ...[...new Set(catalogKeys(fr))].filter((k) => k.includes('.')).map((key) => ({ what: `catalog key ${key}`, pattern: new RegExp(`(^|[^\\p{L}.])${escape(key)}(?![\\p{L}])`, 'u') })),
  { what: 'a key of a catalog namespace', pattern: new RegExp(`(^|\\s)(${Object.keys(fr).map(escape).join('|')})\\.[a-zA-Z_]+(\\.[a-zA-Z_-]+)*(\\s|$)`, 'u') },
];

const seen: string[] = [];
async function expectNoInternalCodes(page: Page, screen: string): Promise<void> {
  const text = await page.locator('body').innerText();
  const labels = await page.locator('[aria-label], [title], [alt]').evaluateAll((els) => els.map((e) => [e.getAttribute('aria-label'), e.getAttribute('title'), e.getAttribute('alt')].filter(Boolean).join(' ')));
  const all = `${text}\n${labels.join('\n')}`;
  for (const { what, pattern } of FORBIDDEN) expect(all, `${screen} shows ${what}`).not.toMatch(pattern);
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
  await expectNoInternalCodes(page, 'home');

  for (const tile of await page.locator('.tile').all()) {
    const code = await tile.getAttribute('data-org');
    await tile.click();
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await expectNoInternalCodes(page, `organisation ${code}`);
    if ((await page.getByTestId('visio-closed').count()) > 0) await expect(page.getByTestId('visio-closed')).toContainText(/Elle ouvre|Aucune heure/);
    await page.getByRole('button', { name: 'Retour à l’accueil' }).click();
  }

  // The CAF's documents: printing is impossible, the screen says so and the mediator is called by itself.
  await page.locator('.tile[data-org="CAF"]').click();
  await page.getByRole('button', { name: /^Documents à imprimer/ }).click();
  await expect(page.getByTestId('printing-notice')).toHaveText("L'impression n'est pas possible pour le moment.");
  await expect(page.getByTestId('mediator-alerted')).toHaveText('Le médiateur est prévenu. Il arrive.');
  await expect(page.getByRole('status').filter({ hasText: 'Un médiateur arrive' })).toBeVisible();
  await expectNoInternalCodes(page, 'documents CAF');
  await page.getByRole('button', { name: /Retour/ }).first().click();
  await page.getByRole('button', { name: 'Retour à l’accueil' }).click();

  await page.getByRole('button', { name: 'Mode médiateur' }).click();
  await expectNoInternalCodes(page, 'unlock');
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
    await expectNoInternalCodes(page, `mediator tab ${name}`);
  }
  expect(seen.length).toBeGreaterThanOrEqual(6 + 3 + MEDIATOR_TABS.length);
  console.log(`no internal code on ${seen.length} screens, ${FORBIDDEN.length} forbidden patterns: ${seen.join(', ')}`);
});
