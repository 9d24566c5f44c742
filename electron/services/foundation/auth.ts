// The mediator session: unlock by PIN, lockout after repeated wrong PINs (persisted), auto-lock when idle.
// The lockout escalates: each lock is longer than the one before (5 min, 15 min, 1 h, then 24 h) and the escalation
// is forgotten one step per day without a lock, so a visitor guessing all day checks about 20 PINs, not 1,440.
// A right PIN clears the count of wrong ones but not the escalation. Everything is in SQLite: a restart changes nothing.
import type { AuthState } from '../../../shared/contract/index.js';
import { ExpectedError } from '../../../shared/errors.js';
import type { Db } from '../db/index.js';
import type { Logger } from '../logger.js';
import type { Settings } from './settings.js';

export interface Auth {
  /** Resolves with the unlocked state; rejects with ExpectedError WRONG_PIN (details.remaining) or PIN_LOCKED (details.lockedUntil). */
  unlock(pin: string): Promise<AuthState>;
  lock(): AuthState;
  state(): AuthState;
  /** Throws ExpectedError NOT_UNLOCKED unless a mediator session is open (and not idle for too long); returns its mediator's id. */
  requireMediator(): number;
  /** Records mediator activity: called for every mediator verb (the kiosk's `requireMediator`), it postpones the auto-lock. */
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
  /** Consecutive wrong PINs before a lock (5). */
  maxFailures?: number;
  /** Length of the 1st, 2nd, … lock; the last one repeats (5 min, 15 min, 1 h, 24 h). */
  lockoutSteps?: readonly number[];
  /** One step of the escalation is forgotten per this long since the last lock ended (24 h). */
  forgetStepAfterMs?: number;
}

interface LockoutRow {
  failures: number;
  locked_until: number;
  lock_level: number;
}

const MIN = 60_000;
export const AUTH_DEFAULTS = {
  idleMs: 15 * MIN,
  maxFailures: 5,
  lockoutSteps: [5 * MIN, 15 * MIN, 60 * MIN, 24 * 60 * MIN],
  forgetStepAfterMs: 24 * 60 * MIN,
} as const;

export function createAuth({
  db,
  clock,
  settings,
  logger,
  idleMs = AUTH_DEFAULTS.idleMs,
  maxFailures = AUTH_DEFAULTS.maxFailures,
  lockoutSteps = AUTH_DEFAULTS.lockoutSteps,
  forgetStepAfterMs = AUTH_DEFAULTS.forgetStepAfterMs,
}: AuthDeps): Auth {
  if (lockoutSteps.length === 0) throw new Error('lockoutSteps must name at least one lock length');
  const log = logger.child({ scope: 'auth' });
  const listeners = new Set<(state: AuthState) => void>();
  let session: { mediatorId: number; lastActivity: number } | null = null;
  // PIN checks are asynchronous (scrypt on the thread pool); one at a time, so two attempts cannot both pass the lockout check.
  let queue: Promise<unknown> = Promise.resolve();

  const readLockout = db.prepare<[], LockoutRow>('SELECT failures, locked_until, lock_level FROM pin_lockout WHERE id = 1');
  const writeFailures = db.prepare<[number]>(
    'INSERT INTO pin_lockout (id, failures, locked_until) VALUES (1, ?, 0) ON CONFLICT (id) DO UPDATE SET failures = excluded.failures',
  );
  const writeLock = db.prepare<[number, number]>(
    'INSERT INTO pin_lockout (id, failures, locked_until, lock_level) VALUES (1, 0, ?, ?) ON CONFLICT (id) DO UPDATE SET failures = 0, locked_until = excluded.locked_until, lock_level = excluded.lock_level',
  );

  const row = (): LockoutRow => readLockout.get() ?? { failures: 0, locked_until: 0, lock_level: 0 };

  /** The lockout as it stands at `now`: while locked, the wrong PINs that caused it; after, those typed since. */
  const lockout = (now: number): { failures: number; lockedUntil: number | null } => {
    const r = row();
    if (r.locked_until > now) return { failures: maxFailures, lockedUntil: r.locked_until };
    return { failures: r.failures, lockedUntil: null };
  };

  /** The step the next lock takes: one above the last lock's, less one per `forgetStepAfterMs` since it ended. */
  const nextLockLength = (now: number): { level: number; ms: number } => {
    const r = row();
    const forgotten = r.lock_level > 0 ? Math.floor(Math.max(0, now - r.locked_until) / forgetStepAfterMs) : 0;
    const level = Math.min(Math.max(0, r.lock_level - forgotten) + 1, lockoutSteps.length);
    return { level, ms: lockoutSteps[level - 1]! };
  };

  const lockedError = (lockedUntil: number): ExpectedError =>
    new ExpectedError('PIN_LOCKED', 'Trop de codes erronés : le déverrouillage est bloqué jusqu’à l’heure indiquée.', { lockedUntil });

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
      throw lockedError(before.lockedUntil);
    }
    const matches = await settings.mediatorsMatchingPin(pin);
    const now = clock();
    const match = matches[0];
    if (match) {
      // The count of wrong PINs starts again; the escalation stays (it fades with time only).
      writeFailures.run(0);
      session = { mediatorId: match.id, lastActivity: now };
      log.info({ code: 'UNLOCKED', mediatorId: match.id }, 'mediator session opened');
      emit();
      return snapshot(now);
    }
    const failures = lockout(now).failures + 1;
    if (failures >= maxFailures) {
      const next = nextLockLength(now);
      const lockedUntil = now + next.ms;
      writeLock.run(lockedUntil, next.level);
      log.warn({ code: 'PIN_LOCKED', failures, level: next.level, lockedMs: next.ms }, 'too many wrong PINs: unlock blocked');
      emit();
      throw lockedError(lockedUntil);
    }
    writeFailures.run(failures);
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
      return session.mediatorId;
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
