// The booths' list for the dashboard (its alerts at the top and the « Bornes » view): loaded at sign-in, refreshed every
// minute (the booths report as often) and on demand.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { BoothsResponse } from '../../../shared/fleet.js';
import { fetchBooths } from './boothsApi.js';

export const BOOTHS_REFRESH_MS = 60_000;

export interface BoothsState {
  data: BoothsResponse | null;
  failed: boolean;
  reload(): void;
}

export function useBooths(onSignedOut: () => void, refreshMs = BOOTHS_REFRESH_MS): BoothsState {
  const [data, setData] = useState<BoothsResponse | null>(null);
  const [failed, setFailed] = useState(false);
  // Held in a ref: a caller's new callback must not start another load (and another, after each answer).
  const signedOut = useRef(onSignedOut);
  useEffect(() => {
    signedOut.current = onSignedOut;
  }, [onSignedOut]);
  const reload = useCallback(() => {
    void fetchBooths().then((result) => {
      if (result.ok) {
        setData(result.value);
        setFailed(false);
      } else if (result.reason === 'signedOut') signedOut.current();
      else setFailed(true);
    });
  }, []);
  useEffect(() => {
    reload();
    const timer = setInterval(reload, refreshMs);
    return () => clearInterval(timer);
  }, [reload, refreshMs]);
  return { data, failed, reload };
}
