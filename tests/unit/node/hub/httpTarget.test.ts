// How the hub reads a request's target (server/httpTarget.ts): never a throw, only origin-form and http(s) absolute-form.
import { describe, expect, it } from 'vitest';
import { decodePath, requestUrl } from '../../../../server/httpTarget.js';

describe('requestUrl', () => {
  it('reads origin-form targets, a leading // as a path, and keeps only the path and query of an absolute-form one', () => {
    expect(requestUrl('/assets/app.js?v=1')?.href).toBe('http://hub.invalid/assets/app.js?v=1');
    expect(requestUrl('//evil.example/x')?.pathname).toBe('//evil.example/x');
    expect(requestUrl('/\\evil')?.pathname).toBe('//evil');
    expect(requestUrl('/a/../b/./c')?.pathname).toBe('/b/c');
    expect(requestUrl('http://evil.example/healthz?x')?.href).toBe('http://hub.invalid/healthz?x');
    expect(requestUrl('HTTPS://127.0.0.1:8787/')?.pathname).toBe('/');
  });

  it('gives null, never a throw, for every other form', () => {
    for (const target of [undefined, '', '*', 'example.com:443', 'file:///etc/passwd', 'javascript:alert(1)', 'data://a:99999/x', 'http://', 'http://[', 'http://a:99999/', 'ws://x/hub', 'a b']) {
      expect(requestUrl(target), String(target)).toBeNull();
    }
  });
});

describe('decodePath', () => {
  it('decodes well-formed percent-encoding and gives null for malformed encoding or a NUL byte', () => {
    expect(decodePath('assets/%61pp.js')).toBe('assets/app.js');
    expect(decodePath('assets/%C3%A9t%C3%A9')).toBe('assets/été');
    for (const bad of ['%E0%A4%A', '%', '%zz', '%C0%AF', '%ED%A0%80', 'a%00b']) expect(decodePath(bad), bad).toBeNull();
  });
});
