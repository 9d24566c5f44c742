// How often the dashboard asks the hub for its booths: every 5 s while the page is seen (a printer that went down shows
// within seconds, issue 17's « within 10 s »), nothing while it is hidden, at once when it is seen again.
import { act, renderHook } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BOOTHS_REFRESH_MS, useBooths } from '../../../../renderer/coordinator/booths/useBooths.js';
import { fleetApi } from './boothsFixtures.js';

let visibility: DocumentVisibilityState = 'visible';
const boothCalls = (f: ReturnType<typeof vi.fn>) => f.mock.calls.filter(([url]) => String(url).endsWith('/coordinator/api/booths')).length;

beforeEach(() => {
  vi.useFakeTimers();
  visibility = 'visible';
  vi.spyOn(document, 'visibilityState', 'get').mockImplementation(() => visibility);
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

describe('the booths list’s refresh', () => {
  it('asks every 5 s while seen, not while hidden, and at once when seen again', async () => {
    expect(BOOTHS_REFRESH_MS).toBeLessThanOrEqual(5_000);
    const api = fleetApi();
    const f = vi.fn(api.fetch);
    vi.stubGlobal('fetch', f);
    const { unmount } = renderHook(() => useBooths(() => undefined));
    expect(boothCalls(f)).toBe(1);
    await act(() => vi.advanceTimersByTimeAsync(BOOTHS_REFRESH_MS));
    expect(boothCalls(f)).toBe(2);
    await act(() => vi.advanceTimersByTimeAsync(BOOTHS_REFRESH_MS));
    expect(boothCalls(f)).toBe(3);

    visibility = 'hidden';
    document.dispatchEvent(new Event('visibilitychange'));
    await act(() => vi.advanceTimersByTimeAsync(BOOTHS_REFRESH_MS * 10));
    expect(boothCalls(f)).toBe(3);

    visibility = 'visible';
    await act(async () => {
      document.dispatchEvent(new Event('visibilitychange'));
      await vi.advanceTimersByTimeAsync(0);
    });
    expect(boothCalls(f)).toBe(4);

    unmount();
    await act(() => vi.advanceTimersByTimeAsync(BOOTHS_REFRESH_MS * 3));
    document.dispatchEvent(new Event('visibilitychange'));
    expect(boothCalls(f)).toBe(4);
  });
});
