// A help request's place crosses the bridge from the renderer and comes back to the mediator's screen as words: only a
// place of the closed list (optionally with an organisation code) is accepted, whatever a page or a bug sends.
import { describe, expect, it } from 'vitest';
import { HELP_PLACES, HelpScreen, parseHelpScreen } from '../../../../shared/contract/index.js';

const HOSTILE = [
  '',
  'home:',
  'home:caf',
  'Home',
  'home:CAF:extra',
  'print:CAF;DROP TABLE help',
  'teleservice:../../etc',
  'visio:preflight',
  'teleservice:CARSAT\n',
  '<img src=x onerror=alert(1)>',
  'home:' + 'A'.repeat(40),
  'x'.repeat(10_000),
  'print:CAF\u0000',
  'print: CAF',
  '__proto__',
  'constructor:CAF',
];

describe('help request places', () => {
  it('accepts every place of the closed list, alone or with an organisation code', () => {
    for (const place of HELP_PLACES) {
      expect(HelpScreen.safeParse(place).success).toBe(true);
      expect(HelpScreen.safeParse(`${place}:CAF`).success).toBe(true);
      expect(parseHelpScreen(`${place}:CAF`)).toEqual({ place, organisation: 'CAF' });
    }
  });

  it.each(HOSTILE)('refuses %j at the bridge, and reads nothing of it back', (value) => {
    expect(HelpScreen.safeParse(value).success).toBe(false);
    const read = parseHelpScreen(value);
    if (read) {
      // A stored value of an older version may name a known place: its organisation part is then dropped unless valid.
      expect(HELP_PLACES).toContain(read.place);
      expect(read.organisation === null || /^[A-Z][A-Z0-9_]{1,15}$/.test(read.organisation)).toBe(true);
    }
  });
});
