// Loads guides of online services from YAML files; a malformed file is refused with its file and field named, the others load.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { Guide, urlPatternProblem } from '../../../shared/guideSteps.js';
import { canonicalOrigin, isAllowed, isLoopbackHost } from '../../../shared/urlAllowList.js';
import type { Logger } from '../logger.js';

export const GUIDE_ERROR_KINDS = [
  'unreadable-file',
  'yaml-syntax',
  'missing-field',
  'wrong-type',
  'unknown-field',
  'unknown-organisation',
  'insecure-start-url',
  'start-url-not-allowed',
  'bad-origin',
  'bad-url-pattern',
  'bad-picture',
  'id-not-file-name',
  'duplicate-id',
] as const;
export type GuideErrorKind = (typeof GUIDE_ERROR_KINDS)[number];

export interface GuideLoadError {
  /** File name (no folder), e.g. `caf-declaration-trimestrielle.yaml`. */
  file: string;
  /** Full path of the file. */
  path: string;
  /** Dotted path of the field (`steps.2.urlPattern`), or `(fichier)` for the whole file. */
  field: string;
  kind: GuideErrorKind;
  /** French explanation. */
  message: string;
}

export interface LoadedGuide extends Guide {
  /** Folder the guide came from (pictures are relative to it). */
  dir: string;
}

export interface LoadGuidesOptions {
  /** Organisation codes known to the booth (seeded and added ones). */
  knownOrganisations: readonly string[];
  logger: Logger;
}

export interface LoadGuidesResult {
  guides: LoadedGuide[];
  errors: GuideLoadError[];
}

export const formatGuideError = (e: Pick<GuideLoadError, 'file' | 'field' | 'message'>): string => `${e.file}: ${e.field}: ${e.message}`;

const WHOLE_FILE = '(fichier)';
const ID_SHAPE = /^[a-z0-9][a-z0-9-]{0,79}$/;
const PICTURE_SHAPE = /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)*\.(png|jpg|jpeg|svg|webp)$/;

const text = (max: number) => z.string().trim().min(1).max(max);

/** The file format (what a person writes); `Guide` is what the loader produces. */
const GuideFile = z.strictObject({
  id: z.string(),
  organisation: z.string(),
  title: text(120),
  summary: text(400),
  startUrl: z.string(),
  allowedOrigins: z.array(z.string()).min(1),
  visitorMayStart: z.boolean().optional(),
  steps: z
    .array(
      z.strictObject({
        title: text(120),
        text: text(1200),
        picture: z.string().optional(),
        urlPattern: z.string().optional(),
      }),
    )
    .min(1)
    .max(20),
});
type GuideFile = z.infer<typeof GuideFile>;

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = data;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

function schemaErrors(data: unknown, issues: z.ZodError['issues']): Omit<GuideLoadError, 'file' | 'path'>[] {
  return issues.flatMap((issue): Omit<GuideLoadError, 'file' | 'path'>[] => {
    const field = issue.path.map(String).join('.') || WHOLE_FILE;
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        field: [...issue.path.map(String), key].join('.'),
        kind: 'unknown-field',
        message: 'champ inconnu (faute de frappe ?)',
      }));
    }
    if (issue.code === 'invalid_type' && valueAt(data, issue.path) === undefined) {
      return [{ field, kind: 'missing-field', message: 'champ obligatoire manquant' }];
    }
    return [{ field, kind: 'wrong-type', message: `valeur invalide : ${issue.message}` }];
  });
}

function pictureExists(dir: string, picture: string): boolean {
  try {
    return statSync(join(dir, picture)).isFile();
  } catch {
    return false;
  }
}

function semanticErrors(raw: GuideFile, fileStem: string, dir: string, known: readonly string[]): Omit<GuideLoadError, 'file' | 'path'>[] {
  const problems: Omit<GuideLoadError, 'file' | 'path'>[] = [];
  if (!ID_SHAPE.test(raw.id)) {
    problems.push({ field: 'id', kind: 'wrong-type', message: 'identifiant attendu en minuscules, chiffres et tirets (80 au plus)' });
  } else if (raw.id !== fileStem) {
    problems.push({ field: 'id', kind: 'id-not-file-name', message: `l'identifiant « ${raw.id} » doit être le nom du fichier (« ${fileStem} »)` });
  }
  if (!known.includes(raw.organisation)) {
    problems.push({ field: 'organisation', kind: 'unknown-organisation', message: `organisme inconnu « ${raw.organisation} » (connus : ${known.join(', ')})` });
  }
  const origins: string[] = [];
  raw.allowedOrigins.forEach((origin, i) => {
    const canonical = canonicalOrigin(origin);
    if (canonical === null) {
      problems.push({ field: `allowedOrigins.${i}`, kind: 'bad-origin', message: `origine invalide « ${origin} » : https://hôte[:port] attendu, sans chemin` });
    } else {
      origins.push(canonical);
    }
  });
  let start: URL | null = null;
  try {
    start = new URL(raw.startUrl);
  } catch {
    problems.push({ field: 'startUrl', kind: 'wrong-type', message: `adresse illisible « ${raw.startUrl} »` });
  }
  if (start) {
    const secure = start.protocol === 'https:' || (start.protocol === 'http:' && isLoopbackHost(start.hostname));
    if (!secure) {
      problems.push({ field: 'startUrl', kind: 'insecure-start-url', message: 'https:// obligatoire (http:// seulement pour 127.0.0.1 ou localhost)' });
    } else if (!isAllowed(raw.startUrl, origins)) {
      problems.push({ field: 'startUrl', kind: 'start-url-not-allowed', message: `l'origine de startUrl n'est pas dans allowedOrigins` });
    }
  }
  raw.steps.forEach((step, i) => {
    if (step.urlPattern !== undefined) {
      const problem = urlPatternProblem(step.urlPattern, origins);
      if (problem) problems.push({ field: `steps.${i}.urlPattern`, kind: 'bad-url-pattern', message: problem });
    }
    if (step.picture !== undefined && (!PICTURE_SHAPE.test(step.picture) || !pictureExists(dir, step.picture))) {
      problems.push({ field: `steps.${i}.picture`, kind: 'bad-picture', message: `image introuvable ou nom invalide « ${step.picture} » (chemin relatif au dossier des guides)` });
    }
  });
  return problems;
}

function toGuide(raw: GuideFile, dir: string): LoadedGuide {
  return {
    id: raw.id,
    organisation: raw.organisation,
    title: raw.title,
    summary: raw.summary,
    startUrl: raw.startUrl,
    allowedOrigins: [...new Set(raw.allowedOrigins.map((o) => canonicalOrigin(o) ?? o))],
    visitorMayStart: raw.visitorMayStart ?? false,
    steps: raw.steps.map((s) => ({ title: s.title, text: s.text, picture: s.picture ?? null, urlPattern: s.urlPattern ?? null })),
    dir,
  };
}

function listGuideFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => join(dir, name));
}

/** Parses one guide file; returns the guide or the list of its errors. */
export function parseGuideFile(path: string, knownOrganisations: readonly string[]): { guide: LoadedGuide } | { errors: GuideLoadError[] } {
  const file = basename(path);
  const dir = path.slice(0, path.length - file.length) || '.';
  const withFile = (e: Omit<GuideLoadError, 'file' | 'path'>): GuideLoadError => ({ file, path, ...e });
  let source: string;
  try {
    source = readFileSync(path, 'utf8');
  } catch (cause) {
    return { errors: [withFile({ field: WHOLE_FILE, kind: 'unreadable-file', message: `lecture impossible (${(cause as NodeJS.ErrnoException).code ?? 'erreur'})` })] };
  }
  const doc = parseDocument(source, { prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      errors: doc.errors.map((e) => {
        const at = e.linePos?.[0];
        return withFile({ field: WHOLE_FILE, kind: 'yaml-syntax', message: `YAML invalide${at ? ` ligne ${at.line}, colonne ${at.col}` : ''} : ${e.code}` });
      }),
    };
  }
  const data: unknown = doc.toJS();
  const parsed = GuideFile.safeParse(data);
  if (!parsed.success) return { errors: schemaErrors(data, parsed.error.issues).map(withFile) };
  const stem = file.replace(/\.ya?ml$/, '');
  const problems = semanticErrors(parsed.data, stem, dir, knownOrganisations);
  if (problems.length > 0) return { errors: problems.map(withFile) };
  return { guide: toGuide(parsed.data, dir) };
}

/**
 * Loads every `*.yaml` / `*.yml` of the folders, in order (the shipped folder first, then extra ones such as the
 * e2e tests' `RELAIS_EXTRA_GUIDES_DIR`). A guide whose id was already loaded is refused as a duplicate.
 */
export function loadGuides(dirs: readonly string[], options: LoadGuidesOptions): LoadGuidesResult {
  const guides: LoadedGuide[] = [];
  const errors: GuideLoadError[] = [];
  const seen = new Map<string, string>();
  for (const dir of dirs) {
    let files: string[];
    try {
      files = listGuideFiles(dir);
    } catch (cause) {
      errors.push({ file: basename(dir), path: dir, field: WHOLE_FILE, kind: 'unreadable-file', message: `dossier illisible (${(cause as NodeJS.ErrnoException).code ?? 'erreur'})` });
      continue;
    }
    for (const path of files) {
      const result = parseGuideFile(path, options.knownOrganisations);
      if ('errors' in result) {
        errors.push(...result.errors);
        continue;
      }
      const previous = seen.get(result.guide.id);
      if (previous !== undefined) {
        errors.push({ file: basename(path), path, field: 'id', kind: 'duplicate-id', message: `identifiant « ${result.guide.id} » déjà utilisé par ${previous}` });
        continue;
      }
      seen.set(result.guide.id, path);
      guides.push(result.guide);
    }
  }
  for (const e of errors) {
    options.logger.warn({ code: 'GUIDE_INVALID', file: e.file, field: e.field, kind: e.kind }, `guide refused: ${formatGuideError(e)}`);
  }
  options.logger.info({ code: 'GUIDES_LOADED', count: guides.length, refused: errors.length }, 'guides loaded');
  return { guides, errors };
}
