// The fleet feature's `fleet.health` in a kiosk: what main knows of the booth (version, shell, printer, disk, count sync,
// incidents, uptime), read fresh at each call, and always within the report's bounds whatever the readings.
import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../../../electron/services/dispatch.js';
import { printerHealthOf } from '../../../../electron/services/fleet/snapshot.js';
import { createKiosk, type Kiosk, type KioskOptions } from '../../../../electron/services/kiosk.js';
import { silentLogger } from '../../../../electron/services/logger.js';
import { FleetSnapshot, type PrinterStateView } from '../../../../shared/contract/index.js';
import { ASSETS_DIR, fakeClock } from '../services/support.js';

const T0 = Date.parse('2026-12-03T13:05:00Z');
const kiosks: Kiosk[] = [];
afterEach(() => {
  for (const k of kiosks.splice(0)) k.close();
});

function kioskWith(freeDiskBytes: () => Promise<number>, extra: Partial<KioskOptions> = {}) {
  const clock = fakeClock(T0);
  const kiosk = createKiosk({ dbFile: ':memory:', logger: silentLogger(), assetsDir: ASSETS_DIR, clock, printing: false, version: '0.2.0', fleet: { freeDiskBytes }, ...extra });
  kiosks.push(kiosk);
  const health = async () => {
    const result = await dispatch({ handlers: kiosk.handlers, requireMediator: kiosk.requireMediator, logger: silentLogger() }, 'fleet.health', {});
    if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
    return FleetSnapshot.parse(result.value);
  };
  return { kiosk, clock, health };
}

const view = (over: Partial<PrinterStateView>): PrinterStateView => ({
  printer: 'PDF',
  status: 'idle',
  accepting: true,
  reasons: [],
  blocked: false,
  message: '',
  checkedAt: T0,
  ...over,
});

describe('fleet.health', () => {
  it('reports the version, the web shell, no printer, the free disk, no count sync yet, no incident and the uptime', async () => {
    const { clock, health } = kioskWith(async () => 82_000_000_000);
    clock.advance(90_500);
    expect(await health()).toEqual({
      version: '0.2.0',
      shell: 'web',
      printer: { state: 'none', reasons: [] },
      freeDiskBytes: 82_000_000_000,
      lastCountSyncAt: null,
      openIncidents: 0,
      uptimeS: 90,
    });
  });

  it('says electron when the kiosk runs in Electron', async () => {
    const { health } = kioskWith(async () => 1, { teleservice: { mode: 'electron' } });
    expect((await health()).shell).toBe('electron');
  });

  it('counts open incidents only, and gives the last week the hub accepted', async () => {
    const { kiosk, health } = kioskWith(async () => 1);
    const first = kiosk.incidents.open({ category: 'equipment', organisation: null, what: 'Écran rayé' });
    kiosk.incidents.open({ category: 'connection', organisation: null, what: 'Réseau coupé le matin' });
    kiosk.incidents.resolve(first.id, 'Écran changé');
    kiosk.db.prepare("INSERT INTO sync_queue (week_key, payload_hash, state, next_attempt_at, sent_hash, sent_at) VALUES (202648, 'a', 'sent', 0, 'a', ?), (202649, 'b', 'sent', 0, 'b', ?)").run(T0 - 7 * 86_400_000, T0 - 3_600_000);
    kiosk.db.prepare("INSERT INTO sync_queue (week_key, payload_hash, state, next_attempt_at) VALUES (202650, 'c', 'pending', 0)").run();
    const h = await health();
    expect(h.openIncidents).toBe(1);
    expect(h.lastCountSyncAt).toBe(T0 - 3_600_000);
  });

  it('keeps the last free-disk figure when a reading is NaN, negative, infinite or fails, instead of reporting a full disk', async () => {
    const readings: Array<() => number> = [() => 5_000, () => Number.NaN, () => -1, () => Infinity, () => { throw new Error('EIO'); }];
    let i = 0;
    const { health } = kioskWith(async () => (readings[i++] ?? (() => 0))());
    for (let n = 0; n < readings.length; n++) expect((await health()).freeDiskBytes).toBe(5_000);
  });

  it('starts at 0 when the disk was never readable', async () => {
    const { health } = kioskWith(async () => Number.NaN);
    expect((await health()).freeDiskBytes).toBe(0);
  });

  it('reports a clock gone backwards as an uptime of 0, and a version that is not semver as 0.0.0', async () => {
    const { clock, health } = kioskWith(async () => 1, { version: 'v2-build(42)' });
    clock.advance(-3_600_000);
    const h = await health();
    expect(h.uptimeS).toBe(0);
    expect(h.version).toBe('0.0.0');
  });
});

describe('printerHealthOf', () => {
  it('maps the print service state to the fleet state', () => {
    expect(printerHealthOf(null)).toEqual({ state: 'none', reasons: [] });
    expect(printerHealthOf(view({ printer: null, reasons: ['no-printer'] }))).toEqual({ state: 'none', reasons: [] });
    expect(printerHealthOf(view({}))).toEqual({ state: 'idle', reasons: [] });
    expect(printerHealthOf(view({ status: 'processing', reasons: ['toner-low'] }))).toEqual({ state: 'printing', reasons: ['toner-low'] });
    expect(printerHealthOf(view({ status: 'stopped', reasons: ['paused', 'media-jam'] }))).toEqual({ state: 'stopped', reasons: ['paused', 'media-jam'] });
    expect(printerHealthOf(view({ status: 'unreachable', reasons: ['cups-unreachable'] }))).toEqual({ state: 'unreachable', reasons: ['cups-unreachable'] });
  });
});
