// What the three static-file servers (app://, the web shell, the hub) share: one table of content types.
// The traversal cases of resolveStaticPath are in tests/unit/node/shell/protocol.test.ts and the web shell's tests.
import { describe, expect, it } from 'vitest';
import { contentTypeOf, resolveStaticPath } from '../../../../shared/node/staticFiles.js';

describe('contentTypeOf', () => {
  it('names the renderer’s files, whatever the case of their extension', () => {
    expect(contentTypeOf('/r/index.html')).toBe('text/html; charset=utf-8');
    expect(contentTypeOf('/r/assets/app-1a2b.js')).toBe('text/javascript; charset=utf-8');
    expect(contentTypeOf('/r/assets/pdf.worker.mjs')).toBe('text/javascript; charset=utf-8');
    expect(contentTypeOf('/r/assets/APP.CSS')).toBe('text/css; charset=utf-8');
    expect(contentTypeOf('/r/logo.svg')).toBe('image/svg+xml');
    expect(contentTypeOf('/r/sound.mp3')).toBe('audio/mpeg');
  });

  it('gives anything unknown as bytes, never a guessed type', () => {
    expect(contentTypeOf('/r/secret')).toBe('application/octet-stream');
    expect(contentTypeOf('/r/page.php')).toBe('application/octet-stream');
  });
});

describe('resolveStaticPath', () => {
  it('names index.html for the root and for a folder', () => {
    expect(resolveStaticPath('/srv/r', '/')).toEqual({ ok: true, file: '/srv/r/index.html' });
    expect(resolveStaticPath('/srv/r', '/guide/')).toEqual({ ok: true, file: '/srv/r/guide/index.html' });
  });

  it('refuses a NUL byte or an undecodable path as a bad request', () => {
    expect(resolveStaticPath('/srv/r', '/a%00.js')).toEqual({ ok: false, status: 400 });
    expect(resolveStaticPath('/srv/r', '/%E0%A4%A')).toEqual({ ok: false, status: 400 });
  });
});
