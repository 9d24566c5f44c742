// The booth's health report: sent on each sign-in, on change, at least every minute, never when unchanged within the
// minute, and always within the schema whatever main or the browser answer.
import { describe, expect, it } from 'vitest';
import { createHealthReporter, REPORT_GAP_MS, type HealthReporterDeps } from '../../../../renderer/kiosk/fleet/healthReporter.js';
import { BoothHealth, HEALTH_EVERY_MS, HEALTH_MIN_GAP_MS } from '../../../../shared/fleet.js';
import type { FleetSnapshot } from '../../../../shared/contract/index.js';
import { FakeSink, ManualTimers, SNAPSHOT, settle } from './fakes.js';

function setup(over: Partial<HealthReporterDeps> = {}) {
  const timers = new ManualTimers();
  const sink = new FakeSink();
  let snapshot: FleetSnapshot = { ...SNAPSHOT };
  let devices = { cameras: 1, microphones: 1 };
  const errors: string[] = [];
  const reporter = createHealthReporter({
    snapshot: async () => snapshot,
    devices: async () => devices,
    hub: async () => sink,
    clockOffsetMs: () => 0,
    now: () => timers.now,
    setTimer: timers.setTimer,
    clearTimer: timers.clearTimer,
    checkEveryMs: 15_000,
    onError: (code) => errors.push(code),
    ...over,
  });
  return {
    timers,
    sink,
    reporter,
    errors,
    setSnapshot: (s: Partial<FleetSnapshot>) => (snapshot = { ...snapshot, ...s }),
    setDevices: (d: typeof devices) => (devices = d),
  };
}

describe('health reporter', () => {
  it('sends a full report at start, merged from main and the browser, with no visitor data', async () => {
    const { reporter, sink } = setup();
    reporter.start();
    await settle();
    expect(sink.reports).toEqual([{ ...SNAPSHOT, cameras: 1, microphones: 1, clockOffsetMs: 0 }]);
    expect(BoothHealth.parse(sink.reports[0])).toBeTruthy();
  });

  it('sends nothing more while nothing changes within the minute, then again after HEALTH_EVERY_MS', async () => {
    const { reporter, sink, timers, setSnapshot } = setup();
    reporter.start();
    await settle();
    for (let s = 15_000; s < HEALTH_EVERY_MS; s += 15_000) {
      setSnapshot({ uptimeS: 600 + s / 1000, freeDiskBytes: 40_000_000_000 + s });
      timers.advance(15_000);
      await settle();
    }
    expect(sink.reports).toHaveLength(1);
    timers.advance(15_000);
    await settle();
    expect(sink.reports).toHaveLength(2);
  });

  it('sends within one check when the printer stops, and at once on check()', async () => {
    const { reporter, sink, timers, setSnapshot, setDevices } = setup();
    reporter.start();
    await settle();
    setSnapshot({ printer: { state: 'stopped', reasons: ['media-jam'] } });
    timers.advance(15_000);
    await settle();
    expect(sink.reports.at(-1)?.printer).toEqual({ state: 'stopped', reasons: ['media-jam'] });
    setDevices({ cameras: 0, microphones: 1 });
    timers.advance(REPORT_GAP_MS);
    await reporter.check();
    expect(sink.reports).toHaveLength(3);
    expect(sink.reports.at(-1)?.cameras).toBe(0);
  });

  it('spaces reports as the hub wants: a change just after a report goes out once the gap has passed, not a minute later', async () => {
    const { reporter, sink, timers, setSnapshot } = setup();
    expect(REPORT_GAP_MS).toBeGreaterThan(HEALTH_MIN_GAP_MS);
    reporter.start();
    await settle();
    expect(sink.reports).toHaveLength(1);
    // The printer stops 300 ms after the sign-in's report: the hub would drop a report now.
    timers.advance(300);
    setSnapshot({ printer: { state: 'stopped', reasons: ['paused'] } });
    await reporter.check();
    await reporter.check();
    expect(sink.reports).toHaveLength(1);
    timers.advance(REPORT_GAP_MS - 300 - 1);
    await settle();
    expect(sink.reports).toHaveLength(1);
    timers.advance(1);
    await settle();
    expect(sink.reports).toHaveLength(2);
    expect(sink.reports[1]?.printer).toEqual({ state: 'stopped', reasons: ['paused'] });
    // Nothing more went out for the repeated checks, and stop() leaves no timer behind but the periodic one's.
    timers.advance(REPORT_GAP_MS * 3);
    await settle();
    expect(sink.reports).toHaveLength(2);
    setSnapshot({ printer: { state: 'idle', reasons: [] } });
    await reporter.check();
    timers.advance(100);
    reporter.stop();
    expect(timers.count).toBe(0);
  });

  it('waits while the connection is not signed in, and sends at once when it is (after a hub restart too)', async () => {
    const { reporter, sink, timers } = setup();
    sink.status = 'connecting';
    reporter.start();
    await settle();
    expect(sink.reports).toHaveLength(0);
    sink.setStatus('ready');
    await settle();
    expect(sink.reports).toHaveLength(1);
    sink.setStatus('waiting_retry');
    timers.advance(5_000);
    sink.setStatus('ready');
    await settle();
    expect(sink.reports).toHaveLength(2);
  });

  it('keeps hostile readings within the schema: NaN disk, negative uptime, 500 cameras, unknown reasons', async () => {
    const { reporter, sink } = setup({
      snapshot: async () => ({ ...SNAPSHOT, freeDiskBytes: Number.NaN, uptimeS: -40, printer: { state: 'stopped', reasons: ['paused', 'on-fire' as 'paused'] } }),
      devices: async () => ({ cameras: 500, microphones: -3 }),
      clockOffsetMs: () => Number.POSITIVE_INFINITY,
    });
    reporter.start();
    await settle();
    const report = sink.reports[0];
    expect(BoothHealth.safeParse(report).success).toBe(true);
    expect(report).toMatchObject({ freeDiskBytes: 0, uptimeS: 0, cameras: 32, microphones: 0, printer: { state: 'stopped', reasons: ['paused'] } });
  });

  it('reports zero devices when the browser cannot list them, and nothing when main does not answer', async () => {
    const failing = setup({ devices: () => Promise.reject(new Error('NotAllowedError')) });
    failing.reporter.start();
    await settle();
    expect(failing.sink.reports[0]).toMatchObject({ cameras: 0, microphones: 0 });
    expect(failing.errors).toEqual(['FLEET_DEVICES_FAILED']);
    const silent = setup({ snapshot: () => Promise.reject(new Error('INTERNAL')) });
    silent.reporter.start();
    await settle();
    expect(silent.sink.reports).toHaveLength(0);
    expect(silent.errors).toEqual(['FLEET_SNAPSHOT_FAILED']);
  });

  it('does nothing without a hub, and stops its timer and its listener on stop', async () => {
    const none = setup({ hub: async () => null });
    none.reporter.start();
    await settle();
    expect(none.sink.reports).toHaveLength(0);
    const { reporter, sink, timers } = setup();
    reporter.start();
    await settle();
    expect(timers.count).toBe(1);
    expect(sink.listenerCount).toBe(1);
    reporter.stop();
    expect(timers.count).toBe(0);
    expect(sink.listenerCount).toBe(0);
    timers.advance(10 * HEALTH_EVERY_MS);
    await settle();
    expect(sink.reports).toHaveLength(1);
  });
});
