// Failed sign-in attempts (server/auth.ts `FailedAttempts`): limits per login and per address over a window, the quiet
// state that lets a booth's sign-in skip the checks, and the periodic prune that keeps the record bounded.
import { describe, expect, it } from 'vitest';
import { FailedAttempts, IN_FLIGHT_RETRY_MS } from '../../../../server/auth.js';

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

describe('FailedAttempts, checks in flight', () => {
  it('counts a check against the limits from begin to settle, so parallel checks cannot pass them', () => {
    let now = 1_000_000;
    const attempts = new FailedAttempts(LIMITS, () => now);
    const begun = Array.from({ length: 10 }, () => attempts.begin('caf1', '10.0.0.1'));
    expect(begun.filter((w) => w === 0)).toHaveLength(3);
    expect(begun.filter((w) => w > 0).every((w) => w === IN_FLIGHT_RETRY_MS)).toBe(true);
    // Another login from the same address: the address has 5, 3 of them in flight.
    expect(attempts.begin('caf2', '10.0.0.1')).toBe(0);
    expect(attempts.begin('caf2', '10.0.0.1')).toBe(0);
    expect(attempts.begin('caf3', '10.0.0.1')).toBe(IN_FLIGHT_RETRY_MS);
    // A success frees its place and clears the login's failures; failures stay counted for the window.
    attempts.settle('caf1', '10.0.0.1', 'failed');
    attempts.settle('caf1', '10.0.0.1', 'failed');
    attempts.settle('caf1', '10.0.0.1', 'succeeded');
    expect(attempts.begin('caf1', '10.0.0.2')).toBe(0);
    attempts.settle('caf1', '10.0.0.2', 'failed');
    for (let i = 0; i < 2; i++) attempts.settle('caf2', '10.0.0.1', 'failed');
    for (const address of ['10.0.0.3', '10.0.0.5']) {
      expect(attempts.begin('caf1', address)).toBe(0);
      attempts.settle('caf1', address, 'failed');
    }
    // caf1: 3 failures since its success, the window's wait; 10.0.0.1: 4 failures + nothing in flight, 1 more allowed.
    expect(attempts.begin('caf1', '10.0.0.4')).toBe(60_000);
    expect(attempts.begin('caf4', '10.0.0.1')).toBe(0);
    attempts.settle('caf4', '10.0.0.1', 'neither');
    now += 60_000;
    expect(attempts.begin('caf1', '10.0.0.4')).toBe(0);
  });
});
