// The hub's fleet with the alert delays a department set (server/fleet/hubFleet.ts): the printer's and the offline
// alerts start after those delays, not the default 10 and 15 min, and the defaults stay when none is set.
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createHubFleet, type FleetOptions, type HubFleet } from '../../../../server/fleet/hubFleet.js';
import { createSqliteFleetStore } from '../../../../server/fleet/store.js';
import { ALWAYS_OPEN, createHubStore, openHubDb, WEEKDAY_HOURS } from '../../../../server/store.js';
import { health } from './sample.js';

let open: HubFleet | null = null;
afterEach(async () => {
  await open?.close();
  open = null;
});

function setup(options: FleetOptions) {
  const store = createHubStore(openHubDb(':memory:'));
  store.seedOrganisations(WEEKDAY_HOURS);
  let now = Date.parse('2026-12-03T10:00:00+01:00');
  const booth = store.addBooth('Relais de Gramat', now);
  // No periodic check: the test calls it at the times it chooses.
  open = createHubFleet(createSqliteFleetStore(store.db), () => store.organisations().map((o) => o.openingHours), () => now, { checkMs: 3_600_000, openingHours: ALWAYS_OPEN, ...options }, pino({ level: 'silent' }));
  const { fleet } = open;
  return {
    fleet,
    booth,
    async advance(ms: number) {
      now += ms;
      await fleet.checkAlerts();
    },
    rules: async () => (await fleet.alerts()).alerts.map((a) => a.rule),
  };
}

describe('alert delays set on the hub', async () => {
  it('starts « imprimante en panne » after the delay set, and ends it when the printer prints again', async () => {
    const { fleet, booth, advance, rules } = setup({ printerAlertMs: 2_000 });
    fleet.connected(booth.id);
    fleet.report(booth.id, health({ printer: { state: 'stopped', reasons: ['paused'] } }));
    await advance(1_999);
    expect(await rules()).toEqual([]);
    await advance(1);
    expect(await rules()).toEqual(['printer_down']);
    await advance(1_000);
    fleet.report(booth.id, health());
    await advance(0);
    expect(await rules()).toEqual([]);
  });

  it('starts « hors ligne » after the delay set', async () => {
    const { fleet, booth, advance, rules } = setup({ offlineAlertMs: 3_000 });
    fleet.connected(booth.id);
    fleet.disconnected(booth.id);
    await advance(2_999);
    expect(await rules()).toEqual([]);
    await advance(1);
    expect(await rules()).toEqual(['offline']);
  });

  it('keeps 10 and 15 minutes when nothing is set', async () => {
    const { fleet, booth, advance, rules } = setup({});
    fleet.connected(booth.id);
    fleet.report(booth.id, health({ printer: { state: 'stopped', reasons: ['paused'] } }));
    await advance(10 * 60_000 - 1);
    expect(await rules()).toEqual([]);
    await advance(1);
    expect(await rules()).toEqual(['printer_down']);
  });
});
