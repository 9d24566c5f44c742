import { describe, expect, it } from 'vitest';
import { canonicalOrigin, isAllowed, isLoopbackHost, originOf } from '../../../../shared/urlAllowList.js';

const CAF = ['https://www.caf.fr', 'https://caf.fr'];
const FAKE = ['http://127.0.0.1:8080'];

describe('isAllowed', () => {
  it.each([
    ['https://www.caf.fr/', 'the exact origin'],
    ['https://www.caf.fr/allocataires/mon-compte?x=1#haut', 'any path, query and fragment of the origin'],
    ['HTTPS://WWW.CAF.FR/Mon-Compte', 'upper-case scheme and host'],
    ['https://www.caf.fr./', 'a trailing dot on the host'],
    ['https://www.caf.fr:443/', 'the default port written out'],
    ['  https://www.caf.fr/  ', 'surrounding spaces (URL trims them)'],
    ['https:\\\\www.caf.fr\\x', 'backslashes, which WHATWG URL and Chromium both read as slashes'],
  ])('allows %s (%s)', (url) => {
    expect(isAllowed(url, CAF)).toBe(true);
  });

  it.each([
    ['https://caf.fr.example.org/', 'a lookalike host that starts with the allowed host'],
    ['https://evilcaf.fr/', 'a host that ends with the allowed host'],
    ['https://www.caf.fr.evil.test/', 'the allowed host as a subdomain of another'],
    ['https://caf.fr@evil.test/', 'user-info in front of a foreign host'],
    ['https://user:pass@www.caf.fr/', 'user-info in front of the allowed host'],
    ['https://www.caf.fr%2eevil.test/', 'a percent-encoded dot in the host'],
    ['https://xn--caf-dma.fr/', 'a punycode lookalike'],
    ['https://cäf.fr/', 'an IDN lookalike (turned into punycode by URL)'],
    ['http://www.caf.fr/', 'plain http to a non-loopback host'],
    ['https://www.caf.fr:8443/', 'another port'],
    ['https://www.caf.fr../', 'two trailing dots'],
    ['data:text/html,<script>alert(1)</script>', 'a data: URL'],
    ['javascript:alert(document.cookie)', 'a javascript: URL'],
    ['JaVaScRiPt:alert(1)', 'a mixed-case javascript: URL'],
    ['file:///etc/passwd', 'a file: URL'],
    ['blob:https://www.caf.fr/550e8400-e29b-41d4-a716-446655440000', 'a blob: URL of the allowed origin'],
    ['about:blank', 'about:blank (never needed; new windows open in the same view)'],
    ['ws://www.caf.fr/', 'a websocket URL'],
    ['ftp://www.caf.fr/', 'an ftp URL'],
    ['//www.caf.fr/', 'a scheme-relative URL (not absolute)'],
    ['/allocataires', 'a relative path'],
    ['', 'an empty string'],
    ['not a url', 'garbage'],
  ])('refuses %s (%s)', (url) => {
    expect(isAllowed(url, CAF)).toBe(false);
  });

  it('allows an IDN host when the guide lists it, in either spelling', () => {
    expect(isAllowed('https://xn--cf-via.fr/page', ['https://cäf.fr'])).toBe(true);
    expect(isAllowed('https://cäf.fr/page', ['https://xn--cf-via.fr'])).toBe(true);
  });

  it('allows http only for loopback hosts, with their exact port', () => {
    expect(isAllowed('http://127.0.0.1:8080/espace', FAKE)).toBe(true);
    expect(isAllowed('http://127.0.0.1:8081/espace', FAKE)).toBe(false);
    expect(isAllowed('http://127.0.0.1/espace', FAKE)).toBe(false);
    expect(isAllowed('http://0x7f.0.0.1:8080/', FAKE)).toBe(true);
    expect(isAllowed('http://localhost:8080/', FAKE)).toBe(false);
    expect(isAllowed('http://evil.test:8080/', ['http://evil.test:8080'])).toBe(false);
  });

  it('refuses everything when the allow-list is empty or holds only invalid origins', () => {
    expect(isAllowed('https://www.caf.fr/', [])).toBe(false);
    expect(isAllowed('https://www.caf.fr/', ['www.caf.fr', 'https://www.caf.fr/path'])).toBe(false);
  });
});

describe('canonicalOrigin', () => {
  it('normalises case, default port, trailing dot and trailing slash', () => {
    expect(canonicalOrigin('HTTPS://WWW.CAF.FR:443/')).toBe('https://www.caf.fr');
    expect(canonicalOrigin('https://www.caf.fr.')).toBe('https://www.caf.fr');
    expect(canonicalOrigin('http://127.0.0.1:4000')).toBe('http://127.0.0.1:4000');
  });

  it.each(['https://www.caf.fr/path', 'https://www.caf.fr?x', 'https://www.caf.fr#x', 'https://u@www.caf.fr', 'http://www.caf.fr', 'caf.fr', 'file:///x'])(
    'refuses %s as an origin',
    (input) => {
      expect(canonicalOrigin(input)).toBeNull();
    },
  );
});

describe('originOf and isLoopbackHost', () => {
  it('gives the origin without path and nothing for refused schemes', () => {
    expect(originOf('https://www.caf.fr/secret/path?nir=123')).toBe('https://www.caf.fr');
    expect(originOf('javascript:alert(1)')).toBeNull();
  });

  it('knows the loopback hosts', () => {
    expect(isLoopbackHost('127.0.0.1')).toBe(true);
    expect(isLoopbackHost('LOCALHOST.')).toBe(true);
    expect(isLoopbackHost('[::1]')).toBe(true);
    expect(isLoopbackHost('127.0.0.2')).toBe(false);
  });
});
