// Failed sign-in attempts (server/auth.ts `FailedAttempts`): limits per login and per address over a window, the quiet
// state that lets a booth's sign-in skip the checks, and the periodic prune that keeps the record bounded.
import { describe, expect, it } from 'vitest';
import { FailedAttempts } from '../../../../server/auth.js';

const LIMITS = { perLogin: 3, perAddress: 5, windowMs: 60_000 };

describe('FailedAttempts', () => {
  it('is quiet until something fails, then limits the login and the address over the window', () => {
    let now = 1_000_000;
    const attempts = new FailedAttempts(LIMITS, () => now);
    expect(attempts.quiet).toBe(true);
    expect(attempts.retryAfter('caf1', '10.0.0.1')).toBe(0);
    for (let i = 0; i < 3; i++) attempts.fail('caf1', '10.0.0.1');
    expect(attempts.quiet).toBe(false);
    expect(attempts.retryAfter('caf1', '10.0.0.2')).toBe(60_000);
    expect(attempts.retryAfter('caf2', '10.0.0.2')).toBe(0);
    for (let i = 0; i < 2; i++) attempts.fail('caf3', '10.0.0.1');
    expect(attempts.retryAfter('caf4', '10.0.0.1')).toBe(60_000);
    now += 30_000;
    expect(attempts.retryAfter('caf1', '10.0.0.3')).toBe(30_000);
    now += 30_000;
    expect(attempts.retryAfter('caf1', '10.0.0.1')).toBe(0);
  });

  it('forgets, when pruned, only what is older than the window, and is quiet again once all is', () => {
    let now = 1_000_000;
    const attempts = new FailedAttempts(LIMITS, () => now);
    for (let i = 0; i < 1_000; i++) attempts.fail(`#booth:${i}`, `10.0.${i >> 8}.${i & 255}`);
    now += 40_000;
    for (let i = 0; i < 3; i++) attempts.fail('caf1', '10.9.9.9');
    now += 20_000;
    attempts.prune();
    expect(attempts.quiet).toBe(false);
    expect(attempts.retryAfter('caf1', '10.9.9.8')).toBe(40_000);
    now += 40_000;
    attempts.prune();
    expect(attempts.quiet).toBe(true);
  });
});
