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

/** Counts failed logins in a sliding window; a key over its limit is refused until its oldest failure expires. */
export class FailedAttempts {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly limits: AttemptLimits,
    private readonly clock: () => number,
  ) {}

  /** Nothing failed lately (the usual case): every attempt is allowed, and callers need not build their keys. */
  get quiet(): boolean {
    return this.failures.size === 0;
  }

  /** Milliseconds to wait before another attempt for this login from this address (0: allowed). */
  retryAfter(login: string, address: string): number {
    if (this.quiet) return 0;
    const now = this.clock();
    return Math.max(this.wait(`l:${login}`, this.limits.perLogin, now), this.wait(`a:${address}`, this.limits.perAddress, now));
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

  private wait(key: string, limit: number, now: number): number {
    const list = this.recent(key, now);
    if (list.length === 0) this.failures.delete(key);
    if (list.length < limit) return 0;
    return Math.max(1, (list[list.length - limit] ?? now) + this.limits.windowMs - now);
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
