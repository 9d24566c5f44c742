// The coordinator's « Bornes » view in Chromium: axe-core finds no serious violation, every control is a 48 px target,
// and the table is usable with the keyboard alone (sort, history, the revoke question and its Échap). Against the stubbed
// fleet API (the run against a real hub, kiosk, CUPS queue and SMTP server is tests/e2e/fleetHealth.spec.ts).
import { expect, test } from '@playwright/test';
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expectAccessible, expectTouchTargets } from './support/axe.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

async function pageHtml(): Promise<{ html: string; script: string }> {
  const bundle = await build({
    entryPoints: [path.join(ROOT, 'tests/e2e/support/bornesPage.tsx')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'warning',
  });
  const css = ['renderer/ui/kiosk.css', 'renderer/coordinator/coordinator.css'].map((f) => readFileSync(path.join(ROOT, f), 'utf8')).join('\n');
  return { html: `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Bornes</title><style>${css}</style></head><body><div id="root"></div></body></html>`, script: bundle.outputFiles[0]?.text ?? '' };
}

test('the « Bornes » view is accessible, touchable and keyboard usable', async ({ page }) => {
  const { html, script } = await pageHtml();
  await page.setContent(html);
  await page.addScriptTag({ content: script });
  const table = page.getByRole('table', { name: 'Les bornes du département et leur état' });
  await expect(table).toBeVisible();
  await expectAccessible(page, 'Bornes');
  await expectTouchTargets(page, 'Bornes');

  // Sort by name from the keyboard.
  const byName = page.getByRole('button', { name: 'Trier par Borne' });
  await byName.focus();
  await page.keyboard.press('Enter');
  await expect(page.locator('th', { has: byName })).toHaveAttribute('aria-sort', 'ascending');

  // A history opened from the keyboard, checked again.
  const history = page.getByRole('button', { name: 'Historique Relais de Cahors' });
  await history.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('region', { name: 'Historique de Relais de Cahors' }).locator('li').first()).toContainText('3 décembre 2026 à 14:05');
  await expect(history).toHaveAttribute('aria-expanded', 'true');

  // The revoke question: focus on its answer, checked, then closed with Échap and focus back on « Révoquer ».
  const revoke = page.getByRole('button', { name: 'Révoquer Relais de Cahors' });
  await revoke.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('button', { name: 'Oui, révoquer' })).toBeFocused();
  await expectAccessible(page, 'Bornes, historique et question ouverts');
  await expectTouchTargets(page, 'Bornes, historique et question ouverts');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('button', { name: 'Révoquer Relais de Cahors' })).toBeFocused();
});
