// The booths' list for the dashboard (its alerts at the top and the « Bornes » view): loaded at sign-in, refreshed every
// 5 s while the page is seen (a booth reports a change at once: a printer down shows within seconds), at once when the
// page is seen again, and on demand. A hidden page asks nothing.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { AlertsResponse, BoothsResponse } from '../../../shared/fleet.js';
import { fetchAlerts, fetchBooths } from './boothsApi.js';

export const BOOTHS_REFRESH_MS = 5_000;

const hidden = (): boolean => typeof document !== 'undefined' && document.visibilityState === 'hidden';

export interface BoothsState {
  data: BoothsResponse | null;
  /** The hub's alerts in progress (its rules: offline in opening hours, printer down), shown at the top. */
  alerts: AlertsResponse | null;
  failed: boolean;
  reload(): void;
}

/** `enabled` false (a hub that serves no « Bornes »: a node started without the fleet's store): nothing is asked. */
export function useBooths(onSignedOut: () => void, refreshMs = BOOTHS_REFRESH_MS, enabled = true): BoothsState {
  const [data, setData] = useState<BoothsResponse | null>(null);
  const [alerts, setAlerts] = useState<AlertsResponse | null>(null);
  const [failed, setFailed] = useState(false);
  // Held in a ref: a caller's new callback must not start another load (and another, after each answer).
  const signedOut = useRef(onSignedOut);
  useEffect(() => {
    signedOut.current = onSignedOut;
  }, [onSignedOut]);
  const reload = useCallback(() => {
    void fetchAlerts().then((result) => {
      if (result.ok) setAlerts(result.value);
    });
    void fetchBooths().then((result) => {
      if (result.ok) {
        setData(result.value);
        setFailed(false);
      } else if (result.reason === 'signedOut') signedOut.current();
      else setFailed(true);
    });
  }, []);
  useEffect(() => {
    if (!enabled) return;
    reload();
    const timer = setInterval(() => {
      if (!hidden()) reload();
    }, refreshMs);
    const onVisibility = (): void => {
      if (!hidden()) reload();
    };
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [reload, refreshMs, enabled]);
  return { data, alerts, failed, reload };
}
