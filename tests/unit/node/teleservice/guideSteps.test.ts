import { describe, expect, it } from 'vitest';
import { nextStepFor, stepReached, urlMatchesPattern, urlPatternProblem, type Guide } from '../../../../shared/guideSteps.js';

const step = (title: string, urlPattern: string | null = null) => ({ title, text: `${title}.`, picture: null, urlPattern });

const guide: Guide = {
  id: 'test',
  organisation: 'CAF',
  title: 'Test',
  summary: 'Test.',
  startUrl: 'https://www.caf.fr/',
  allowedOrigins: ['https://www.caf.fr', 'https://app.franceconnect.gouv.fr'],
  visitorMayStart: true,
  steps: [
    step('Accueil', '/'),
    step('Connexion', 'https://app.franceconnect.gouv.fr/**'),
    step('Espace', '/espace/**'),
    step('Déclaration', '/espace/declaration/*'),
    step('Sans motif'),
    step('Confirmation', '/espace/declaration/*/confirmation'),
  ],
};

describe('urlMatchesPattern', () => {
  const start = 'https://www.caf.fr/';
  it('matches a path on the start origin, ignoring query, fragment and a trailing slash', () => {
    expect(urlMatchesPattern('https://www.caf.fr/espace?x=1#y', '/espace', start)).toBe(true);
    expect(urlMatchesPattern('https://www.caf.fr/espace/', '/espace', start)).toBe(true);
    expect(urlMatchesPattern('https://www.caf.fr/espaces', '/espace', start)).toBe(false);
  });

  it('lets * match inside one segment only', () => {
    expect(urlMatchesPattern('https://www.caf.fr/espace/declaration/2026-T1', '/espace/declaration/*', start)).toBe(true);
    expect(urlMatchesPattern('https://www.caf.fr/espace/declaration/a/b', '/espace/declaration/*', start)).toBe(false);
    expect(urlMatchesPattern('https://www.caf.fr/doc-12.pdf', '/doc-*.pdf', start)).toBe(true);
    expect(urlMatchesPattern('https://www.caf.fr/doc-12.txt', '/doc-*.pdf', start)).toBe(false);
  });

  it('lets ** match any number of segments, zero included', () => {
    expect(urlMatchesPattern('https://www.caf.fr/espace', '/espace/**', start)).toBe(true);
    expect(urlMatchesPattern('https://www.caf.fr/espace/a/b/c', '/espace/**', start)).toBe(true);
    expect(urlMatchesPattern('https://www.caf.fr/espace/a/b/fin', '/espace/**/fin', start)).toBe(true);
    expect(urlMatchesPattern('https://www.caf.fr/autre/a', '/espace/**', start)).toBe(false);
  });

  it('matches an absolute pattern only on its own origin', () => {
    expect(urlMatchesPattern('https://app.franceconnect.gouv.fr/api/v1/authorize', 'https://app.franceconnect.gouv.fr/**', start)).toBe(true);
    expect(urlMatchesPattern('https://www.caf.fr/api/v1/authorize', 'https://app.franceconnect.gouv.fr/**', start)).toBe(false);
    expect(urlMatchesPattern('https://app.franceconnect.gouv.fr/espace', '/espace', start)).toBe(false);
  });

  it('never matches a lookalike host or a non-http URL', () => {
    expect(urlMatchesPattern('https://www.caf.fr.evil.test/espace', '/espace', start)).toBe(false);
    expect(urlMatchesPattern('javascript:/espace', '/espace', start)).toBe(false);
  });

  it('stays fast on a pathological pattern and path (no backtracking blow-up)', () => {
    const pattern = `/${'*a'.repeat(60)}b`;
    const url = `https://www.caf.fr/${'a'.repeat(5000)}`;
    const started = performance.now();
    expect(urlMatchesPattern(url, pattern, start)).toBe(false);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('urlPatternProblem', () => {
  const origins = ['https://www.caf.fr'];
  it('accepts paths and absolute patterns on allowed origins', () => {
    expect(urlPatternProblem('/espace/**/fin', origins)).toBeNull();
    expect(urlPatternProblem('https://www.caf.fr/espace/*', origins)).toBeNull();
  });

  it.each([
    ['espace', 'no leading slash nor origin'],
    ['https://evil.test/espace', 'an origin outside the guide'],
    ['/espace?x=1', 'a query'],
    ['/espace#x', 'a fragment'],
    ['/espace/(a|b)+', 'regular-expression syntax'],
    ['/espace/a**', '** inside a segment'],
    ['/espace/../admin', 'a dot-dot segment'],
    ['//evil.test/espace', 'a scheme-relative pattern'],
    ['', 'an empty pattern'],
    [`/${'a'.repeat(400)}`, 'an overlong pattern'],
  ])('refuses %s (%s)', (pattern) => {
    expect(urlPatternProblem(pattern, origins)).toEqual(expect.any(String));
  });
});

describe('stepReached and nextStepFor', () => {
  it('gives the furthest step whose pattern matches', () => {
    expect(stepReached(guide, 'https://www.caf.fr/')).toBe(0);
    expect(stepReached(guide, 'https://app.franceconnect.gouv.fr/interaction/abc')).toBe(1);
    expect(stepReached(guide, 'https://www.caf.fr/espace/profil')).toBe(2);
    expect(stepReached(guide, 'https://www.caf.fr/espace/declaration/T1')).toBe(3);
    expect(stepReached(guide, 'https://www.caf.fr/espace/declaration/T1/confirmation')).toBe(5);
  });

  it('gives null for an unknown page or a page outside the guide', () => {
    expect(stepReached(guide, 'https://www.caf.fr/aides')).toBeNull();
    expect(stepReached(guide, 'https://caf.fr.example.org/espace')).toBeNull();
  });

  it('moves forward by itself but never back', () => {
    expect(nextStepFor(guide, 0, 'https://www.caf.fr/espace/declaration/T1')).toBe(3);
    expect(nextStepFor(guide, 4, 'https://www.caf.fr/espace/profil')).toBe(4);
    expect(nextStepFor(guide, 2, 'https://www.caf.fr/aides')).toBe(2);
    expect(nextStepFor(guide, 1, 'https://evil.test/espace/declaration/T1/confirmation')).toBe(1);
  });
});
