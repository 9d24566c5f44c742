// Which address the hub counts wrong passwords and codes under (server/http/clientAddress.ts): the peer's, unless the peer
// is a proxy the operator trusts, and then the last address the trusted proxies were handed — never one a client chose.
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { clientAddress, trustedProxies } from '../../../../server/http/clientAddress.js';

const request = (peer: string | undefined, forwardedFor?: string | string[]) =>
  ({ socket: { remoteAddress: peer }, headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor } }) as unknown as Pick<IncomingMessage, 'headers' | 'socket'>;
const trusted = (...a: string[]) => {
  const r = trustedProxies(a);
  if ('error' in r) throw new Error(r.error);
  return r.proxies;
};

describe('clientAddress', () => {
  it('is the peer when no proxy is trusted, whatever X-Forwarded-For says', () => {
    expect(clientAddress(request('192.0.2.10', '203.0.113.1'), new Set())).toBe('192.0.2.10');
    expect(clientAddress(request('::ffff:192.0.2.10'), new Set())).toBe('192.0.2.10');
    expect(clientAddress(request(undefined), new Set())).toBe('?');
  });

  it('is the peer when the peer is not a trusted proxy', () => {
    expect(clientAddress(request('192.0.2.10', '203.0.113.1'), trusted('127.0.0.1'))).toBe('192.0.2.10');
  });

  it('behind trusted proxies, is the rightmost address they did not add themselves', () => {
    const proxies = trusted('127.0.0.1', '10.0.0.2');
    expect(clientAddress(request('::ffff:127.0.0.1', '203.0.113.7'), proxies)).toBe('203.0.113.7');
    expect(clientAddress(request('127.0.0.1', '198.51.100.1, 203.0.113.7, 10.0.0.2'), proxies)).toBe('203.0.113.7');
    expect(clientAddress(request('127.0.0.1', ['198.51.100.1', '2001:DB8::1']), proxies)).toBe('2001:db8::1');
    // Every hop trusted, or no header: the peer.
    expect(clientAddress(request('127.0.0.1', '10.0.0.2'), proxies)).toBe('127.0.0.1');
    expect(clientAddress(request('127.0.0.1'), proxies)).toBe('127.0.0.1');
  });

  it('falls back to the peer on hostile or broken headers, and reads a bounded number of hops', () => {
    const proxies = trusted('127.0.0.1');
    for (const hostile of ['unknown', '', ' , ,', '203.0.113.7, <script>', '999.1.1.1', '203.0.113.7:4444', `${'1.1.1.1,'.repeat(10_000)}x`, '\u0000'])
      expect(clientAddress(request('127.0.0.1', hostile), proxies)).toBe('127.0.0.1');
    // 10,000 entries of which the last is the client: read from the right, stopping after 16.
    expect(clientAddress(request('127.0.0.1', `${'10.9.9.9,'.repeat(10_000)}203.0.113.7`), proxies)).toBe('203.0.113.7');
    expect(clientAddress(request('127.0.0.1', `203.0.113.7${',127.0.0.1'.repeat(20)}`), proxies)).toBe('127.0.0.1');
  });
});

describe('trustedProxies', () => {
  it('takes IP addresses, comma-separated or as a list', () => {
    const r = trustedProxies(' 127.0.0.1, ::1 ,10.0.0.2');
    expect('proxies' in r && [...r.proxies]).toEqual(['127.0.0.1', '::1', '10.0.0.2']);
    expect(trustedProxies('')).toEqual({ proxies: new Set() });
  });

  it('says in French what is not an address', () => {
    for (const bad of ['proxy.local', '10.0.0.0/8', '127.0.0.1;rm -rf', 'x'.repeat(500)]) {
      const r = trustedProxies(bad);
      expect('error' in r ? r.error : 'accepted').toMatch(/^Proxy de confiance invalide/);
    }
    expect(trustedProxies(Array.from({ length: 65 }, (_, i) => `10.0.0.${i}`))).toEqual({ error: 'Trop de proxys de confiance (64 au plus).' });
  });
});
