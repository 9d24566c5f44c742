// Fakes for the health report's tests: a hub connection that records the reports, and timers the test fires by hand.
import type { FleetSnapshot } from '../../../../shared/contract/index.js';
import type { BoothHealth } from '../../../../shared/fleet.js';
import type { ClientStatus } from '../../../../shared/hubClient.js';
import type { HealthSink } from '../../../../renderer/kiosk/fleet/healthReporter.js';

export class FakeSink implements HealthSink {
  status: ClientStatus = 'ready';
  reports: BoothHealth[] = [];
  private listeners = new Set<(e: { status: ClientStatus; attempt: number }) => void>();
  reportHealth(health: BoothHealth): boolean {
    if (this.status !== 'ready') return false;
    this.reports.push(health);
    return true;
  }
  onEvent(_name: 'status', handler: (e: { status: ClientStatus; attempt: number }) => void): () => void {
    this.listeners.add(handler);
    return () => this.listeners.delete(handler);
  }
  setStatus(status: ClientStatus): void {
    this.status = status;
    for (const l of this.listeners) l({ status, attempt: 0 });
  }
  get listenerCount(): number {
    return this.listeners.size;
  }
}

export class ManualTimers {
  now = Date.parse('2026-12-03T13:05:00Z');
  private pending = new Map<number, { at: number; fn: () => void }>();
  private next = 1;
  setTimer = (fn: () => void, ms: number): unknown => {
    const id = this.next++;
    this.pending.set(id, { at: this.now + ms, fn });
    return id;
  };
  clearTimer = (handle: unknown): void => {
    this.pending.delete(handle as number);
  };
  /** Moves time on, firing each timer due on the way in order. */
  advance(ms: number): void {
    const end = this.now + ms;
    for (;;) {
      const due = [...this.pending.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.pending.delete(due[0]);
      this.now = due[1].at;
      due[1].fn();
    }
    this.now = end;
  }
  get count(): number {
    return this.pending.size;
  }
}

export const SNAPSHOT: FleetSnapshot = {
  version: '0.2.0',
  shell: 'web',
  printer: { state: 'idle', reasons: [] },
  freeDiskBytes: 40_000_000_000,
  lastCountSyncAt: Date.parse('2026-12-01T08:00:00Z'),
  openIncidents: 0,
  uptimeS: 600,
};

/** Lets the reporter's awaited promises settle (it awaits the bridge, the devices and the hub in turn). */
export const settle = async (): Promise<void> => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};
