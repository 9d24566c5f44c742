// A staged update end to end over loopback: a real hub with a published release, the coordinator choosing one booth in
// the « Mises à jour » view in Chromium (keyboard only; axe-core and 48 px targets checked), then each booth asking the
// hub with its own token: the chosen booth downloads and verifies the release and reports it, the other gets nothing.
import { expect, test } from '@playwright/test';
import { build } from 'esbuild';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { hashPassword } from '../../server/auth.js';
import { createCoordinatorStore } from '../../server/coordinator/index.js';
import { startHub, type RunningHub } from '../../server/hub.js';
import { hubReleaseTarget, releaseCommand } from '../../server/updates/cli.js';
import { silentLogger } from '../../electron/services/logger.js';
import { checkRelease, createUpdateReporter, updateFeedOf } from '../../electron/services/updates/index.js';
import { installer } from '../unit/node/updates/support.js';
import { expectAccessible, expectTouchTargets } from './support/axe.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
let hub: RunningHub;
let dir: string;
let booths: { gramat: { id: number; token: string }; figeac: { id: number; token: string } };

test.beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'relais-e2e-updates-'));
  hub = await startHub({ host: '127.0.0.1', port: 0, dataDir: dir });
  booths = { gramat: hub.store.addBooth('Relais de Gramat', Date.now()), figeac: hub.store.addBooth('Relais de Figeac', Date.now()) };
  createCoordinatorStore(hub.store.db).add('coord.lot', await hashPassword('mot-de-passe-lot'), Date.now());
  const file = installer(dir, 'Relais-1.1.0.AppImage', 500_000);
  await releaseCommand(hubReleaseTarget(hub.store, dir), ['add', file.file, '1.1.0'], {}, Date.now());
});
test.afterAll(async () => {
  await hub.close();
  rmSync(dir, { recursive: true, force: true });
});

async function pageScript(): Promise<string> {
  const bundle = await build({
    entryPoints: [path.join(ROOT, 'tests/e2e/support/updatesPage.tsx')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'warning',
  });
  return bundle.outputFiles[0]?.text ?? '';
}

test('a staged update chosen in the dashboard reaches the chosen booth only', async ({ page }) => {
  const css = ['renderer/ui/kiosk.css', 'renderer/coordinator/coordinator.css'].map((f) => readFileSync(path.join(ROOT, f), 'utf8')).join('\n');
  const pageUrl = `${hub.httpUrl}/coordinator/e2e-updates`;
  await page.route(pageUrl, (route) =>
    route.fulfill({ contentType: 'text/html; charset=utf-8', body: `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Mises à jour</title><style>${css}</style></head><body><div id="root"></div></body></html>` }),
  );
  const login = await page.request.post(`${hub.httpUrl}/coordinator/api/login`, { data: { login: 'coord.lot', password: 'mot-de-passe-lot' } });
  expect(login.status()).toBe(200);
  await page.goto(pageUrl);
  await page.addScriptTag({ content: await pageScript() });

  const releases = page.getByRole('table', { name: 'Les versions publiées sur le hub, la plus récente en premier' });
  await expect(releases.getByRole('row', { name: /1\.1\.0/ })).toContainText('Aucune borne');
  await expectAccessible(page, 'Mises à jour');
  await expectTouchTargets(page, 'Mises à jour');

  // Keyboard only: open the rollout, choose Gramat, save.
  await page.getByRole('button', { name: 'Modifier le déploiement de 1.1.0' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Déploiement de la version 1.1.0' })).toBeFocused();
  await expectAccessible(page, 'Mises à jour, déploiement ouvert');
  await expectTouchTargets(page, 'Mises à jour, déploiement ouvert');
  await page.getByRole('checkbox', { name: 'Relais de Gramat' }).focus();
  await page.keyboard.press('Space');
  await page.getByRole('button', { name: 'Enregistrer le déploiement' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status')).toHaveText('Déploiement de la version 1.1.0 enregistré.');
  await expect(releases.getByRole('row', { name: /1\.1\.0/ })).toContainText('1 borne choisie');

  // Each booth asks the hub with its own token.
  const gramat = updateFeedOf({ url: hub.url, token: booths.gramat.token });
  const figeac = updateFeedOf({ url: hub.url, token: booths.figeac.token });
  if (!gramat || !figeac) throw new Error('feeds');
  const got = await checkRelease({ feed: gramat, platform: 'linux', currentVersion: '1.0.0', downloadDir: path.join(dir, 'gramat') });
  expect(got).toMatchObject({ status: 'downloaded', version: '1.1.0' });
  expect(await checkRelease({ feed: figeac, platform: 'linux', currentVersion: '1.0.0', downloadDir: path.join(dir, 'figeac') })).toMatchObject({ status: 'up-to-date' });
  expect(await createUpdateReporter(gramat, silentLogger())({ version: '1.1.0', outcome: 'updated', reason: null })).toBe(true);

  await page.getByRole('button', { name: 'Actualiser' }).click();
  const perBooth = page.getByRole('table', { name: 'La version de chaque borne, celle qui lui est proposée et son dernier résultat' });
  await expect(perBooth.getByRole('row', { name: /Relais de Gramat/ })).toContainText('Passée à la version 1.1.0 le');
  await expect(perBooth.getByRole('row', { name: /Relais de Figeac/ })).toHaveText(/Relais de Figeac\s*Inconnue\s*Aucune\s*Aucune/);
});
