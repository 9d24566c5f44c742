// The department configuration's schema and the visio hours as the coordinator types them.
import { describe, expect, it } from 'vitest';
import { checkAgainstBooth, checkFleetConfig, formatHours, MAX_CONFIG_BYTES, parseHours } from '../../../../shared/fleetConfig.js';
import { sampleConfig } from './sample.js';

describe('checkFleetConfig', () => {
  it('accepts the demo site’s configuration and returns it parsed', () => {
    expect(checkFleetConfig(sampleConfig())).toEqual({ ok: true, config: sampleConfig() });
  });

  it('names the first problem’s field in French, bounded', () => {
    const r = checkFleetConfig({ ...sampleConfig(), idleSeconds: 2 });
    expect(r).toMatchObject({ ok: false, code: 'INVALID_CONFIG' });
    if (!r.ok) expect(r.detail).toBe('idleSeconds : au moins 5');
    expect(checkFleetConfig({ ...sampleConfig(), extra: 1 })).toMatchObject({ detail: '(configuration) : champ(s) inconnu(s) : « extra »' });
    expect(checkFleetConfig({ ...sampleConfig(), surveyPeriod: 'x' })).toMatchObject({ detail: 'surveyPeriod : valeur attendue parmi « first_six_months », « always », « off »' });
    expect(checkFleetConfig({ ...sampleConfig(), guidesOffered: ['A B'] })).toMatchObject({ detail: 'guidesOffered.0 : format invalide' });
    const dup = checkFleetConfig({ ...sampleConfig(), organisations: [sampleConfig().organisations[0], sampleConfig().organisations[0]] });
    if (dup.ok) throw new Error('a duplicate organisation must be refused');
    expect(dup.detail).toContain('en double');
  });

  it('refuses values that are not JSON-like and configurations over the size limit', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(checkFleetConfig(cyclic)).toMatchObject({ ok: false, code: 'INVALID_CONFIG' });
    expect(checkFleetConfig(undefined)).toMatchObject({ ok: false, code: 'INVALID_CONFIG' });
    expect(checkFleetConfig(10n)).toMatchObject({ ok: false, code: 'INVALID_CONFIG' });
    expect(checkFleetConfig({ ...sampleConfig(), junk: 'x'.repeat(MAX_CONFIG_BYTES) })).toMatchObject({ ok: false, code: 'TOO_LARGE' });
  });

  it('checks offered guides and documents against what the booth has', () => {
    const booth = { guides: [{ id: 'caf-a', organisation: 'CAF' }], invalidGuides: ['caf-b'], documents: [{ id: 'doc-1', organisation: 'ZZZ' }] };
    expect(checkAgainstBooth({ ...sampleConfig(), guidesOffered: ['caf-a'] }, booth).ok).toBe(true);
    expect(checkAgainstBooth({ ...sampleConfig(), guidesOffered: ['caf-b'] }, booth)).toMatchObject({ code: 'INVALID_GUIDE' });
    expect(checkAgainstBooth({ ...sampleConfig(), guidesOffered: ['caf-c'] }, booth)).toMatchObject({ code: 'UNKNOWN_GUIDE' });
    expect(checkAgainstBooth({ ...sampleConfig(), documentsOffered: ['doc-1'] }, booth)).toMatchObject({ code: 'UNKNOWN_ORGANISATION' });
  });
});

describe('visio hours as text', () => {
  it('reads French weekdays, h or colon, and writes them back in order', () => {
    const r = parseHours('mardi 14h00-17:30; lun 9:00 - 12:00,\nven. 08:30–11:45');
    expect(r).toEqual({
      ok: true,
      slots: [
        { weekday: 2, from: '14:00', to: '17:30' },
        { weekday: 1, from: '09:00', to: '12:00' },
        { weekday: 5, from: '08:30', to: '11:45' },
      ],
    });
    if (r.ok) expect(formatHours(r.slots)).toBe('lun 09:00-12:00, mar 14:00-17:30, ven 08:30-11:45');
    expect(parseHours('  ')).toEqual({ ok: true, slots: [] });
  });

  it('refuses what it cannot read with a French sentence quoting the part', () => {
    for (const bad of ['lundi', 'xyz 09:00-10:00', 'lun 12:00-09:00', 'lun 25:00-26:00', 'lun 09:00-10:00 <script>', 'lun 9-10']) {
      const r = parseHours(bad);
      expect(r.ok, bad).toBe(false);
      if (!r.ok) expect(r.error).toMatch(/« .* »/);
    }
    expect(parseHours(Array(29).fill('lun 09:00-10:00').join(','))).toMatchObject({ ok: false });
  });
});
