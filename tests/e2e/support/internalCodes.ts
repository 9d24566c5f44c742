// What the code itself defines as internal — the contract's error codes, the printer's reason codes, the hub's call
// reasons, the help places in their raw form, the screens' and tabs' identifiers, stored week keys and the catalogs' own
// keys — built from the code, not typed by hand, and searched for in a page's text and accessible names (issue 14: no
// internal code reaches a person). Used by no-internal-codes.spec.ts and by every screen of the screens matrix.
import { expect, type Page } from '@playwright/test';
import { HELP_PLACES } from '../../../shared/contract/index.js';
import { ErrorCode } from '../../../shared/errors.js';
import { REASON_CODES } from '../../../shared/printerReasons.js';
import { EndReason, UnavailableReason } from '../../../shared/protocol.js';
import { mergeCatalogs } from '../../../renderer/i18n/createI18n.js';
import { KIOSK_FEATURES } from '../../../renderer/i18n/index.js';

/** Every key path of the French catalog (« help.reasons.home »), plural suffixes removed. */
function catalogKeys(node: unknown, prefix = ''): string[] {
  if (typeof node !== 'object' || node === null) return [prefix.replace(/_(one|other|zero|few|many)$/, '')];
  return Object.entries(node).flatMap(([k, v]) => catalogKeys(v, prefix ? `${prefix}.${k}` : k));
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
export const MEDIATOR_TABS = ['quick', 'today', 'grid', 'teleservice', 'audit', 'incidents', 'report', 'evaluationSettings', 'devices', 'settings'];
const SCREEN_NAMES = ['home', 'organisation', 'visio', 'unlock', 'mediator', 'teleservice', 'survey', 'forms', 'documents'];
/** Identifiers that are not words: UPPER_SNAKE, snake_case, kebab-case, camelCase. */
const isIdentifier = (s: string): boolean => /[_-]/.test(s) || /[a-z][A-Z]/.test(s) || /^[A-Z][A-Z0-9_]+$/.test(s);

/** The French texts as the kiosk loads them, every feature merged (the agents' console and the dashboard included). */
const fr = mergeCatalogs(KIOSK_FEATURES, 'fr');

export const FORBIDDEN: { what: string; pattern: RegExp }[] = [
  ...ErrorCode.options.map((code) => ({ what: `error code ${code}`, pattern: new RegExp(`(^|[^\\p{L}_])${escape(code)}(?![\\p{L}_])`, 'u') })),
  ...[...REASON_CODES, ...UnavailableReason.options, ...EndReason.options, ...MEDIATOR_TABS, ...SCREEN_NAMES]
    .filter(isIdentifier)
    .map((code) => ({ what: `identifier ${code}`, pattern: new RegExp(`(^|[^\\p{L}_-])${escape(code)}(?![\\p{L}_-])`, 'u') })),
  // A help request as stored (« home », « teleservice:CARSAT »): the raw place with a colon or in the old « (home, 10:00) ».
  ...[...HELP_PLACES, ...SCREEN_NAMES].map((place) => ({ what: `raw place ${place}`, pattern: new RegExp(`(^|[\\s(])${escape(place)}(:[A-Za-z_]+|,\\s*\\d{1,2}:\\d{2})`, 'u') })),
  // A catalog key shown instead of its text (i18next shows the key when it is missing).
  // A stored week (« 2026-W48 ») instead of « semaine 48 ».
  { what: 'a stored week key', pattern: /(^|[^\p{L}\d])\d{4}-W\d{2}(?![\p{L}\d])/u },
  ...[...new Set(catalogKeys(fr))].filter((k) => k.includes('.')).map((key) => ({ what: `catalog key ${key}`, pattern: new RegExp(`(^|[^\\p{L}.])${escape(key)}(?![\\p{L}])`, 'u') })),
  { what: 'a key of a catalog namespace', pattern: new RegExp(`(^|\\s)(${Object.keys(fr).map(escape).join('|')})\\.[a-zA-Z_]+(\\.[a-zA-Z_-]+)*(\\s|$)`, 'u') },
];

/** What of FORBIDDEN the page shows now, in its text or its accessible names (« shows error code PRINTER_BLOCKED: … »). */
export async function internalCodesOn(page: Page): Promise<string[]> {
  const text = await page.locator('body').innerText();
  const labels = await page.locator('[aria-label], [title], [alt]').evaluateAll((els) => els.map((e) => [e.getAttribute('aria-label'), e.getAttribute('title'), e.getAttribute('alt')].filter(Boolean).join(' ')));
  const all = `${text}\n${labels.join('\n')}`;
  return FORBIDDEN.flatMap(({ what, pattern }) => {
    const found = pattern.exec(all);
    return found ? [`shows ${what}: « ${all.slice(Math.max(0, found.index - 30), found.index + found[0].length + 30).replace(/\s+/g, ' ')} »`] : [];
  });
}

export async function expectNoInternalCodes(page: Page, screen: string): Promise<void> {
  expect(await internalCodesOn(page), `${screen}`).toEqual([]);
}

