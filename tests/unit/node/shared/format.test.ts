// shared/format.ts (the renderer's renderer/i18n/format.ts): French formats whatever the process's or browser's locale.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  formatDate,
  formatDateTime,
  formatDay,
  formatDayNumeric,
  formatDecimal,
  formatMonth,
  formatNumber,
  formatTime,
  formatWeek,
  formatWeekShort,
  languageOf,
  monthName,
  upperFirst,
} from '../../../../shared/format.js';

const REPO = join(import.meta.dirname, '../../../..');
// Tuesday 1 December 2026, 14:00 in Paris (13:00 UTC), ISO week 49.
const AT = Date.parse('2026-12-01T13:00:00Z');

/** What each formatter writes, in one object, so the same sample can be taken in another process. */
function sample() {
  return {
    time: formatTime(AT, 'fr'),
    date: formatDate(AT, 'fr'),
    dayNumeric: formatDayNumeric('2026-12-01', 'fr'),
    day: formatDay('2026-12-01', 'fr'),
    month: formatMonth('2026-12', 'fr'),
    dateTime: formatDateTime(AT, 'fr'),
    decimal: formatDecimal(82.6, 'fr'),
    week: formatWeek('2026-W49', 'fr'),
    timeNoLang: formatTime(AT),
  };
}

const FRENCH = {
  time: '14:00',
  date: '01/12/2026',
  dayNumeric: '01/12/2026',
  day: '1er décembre 2026',
  month: 'décembre 2026',
  dateTime: '1er décembre 2026 à 14:00',
  decimal: '82,6',
  week: 'semaine 49 (du 30 novembre au 6 décembre)',
  timeNoLang: '14:00',
};

describe('shared/format.ts', () => {
  it('writes French dates, months, 24-hour times, decimal commas and weeks in words', () => {
    expect(sample()).toEqual(FRENCH);
    expect(formatTime(Date.parse('2026-12-01T13:05:00Z'), 'fr')).not.toMatch(/PM|AM/);
    expect(formatNumber(4.5, 'fr')).toBe('4,5');
    expect(monthName(12, 'fr')).toBe('décembre');
    expect(upperFirst(formatWeek('2026-W48', 'fr', { withYear: true }))).toBe('Semaine 48 (du 23 au 29 novembre 2026)');
  });

  it('names the years of a week that straddles two, and writes « 1er » for the first of a month', () => {
    expect(formatWeek('2026-W53', 'fr')).toBe('semaine 53 (du 28 décembre 2026 au 3 janvier 2027)');
    expect(formatWeek(202605, 'fr')).toBe('semaine 5 (du 26 janvier au 1er février)');
    expect(formatWeekShort('2026-W05', 'fr')).toBe('semaine 5');
  });

  it('writes English (British style: day first, 24 hours) for the English catalog only', () => {
    expect(formatDate(AT, 'en')).toBe('01/12/2026');
    expect(formatTime(AT, 'en')).toBe('14:00');
    expect(formatMonth('2026-12', 'en')).toBe('December 2026');
    expect(formatWeek('2026-W49', 'en')).toBe('week 49 (30 November to 6 December)');
    expect(formatDecimal(82.6, 'en')).toBe('82.6');
  });

  it('falls back to French for any other language, never to the runtime’s locale', () => {
    expect(languageOf('en-US')).toBe('en');
    for (const lang of [undefined, '', 'de', 'en_US', 'xx']) expect(languageOf(lang)).toBe('fr');
    expect(formatMonth('2026-12', 'de')).toBe('décembre 2026');
  });

  it.each([
    ['en_US.UTF-8', 'en-US'],
    ['fr_FR.UTF-8', 'fr-FR'],
  ])('gives the same French in a process whose locale is %s', async (locale, expectedRuntime) => {
    // The same calls as sample(), written out: the child imports the module itself, with no test transform in between.
    const script = [
      "import * as f from './shared/format.ts';",
      `const AT = ${AT};`,
      'const out = {',
      "  time: f.formatTime(AT, 'fr'), date: f.formatDate(AT, 'fr'), dayNumeric: f.formatDayNumeric('2026-12-01', 'fr'),",
      "  day: f.formatDay('2026-12-01', 'fr'), month: f.formatMonth('2026-12', 'fr'), dateTime: f.formatDateTime(AT, 'fr'),",
      "  decimal: f.formatDecimal(82.6, 'fr'), week: f.formatWeek('2026-W49', 'fr'), timeNoLang: f.formatTime(AT),",
      '};',
      'const runtime = new Intl.DateTimeFormat().resolvedOptions().locale;',
      'process.stdout.write(JSON.stringify({ runtime, out }));',
    ].join('\n');
    const env = { ...process.env, LANG: locale, LC_ALL: locale, LANGUAGE: locale.slice(0, 5) };
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '--eval', script], { cwd: REPO, env });
    const { runtime, out } = JSON.parse(stdout) as { runtime: string; out: unknown };
    // The child really runs in that locale (else this test could not fail), and the output does not move with it.
    expect(runtime).toBe(expectedRuntime);
    expect(out).toEqual(FRENCH);
  });
});
