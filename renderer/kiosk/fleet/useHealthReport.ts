// Starts the booth's health report for as long as the kiosk keeps its hub connection (App.tsx), and checks at once when
// the printer's state or the plugged devices change.
import { useEffect } from 'react';
import type { RelaisApi } from '../../../shared/contract/index.js';
import { useBridge } from '../../bridge/BridgeContext.js';
import { unwrap } from '../../bridge/index.js';
import { createHealthReporter, type HealthReporter, type HealthSink } from './healthReporter.js';

/** The booth's kept hub connection (the kiosk's BoothHubLink), as the report uses it. */
export interface HealthLink {
  acquire(): Promise<HealthSink | null>;
}

/** The cameras and microphones the browser sees (none without mediaDevices: an insecure page or no devices at all). */
export async function countDevices(): Promise<{ cameras: number; microphones: number }> {
  const list = typeof navigator !== 'undefined' && navigator.mediaDevices ? await navigator.mediaDevices.enumerateDevices() : [];
  return { cameras: list.filter((d) => d.kind === 'videoinput').length, microphones: list.filter((d) => d.kind === 'audioinput').length };
}

export function createKioskHealthReporter(bridge: RelaisApi, hubLink: HealthLink): HealthReporter {
  return createHealthReporter({
    snapshot: () => unwrap(bridge.fleet.health({})),
    devices: countDevices,
    hub: () => hubLink.acquire(),
    clockOffsetMs: () => 0,
    now: () => Date.now(),
    setTimer: (fn, ms) => setTimeout(fn, ms),
    clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  });
}

export function useHealthReport(hubLink: HealthLink | null): void {
  const bridge = useBridge();
  useEffect(() => {
    if (!hubLink) return;
    const reporter = createKioskHealthReporter(bridge, hubLink);
    reporter.start();
    const recheck = () => void reporter.check();
    const offPrinter = bridge.on('printing.state', recheck);
    const media = typeof navigator !== 'undefined' ? navigator.mediaDevices : undefined;
    media?.addEventListener?.('devicechange', recheck);
    return () => {
      offPrinter();
      media?.removeEventListener?.('devicechange', recheck);
      reporter.stop();
    };
  }, [bridge, hubLink]);
}
