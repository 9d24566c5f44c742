// Issue 13, item 1, the page side: a proxied page's links and form targets, read as a browser reads them (entities,
// tabs, backslashes, scheme-relative and absolute forms), all resolve to a proxy origin of the session, so following
// one never sends the frame straight to another server. (tests/e2e/security-proxy.spec.ts follows them in Chromium.)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTeleserviceProxy, type TeleserviceProxy } from '../../electron/services/teleservice/proxy.js';
import { silentLogger } from '../../electron/services/logger.js';
import type { Guide } from '../../shared/guideSteps.js';
import { enterProxy, httpGet, startRecorder, type RecordingServer } from './support/loopback.js';

const FOREIGN = '127.0.0.1:9';
const LINKS = [
  `//${FOREIGN}/x`,
  `/\\${FOREIGN}/x`,
  `\\\\${FOREIGN}\\x`,
  `\\/${FOREIGN}/x`,
  `http://${FOREIGN}/x`,
  `HTTP:\\\\${FOREIGN}/x`,
  `https://${FOREIGN}/x`,
  ` //${FOREIGN}/x`,
  `/&#47;${FOREIGN}/x`,
  `&#x2f;&#x2F;${FOREIGN}/x`,
  `/&bsol;${FOREIGN}/x`,
  `/&Tab;/${FOREIGN}/x`,
  `/\t/${FOREIGN}/x`,
];

let site: RecordingServer;
let proxy: TeleserviceProxy;
let downloadDir: string;
let entryUrl: string;

beforeAll(async () => {
  site = await startRecorder((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    const a = LINKS.map((l, i) => `<a id="a${i}" href="${l}">a</a><a id="b${i}" href='${l}'>b</a>`).join('');
    const forms = LINKS.map((l, i) => `<form action="${l}"><button formaction="${l}">f${i}</button></form>`).join('');
    res.end(`<!doctype html><title>x</title>${a}${forms}<a id="self" href="/espace">ok</a>`);
  });
  downloadDir = mkdtempSync(join(tmpdir(), 'relais-sec-links-'));
  proxy = createTeleserviceProxy({ logger: silentLogger(), downloadDir, onEvent: () => undefined, wipeGraceMs: 50 });
  const guide: Guide = {
    id: 'liens',
    organisation: 'CAF',
    title: 'Liens',
    summary: 'Test.',
    startUrl: `${site.origin}/`,
    allowedOrigins: [site.origin],
    visitorMayStart: true,
    steps: [{ title: 'a', text: 'a', picture: null, urlPattern: '/' }],
  };
  entryUrl = (await proxy.open('L', guide)).entryUrl;
});
afterAll(async () => {
  await proxy.close('L')?.closed;
  await site.close();
  rmSync(downloadDir, { recursive: true, force: true });
});

/** An attribute value as the browser reads it (the few entities used above). */
const unescape = (v: string): string =>
  v.replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16))).replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d))).replace(/&bsol;/g, '\\').replace(/&Tab;/g, '\t').replace(/&quot;/g, '"').replace(/&amp;/g, '&');

describe('teleservice proxy: links and form targets of a proxied page (issue 13, item 1)', () => {
  it('points every link and form target that would leave the session at the "not available here" page', async () => {
    const { cookies, startUrl } = await enterProxy(entryUrl);
    const page = await httpGet(startUrl, { cookie: cookies.header(), 'sec-fetch-site': 'same-origin' });
    const proxyOrigin = new URL(startUrl).origin;
    const values = [...page.body.matchAll(/\s(?:href|action|formaction)=(?:"([^"]*)"|'([^']*)')/g)].map((m) => unescape(m[1] ?? m[2] ?? ''));
    const leaving = values.filter((v) => new URL(v, startUrl).origin !== proxyOrigin);
    const blocked = values.filter((v) => new URL(v, startUrl).pathname === '/__relais/bloque');
    console.log(`[proxy links] ${values.length} link and form targets in the page: ${blocked.length} point at « not available here », ${leaving.length} leave the proxy origin`);
    expect(values.length).toBe(LINKS.length * 4 + 1);
    expect(leaving).toEqual([]);
    expect(blocked).toHaveLength(LINKS.length * 4);
    expect(page.body).toContain('id="self" href="/espace"');
  });
});
