// The address a request really comes from, for the limits on wrong passwords and codes. Behind a reverse proxy or load
// balancer every request arrives from the proxy: the hub then reads X-Forwarded-For, but only when the peer is one of
// the proxies the operator named (`--trusted-proxy`), and only the entries those proxies appended (right to left),
// so a client cannot choose the address it is counted under.
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

/** At most this many X-Forwarded-For entries are read, from the right. */
const MAX_HOPS = 16;

/** `::ffff:10.0.0.1` and `10.0.0.1` are the same peer. */
export const normaliseAddress = (address: string): string => (address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address.toLowerCase());

/** The trusted proxies from what an operator typed (IP addresses, comma-separated), or a French sentence saying what is wrong. */
export function trustedProxies(typed: string | readonly string[]): { proxies: ReadonlySet<string> } | { error: string } {
  const list = (typeof typed === 'string' ? typed.split(',') : [...typed]).map((s) => s.trim()).filter(Boolean);
  const bad = list.find((a) => isIP(a) === 0);
  if (bad !== undefined) return { error: `Proxy de confiance invalide : « ${bad.slice(0, 100)} » (attendu : des adresses IP séparées par des virgules, par exemple 127.0.0.1,10.0.0.2).` };
  if (list.length > 64) return { error: 'Trop de proxys de confiance (64 au plus).' };
  return { proxies: new Set(list.map(normaliseAddress)) };
}

/** The client's address: the peer's, or behind trusted proxies the last address they were handed. */
export function clientAddress(req: Pick<IncomingMessage, 'headers' | 'socket'>, trusted: ReadonlySet<string>): string {
  const peer = normaliseAddress(req.socket.remoteAddress ?? '?');
  if (trusted.size === 0 || !trusted.has(peer)) return peer;
  const header = req.headers['x-forwarded-for'];
  const values = Array.isArray(header) ? header.join(',') : (header ?? '');
  const hops = values.split(',').slice(-MAX_HOPS).map((s) => s.trim());
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i]!;
    if (isIP(hop) === 0) return peer;
    const address = normaliseAddress(hop);
    if (!trusted.has(address)) return address;
  }
  return peer;
}
