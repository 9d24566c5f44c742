// The kiosk's own origin (app://kiosk) and a strict way to compare URLs against it (new URL, never startsWith).
export const APP_SCHEME = 'app';
export const APP_HOST = 'kiosk';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/** The page the kiosk window opens. */
export const KIOSK_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * `scheme://host[:port]` of a URL, or null when it does not parse or has no host.
 * WHATWG `URL.origin` is "null" for non-special schemes such as `app:`, so the origin is rebuilt from its parts.
 */
export function originOf(url: string | null | undefined): string | null {
  if (typeof url !== 'string' || url === '') return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.host === '') return null;
  return `${parsed.protocol}//${parsed.host}`.toLowerCase();
}

export const isAppOrigin = (url: string | null | undefined): boolean => originOf(url) === APP_ORIGIN;
