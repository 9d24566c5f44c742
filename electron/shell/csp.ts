// The Content-Security-Policy and other security headers of every response served on app:// (Electron security checklist).
import { kioskAppCsp } from '../../shared/node/csp.js';

export const CSP_HEADER = 'Content-Security-Policy';

export interface CspOptions {
  /** The hub's URL (ws:, wss:, http: or https:); its WebSocket origin is added to connect-src. */
  hubUrl?: string | null;
}

/** ws(s) origin of the hub, or null when no hub is configured or the URL is not one we accept. */
export function hubSocketOrigin(hubUrl: string | null | undefined): string | null {
  if (!hubUrl) return null;
  let url: URL;
  try {
    url = new URL(hubUrl);
  } catch {
    return null;
  }
  const protocol = ({ 'ws:': 'ws:', 'http:': 'ws:', 'wss:': 'wss:', 'https:': 'wss:' } as Record<string, string>)[url.protocol];
  if (!protocol || url.host === '') return null;
  return `${protocol}//${url.host}`;
}

/** Headers sent with every app:// response. */
export function securityHeaders(options: CspOptions = {}): Record<string, string> {
  const headers: Record<string, string> = {
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Referrer-Policy': 'no-referrer',
  };
  // The policy itself is shared/node/csp.ts `kioskAppCsp`, beside the web shell's and the hub's.
  headers[CSP_HEADER] = kioskAppCsp(hubSocketOrigin(options.hubUrl));
  return headers;
}

export const contentSecurityPolicy = (options: CspOptions = {}): string => securityHeaders(options)[CSP_HEADER] ?? '';
