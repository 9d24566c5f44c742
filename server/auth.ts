// Agent passwords (scrypt) and the limits on wrong attempts, per login and per address.
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

const N = 16_384;
const R = 8;
const P = 1;
const KEYLEN = 32;

function scryptAsync(password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, KEYLEN, { N: n, r, p, maxmem: 64 * 1024 * 1024 }, (e, key) => (e ? reject(e) : resolve(key))),
  );
}

/** `scrypt$N$r$p$salt$key`, base64url parts. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, N, R, P);
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, n, r, p, salt, key] = parts as [string, string, string, string, string, string];
  const expected = Buffer.from(key, 'base64url');
  const actual = await scryptAsync(password, Buffer.from(salt, 'base64url'), Number(n), Number(r), Number(p));
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

export interface AttemptLimits {
  /** Wrong attempts allowed per login within the window. */
  perLogin: number;
  /** Wrong attempts allowed per remote address within the window. */
  perAddress: number;
  windowMs: number;
}

export const DEFAULT_ATTEMPT_LIMITS: AttemptLimits = { perLogin: 5, perAddress: 20, windowMs: 15 * 60_000 };

/** How long a refused attempt is told to wait when the limit is reached only by checks still running. */
export const IN_FLIGHT_RETRY_MS = 1_000;

/**
 * Counts failed logins in a sliding window; a key over its limit is refused until its oldest failure expires.
 * A password check counts against the limits from the moment it starts (`begin`) until it ends (`settle`): parallel
 * attempts cannot pass the limit while scrypt runs, so at most `perLogin` passwords per login (and `perAddress` per
 * address) are ever checked within a window, whatever the concurrency.
 */
export class FailedAttempts {
  private readonly failures = new Map<string, number[]>();
  /** Checks started and not yet settled, per key (`l:login`, `a:address`). */
  private readonly inFlight = new Map<string, number>();

  constructor(
    private readonly limits: AttemptLimits,
    private readonly clock: () => number,
  ) {}

  /** Nothing failed lately (the usual case): every attempt is allowed, and callers need not build their keys. */
  get quiet(): boolean {
    return this.failures.size === 0;
  }

  /** Milliseconds to wait before another attempt for this login from this address (0: allowed). Checks in flight are not counted. */
  retryAfter(login: string, address: string): number {
    if (this.quiet) return 0;
    const now = this.clock();
    return Math.max(this.wait(`l:${login}`, this.limits.perLogin, now, 0), this.wait(`a:${address}`, this.limits.perAddress, now, 0));
  }

  /**
   * Starts a password check: 0 when it may run (it then counts as a failure until `settle`), else the milliseconds to
   * wait. Checks still running count against the limits as failures would.
   */
  begin(login: string, address: string): number {
    const now = this.clock();
    const loginKey = `l:${login}`;
    const addressKey = `a:${address}`;
    const wait = Math.max(
      this.wait(loginKey, this.limits.perLogin, now, this.inFlight.get(loginKey) ?? 0),
      this.wait(addressKey, this.limits.perAddress, now, this.inFlight.get(addressKey) ?? 0),
    );
    if (wait > 0) return wait;
    for (const key of [loginKey, addressKey]) this.inFlight.set(key, (this.inFlight.get(key) ?? 0) + 1);
    return 0;
  }

  /** Ends a check started with `begin`: a failure is recorded, a success clears the login's failures. */
  settle(login: string, address: string, outcome: 'failed' | 'succeeded' | 'neither'): void {
    for (const key of [`l:${login}`, `a:${address}`]) {
      const left = (this.inFlight.get(key) ?? 1) - 1;
      if (left > 0) this.inFlight.set(key, left);
      else this.inFlight.delete(key);
    }
    if (outcome === 'failed') this.fail(login, address);
    else if (outcome === 'succeeded') this.succeed(login);
  }

  fail(login: string, address: string): void {
    const now = this.clock();
    for (const key of [`l:${login}`, `a:${address}`]) {
      const list = this.recent(key, now);
      list.push(now);
      this.failures.set(key, list);
    }
  }

  succeed(login: string): void {
    this.failures.delete(`l:${login}`);
  }

  /** Forgets the logins and addresses whose failures are all older than the window (called periodically). */
  prune(): void {
    const now = this.clock();
    for (const [key, list] of this.failures) if (now - (list[list.length - 1] ?? 0) >= this.limits.windowMs) this.failures.delete(key);
  }

  private recent(key: string, now: number): number[] {
    return (this.failures.get(key) ?? []).filter((t) => now - t < this.limits.windowMs);
  }

  private wait(key: string, limit: number, now: number, running: number): number {
    const list = this.failures.has(key) ? this.recent(key, now) : [];
    if (list.length === 0) this.failures.delete(key);
    if (list.length >= limit) return Math.max(1, (list[list.length - limit] ?? now) + this.limits.windowMs - now);
    // Under the limit only if every check still running fails: its outcome is not known yet.
    return list.length + running >= limit ? IN_FLIGHT_RETRY_MS : 0;
  }
}

/** Token bucket for one socket's frames. */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    now: number,
  ) {
    this.tokens = burst;
    this.last = now;
  }

  take(now: number): boolean {
    const elapsed = now - this.last;
    if (elapsed > 0) {
      this.tokens = Math.min(this.burst, this.tokens + (elapsed * this.perSecond) / 1000);
      this.last = now;
    }
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
