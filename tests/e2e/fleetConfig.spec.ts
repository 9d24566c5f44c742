// The configuration pushed from the hub, end to end: a real hub and the kiosk's web shell in Chromium. The coordinator
// publishes new visio hours and the department's charter from the dashboard's editor (checked with axe, 48 px targets,
// keyboard), the booth applies them and its home and organisation screen show the hours; a configuration the booth
// cannot apply (a guide it does not have) is refused, the « Bornes » view says so and the booth keeps the hours it had;
// the mediator sees « Géré par le département »; a roll back republishes the first version.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { hashPassword } from '../../server/auth.js';
import { createCoordinatorStore } from '../../server/coordinator/index.js';
import { startHub, type RunningHub } from '../../server/hub.js';
import { expectAccessible, expectTouchTargets } from './support/axe.js';
import { REPO, startKiosk, type RunningKiosk } from './support/kiosk.js';

// Wednesday 25 November 2026, 10:00 in Paris.
const CLOCK = '2026-11-25T10:00:00+01:00';
const SITE = 'Relais de Gramat';
const COORDINATOR = { login: 'coord.lot', password: 'mot-de-passe-lot' };
const CAF = "Caisse d'allocations familiales";

let hub: RunningHub;
let hubDir: string;
let boothId: number;
let kiosk: RunningKiosk;

test.beforeAll(async () => {
  hubDir = mkdtempSync(join(tmpdir(), 'relais-fleetconfig-hub-'));
  hub = await startHub({ host: '127.0.0.1', port: 0, dataDir: hubDir, staticDir: join(REPO, 'dist/renderer') });
  const booth = hub.store.addBooth(SITE, Date.now());
  boothId = booth.id;
  createCoordinatorStore(hub.store.db).add(COORDINATOR.login, await hashPassword(COORDINATOR.password), Date.now());
  kiosk = await startKiosk({ clockStart: CLOCK, env: { RELAIS_HUB_URL: hub.url, RELAIS_HUB_TOKEN: booth.token } });
});
test.afterAll(async () => {
  await kiosk?.stop();
  await hub?.close().catch(() => undefined);
  rmSync(hubDir, { recursive: true, force: true });
});

async function signIn(page: Page): Promise<void> {
  await page.goto(`${hub.httpUrl}/coordinator`);
  await page.getByLabel('Identifiant').fill(COORDINATOR.login);
  await page.getByLabel('Mot de passe').fill(COORDINATOR.password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Tableau de bord départemental' })).toBeVisible();
}

const cafTile = (page: Page) => page.locator('.tile[data-org="CAF"]');
const boothRow = (page: Page) => page.locator(`tr[data-booth="${boothId}"]`);

test('visio hours published from the hub reach the booth; a configuration it cannot apply is refused and changes nothing', async ({ page, browser }) => {
  test.setTimeout(120_000);
  await page.goto(await kiosk.launchUrl());
  await expect(page.getByRole('heading', { level: 1, name: 'Bienvenue' })).toBeVisible();
  // Signed in to the hub before anything was published: the booth runs its own settings.
  await expect.poll(async () => (await hub.fleetConfig.booths()).find((b) => b.boothId === boothId)?.appliedVersion ?? null).toBeNull();

  const context = await browser.newContext({ locale: 'fr-FR', timezoneId: 'Europe/Paris', viewport: { width: 1280, height: 800 } });
  const coordinator = await context.newPage();
  await signIn(coordinator);
  await coordinator.getByRole('button', { name: 'Configuration' }).click();
  await expect(coordinator.getByRole('heading', { level: 2, name: 'Configuration des bornes' })).toBeVisible();
  await expect(coordinator.getByText('Aucune version publiée')).toBeVisible();
  await expectAccessible(coordinator, 'configuration editor');
  await expectTouchTargets(coordinator, 'configuration editor');

  // The department's charter, started from the shipped text, retitled; its fields pass axe and the 48 px targets too.
  await coordinator.getByLabel('La charte du département').check();
  await expect(coordinator.getByLabel('Titre de la charte (français)')).toHaveValue('Notre charte qualité');
  await coordinator.getByLabel('Titre de la charte (français)').fill('Charte qualité du Lot');
  await expectAccessible(coordinator, 'configuration editor with the department’s charter');
  await expectTouchTargets(coordinator, 'configuration editor with the department’s charter');

  // New visio hours for the CAF, typed from the keyboard: open this Wednesday until 10:45.
  const hours = coordinator.getByLabel('Horaires de visio de CAF');
  await hours.focus();
  await hours.fill('mer 09:00-10:45, ven 14:00-16:00');
  await coordinator.getByLabel(/Délai d’inactivité/).fill('75');
  await coordinator.getByRole('button', { name: 'Publier la configuration' }).focus();
  await coordinator.keyboard.press('Enter');
  await expect(coordinator.getByRole('status').filter({ hasText: 'Version 1 publiée' })).toContainText('envoyée à 1 borne');

  // The booth's home and the CAF's own screen show them.
  await expect(cafTile(page)).toContainText('Visio ouverte jusqu’à 10:45');
  await cafTile(page).click();
  await expect(page.getByRole('heading', { level: 1, name: CAF })).toBeVisible();
  await expect(page.getByText('vendredi', { exact: false })).toBeVisible();
  await expect(page.getByText('14:00 – 16:00')).toBeVisible();
  await expect.poll(async () => (await hub.fleetConfig.booths()).find((b) => b.boothId === boothId)?.appliedVersion).toBe(1);
  expect((await hub.fleetConfig.version(1))?.config.charter?.title).toEqual({ fr: 'Charte qualité du Lot', en: 'Our quality charter' });

  // A guide the booth does not have: the hub takes the version, the booth refuses it whole.
  await hours.fill('mer 08:00-09:00');
  await coordinator.getByLabel('Guides proposés').fill('guide-inconnu');
  await coordinator.getByRole('button', { name: 'Publier la configuration' }).click();
  await expect(coordinator.getByRole('status').filter({ hasText: 'Version 2 publiée' })).toBeVisible();
  await expect.poll(async () => (await hub.fleetConfig.booths()).find((b) => b.boothId === boothId)?.refused?.code).toBe('UNKNOWN_GUIDE');
  await coordinator.getByRole('button', { name: 'Bornes', exact: true }).click();
  await expect(boothRow(coordinator).locator('.booth-config')).toContainText('Version 1');
  await expect(boothRow(coordinator).locator('.booth-config')).toContainText('Version 2 refusée : guide absent de la borne');
  await expectAccessible(coordinator, 'Bornes with the configuration column');

  // The booth kept the first version's hours.
  await page.getByRole('button', { name: /Retour|Accueil/ }).first().click();
  await expect(cafTile(page)).toContainText('Visio ouverte jusqu’à 10:45');

  // The mediator sees the department's fields read-only.
  await page.getByRole('button', { name: 'Mode médiateur' }).click();
  await page.getByLabel('Code PIN', { exact: true }).fill('1234');
  await page.getByRole('button', { name: 'Valider' }).click();
  await page.getByRole('button', { name: 'Réglages' }).click();
  await expect(page.getByText('Géré par le département').first()).toBeVisible();
  await expect(page.getByTestId('managed-organisations')).toContainText('vendredi 14:00–16:00');
  await expect(page.getByLabel('Nom du site')).toBeEditable();
  await expectAccessible(page, 'settings managed by the department');

  // Roll back to version 1: published again as version 3, which the booth runs.
  await coordinator.getByRole('button', { name: 'Configuration' }).click();
  await coordinator.getByRole('button', { name: 'Revenir à la version 1' }).click();
  await expect(coordinator.getByRole('status').filter({ hasText: 'Version 1 republiée comme version 3' })).toBeVisible();
  await expect.poll(async () => (await hub.fleetConfig.booths()).find((b) => b.boothId === boothId)?.appliedVersion).toBe(3);
  expect((await hub.fleetConfig.booths()).find((b) => b.boothId === boothId)?.refused).toBeNull();
  await context.close();
});
