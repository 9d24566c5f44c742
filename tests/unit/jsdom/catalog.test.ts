// Every expected failure code has a French and an English sentence, and both catalogs have the same keys, feature by
// feature and once merged as the kiosk loads them.
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../shared/errors.js';
import { mergeCatalogs } from '../../../renderer/i18n/createI18n.js';
import * as features from '../../../renderer/i18n/features.js';
import { KIOSK_FEATURES } from '../../../renderer/i18n/index.js';

const keysOf = (tree: object, prefix = ''): string[] =>
  Object.entries(tree).flatMap(([k, v]) => (typeof v === 'string' ? [`${prefix}${k}`] : keysOf(v as object, `${prefix}${k}.`)));

const fr = mergeCatalogs(KIOSK_FEATURES, 'fr');
const en = mergeCatalogs(KIOSK_FEATURES, 'en');

describe('i18n catalogs', () => {
  it('translate every error code of the contract in French and English', () => {
    for (const code of ErrorCode.options) {
      expect((fr.errors as Record<string, string>)[code], `fr errors.${code}`).toBeTruthy();
      expect((en.errors as Record<string, string>)[code], `en errors.${code}`).toBeTruthy();
    }
  });

  it('have the same keys in English as in French', () => {
    expect(keysOf(en).sort()).toEqual(keysOf(fr).sort());
  });

  it.each(Object.entries(features).map(([name, feature]) => ({ name, feature })))('have the same keys in en/$name.ts as in fr/$name.ts', ({ feature }) => {
    expect(keysOf(feature.en).sort()).toEqual(keysOf(feature.fr).sort());
  });

  it('give each top-level key to one feature only, so merging them loses no text', () => {
    const owners = Object.values(features).flatMap((feature) => Object.keys(feature.fr));
    expect(owners.length).toBe(new Set(owners).size);
  });
});
