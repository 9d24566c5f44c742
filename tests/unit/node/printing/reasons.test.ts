// Mapping of IPP printer states to reason codes, and the texts of each code for the mediator and the visitor.
import { describe, expect, it } from 'vitest';
import { BLOCKING, mediatorLines, reasonCodesOf, REASON_CODES, REASON_TEXTS, visitorSentence } from '../../../../electron/services/printing/reasons.js';

const base = { state: 'idle', accepting: true, reasons: [] as string[], message: '' };

describe('printer reasons', () => {
  it('maps IPP keywords whatever their severity suffix, and ignores CUPS’ informative ones', () => {
    expect(reasonCodesOf({ ...base, reasons: ['media-empty-warning', 'toner-low-report', 'cups-waiting-for-job-completed'] })).toEqual(['media-empty', 'toner-low']);
    expect(reasonCodesOf({ ...base, reasons: ['media-jam-error', 'cover-open'] })).toEqual(['media-jam', 'door-open']);
    expect(reasonCodesOf({ ...base, reasons: ['none'] })).toEqual([]);
    expect(reasonCodesOf({ ...base, reasons: ['spool-area-full-error'] })).toEqual(['other']);
  });

  it('derives paused from a stopped printer and not-accepting from the accepting flag', () => {
    expect(reasonCodesOf({ ...base, state: 'stopped', accepting: false })).toEqual(['paused', 'not-accepting']);
  });

  it('recognises an unreachable device from the CUPS backend message when reasons stay `none`', () => {
    expect(reasonCodesOf({ ...base, state: 'processing', message: 'The printer may not exist or is unavailable at this time.' })).toEqual(['device-unreachable']);
    expect(reasonCodesOf({ ...base, state: 'processing', message: 'Printing.' })).toEqual([]);
  });

  it('gives every code a French and an English text for mediator and visitor', () => {
    for (const code of REASON_CODES) {
      for (const lang of ['fr', 'en'] as const) {
        expect(REASON_TEXTS[lang][code].mediator.length).toBeGreaterThan(10);
        expect(REASON_TEXTS[lang][code].visitor.length).toBeGreaterThan(10);
      }
    }
  });

  it('promises nothing in the shared sentences: the screen that shows one says who was called or what to do', () => {
    for (const lang of ['fr', 'en'] as const) {
      for (const code of REASON_CODES) expect(REASON_TEXTS[lang][code].visitor).not.toMatch(/médiateur|mediator/i);
    }
  });

  it('points the mediator to the printer tab, where the printer is chosen, not to « les réglages »', () => {
    for (const code of ['no-printer', 'printer-not-found'] as const) {
      expect(REASON_TEXTS.fr[code].mediator).toContain('« Choisir l’imprimante » de l\'onglet « Imprimante et appareils »');
      expect(REASON_TEXTS.fr[code].mediator).not.toMatch(/réglages/);
      expect(REASON_TEXTS.en[code].mediator).not.toMatch(/settings/);
    }
  });

  it('tells the visitor one sentence: the first blocking reason, or that the printer is ready', () => {
    expect(visitorSentence(['toner-low', 'media-empty'])).toBe("Il n'y a plus de papier.");
    expect(visitorSentence(['toner-low'])).toBe("L'imprimante est prête.");
    expect(visitorSentence(['cups-unreachable'], 'en')).toBe('The printer does not work right now.');
    expect(BLOCKING['toner-low']).toBe(false);
    expect(mediatorLines(['paused', 'toner-low'])).toHaveLength(2);
  });
});
