import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCharter } from '../../../../electron/services/evaluation/charter.js';

describe('quality charter', () => {
  it('has six to eight short commitments in French and English, including confidentiality and neutrality', () => {
    const c = loadCharter();
    expect(c.title.fr).toBe('Notre charte qualité');
    expect(c.commitments.length).toBeGreaterThanOrEqual(6);
    expect(c.commitments.length).toBeLessThanOrEqual(8);
    expect(c.commitments.map((x) => x.id)).toEqual(expect.arrayContaining(['welcome', 'confidentiality', 'orientation', 'delays', 'neutrality']));
    for (const x of c.commitments) {
      // FALC spirit: short sentences.
      for (const sentence of x.text.fr.split(/(?<=[.!?])\s+/)) expect(sentence.split(' ').length).toBeLessThanOrEqual(15);
    }
  });

  it('refuses a malformed charter file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'relais-charter-'));
    try {
      const file = join(dir, 'c.json');
      writeFileSync(file, JSON.stringify({ title: { fr: 'x', en: 'x' }, intro: { fr: 'x', en: 'x' }, commitments: [] }));
      expect(() => loadCharter(file)).toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
