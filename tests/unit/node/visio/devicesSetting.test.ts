// The document camera setting through the dispatcher: read by anyone, saved by an unlocked mediator only, validated,
// and kept across a restart of the kiosk.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../../../electron/services/dispatch.js';
import { createKiosk, type Kiosk } from '../../../../electron/services/kiosk.js';
import { silentLogger } from '../../../../electron/services/logger.js';
import { contract } from '../../../../shared/contract/index.js';
import { ASSETS_DIR, tempDir } from '../services/support.js';

const kiosks: Kiosk[] = [];
const dirs: Array<{ cleanup(): void }> = [];
afterEach(() => {
  for (const k of kiosks.splice(0)) k.close();
  for (const d of dirs.splice(0)) d.cleanup();
});

function open(dbFile = ':memory:') {
  const kiosk = createKiosk({ dbFile, logger: silentLogger(), assetsDir: ASSETS_DIR, printing: false });
  kiosks.push(kiosk);
  const call = (verb: string, input: unknown) => dispatch({ handlers: kiosk.handlers, requireMediator: () => kiosk.requireMediator(), logger: silentLogger() }, verb, input);
  const unlock = async () => expect((await call('auth.unlock', { pin: '1234' })).ok).toBe(true);
  return { kiosk, call, unlock };
}

const CAMERA_ID = 'c0ffee'.repeat(10);

describe('document camera setting', () => {
  it('is a mediator-only verb in the contract, and the read verb is open to the call screen', () => {
    expect(contract['visio.setDevices'].mediatorOnly).toBe(true);
    expect(contract['visio.devices'].mediatorOnly).toBe(false);
  });

  it('reads "none" on a fresh kiosk', async () => {
    const { call } = open();
    expect(await call('visio.devices', {})).toEqual({ ok: true, value: { documentCameraId: null } });
  });

  it('saves the chosen camera for an unlocked mediator and reads it back, then clears it back to none', async () => {
    const { call, unlock } = open();
    await unlock();
    expect(await call('visio.setDevices', { documentCameraId: CAMERA_ID })).toEqual({ ok: true, value: { documentCameraId: CAMERA_ID } });
    expect(await call('visio.devices', {})).toEqual({ ok: true, value: { documentCameraId: CAMERA_ID } });
    expect(await call('visio.setDevices', { documentCameraId: null })).toEqual({ ok: true, value: { documentCameraId: null } });
    expect(await call('visio.devices', {})).toEqual({ ok: true, value: { documentCameraId: null } });
  });

  it('refuses to save while the kiosk is locked (NOT_UNLOCKED) and keeps the previous choice', async () => {
    const { call, unlock } = open();
    await unlock();
    await call('visio.setDevices', { documentCameraId: CAMERA_ID });
    expect((await call('auth.lock', {})).ok).toBe(true);
    const refused = await call('visio.setDevices', { documentCameraId: 'other' });
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.error.code).toBe('NOT_UNLOCKED');
    expect(await call('visio.devices', {})).toEqual({ ok: true, value: { documentCameraId: CAMERA_ID } });
  });

  it.each([
    ['a missing field', {}],
    ['a number as id', { documentCameraId: 42 }],
    ['an id longer than 256 characters', { documentCameraId: 'x'.repeat(257) }],
    ['an unknown extra field', { documentCameraId: null, microphoneId: 'm' }],
  ])('answers INVALID_INPUT for %s and saves nothing', async (_what, input) => {
    const { call, unlock } = open();
    await unlock();
    const res = await call('visio.setDevices', input);
    expect(res.ok).toBe(false);
    expect(!res.ok && res.error.code).toBe('INVALID_INPUT');
    expect(await call('visio.devices', {})).toEqual({ ok: true, value: { documentCameraId: null } });
  });

  it('keeps the choice across a restart of the kiosk on the same database file', async () => {
    const dir = tempDir('relais-devices-');
    dirs.push(dir);
    const file = path.join(dir.dir, 'kiosk.sqlite');
    const first = open(file);
    await first.unlock();
    await first.call('visio.setDevices', { documentCameraId: CAMERA_ID });
    first.kiosk.close();
    const second = open(file);
    expect(await second.call('visio.devices', {})).toEqual({ ok: true, value: { documentCameraId: CAMERA_ID } });
  });

  it('falls back to none when the stored value is not a valid setting', async () => {
    const { kiosk, call } = open();
    kiosk.db.prepare("INSERT INTO settings (key, value) VALUES ('devices', '{\"documentCameraId\": 7}')").run();
    expect(await call('visio.devices', {})).toEqual({ ok: true, value: { documentCameraId: null } });
  });
});
