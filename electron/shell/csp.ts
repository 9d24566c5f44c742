// The Content-Security-Policy and other security headers of every response served on app:// (Electron security checklist).

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
  // Written as one literal so Electronegativity's CSP check evaluates the real policy. connect-src comes last so the
  // hub's origin is appended to it. style-src needs no 'unsafe-inline': Vite emits CSS files and React's style={}
  // goes through the CSSOM, which CSP does not restrict. worker-src serves pdf.js's worker.
  headers['Content-Security-Policy'] = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; font-src 'self'; media-src 'self' blob: mediastream:; worker-src 'self' blob:; object-src 'none'; frame-src 'none'; frame-ancestors 'none'; form-action 'none'; base-uri 'none'; connect-src 'self'";
  const hub = hubSocketOrigin(options.hubUrl);
  if (hub) headers[CSP_HEADER] = `${headers[CSP_HEADER]} ${hub}`;
  return headers;
}

export const contentSecurityPolicy = (options: CspOptions = {}): string => securityHeaders(options)[CSP_HEADER] ?? '';
