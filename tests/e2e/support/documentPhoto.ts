// The visitor's « Montrer un document » seen from both sides of a call: the booth says the agent verified it, the agent's
// console lists it with the same SHA-256, its « Télécharger » link saves that very JPEG, the console's scripts can fetch its
// blob: URL, and it opens enlarged.
import { expect, type Page } from '@playwright/test';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** Sends one document photo from `booth` and checks it on `agent`; returns its SHA-256 and the downloaded bytes. */
export async function showDocumentPhoto(booth: Page, agent: Page): Promise<{ sha256: string; file: Buffer }> {
  await booth.getByRole('button', { name: 'Montrer un document' }).click();
  const sentStatus = booth.locator('[data-transfer="verified"]');
  await expect(sentStatus).toContainText('Le conseiller a bien reçu votre document.');
  const sent = await sentStatus.getAttribute('data-sha256');
  expect(sent).toMatch(/^[0-9a-f]{64}$/);
  const photo = agent.locator('.agent__photos li[data-sha256]');
  await expect(photo).toHaveCount(1);
  expect(await photo.getAttribute('data-sha256')).toBe(sent);
  const downloaded = agent.waitForEvent('download');
  await photo.getByRole('link', { name: 'Télécharger' }).click();
  const file = readFileSync((await (await downloaded).path())!);
  expect(createHash('sha256').update(file).digest('hex')).toBe(sent);
  expect(file.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
  expect(await photo.getByRole('img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
  // The console's own scripts can read the photo back from its blob: URL (the hub's CSP lists blob: in connect-src).
  const fetched = await photo.getByRole('img').evaluate(async (img: HTMLImageElement) => {
    try {
      const digest = await crypto.subtle.digest('SHA-256', await (await fetch(img.src)).arrayBuffer());
      return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
    } catch (error) {
      return `fetch(${img.src.slice(0, 5)}…) failed: ${String(error)}`;
    }
  });
  expect(fetched, 'the console fetches its blob: URL of the photo').toBe(sent);
  await photo.getByRole('button', { name: 'Agrandir le document 1' }).click();
  await expect(agent.getByRole('dialog', { name: 'Document 1' })).toBeVisible();
  await agent.getByRole('button', { name: 'Fermer' }).click();
  return { sha256: sent!, file };
}
