// The mediator session: unlock by PIN, lockout after repeated wrong PINs (persisted), auto-lock when idle.
import type { AuthState } from '../../shared/contract.js';
import { ExpectedError } from '../../shared/errors.js';
import type { Db } from './db/index.js';
import type { Logger } from './logger.js';
import type { Settings } from './settings.js';

export interface Auth {
  /** Resolves with the unlocked state; rejects with ExpectedError WRONG_PIN (details.remaining) or PIN_LOCKED (details.lockedUntil). */
  unlock(pin: string): Promise<AuthState>;
  lock(): AuthState;
  state(): AuthState;
  /** Throws ExpectedError NOT_UNLOCKED unless a mediator session is open (and not idle for too long). */
  requireMediator(): void;
  /** Records mediator activity: called by every mediator verb, it postpones the auto-lock. */
  touch(): void;
  currentMediatorId(): number | null;
  /** Locks an idle session now; returns whether it did. The composition root calls it periodically. */
  checkIdle(): boolean;
  onChange(listener: (state: AuthState) => void): () => void;
}

export interface AuthDeps {
  db: Db;
  clock: () => number;
  settings: Pick<Settings, 'mediatorsMatchingPin' | 'mediator'>;
  logger: Logger;
  /** Auto-lock after this long without a mediator verb (15 min). */
  idleMs?: number;
  /** Consecutive wrong PINs before the lockout (5). */
  maxFailures?: number;
  /** Length of the lockout (5 min). */
  lockoutMs?: number;
}

interface LockoutRow {
  failures: number;
  locked_until: number;
}

export const AUTH_DEFAULTS = { idleMs: 15 * 60_000, maxFailures: 5, lockoutMs: 5 * 60_000 } as const;

export function createAuth({
  db,
  clock,
  settings,
  logger,
  idleMs = AUTH_DEFAULTS.idleMs,
  maxFailures = AUTH_DEFAULTS.maxFailures,
  lockoutMs = AUTH_DEFAULTS.lockoutMs,
}: AuthDeps): Auth {
  const log = logger.child({ scope: 'auth' });
  const listeners = new Set<(state: AuthState) => void>();
  let session: { mediatorId: number; lastActivity: number } | null = null;
  // PIN checks are asynchronous (scrypt on the thread pool); one at a time, so two attempts cannot both pass the lockout check.
  let queue: Promise<unknown> = Promise.resolve();

  const readLockout = db.prepare<[], LockoutRow>('SELECT failures, locked_until FROM pin_lockout WHERE id = 1');
  const writeLockout = db.prepare<[number, number]>(
    'INSERT INTO pin_lockout (id, failures, locked_until) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET failures = excluded.failures, locked_until = excluded.locked_until',
  );

  /** The lockout as it stands at `now`: an expired lock counts as no failure at all. */
  const lockout = (now: number): { failures: number; lockedUntil: number | null } => {
    const row = readLockout.get() ?? { failures: 0, locked_until: 0 };
    if (row.locked_until > now) return { failures: row.failures, lockedUntil: row.locked_until };
    if (row.locked_until > 0) return { failures: 0, lockedUntil: null };
    return { failures: row.failures, lockedUntil: null };
  };

  const snapshot = (now: number): AuthState => {
    const { failures, lockedUntil } = lockout(now);
    const mediator = session ? settings.mediator(session.mediatorId) : null;
    return { unlocked: session !== null, mediator, failures, lockedUntil };
  };

  const emit = (): void => {
    const state = snapshot(clock());
    for (const l of listeners) l(state);
  };

  const expireIfIdle = (now: number): boolean => {
    if (session && now - session.lastActivity >= idleMs) {
      log.info({ code: 'AUTO_LOCKED', mediatorId: session.mediatorId }, 'mediator session locked after inactivity');
      session = null;
      emit();
      return true;
    }
    return false;
  };

  const attempt = async (pin: string): Promise<AuthState> => {
    const before = lockout(clock());
    if (before.lockedUntil !== null) {
      log.warn({ code: 'PIN_LOCKED' }, 'unlock refused during lockout');
      throw new ExpectedError('PIN_LOCKED', 'Trop de codes erronés : le déverrouillage est bloqué pour quelques minutes.', {
        lockedUntil: before.lockedUntil,
      });
    }
    const matches = await settings.mediatorsMatchingPin(pin);
    const now = clock();
    const match = matches[0];
    if (match) {
      writeLockout.run(0, 0);
      session = { mediatorId: match.id, lastActivity: now };
      log.info({ code: 'UNLOCKED', mediatorId: match.id }, 'mediator session opened');
      emit();
      return snapshot(now);
    }
    const failures = lockout(now).failures + 1;
    if (failures >= maxFailures) {
      const lockedUntil = now + lockoutMs;
      writeLockout.run(failures, lockedUntil);
      log.warn({ code: 'PIN_LOCKED', failures }, 'too many wrong PINs: unlock blocked');
      emit();
      throw new ExpectedError('PIN_LOCKED', 'Trop de codes erronés : le déverrouillage est bloqué pour quelques minutes.', { lockedUntil });
    }
    writeLockout.run(failures, 0);
    log.info({ code: 'WRONG_PIN', failures }, 'wrong PIN');
    emit();
    throw new ExpectedError('WRONG_PIN', 'Code incorrect.', { remaining: maxFailures - failures });
  };

  return {
    unlock(pin) {
      const run = queue.then(() => attempt(pin));
      queue = run.catch(() => undefined);
      return run;
    },

    lock() {
      if (session) {
        log.info({ code: 'LOCKED', mediatorId: session.mediatorId }, 'mediator session closed');
        session = null;
        emit();
      }
      return snapshot(clock());
    },

    state() {
      const now = clock();
      expireIfIdle(now);
      return snapshot(now);
    },

    requireMediator() {
      expireIfIdle(clock());
      if (!session) throw new ExpectedError('NOT_UNLOCKED', 'Déverrouillez avec votre code de médiateur.');
    },

    touch() {
      const now = clock();
      if (session && !expireIfIdle(now)) session.lastActivity = now;
    },

    currentMediatorId() {
      expireIfIdle(clock());
      return session?.mediatorId ?? null;
    },

    checkIdle: () => expireIfIdle(clock()),

    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
