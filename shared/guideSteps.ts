// Guides of online services as both shells and the renderer see them, and the matching of a page URL to a step.
//
// Step URL patterns are a small glob syntax, never a user-supplied regular expression (no ReDoS):
// - `/espace/declaration` — a path on the origin of the guide's start URL;
// - `https://app.franceconnect.gouv.fr/api/*` — a path on another origin, which must be one of the guide's origins;
// - `*` matches any characters inside one path segment (not `/`), `**` alone as a segment matches any number of
//   segments (zero included); a trailing `/` is ignored; the query string and the fragment are ignored.
// Matching is a dynamic programme over segments and a two-pointer glob inside a segment: linear-ish, bounded input.
import { z } from 'zod';
import { OrganisationCode } from './domain.js';
import { canonicalOrigin, isAllowed, originOf } from './urlAllowList.js';

export const GuideStep = z.object({
  title: z.string(),
  text: z.string(),
  /** A picture file name relative to the guides folder, or null. */
  picture: z.string().nullable(),
  /** A URL pattern (see above) that marks the step as reached, or null when the step is only moved by hand. */
  urlPattern: z.string().nullable(),
});
export type GuideStep = z.infer<typeof GuideStep>;

/** A validated guide (what `loadGuides` returns and what crosses the bridge). */
export const Guide = z.object({
  id: z.string(),
  organisation: OrganisationCode,
  title: z.string(),
  summary: z.string(),
  startUrl: z.string(),
  /** Canonical origins (`https://host[:port]`) the session may visit. */
  allowedOrigins: z.array(z.string()),
  /** Whether a visitor may start it alone from the organisation's screen (the site works without the mediator). */
  visitorMayStart: z.boolean(),
  steps: z.array(GuideStep).min(1),
});
export type Guide = z.infer<typeof Guide>;

export const MAX_PATTERN_LENGTH = 300;
const PATH_CHARS = /^[A-Za-z0-9\-._~!$&'()+,;=:@%*/]*$/;

interface ParsedPattern {
  origin: string | null;
  segments: string[];
}

function splitPath(path: string): string[] {
  const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  return trimmed.split('/').slice(1);
}

/**
 * Checks a pattern against the guide's origins. Returns null when valid, else a French explanation.
 * `allowedOrigins` must be canonical (see `canonicalOrigin`).
 */
export function urlPatternProblem(pattern: string, allowedOrigins: readonly string[]): string | null {
  if (pattern.length === 0 || pattern.length > MAX_PATTERN_LENGTH) return `longueur entre 1 et ${MAX_PATTERN_LENGTH} caractères attendue`;
  const parsed = parsePattern(pattern);
  if (typeof parsed === 'string') return parsed;
  if (parsed.origin !== null && !allowedOrigins.includes(parsed.origin)) return `l'origine ${parsed.origin} n'est pas dans allowedOrigins`;
  return null;
}

function parsePattern(pattern: string): ParsedPattern | string {
  let origin: string | null = null;
  let path = pattern;
  if (!pattern.startsWith('/')) {
    const match = /^(https?:\/\/[^/?#]+)(\/.*)?$/.exec(pattern);
    if (!match) return 'le motif doit commencer par « / » ou par « https://hôte/ »';
    origin = canonicalOrigin(match[1] ?? '');
    if (origin === null) return `origine invalide dans le motif : ${match[1] ?? ''}`;
    path = match[2] ?? '/';
  }
  if (path.startsWith('//')) return 'le chemin ne doit pas commencer par « // »';
  if (!PATH_CHARS.test(path)) return 'caractère interdit (ni « ? », ni « # », ni espace, ni expression régulière ; encoder les accents en %XX)';
  const segments = splitPath(path);
  for (const segment of segments) {
    if (segment.includes('**') && segment !== '**') return '« ** » doit occuper tout un segment, par exemple /espace/**/fin';
    if (segment === '.' || segment === '..') return 'les segments « . » et « .. » sont interdits';
  }
  return { origin, segments };
}

/** Glob inside one segment: `*` = any run of characters. Two pointers with one backtrack point: O(n·m) worst case. */
function segmentMatches(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let resume = 0;
  while (t < text.length) {
    if (p < pattern.length && pattern[p] !== '*' && pattern[p] === text[t]) {
      p += 1;
      t += 1;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p;
      resume = t;
      p += 1;
    } else if (star !== -1) {
      p = star + 1;
      resume += 1;
      t = resume;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === '*') p += 1;
  return p === pattern.length;
}

/** Segments with `**`: reachable[i][j] = pattern[0..i) matches path[0..j). */
function segmentsMatch(pattern: readonly string[], path: readonly string[]): boolean {
  let previous: boolean[] = Array.from({ length: path.length + 1 }, (_, j) => j === 0);
  for (const seg of pattern) {
    const current: boolean[] = new Array<boolean>(path.length + 1).fill(false);
    for (let j = 0; j <= path.length; j += 1) {
      if (seg === '**') {
        current[j] = previous[j] === true || (j > 0 && current[j - 1] === true);
      } else if (j > 0) {
        current[j] = previous[j - 1] === true && segmentMatches(seg, path[j - 1] ?? '');
      }
    }
    previous = current;
  }
  return previous[path.length] === true;
}

/** Whether `url` matches `pattern` for a guide starting at `startUrl`. Invalid patterns or URLs never match. */
export function urlMatchesPattern(url: string, pattern: string, startUrl: string): boolean {
  const parsed = parsePattern(pattern);
  if (typeof parsed === 'string') return false;
  const urlOrigin = originOf(url);
  const expectedOrigin = parsed.origin ?? originOf(startUrl);
  if (urlOrigin === null || urlOrigin !== expectedOrigin) return false;
  return segmentsMatch(parsed.segments, splitPath(new URL(url).pathname));
}

/** Index of the furthest step whose pattern matches `url`, or null (none matches, or the URL is not allowed). */
export function stepReached(guide: Pick<Guide, 'steps' | 'startUrl' | 'allowedOrigins'>, url: string): number | null {
  if (!isAllowed(url, guide.allowedOrigins)) return null;
  for (let i = guide.steps.length - 1; i >= 0; i -= 1) {
    const pattern = guide.steps[i]?.urlPattern;
    if (pattern && urlMatchesPattern(url, pattern, guide.startUrl)) return i;
  }
  return null;
}

/** The step to show after a navigation: automatic moves go forward only; going back is the visitor's choice. */
export function nextStepFor(guide: Pick<Guide, 'steps' | 'startUrl' | 'allowedOrigins'>, currentIndex: number, url: string): number {
  const reached = stepReached(guide, url);
  return reached !== null && reached > currentIndex ? reached : currentIndex;
}

/**
 * What a teleservice session tells the visitor, by stable code (the shells' events carry the code; the renderer's
 * i18n catalog may copy these texts under `teleservice.<code>`). French first, plain words (FALC).
 */
export const TELESERVICE_NOTICES = {
  blocked: { fr: 'Cette page n’est pas disponible ici.', en: 'This page is not available here.' },
  blockedHint: { fr: 'Ce lien mène vers un autre site. Revenez en arrière ou demandez de l’aide.', en: 'This link leads to another website. Go back or ask for help.' },
  sessionWiped: { fr: 'Votre séance est fermée. Tout ce que vous avez fait sur ce site est effacé de la borne.', en: 'Your session is closed. Everything you did on this website has been erased from the kiosk.' },
  wipeIncomplete: { fr: 'Votre séance est fermée. Le médiateur doit vérifier l’effacement.', en: 'Your session is closed. The mediator must check that it was erased.' },
  downloadReady: { fr: 'Le document est prêt. Voulez-vous l’imprimer ?', en: 'The document is ready. Do you want to print it?' },
  downloadRefused: { fr: 'Ce fichier ne peut pas être ouvert ici. Seuls les documents PDF sont acceptés.', en: 'This file cannot be opened here. Only PDF documents are accepted.' },
  downloadFailed: { fr: 'Le document n’a pas pu être téléchargé. Réessayez.', en: 'The document could not be downloaded. Try again.' },
  certificateError: { fr: 'Ce site n’est pas sûr en ce moment. La page est bloquée. Demandez de l’aide.', en: 'This website is not safe right now. The page is blocked. Ask for help.' },
  siteUnreachable: { fr: 'Le site de l’organisme ne répond pas. Réessayez dans un instant ou demandez de l’aide.', en: 'The organisation’s website is not responding. Try again in a moment or ask for help.' },
  siteOpening: { fr: 'Le site de l’organisme s’ouvre.', en: 'The organisation’s website is opening.' },
  needHelp: { fr: 'J’ai besoin d’aide', en: 'I need help' },
  stepProgress: { fr: 'Étape {{current}} sur {{total}}', en: 'Step {{current}} of {{total}}' },
  previous: { fr: 'Retour', en: 'Back' },
  next: { fr: 'Suivant', en: 'Next' },
  finish: { fr: 'J’ai fini', en: 'I have finished' },
} as const satisfies Record<string, { fr: string; en: string }>;
export type TeleserviceNoticeCode = keyof typeof TELESERVICE_NOTICES;
