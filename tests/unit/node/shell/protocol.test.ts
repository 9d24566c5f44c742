import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { contentSecurityPolicy, hubSocketOrigin, securityHeaders } from '../../../../electron/shell/csp.js';
import { APP_SCHEME_PRIVILEGES, createAppProtocolHandler, handleAppProtocol, type AppRequestHandler } from '../../../../electron/shell/protocol.js';
import { resolveStaticPath } from '../../../../shared/node/staticFiles.js';
import { memoryLogger } from './fakes.js';

const base = mkdtempSync(join(tmpdir(), 'relais-protocol-'));
const root = join(base, 'dist', 'renderer');
let handler: AppRequestHandler;
let lines: ReturnType<typeof memoryLogger>['lines'];
const SECRET = 'secret-outside-the-renderer';

beforeAll(() => {
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Relais</title>');
  writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(root, 'assets', 'app.css'), 'body{}');
  writeFileSync(join(base, 'secret.txt'), SECRET);
  writeFileSync(join(base, 'dist', 'secret.txt'), SECRET);
  const memory = memoryLogger();
  lines = memory.lines;
  handler = createAppProtocolHandler({ rootDir: root, headers: securityHeaders({ hubUrl: 'wss://hub.example.fr:8443/socket' }), logger: memory.logger });
});

afterAll(() => rmSync(base, { recursive: true, force: true }));

const get = (url: string, method = 'GET') => handler(new Request(url, { method }));

describe('app:// protocol', () => {
  it('registers app as a standard, secure scheme with fetch support, and handles it', () => {
    expect(APP_SCHEME_PRIVILEGES).toEqual({ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } });
    const protocol = { handle: vi.fn() };
    handleAppProtocol(protocol, handler);
    expect(protocol.handle).toHaveBeenCalledWith('app', handler);
  });

  it('serves the renderer’s files with their content type', async () => {
    const index = await get('app://kiosk/index.html');
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await index.text()).toContain('<title>Relais</title>');
    expect((await get('app://kiosk/assets/app.js')).headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await get('app://kiosk/assets/app.css')).headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('serves index.html for the root', async () => {
    const response = await get('app://kiosk/');
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('Relais');
  });

  it('sends the strict CSP on every response, errors included', async () => {
    for (const url of ['app://kiosk/index.html', 'app://kiosk/missing.js', 'app://kiosk/..%2fsecret.txt']) {
      const csp = (await get(url)).headers.get('content-security-policy');
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self';");
      expect(csp).toContain("object-src 'none'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("base-uri 'none'");
      expect(csp).toContain('connect-src \'self\' wss://hub.example.fr:8443');
      expect(csp).not.toContain('unsafe-eval');
    }
    expect((await get('app://kiosk/index.html')).headers.get('x-content-type-options')).toBe('nosniff');
  });

  const traversals = [
    'app://kiosk/../../etc/passwd',
    'app://kiosk/../secret.txt',
    'app://kiosk/%2e%2e/%2e%2e/secret.txt',
    'app://kiosk/..%2f..%2fsecret.txt',
    'app://kiosk/..%2fsecret.txt',
    'app://kiosk/%2e%2e%2f%2e%2e%2fsecret.txt',
    'app://kiosk/assets/..%2f..%2f..%2fsecret.txt',
    'app://kiosk/..%5c..%5csecret.txt',
    'app://kiosk/%252e%252e%252fsecret.txt',
    `app://kiosk/${encodeURIComponent(join(base, 'secret.txt'))}`,
  ];
  for (const url of traversals) {
    it(`never serves a file outside dist/renderer for ${url}`, async () => {
      const response = await get(url);
      expect(response.status).not.toBe(200);
      expect([400, 403, 404]).toContain(response.status);
      expect(await response.text()).not.toContain(SECRET);
    });
  }

  it('refuses encoded traversal with 403 and logs it', async () => {
    expect((await get('app://kiosk/..%2f..%2fetc%2fpasswd')).status).toBe(403);
    expect(lines).toContainEqual(expect.objectContaining({ code: 'APP_PATH_REFUSED', status: 403 }));
  });

  it('refuses malformed escapes and NUL bytes with 400', async () => {
    expect((await get('app://kiosk/%E0%A4%A')).status).toBe(400);
    expect((await get('app://kiosk/index.html%00.js')).status).toBe(400);
  });

  it('answers 404 for another host of the scheme and for missing files', async () => {
    expect((await get('app://other/index.html')).status).toBe(404);
    expect((await get('app://kiosk/nope.html')).status).toBe(404);
    expect((await get('app://kiosk/assets')).status).toBe(404);
  });

  it('refuses methods other than GET and HEAD', async () => {
    expect((await get('app://kiosk/index.html', 'POST')).status).toBe(405);
    const head = await get('app://kiosk/index.html', 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });
});

describe('resolveStaticPath', () => {
  it('refuses raw .. segments that URL parsing would otherwise have removed', () => {
    expect(resolveStaticPath('/srv/r', '/../../etc/passwd')).toEqual({ ok: false, status: 403 });
    expect(resolveStaticPath('/srv/r', '/a/../../b')).toEqual({ ok: false, status: 403 });
  });

  it('keeps absolute-looking paths inside the root', () => {
    expect(resolveStaticPath('/srv/r', '//etc/passwd')).toEqual({ ok: true, file: '/srv/r/etc/passwd' });
    expect(resolveStaticPath('/srv/r', '/%2Fetc%2Fpasswd')).toEqual({ ok: true, file: '/srv/r/etc/passwd' });
  });
});

describe('content security policy', () => {
  it('adds only the hub’s WebSocket origin to connect-src', () => {
    expect(hubSocketOrigin('https://hub.example.fr/path?x=1')).toBe('wss://hub.example.fr');
    expect(hubSocketOrigin('http://127.0.0.1:8787')).toBe('ws://127.0.0.1:8787');
    expect(hubSocketOrigin('ws://127.0.0.1:8787/ws')).toBe('ws://127.0.0.1:8787');
    expect(hubSocketOrigin('javascript:alert(1)')).toBeNull();
    expect(hubSocketOrigin('not a url')).toBeNull();
    expect(hubSocketOrigin(null)).toBeNull();
  });

  it('allows only our own origin to connect when no hub is configured', () => {
    const csp = contentSecurityPolicy();
    expect(csp.endsWith("connect-src 'self'")).toBe(true);
    expect(csp).toContain("media-src 'self' blob: mediastream:");
    expect(csp).toContain("img-src 'self' data: blob:");
  });
});
