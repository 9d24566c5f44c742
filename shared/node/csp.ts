// Every Content-Security-Policy the programs send, side by side, built by one function: the Electron kiosk's app://
// pages, the web shell's pages, the hub's agent console and the coordinator's dashboard. Each differs for a reason
// given beside it; the security tests check each one directive by directive.

/** A directive and its sources, e.g. `['img-src', "'self'", 'data:']`. */
export type CspDirective = readonly [name: string, ...sources: string[]];

/** `name source source; name source…`, in the order given; a directive's extra sources are appended to it. */
export function buildCsp(directives: readonly CspDirective[], extra: Readonly<Record<string, readonly string[]>> = {}): string {
  return directives.map(([name, ...sources]) => [name, ...sources, ...(extra[name] ?? [])].join(' ')).join('; ');
}

/**
 * The Electron kiosk (app://). style-src needs no 'unsafe-inline': Vite emits CSS files and React's style={} goes
 * through the CSSOM, which CSP does not restrict. worker-src serves pdf.js's worker. connect-src comes last, where the
 * hub's WebSocket origin is added.
 */
const KIOSK_APP: readonly CspDirective[] = [
  ['default-src', "'self'"],
  ['script-src', "'self'"],
  ['style-src', "'self'"],
  ['img-src', "'self'", 'data:', 'blob:'],
  ['font-src', "'self'"],
  ['media-src', "'self'", 'blob:', 'mediastream:'],
  ['worker-src', "'self'", 'blob:'],
  ['object-src', "'none'"],
  ['frame-src', "'none'"],
  ['frame-ancestors', "'none'"],
  ['form-action', "'none'"],
  ['base-uri', "'none'"],
  ['connect-src', "'self'"],
];

/** The kiosk's pages in Electron; `hubOrigin` (ws: or wss:) joins connect-src. */
export const kioskAppCsp = (hubOrigin: string | null): string => buildCsp(KIOSK_APP, hubOrigin ? { 'connect-src': [hubOrigin] } : {});

/** The same kiosk pages in the web shell (a browser on 127.0.0.1): a guided session's site is framed from the shell's proxy ports. */
const WEB_SHELL: readonly CspDirective[] = [
  ['default-src', "'self'"],
  ['script-src', "'self'"],
  ['style-src', "'self'", "'unsafe-inline'"],
  ['img-src', "'self'", 'data:', 'blob:'],
  ['media-src', "'self'", 'blob:', 'mediastream:'],
  ['connect-src', "'self'"],
  ['frame-src', "'self'", 'http://127.0.0.1:*'],
  ['worker-src', "'self'", 'blob:'],
  ['object-src', "'none'"],
  ['base-uri', "'none'"],
  ['frame-ancestors', "'none'"],
  ['form-action', "'self'"],
];

/** The web shell's pages; `connectSources` (the hub's origin) join connect-src. */
export const webShellCsp = (connectSources: readonly string[] = []): string => buildCsp(WEB_SHELL, { 'connect-src': connectSources });

/** The hub's agent console: its socket to the hub (ws:/wss:, any host the hub is reached by) and the photos it receives (blob:). */
const AGENT_CONSOLE: readonly CspDirective[] = [
  ['default-src', "'self'"],
  ['script-src', "'self'"],
  ['style-src', "'self'", "'unsafe-inline'"],
  ['img-src', "'self'", 'data:', 'blob:'],
  ['media-src', "'self'", 'blob:'],
  ['connect-src', "'self'", 'ws:', 'wss:', 'blob:'],
  ['frame-ancestors', "'none'"],
  ['base-uri', "'none'"],
  ['object-src', "'none'"],
  ['form-action', "'none'"],
];

export const agentConsoleCsp = (): string => buildCsp(AGENT_CONSOLE);

/** The coordinator's dashboard on the hub: no socket, no media; its login form posts to the hub itself. */
const COORDINATOR: readonly CspDirective[] = [
  ['default-src', "'self'"],
  ['script-src', "'self'"],
  ['style-src', "'self'", "'unsafe-inline'"],
  ['img-src', "'self'", 'data:'],
  ['connect-src', "'self'"],
  ['frame-ancestors', "'none'"],
  ['base-uri', "'none'"],
  ['object-src', "'none'"],
  ['form-action', "'self'"],
];

export const coordinatorCsp = (): string => buildCsp(COORDINATOR);
