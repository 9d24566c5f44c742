// Scoped pino loggers. Log lines carry an error code and never a visitor's personal data (DOMAIN.md, "Privacy").
import pino from 'pino';

export type Logger = pino.Logger;

export interface LoggerOptions {
  level?: pino.LevelWithSilent;
  /** A file path to append to; standard error when absent. */
  file?: string;
}

export function createRootLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? (process.env.RELAIS_LOG_LEVEL as pino.LevelWithSilent | undefined) ?? 'info';
  const destination = options.file ? pino.destination({ dest: options.file, mkdir: true, sync: false }) : pino.destination(2);
  return pino({ level, base: { app: 'relais' } }, destination);
}

/** A logger that writes nothing, for tests that do not look at logs. */
export const silentLogger = (): Logger => pino({ level: 'silent' });

export const scoped = (root: Logger, scope: string): Logger => root.child({ scope });
