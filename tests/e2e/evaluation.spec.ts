// Evaluation tools end to end: services recorded and a visio call ended, the survey answered on the kiosk, the month's
// report PDF checked with pdftotext, a printer fault opening exactly one incident, the week synced to a separately started
// hub and shown on the coordinator's dashboard, and a week queued while the hub is down that arrives once it is back.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { hashPassword } from '../../server/auth.js';
import { createCoordinatorStore, siteIdOfBooth } from '../../server/coordinator/index.js';
import { startHub, type RunningHub } from '../../server/hub.js';
import { expectAccessible, expectTouchTargets } from './support/axe.js';
import { REPO, startKiosk, type RunningKiosk } from './support/kiosk.js';
import { expectNoInternalCodes } from './support/internalCodes.js';

// Wednesday 25 November 2026, 10:00 in Paris (ISO week 2026-W48).
const CLOCK = '2026-11-25T10:00:00+01:00';
const SITE = 'Relais de Saint-Céré';
const COORDINATOR = { login: 'coord.lot', password: 'mot-de-passe-lot' };
const CAF = "Caisse d'allocations familiales";

let hub: RunningHub;
let hubDir: string;
let boothId: number;
let kiosk: RunningKiosk;

const startOurHub = (port: number) => startHub({ host: '127.0.0.1', port, dataDir: hubDir, staticDir: join(REPO, 'dist/renderer') });

test.beforeAll(async () => {
  hubDir = mkdtempSync(join(tmpdir(), 'relais-eval-hub-'));
  hub = await startOurHub(0);
  const booth = hub.store.addBooth(SITE, Date.now());
  boothId = booth.id;
  createCoordinatorStore(hub.store.db).add(COORDINATOR.login, await hashPassword(COORDINATOR.password), Date.now());
  kiosk = await startKiosk({ clockStart: CLOCK, env: { RELAIS_HUB_URL: hub.url, RELAIS_HUB_TOKEN: booth.token, RELAIS_SYNC_EVERY_MS: '1000' } });
});
test.afterAll(async () => {
  await kiosk?.stop();
  await hub?.close().catch(() => undefined);
  rmSync(hubDir, { recursive: true, force: true });
});

/** Calls a contract verb through the web shell, as the renderer's bridge does. */
async function verb(page: Page, name: string, input: unknown): Promise<{ ok: boolean; value?: unknown; error?: { code: string } }> {
  return page.evaluate(
    async ([n, i]) => (await fetch(`/api/${n as string}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(i) })).json(),
    [name, input] as const,
  );
}

async function unlock(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Mode médiateur' }).click();
  await page.getByLabel('Code PIN', { exact: true }).fill('1234');
  await page.getByRole('button', { name: 'Valider' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Espace médiateur' })).toBeVisible();
}

async function recordService(page: Page, organisation: string, service: string): Promise<void> {
  await page.getByRole('button', { name: 'Saisie rapide' }).click();
  await page.getByRole('button', { name: organisation, exact: true }).click();
  await page.getByRole('button', { name: service, exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Enregistré' })).toContainText(`${organisation} — ${service}`);
}

const hubWeekTotal = (): number | null =>
  (hub.store.db.prepare('SELECT total FROM aggregate_weeks WHERE site_id = ? AND week_key = 202648').get(siteIdOfBooth(boothId)) as { total: number } | undefined)?.total ?? null;

test('survey, report PDF, one incident per printer fault, and the week on the coordinator’s dashboard, queued while the hub is down', async ({ page, browser }) => {
  test.setTimeout(180_000);
  await page.goto(await kiosk.launchUrl());

  // The visitor home: the quality charter, and who is reachable by visio now.
  await page.getByRole('button', { name: 'Notre charte qualité' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Notre charte qualité' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Joignables en visio maintenant' })).toBeVisible();
  await expectAccessible(page, 'home with the charter');
  await expectTouchTargets(page, 'home with the charter');

  // Services recorded by the mediator, and a visio call that ended (recorded by the call screen's verb).
  await unlock(page);
  await expect(page.getByTestId('audit-reminder')).toContainText('L’audit du mois de novembre 2026 n’est pas encore fait.');
  await recordService(page, CAF, 'Information / orientation');
  await recordService(page, 'Mission Locale', 'Consultation Internet');
  const callEnd = Date.parse(CLOCK) - 5 * 60_000;
  expect(await verb(page, 'visio.recordVisit', { organisation: 'CAF', startedAt: callEnd - 15 * 60_000, endedAt: callEnd })).toMatchObject({ ok: true });

  // The survey after the visio call: the kiosk is locked and handed to the visitor.
  await page.getByRole('button', { name: 'Évaluation', exact: true }).click();
  await page.getByLabel('Organisme concerné').selectOption('CAF');
  await page.getByLabel('Service rendu').selectOption('visio');
  await page.getByRole('button', { name: 'Verrouiller et passer la borne au visiteur' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Avez-vous été bien accueilli ?' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Très satisfait' })).toBeVisible();
  await expectAccessible(page, 'survey');
  await expectTouchTargets(page, 'survey');
  await page.screenshot({ path: join(REPO, 'docs/screenshots/survey.png'), fullPage: true });
  await page.getByRole('button', { name: 'Très satisfait' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Avez-vous obtenu une réponse ?' })).toBeVisible();
  await page.getByRole('button', { name: 'Satisfait', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'L’image et le son étaient-ils bons ?' })).toBeVisible();
  await page.getByRole('button', { name: 'Passer cette question' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Recommanderiez-vous ce service ?' })).toBeVisible();
  await page.getByRole('button', { name: 'Très satisfait' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Merci pour votre réponse !' })).toBeVisible();
  await page.getByRole('button', { name: 'Retour à l’accueil' }).click();

  // A printer fault reported twice (two print attempts) opens exactly one incident.
  const first = await verb(page, 'incidents.reportFault', { faultKey: 'printer_fault:PDF', category: 'equipment', what: "L'imprimante est en panne ou indisponible." });
  const second = await verb(page, 'incidents.reportFault', { faultKey: 'printer_fault:PDF', category: 'equipment', what: "L'imprimante est en panne ou indisponible." });
  expect(first).toMatchObject({ ok: true, value: { opened: true } });
  expect(second).toMatchObject({ ok: true, value: { opened: false } });
  await unlock(page);
  await page.getByRole('button', { name: 'Incidents', exact: true }).click();
  const incidents = page.locator('li.incident');
  await expect(incidents).toHaveCount(1);
  await expect(incidents.first()).toHaveAttribute('data-fault', 'printer_fault:PDF');
  await expect(incidents.first()).toContainText('vu 2 fois');
  await expectAccessible(page, 'incident log');
  await expectTouchTargets(page, 'incident log');

  // This month's audit: the reminder goes once it is recorded.
  await page.getByRole('button', { name: 'Audit du mois', exact: true }).click();
  for (const item of ['furniture', 'information_displayed', 'room_confidentiality', 'equipment_working']) {
    await page.locator(`li[data-item="${item}"]`).getByLabel('Conforme', { exact: true }).check();
  }
  await page.locator('li[data-item="cleanliness"]').getByLabel('Non conforme', { exact: true }).check();
  await page.getByLabel('Commentaire (Propreté)').fill('Poubelle pleine');
  await expectAccessible(page, 'audit');
  await page.getByRole('button', { name: 'Enregistrer l’audit' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Audit enregistré.' })).toBeVisible();
  await page.getByRole('button', { name: 'Rapport', exact: true }).click();
  await expect(page.getByTestId('audit-reminder')).toHaveCount(0);

  // The month's report on screen, then its PDF checked with pdftotext.
  const report = page.locator('table.table--report');
  await expect(report).toHaveAttribute('data-month', '2026-11');
  await expect(report.locator('tr[data-org="CAF"] td[data-service="info"]')).toHaveText('1');
  await expect(report.locator('tr[data-org="CAF"] td[data-service="visio"]')).toHaveText('1');
  await expect(report.locator('tr[data-org="ML"] td[data-service="internet"]')).toHaveText('1');
  await expect(report.locator('tr[data-org="total"] td[data-service="total"]')).toHaveText('3');
  await expect(page.getByTestId('survey-responses')).toHaveText('1 réponse au questionnaire');
  await expect(page.locator('tr[data-question="welcome"] td[data-field="mean"]')).toHaveText('5');
  await expectAccessible(page, 'month report');
  await expectTouchTargets(page, 'month report');
  const downloadPromise = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Imprimer / télécharger le PDF' }).click();
  const download = await downloadPromise;
  expect(download.suggestedFilename()).toBe('rapport-2026-11.pdf');
  const text = execFileSync('pdftotext', ['-layout', (await download.path())!, '-'], { encoding: 'utf8' });
  expect(text).toContain('Services rendus : 3');
  expect(text).toMatch(/Caisse d'allocations familiales\s+1\s+0\s+1\s+0\s+0\s+2/);
  expect(text).toContain('Satisfaction : 1 questionnaire(s)');
  expect(text).toMatch(/Avez-vous été bien accueilli \?\s+1\s+5,00\s+100 %/);
  expect(text).toMatch(/Avez-vous obtenu une réponse \?\s+1\s+4,00\s+100 %/);
  expect(text).toContain('Incidents : 1');
  expect(text).toContain('(constaté 2 fois)');

  // The week reaches the hub (the kiosk flushes its queue every second in this test).
  await expect.poll(hubWeekTotal, { timeout: 15_000 }).toBe(3);
  const coordinatorContext = await browser.newContext({ locale: 'fr-FR', timezoneId: 'Europe/Paris', viewport: { width: 1280, height: 800 } });
  const coordinator = await coordinatorContext.newPage();
  await coordinator.goto(`${hub.httpUrl}/coordinator`);
  await coordinator.getByLabel('Identifiant').fill(COORDINATOR.login);
  await coordinator.getByLabel('Mot de passe').fill(COORDINATOR.password);
  await coordinator.getByRole('button', { name: 'Se connecter' }).click();
  await expect(coordinator.getByRole('heading', { level: 1, name: 'Tableau de bord départemental' })).toBeVisible();
  await coordinator.getByLabel('Semaine de début').selectOption('2026-W46');
  await coordinator.getByLabel('Semaine de fin').selectOption('2026-W48');
  await coordinator.getByRole('button', { name: 'Afficher' }).click();
  const site = coordinator.locator(`tr[data-site="${SITE}"]`);
  await expect(site.locator('td[data-week="2026-W48"]')).toHaveText('3');
  await expect(site.locator('td[data-week="total"]')).toHaveText('3');
  await expect(coordinator.getByRole('button', { name: 'Imprimer la grille' })).toBeVisible();
  await expect(coordinator.getByRole('link', { name: 'Exporter en CSV' })).toHaveAttribute('href', /dashboard\.csv\?from=2026-W46&to=2026-W48/);
  await expectAccessible(coordinator, 'coordinator dashboard');
  await expectNoInternalCodes(coordinator, 'coordinator dashboard');
  await coordinator.screenshot({ path: join(REPO, 'docs/screenshots/coordinator.png'), fullPage: true });
  // A browser zoomed to 150 % (853 CSS pixels wide): the tables scroll in their own regions, the page does not.
  await coordinator.setViewportSize({ width: 853, height: 533 });
  expect(await coordinator.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);
  // The organisations' table, wider than that, scrolls inside its region (reachable by keyboard: it takes the focus).
  const totals = coordinator.locator('.coord-scroll[aria-labelledby="org-title"]');
  expect(await totals.evaluate((e) => e.scrollWidth > e.clientWidth && e.tabIndex === 0)).toBe(true);
  await coordinator.setViewportSize({ width: 1280, height: 800 });

  // Hub down: a corrected week waits in the queue, and arrives once the hub is back on the same address.
  const port = hub.port;
  await hub.close();
  await recordService(page, 'Assurance Maladie (CPAM)', 'Fourniture de documents');
  await expect
    .poll(async () => ((await verb(page, 'sync.status', {})) as { value?: { pending: number; lastError: string | null } }).value, { timeout: 15_000 })
    .toMatchObject({ pending: 1, lastError: expect.stringMatching(/^hub injoignable/) });
  hub = await startOurHub(port);
  await expect.poll(hubWeekTotal, { timeout: 15_000 }).toBe(4);
  await coordinator.reload();
  await coordinator.getByLabel('Semaine de début').selectOption('2026-W48');
  await coordinator.getByLabel('Semaine de fin').selectOption('2026-W48');
  await coordinator.getByRole('button', { name: 'Afficher' }).click();
  await expect(coordinator.locator(`tr[data-site="${SITE}"] td[data-week="2026-W48"]`)).toHaveText('4');
  await coordinatorContext.close();
});
