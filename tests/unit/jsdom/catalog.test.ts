// Every expected failure code has a French and an English sentence, and both catalogs have the same keys.
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../shared/errors.js';
import { en } from '../../../renderer/i18n/en.js';
import { fr } from '../../../renderer/i18n/fr.js';

const keysOf = (tree: object, prefix = ''): string[] =>
  Object.entries(tree).flatMap(([k, v]) => (typeof v === 'string' ? [`${prefix}${k}`] : keysOf(v as object, `${prefix}${k}.`)));

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
});
