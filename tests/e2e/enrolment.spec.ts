// Enrolment end to end, over loopback with real servers: the coordinator creates a booth in the dashboard's « Bornes »
// view and reads its one-time code; a fresh kiosk (empty data folder, web shell) runs the first-start assistant with
// it (hub and code, site, first mediator, printer, camera and microphone) and ends up signed in to the hub, shown
// « En ligne » in « Bornes »; a second fresh kiosk typing the same code is told in French that it has already served.
// axe-core and the 48 px targets are checked on every step of the assistant.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { hashPassword } from '../../server/auth.js';
import { createCoordinatorStore } from '../../server/coordinator/index.js';
import { startHub, type RunningHub } from '../../server/hub.js';
import { CREDENTIAL_FILE } from '../../electron/services/setup/credentialStore.js';
import { CHROMIUM_ARGS, CHROMIUM_ENV } from './playwright.config.js';
import { expectAccessible, expectTouchTargets } from './support/axe.js';
import { REPO, startKiosk, type RunningKiosk } from './support/kiosk.js';

const COORDINATOR = { login: 'coord.cantal', password: 'mot-de-passe-cantal' };
const SITE = 'Maison France services de Murat';

// The devices step's live test needs a camera and a microphone: Chromium's fake ones.
test.use({ launchOptions: { executablePath: '/usr/bin/chromium', args: [...CHROMIUM_ARGS, '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'], env: CHROMIUM_ENV } });

let hub: RunningHub;
let hubDir: string;
const kiosks: RunningKiosk[] = [];

test.beforeAll(async () => {
  hubDir = mkdtempSync(join(tmpdir(), 'relais-enrol-hub-'));
  hub = await startHub({ host: '127.0.0.1', port: 0, dataDir: hubDir, staticDir: join(REPO, 'dist/renderer') });
  createCoordinatorStore(hub.store.db).add(COORDINATOR.login, await hashPassword(COORDINATOR.password), Date.now());
});
test.afterAll(async () => {
  for (const k of kiosks) await k.stop();
  await hub?.close().catch(() => undefined);
  rmSync(hubDir, { recursive: true, force: true });
});

async function signInCoordinator(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ locale: 'fr-FR', timezoneId: 'Europe/Paris', viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(`${hub.httpUrl}/coordinator`);
  await page.getByLabel('Identifiant').fill(COORDINATOR.login);
  await page.getByLabel('Mot de passe').fill(COORDINATOR.password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.getByRole('button', { name: 'Bornes', exact: true }).click();
  return page;
}

async function freshKiosk(page: Page): Promise<RunningKiosk> {
  const kiosk = await startKiosk({ firstStart: true });
  kiosks.push(kiosk);
  await page.goto(await kiosk.launchUrl());
  await expect(page.getByRole('heading', { level: 1, name: 'Mise en service de la borne' })).toBeVisible();
  return kiosk;
}

async function checkStep(page: Page, n: number, title: string): Promise<void> {
  await expect(page.getByRole('heading', { level: 2, name: `Étape ${n} sur 5 — ${title}` })).toBeVisible();
  await expectAccessible(page, `assistant, étape ${n}`);
  await expectTouchTargets(page, `assistant, étape ${n}`);
}

test('a booth created in the dashboard is enrolled by a fresh kiosk’s assistant and shown online; its code does not serve twice', async ({ page, browser }) => {
  // The coordinator creates the booth and reads its code, as text and as a QR code.
  const coordinator = await signInCoordinator(browser);
  await coordinator.getByLabel('Nom du site').fill(SITE);
  await coordinator.getByLabel('Commune').fill('Murat');
  await coordinator.getByRole('button', { name: 'Créer la borne et son code' }).click();
  const code = (await coordinator.getByTestId('enrolment-code').textContent()) ?? '';
  expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
  await expect(coordinator.getByTestId('enrolment-hub')).toHaveText(hub.httpUrl);
  await expect(coordinator.getByRole('img', { name: `QR code contenant l’adresse du hub ${hub.httpUrl} et le code ${code}` })).toBeVisible();
  await expect(coordinator.getByTestId('enrolment')).toContainText(/Valable une seule fois, jusqu’au \d{1,2} \S+ \d{4} à \d\d:\d\d\./);
  const row = coordinator.locator('tr', { hasText: SITE });
  await expect(row).toContainText('Jamais connectée');
  await expectAccessible(coordinator, 'Bornes, code d’enrôlement affiché');
  await expectTouchTargets(coordinator, 'Bornes, code d’enrôlement affiché');

  // A fresh kiosk: the assistant, step by step.
  const kiosk = await freshKiosk(page);
  await checkStep(page, 1, 'Le hub du département');
  await page.getByLabel('Adresse du hub').fill(hub.httpUrl);
  await page.getByLabel('Code d’enrôlement').fill(code.toLowerCase());
  await page.getByRole('button', { name: 'Enrôler la borne' }).click();

  await checkStep(page, 2, 'Le site');
  await expect(page.getByText(`Borne enrôlée sur le hub ${hub.httpUrl}.`)).toBeVisible();
  await page.getByLabel('Nom du site').fill(SITE);
  await page.getByLabel('Commune').fill('Murat');
  await page.getByRole('button', { name: 'Continuer' }).click();

  await checkStep(page, 3, 'Le premier médiateur');
  await page.getByLabel('Nom du médiateur').fill('Aïcha Benali');
  await page.getByLabel('Code PIN', { exact: true }).fill('482913');
  await page.getByLabel('Code PIN, une seconde fois').fill('482910');
  await page.getByRole('button', { name: 'Continuer' }).click();
  await expect(page.getByRole('alert')).toHaveText('Les deux codes ne sont pas les mêmes.');
  await page.getByLabel('Code PIN, une seconde fois').fill('482913');
  await page.getByRole('button', { name: 'Continuer' }).click();

  // No print queue on this machine: the printer panel says so; the step can be left for later.
  await checkStep(page, 4, 'L’imprimante');
  await expect(page.getByTestId('printer-panel')).toBeVisible();
  await page.getByRole('button', { name: 'Continuer' }).click();

  await checkStep(page, 5, 'La caméra et le micro');
  await page.getByRole('button', { name: 'Tester la caméra et le micro' }).click();
  await expect(page.getByTestId('media-preview')).toBeVisible();
  await expect.poll(() => page.getByTestId('media-preview').evaluate((v: HTMLVideoElement) => v.videoWidth)).toBeGreaterThan(0);
  await expectAccessible(page, 'assistant, test de la caméra en cours');
  await page.getByRole('button', { name: 'Terminer la mise en service' }).click();

  // The kiosk starts anew on its site, without the demonstration, and signed in to its hub.
  await expect(page.getByRole('heading', { name: /Bienvenue/ })).toBeVisible();
  await expect(page.locator('.site-header__name')).toHaveText(`${SITE} — Murat`);
  await expect(page.getByText('Démonstration')).toHaveCount(0);
  await expect(coordinator.getByRole('button', { name: 'Actualiser' })).toBeVisible();
  await expect
    .poll(async () => {
      await coordinator.getByRole('button', { name: 'Actualiser' }).click();
      return coordinator.locator('tr', { hasText: SITE }).textContent();
    }, { timeout: 15_000 })
    .toContain('En ligne');
  // The credential sits in a file only the kiosk's user reads (no safeStorage in the web shell).
  expect(statSync(join(kiosk.dataDir, CREDENTIAL_FILE)).mode & 0o777).toBe(0o600);

  // A second fresh kiosk with the same code: refused in French, and a wrong code too; it stays at the first step.
  const other = await page.context().newPage();
  await freshKiosk(other);
  await other.getByLabel('Adresse du hub').fill(hub.httpUrl);
  await other.getByLabel('Code d’enrôlement').fill(code);
  await other.getByRole('button', { name: 'Enrôler la borne' }).click();
  await expect(other.getByRole('alert')).toHaveText('Ce code a déjà servi : un code ne marche qu’une fois. Demandez un nouveau code au coordinateur.');
  await other.getByLabel('Code d’enrôlement').fill('ZZZZ-ZZZZ');
  await other.getByRole('button', { name: 'Enrôler la borne' }).click();
  await expect(other.getByRole('alert')).toHaveText('Ce code n’est pas reconnu par le hub. Vérifiez-le, lettre par lettre, sur le tableau de bord.');
  await expectAccessible(other, 'assistant, code refusé');
  await expect(other.getByRole('heading', { level: 2 })).toHaveText('Étape 1 sur 5 — Le hub du département');
  await coordinator.context().close();
});
