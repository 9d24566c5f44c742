import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ORGANISATION_CODES } from '../../../../shared/domain.js';
import { formatGuideError, loadGuides, type GuideErrorKind } from '../../../../electron/services/teleservice/load.js';
import { silentLogger } from '../../../../electron/services/logger.js';
import { FAKE_GUIDE_ID, fakeServiceGuide } from '../../../e2e/support/fakeOnlineService.js';

const SHIPPED = fileURLToPath(new URL('../../../../assets/guides/', import.meta.url));
const options = { knownOrganisations: ORGANISATION_CODES, logger: silentLogger() };

const valid = (id: string, patch: Record<string, string> = {}): string => {
  const fields: Record<string, string> = {
    id: `id: ${id}`,
    organisation: 'organisation: CAF',
    title: 'title: Déclarer mes ressources',
    summary: 'summary: Tous les trois mois.',
    startUrl: 'startUrl: https://www.caf.fr/',
    allowedOrigins: 'allowedOrigins:\n  - https://www.caf.fr\n  - https://app.franceconnect.gouv.fr',
    steps: [
      'steps:',
      '  - title: Se connecter',
      '    text: Tapez votre numéro.',
      '    urlPattern: https://app.franceconnect.gouv.fr/**',
      '  - title: Déclarer',
      '    text: Tapez les montants.',
      '    urlPattern: /espace/declaration/*',
    ].join('\n'),
    ...patch,
  };
  return Object.values(fields).filter((line) => line !== '').join('\n') + '\n';
};

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'relais-guides-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const write = (name: string, text: string, folder = dir): void => writeFileSync(join(folder, name), text, 'utf8');

function errorsOf(name: string, text: string) {
  write(name, text);
  return loadGuides([dir], options).errors;
}

describe('loadGuides: the shipped guides', () => {
  const result = loadGuides([SHIPPED], options);

  it('loads every shipped guide without error', () => {
    expect(result.errors.map(formatGuideError)).toEqual([]);
    expect(result.guides.length).toBeGreaterThanOrEqual(6);
  });

  it('has at least one guide per organisation of the domain', () => {
    const covered = new Set(result.guides.map((g) => g.organisation));
    for (const code of ORGANISATION_CODES) expect(covered, code).toContain(code);
  });

  it('gives each guide 4 to 8 steps, https origins only, and a start page inside its origins', () => {
    for (const guide of result.guides) {
      expect(guide.steps.length, guide.id).toBeGreaterThanOrEqual(4);
      expect(guide.steps.length, guide.id).toBeLessThanOrEqual(8);
      expect(guide.allowedOrigins.every((o) => o.startsWith('https://')), guide.id).toBe(true);
      expect(guide.startUrl.startsWith('https://'), guide.id).toBe(true);
    }
  });
});

describe('loadGuides: refusals', () => {
  it('loads a valid guide with canonical origins and defaults', () => {
    write('caf-test.yaml', valid('caf-test', { allowedOrigins: 'allowedOrigins:\n  - HTTPS://WWW.CAF.FR/\n  - https://app.franceconnect.gouv.fr' }));
    const { guides, errors } = loadGuides([dir], options);
    expect(errors).toEqual([]);
    expect(guides[0]).toMatchObject({
      id: 'caf-test',
      allowedOrigins: ['https://www.caf.fr', 'https://app.franceconnect.gouv.fr'],
      visitorMayStart: false,
      steps: [{ picture: null, urlPattern: 'https://app.franceconnect.gouv.fr/**' }, { urlPattern: '/espace/declaration/*' }],
    });
  });

  const cases: [string, string, string, GuideErrorKind][] = [
    ['YAML syntax', valid('g').replace('title: Déclarer mes ressources', 'title: [non fermé'), '(fichier)', 'yaml-syntax'],
    ['a duplicated key', valid('g') + 'title: encore\n', '(fichier)', 'yaml-syntax'],
    ['a missing title', valid('g', { title: '' }), 'title', 'missing-field'],
    ['a missing step text', valid('g').replace('    text: Tapez les montants.\n', ''), 'steps.1.text', 'missing-field'],
    ['steps that are not a list', valid('g', { steps: 'steps: trois' }), 'steps', 'wrong-type'],
    ['an empty summary', valid('g', { summary: 'summary: ""' }), 'summary', 'wrong-type'],
    ['visitorMayStart not a boolean', valid('g', { visitorMayStart: 'visitorMayStart: peut-être' }), 'visitorMayStart', 'wrong-type'],
    ['an id with capitals', valid('Guide_G'), 'id', 'wrong-type'],
    ['a misspelt field', valid('g', { extra: 'startURL: https://www.caf.fr/' }), 'startURL', 'unknown-field'],
    ['an unknown organisation', valid('g', { organisation: 'organisation: MSA' }), 'organisation', 'unknown-organisation'],
    ['an http start URL', valid('g', { startUrl: 'startUrl: http://www.caf.fr/' }), 'startUrl', 'insecure-start-url'],
    ['a start URL outside the origins', valid('g', { startUrl: 'startUrl: https://www.ameli.fr/' }), 'startUrl', 'start-url-not-allowed'],
    ['an unreadable start URL', valid('g', { startUrl: 'startUrl: pas une adresse' }), 'startUrl', 'wrong-type'],
    ['an origin with a path', valid('g', { allowedOrigins: 'allowedOrigins:\n  - https://www.caf.fr\n  - https://app.franceconnect.gouv.fr/login' }), 'allowedOrigins.1', 'bad-origin'],
    ['an http origin', valid('g', { allowedOrigins: 'allowedOrigins:\n  - https://www.caf.fr\n  - http://app.franceconnect.gouv.fr' }), 'allowedOrigins.1', 'bad-origin'],
    ['a regex as URL pattern', valid('g').replace('/espace/declaration/*', '/espace/(declaration|ressources)'), 'steps.1.urlPattern', 'bad-url-pattern'],
    ['a pattern on a foreign origin', valid('g').replace('https://app.franceconnect.gouv.fr/**', 'https://evil.test/**'), 'steps.0.urlPattern', 'bad-url-pattern'],
    ['a picture that does not exist', valid('g').replace('    text: Tapez les montants.\n', '    text: Tapez les montants.\n    picture: images/absente.png\n'), 'steps.1.picture', 'bad-picture'],
    ['a picture outside the folder', valid('g').replace('    text: Tapez les montants.\n', '    text: Tapez les montants.\n    picture: ../secret.png\n'), 'steps.1.picture', 'bad-picture'],
  ];

  it.each(cases)('refuses %s, naming the file and the field', (_label, text, field, kind) => {
    const errors = errorsOf('g.yaml', text);
    expect(errors).toContainEqual(expect.objectContaining({ file: 'g.yaml', field, kind }));
    expect(formatGuideError(errors.find((e) => e.kind === kind)!)).toMatch(new RegExp(`^g\\.yaml: ${field.replace(/[.()]/g, '\\$&')}: .+`));
  });

  it('refuses an id that is not the file name', () => {
    const errors = errorsOf('caf-declaration.yaml', valid('cpam-attestation'));
    expect(errors).toEqual([expect.objectContaining({ file: 'caf-declaration.yaml', field: 'id', kind: 'id-not-file-name' })]);
  });

  it('accepts a picture that exists in the guides folder', () => {
    mkdirSync(join(dir, 'images'));
    writeFileSync(join(dir, 'images', 'bouton.png'), 'png');
    write('g.yaml', valid('g').replace('    text: Tapez les montants.\n', '    text: Tapez les montants.\n    picture: images/bouton.png\n'));
    const { guides, errors } = loadGuides([dir], options);
    expect(errors).toEqual([]);
    expect(guides[0]?.steps[1]?.picture).toBe('images/bouton.png');
  });

  it('reports several errors of one file at once', () => {
    const errors = errorsOf('g.yaml', valid('g', { organisation: 'organisation: MSA', startUrl: 'startUrl: http://www.caf.fr/' }));
    expect(errors.map((e) => e.kind).sort()).toEqual(['insecure-start-url', 'unknown-organisation']);
  });

  it('loads the other guides when one file is malformed', () => {
    write('a-bon.yaml', valid('a-bon'));
    write('b-casse.yaml', 'id: b-casse\ntitle: [\n');
    write('c-bon.yml', valid('c-bon'));
    write('notes.txt', 'pas un guide');
    const { guides, errors } = loadGuides([dir], options);
    expect(guides.map((g) => g.id)).toEqual(['a-bon', 'c-bon']);
    expect(errors).toEqual([expect.objectContaining({ file: 'b-casse.yaml', kind: 'yaml-syntax' })]);
  });

  it('loads extra folders after the shipped one and refuses a duplicate id from a second folder', () => {
    const extra = mkdtempSync(join(tmpdir(), 'relais-extra-'));
    try {
      write('a.yaml', valid('a'));
      write('a.yaml', valid('a'), extra);
      write('b.yaml', valid('b'), extra);
      const { guides, errors } = loadGuides([dir, extra], options);
      expect(guides.map((g) => g.id)).toEqual(['a', 'b']);
      expect(errors).toEqual([expect.objectContaining({ file: 'a.yaml', path: join(extra, 'a.yaml'), field: 'id', kind: 'duplicate-id' })]);
    } finally {
      rmSync(extra, { recursive: true, force: true });
    }
  });

  it('reports a missing folder and still loads the others', () => {
    write('a.yaml', valid('a'));
    const { guides, errors } = loadGuides([join(dir, 'absent'), dir], options);
    expect(guides.map((g) => g.id)).toEqual(['a']);
    expect(errors).toEqual([expect.objectContaining({ kind: 'unreadable-file' })]);
  });

  it('accepts the e2e guide of the fake service on a loopback http origin', () => {
    write(`${FAKE_GUIDE_ID}.yaml`, fakeServiceGuide('http://127.0.0.1:45678'));
    const { guides, errors } = loadGuides([dir], options);
    expect(errors).toEqual([]);
    expect(guides[0]).toMatchObject({ id: FAKE_GUIDE_ID, allowedOrigins: ['http://127.0.0.1:45678'] });
  });

  it('refuses http on loopback for a start URL whose origin is not listed', () => {
    const errors = errorsOf('g.yaml', valid('g', { startUrl: 'startUrl: http://127.0.0.1:9/' }));
    expect(errors).toEqual([expect.objectContaining({ field: 'startUrl', kind: 'start-url-not-allowed' })]);
  });
});
