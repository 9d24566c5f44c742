// The kiosk's configuration, read once from the environment and the command line by both shells (main.ts, webshell/cli.ts),
// so a booth behaves the same whichever shell runs it. A value that makes no sense (a negative period, a port out of
// range, an unknown log level, an empty number) is refused at start-up with a sentence naming the variable, instead of
// turning into NaN deep in a timer or a listen().
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { defaultDataDir, kioskDbFile } from './services/paths.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Bounds of RELAIS_SYNC_EVERY_MS: under 100 ms the queue would hammer the hub; over a day the weeks would wait for nothing. */
export const SYNC_EVERY_MS_MIN = 100;
export const SYNC_EVERY_MS_MAX = 86_400_000;

export interface KioskConfig {
  /** `--data-dir` (resolved against the working directory), else RELAIS_DATA_DIR, else the platform's folder (paths.ts). */
  dataDir: string;
  /** `<data dir>/logs/relais.log`, whichever shell runs (README, "Where things are"). */
  logFile: string;
  dbFile: string;
  /** RELAIS_LOG_LEVEL (default info). */
  logLevel: LogLevel;
  /** RELAIS_EXTRA_GUIDES_DIR: a folder of further teleservice guides. */
  extraGuidesDir: string | null;
  /** RELAIS_PRINTER: the print queue used until the mediator chooses one. */
  defaultPrinter: string | null;
  /** RELAIS_SYNC_EVERY_MS: how often the weekly aggregates' queue is flushed (tests shorten it); null: the feature's default. */
  syncEveryMs: number | null;
  /** RELAIS_HUB_URL + RELAIS_HUB_TOKEN, both set: the site's hub; otherwise the booth starts an embedded demo hub. */
  hub: { url: string; token: string } | null;
  /** RELAIS_HUB_PORT: the embedded demo hub's port (0: any free port). */
  demoHubPort: number;
  /** RELAIS_DEMO=1: the demonstration at once, without the first-start assistant (demos, tests of other features). */
  demo: boolean;
}

export interface KioskConfigSource {
  env: Readonly<Record<string, string | undefined>>;
  /** The shell's `--data-dir`, when given (an empty value counts as not given, as before). */
  dataDirArg?: string | null;
  platform: NodeJS.Platform;
  homedir: string;
}

/** A configuration the kiosk refuses to start with; `problems` are French sentences, one per variable. */
export class KioskConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Configuration de la borne invalide :\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'KioskConfigError';
  }
}

/** An optional name (a folder, a queue): unset or blank means none, as both shells did before. */
const optionalName = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? null : v));

/** An optional whole number in [min, max]; set but empty, not a whole number or out of range is refused. */
const optionalInteger = (name: string, min: number, max: number, unit: string) =>
  z
    .string()
    .optional()
    .transform((raw, ctx): number | null => {
      if (raw === undefined) return null;
      const text = raw.trim();
      const value = /^[+-]?\d+$/.test(text) ? Number(text) : Number.NaN;
      if (!Number.isSafeInteger(value) || value < min || value > max) {
        ctx.addIssue({ code: 'custom', message: `${name} vaut « ${raw.slice(0, 40)} » : attendu un nombre entier de ${min} à ${max} ${unit}.` });
        return z.NEVER;
      }
      return value;
    });

const KioskEnv = z.object({
  RELAIS_LOG_LEVEL: z
    .string()
    .optional()
    .transform((raw, ctx): LogLevel => {
      if (raw === undefined) return 'info';
      const level = LOG_LEVELS.find((l) => l === raw.trim());
      if (level) return level;
      ctx.addIssue({ code: 'custom', message: `RELAIS_LOG_LEVEL vaut « ${raw.slice(0, 40)} » : attendu l’un de ${LOG_LEVELS.join(', ')}.` });
      return z.NEVER;
    }),
  RELAIS_EXTRA_GUIDES_DIR: optionalName,
  RELAIS_PRINTER: optionalName,
  RELAIS_SYNC_EVERY_MS: optionalInteger('RELAIS_SYNC_EVERY_MS', SYNC_EVERY_MS_MIN, SYNC_EVERY_MS_MAX, 'millisecondes'),
  RELAIS_HUB_URL: optionalName,
  RELAIS_HUB_TOKEN: optionalName,
  RELAIS_HUB_PORT: optionalInteger('RELAIS_HUB_PORT', 0, 65_535, '(0 : un port libre)'),
  RELAIS_DEMO: z
    .string()
    .optional()
    .transform((raw, ctx): boolean => {
      if (raw === undefined || raw.trim() === '' || raw.trim() === '0') return false;
      if (raw.trim() === '1') return true;
      ctx.addIssue({ code: 'custom', message: `RELAIS_DEMO vaut « ${raw.slice(0, 40)} » : attendu 1 (démonstration sans assistant) ou 0.` });
      return z.NEVER;
    }),
});

/** Reads the kiosk's configuration; throws a KioskConfigError listing every value it refuses. */
export function readKioskConfig(source: KioskConfigSource): KioskConfig {
  const parsed = KioskEnv.safeParse({
    RELAIS_LOG_LEVEL: source.env.RELAIS_LOG_LEVEL,
    RELAIS_EXTRA_GUIDES_DIR: source.env.RELAIS_EXTRA_GUIDES_DIR,
    RELAIS_PRINTER: source.env.RELAIS_PRINTER,
    RELAIS_SYNC_EVERY_MS: source.env.RELAIS_SYNC_EVERY_MS,
    RELAIS_HUB_URL: source.env.RELAIS_HUB_URL,
    RELAIS_HUB_TOKEN: source.env.RELAIS_HUB_TOKEN,
    RELAIS_HUB_PORT: source.env.RELAIS_HUB_PORT,
    RELAIS_DEMO: source.env.RELAIS_DEMO,
  });
  if (!parsed.success) throw new KioskConfigError(parsed.error.issues.map((issue) => issue.message));
  const env = parsed.data;
  const dataDir = source.dataDirArg ? resolve(source.dataDirArg) : defaultDataDir(source.env, source.platform, source.homedir);
  return {
    dataDir,
    logFile: join(dataDir, 'logs', 'relais.log'),
    dbFile: kioskDbFile(dataDir),
    logLevel: env.RELAIS_LOG_LEVEL,
    extraGuidesDir: env.RELAIS_EXTRA_GUIDES_DIR,
    defaultPrinter: env.RELAIS_PRINTER,
    syncEveryMs: env.RELAIS_SYNC_EVERY_MS,
    hub: env.RELAIS_HUB_URL && env.RELAIS_HUB_TOKEN ? { url: env.RELAIS_HUB_URL, token: env.RELAIS_HUB_TOKEN } : null,
    demoHubPort: env.RELAIS_HUB_PORT ?? 0,
    demo: env.RELAIS_DEMO,
  };
}
