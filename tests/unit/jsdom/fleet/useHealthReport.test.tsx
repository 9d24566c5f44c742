// The kiosk's health report wired as the app wires it: main's snapshot through the bridge, the kept hub connection, and a
// printer event that makes the report go out at once.
import { waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { REPORT_GAP_MS } from '../../../../renderer/kiosk/fleet/healthReporter.js';
import { useHealthReport } from '../../../../renderer/kiosk/fleet/useHealthReport.js';
import type { FleetSnapshot } from '../../../../shared/contract/index.js';
import { fakeBridge } from '../fakeBridge.js';
import { renderKiosk } from '../renderKiosk.js';
import { FakeSink, SNAPSHOT } from './fakes.js';

function Reporting({ link }: { link: { acquire(): Promise<FakeSink> } }) {
  useHealthReport(link);
  return null;
}

let unmount: (() => void) | null = null;
afterEach(() => unmount?.());

describe('useHealthReport', () => {
  it('sends main snapshot over the kept connection, and again when the printer state changes', async () => {
    let snapshot: FleetSnapshot = { ...SNAPSHOT };
    const bridge = fakeBridge({ 'fleet.health': () => ({ ok: true, value: snapshot }) });
    const sink = new FakeSink();
    unmount = renderKiosk(<Reporting link={{ acquire: async () => sink }} />, { bridge: bridge.api }).unmount;
    await waitFor(() => expect(sink.reports).toHaveLength(1));
    expect(sink.reports[0]).toMatchObject({ version: '0.2.0', shell: 'web', printer: { state: 'idle', reasons: [] }, clockOffsetMs: 0 });
    snapshot = { ...snapshot, printer: { state: 'stopped', reasons: ['door-open'] } };
    bridge.emit('printing.state', {});
    // Right after the first report: it goes out once the gap the hub wants has passed (sooner, the hub would drop it).
    await waitFor(() => expect(sink.reports).toHaveLength(2), { timeout: REPORT_GAP_MS + 2_000 });
    expect(sink.reports[1]?.printer).toEqual({ state: 'stopped', reasons: ['door-open'] });
    expect(bridge.calls.filter((c) => c.verb === 'fleet.health').length).toBeGreaterThanOrEqual(2);
  });
});
