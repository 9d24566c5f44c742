// Reading CUPS's printer states into the reason codes of shared/printerReasons.ts, and the sentences they give.
import { BLOCKING, PRINTER_READY_TEXT, REASON_CODES, REASON_TEXTS, type ReasonCode } from '../../../shared/printerReasons.js';

export { BLOCKING, PRINTER_READY_TEXT, REASON_CODES, REASON_TEXTS, type ReasonCode, type ReasonText } from '../../../shared/printerReasons.js';

// IPP keywords (RFC 8011 §5.4.12, PWG 5100.x) after stripping the -error/-warning/-report severity suffix.
const KEYWORD_TO_CODE: Record<string, ReasonCode> = {
  paused: 'paused',
  'media-empty': 'media-empty',
  'media-needed': 'media-empty',
  'input-tray-missing': 'media-empty',
  'media-jam': 'media-jam',
  'door-open': 'door-open',
  'cover-open': 'door-open',
  'interlock-open': 'door-open',
  'toner-empty': 'toner-empty',
  'marker-supply-empty': 'toner-empty',
  'toner-low': 'toner-low',
  'marker-supply-low': 'toner-low',
  'media-low': 'media-low',
  offline: 'device-unreachable',
  'connecting-to-device': 'device-unreachable',
  'timed-out': 'device-unreachable',
  shutdown: 'device-unreachable',
};
// CUPS' own informative keywords, not faults.
const IGNORED = new Set(['none', 'cups-waiting-for-job-completed', 'moving-to-paused', 'other-report', 'cups-remote-pending', 'cups-remote-pending-held']);

// What CUPS backends write (in the C locale of cupsd) when the device cannot be reached; they often leave the reasons at `none`.
const UNREACHABLE_MESSAGE = /may not exist or is unavailable|unable to connect|not responding|network host .* is busy|connection refused|unable to locate printer|host is unreachable/i;

export const stripSeverity = (keyword: string): string => keyword.replace(/-(error|warning|report)$/, '');

/** Maps raw IPP printer and job state information to reason codes, most severe first, without duplicates. */
export function reasonCodesOf(input: { state: string; accepting: boolean; reasons: readonly string[]; message: string; jobMessages?: readonly string[] }): ReasonCode[] {
  const codes = new Set<ReasonCode>();
  for (const raw of input.reasons) {
    if (IGNORED.has(raw)) continue;
    const code = KEYWORD_TO_CODE[stripSeverity(raw)];
    if (code) codes.add(code);
    else if (raw.endsWith('-error')) codes.add('other');
  }
  if (input.state === 'stopped') codes.add('paused');
  if (!input.accepting) codes.add('not-accepting');
  if ([input.message, ...(input.jobMessages ?? [])].some((m) => UNREACHABLE_MESSAGE.test(m))) codes.add('device-unreachable');
  return REASON_CODES.filter((c) => codes.has(c));
}

export type Lang = 'fr' | 'en';

/** The visitor's one sentence for a set of reasons: the first blocking one, else "ready". */
export function visitorSentence(reasons: readonly ReasonCode[], lang: Lang = 'fr'): string {
  const blocking = reasons.find((r) => BLOCKING[r]);
  return blocking ? REASON_TEXTS[lang][blocking].visitor : PRINTER_READY_TEXT[lang];
}

/** The mediator's texts, one line per reason. */
export function mediatorLines(reasons: readonly ReasonCode[], lang: Lang = 'fr'): string[] {
  return reasons.map((r) => REASON_TEXTS[lang][r].mediator);
}
