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

/** What drainLogger needs of pino's file destination (a SonicBoom): -1 as fd until the file is open. */
interface Destination {
  fd?: number;
  flushSync?(): void;
  once?(event: 'ready' | 'error', listener: () => void): unknown;
}

/**
 * Resolves once every line logged so far is in the file: waits for the asynchronous destination to open, then
 * flushes it synchronously. For an exit right after a last line (a refused start-up); gives up after `timeoutMs`.
 */
export function drainLogger(logger: Logger, timeoutMs = 2_000): Promise<void> {
  const stream = (logger as unknown as Record<symbol, Destination | undefined>)[pino.symbols.streamSym];
  return new Promise((resolveDrain) => {
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      try {
        if ((stream?.fd ?? 0) >= 0) stream?.flushSync?.();
      } catch {
        // Nothing more can be written: the caller has already said what matters on standard error.
      }
      resolveDrain();
    };
    const timer = setTimeout(finish, timeoutMs);
    if (stream?.fd !== undefined && stream.fd < 0 && stream.once) {
      stream.once('ready', finish);
      stream.once('error', finish);
    } else finish();
  });
}
