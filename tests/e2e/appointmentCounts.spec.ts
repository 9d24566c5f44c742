// The coordinator's « Rendez-vous » view in Chromium against a real hub: last month's visio appointments of the
// department per organisation (pris, honorés, non honorés, annulés), its CSV link, the keyboard, 48 px targets and no
// serious axe-core violation. The hub's database is seeded through the appointments' own store and service.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import react from '@vitejs/plugin-react';
import { build } from 'vite';
import { createAppointmentService, createSqliteAppointmentStore } from '../../server/appointments/index.js';
import { hashPassword } from '../../server/auth.js';
import { createCoordinatorStore } from '../../server/coordinator/index.js';
import { startHub, type RunningHub } from '../../server/hub.js';
import { WEEKDAY_HOURS, createHubStore, openHubDb } from '../../server/store.js';
import { monthBounds, monthOfInstant, previousMonth } from '../../shared/appointmentCounts.js';
import { formatMonth, upperFirst } from '../../shared/format.js';
import { parisWallTimeToEpoch } from '../../shared/time.js';
import { expectAccessible, expectTouchTargets } from './support/axe.js';
import { REPO } from './support/kiosk.js';

const COORDINATOR = { login: 'coord.lot', password: 'mot-de-passe-lot' };
/** Last month in Paris: wholly past, so the hub's own sweep finds nothing left to mark. */
const MONTH = previousMonth(monthOfInstant(Date.now()));
let hub: RunningHub;
let hubDir: string;
let pagesDir: string;

/** The dashboard built alone (renderer/coordinator.html), as `npm run build` builds it, into a directory of this test. */
async function buildDashboard(outDir: string): Promise<void> {
  await build({
    configFile: false,
    root: join(REPO, 'renderer'),
    base: './',
    logLevel: 'warn',
    plugins: [react()],
    build: { outDir, emptyOutDir: true, rollupOptions: { input: { coordinator: join(REPO, 'renderer/coordinator.html') } } },
  });
}

/** CAF: 4 taken (1 honoured, 1 missed, 1 cancelled by the booth, 1 closed by the organisation); CPAM: 2 taken, 2 honoured. */
async function seed(dataDir: string): Promise<void> {
  const db = openHubDb(join(dataDir, 'hub.sqlite'));
  const store = createHubStore(db);
  store.seedOrganisations(WEEKDAY_HOURS);
  const { start } = monthBounds(MONTH);
  const booth = store.addBooth('Relais de Gramat', start).id;
  createCoordinatorStore(db).add(COORDINATOR.login, await hashPassword(COORDINATOR.password), start);
  const appointments = createSqliteAppointmentStore(db);
  const clock = { now: start };
  const service = createAppointmentService({ store: appointments, clock: () => clock.now, newId: randomUUID });
  for (const organisation of ['CAF', 'CPAM']) {
    const planner = store.addAgent({ organisation, login: `planif.${organisation.toLowerCase()}`, displayName: 'Planificateur', passwordHash: 'x' }, start);
    const r = await service.publish(organisation, planner, { start: `${MONTH}-10T10:00`, rule: 'FREQ=DAILY;COUNT=5', lengthMin: 30, capacity: 4, onHolidays: true });
    if (!r.ok) throw new Error(`publish refused: ${r.code}`);
  }
  const book = async (organisation: string, startsAt: number, subject: string) => {
    const r = await service.book({ organisation, boothId: booth, startsAt, subject });
    if (!r.ok) throw new Error(`booking refused: ${r.code}`);
    return r.appointment;
  };
  const [year, month] = MONTH.split('-').map(Number) as [number, number];
  const d10 = parisWallTimeToEpoch(year, month, 10, 10, 0);
  const d11 = parisWallTimeToEpoch(year, month, 11, 10, 0);
  const d12 = parisWallTimeToEpoch(year, month, 12, 10, 0);
  const honoured = await book('CAF', d10, 'rsa');
  await book('CAF', d10, 'logement');
  const cancelled = await book('CAF', d11, 'famille');
  await book('CAF', d12, 'rsa');
  const cpam = [await book('CPAM', d10, 'droits'), await book('CPAM', d11, 'css')];
  await service.cancel(cancelled.id, booth);
  await service.closeDays('CAF', `${MONTH}-12`, `${MONTH}-12`, 'Fermeture exceptionnelle');
  clock.now = d10 + 5 * 60_000;
  appointments.honour(honoured.id, clock.now);
  appointments.honour(cpam[0]!.id, clock.now);
  clock.now = d11 + 5 * 60_000;
  appointments.honour(cpam[1]!.id, clock.now);
  clock.now = monthBounds(MONTH).end;
  await service.sweep();
  db.close();
}

test.beforeAll(async () => {
  hubDir = mkdtempSync(join(tmpdir(), 'relais-apptcounts-hub-'));
  pagesDir = mkdtempSync(join(tmpdir(), 'relais-apptcounts-pages-'));
  await Promise.all([seed(hubDir), buildDashboard(pagesDir)]);
  hub = await startHub({ host: '127.0.0.1', port: 0, dataDir: hubDir, staticDir: pagesDir });
});
test.afterAll(async () => {
  await hub?.close().catch(() => undefined);
  rmSync(hubDir, { recursive: true, force: true });
  rmSync(pagesDir, { recursive: true, force: true });
});

test('the « Rendez-vous » view counts last month’s appointments per organisation, by keyboard, accessibly', async ({ page }) => {
  await page.goto(`${hub.httpUrl}/coordinator`);
  await page.getByLabel('Identifiant').fill(COORDINATOR.login);
  await page.getByLabel('Mot de passe').fill(COORDINATOR.password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Tableau de bord départemental' })).toBeVisible();

  // Keyboard only: the view's button, then the month list.
  const viewButton = page.getByRole('button', { name: 'Rendez-vous', exact: true });
  await viewButton.focus();
  await page.keyboard.press('Enter');
  await expect(viewButton).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByRole('heading', { level: 2, name: 'Rendez-vous en visio' })).toBeVisible();
  const monthList = page.getByLabel('Mois', { exact: true });
  await monthList.focus();
  await page.keyboard.press('ArrowDown');
  await expect(monthList).toHaveValue(MONTH);

  const monthName = formatMonth(MONTH, 'fr');
  const table = page.getByRole('table', { name: `Rendez-vous en visio de ${monthName}, par organisme` });
  await expect(table).toBeVisible();
  await expect(table.locator('thead th')).toHaveText(['Organisme', 'Pris', 'Honorés', 'Non honorés', 'Annulés']);
  await expect(table.locator('tr[data-org="CAF"] td')).toHaveText(['4', '1', '1', '2']);
  await expect(table.locator('tr[data-org="CPAM"] td')).toHaveText(['2', '2', '0', '0']);
  await expect(table.locator('tr[data-org="total"] td')).toHaveText(['6', '3', '1', '2']);
  await expect(page.getByRole('link', { name: 'Exporter les rendez-vous en CSV' })).toHaveAttribute('href', `/coordinator/api/appointments.csv?month=${MONTH}`);
  await expect(page.getByRole('option', { name: upperFirst(monthName) })).toHaveCount(1);

  await expectAccessible(page, 'coordinator appointments');
  await expectTouchTargets(page, 'coordinator appointments');

  // The CSV the link gives, with the page's own cookie.
  const csv = await page.evaluate(async (m) => (await fetch(`/coordinator/api/appointments.csv?month=${m}`)).text(), MONTH);
  expect(csv.replace(/^\uFEFF/, '')).toBe('Organisme;Pris;Honorés;Non honorés;Annulés\r\nCAF;4;1;1;2\r\nCPAM;2;2;0;0\r\nTotal;6;3;1;2\r\n');
});
