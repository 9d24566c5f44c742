// The booth's appointments store asks the hub, at each sign-in, what became of its appointments since last month's first
// day (issue 19's counts): an appointment over is remembered with its new status without coming back on the home's list.
import { describe, expect, it } from 'vitest';
import type { KioskAppointment } from '../../../../shared/contract/index.js';
import { createAppointmentsStore, refreshSince } from '../../../../renderer/kiosk/appointments/appointmentsStore.js';
import { FakeHub } from '../visio/fakes.js';

const NOW = Date.parse('2026-12-08T13:30:00Z'); // mardi 8 décembre 2026, 14:30 à Paris
const MIN = 60_000;
const tick = () => new Promise((r) => setTimeout(r, 0));
const appt = (id: string, startsAt: number, status: KioskAppointment['status']) => ({ id, organisation: 'CAF', startsAt, endsAt: startsAt + 20 * MIN, subject: 'rsa', status });

function setup(status: 'ready' | 'connecting' = 'ready') {
  const hub = new FakeHub();
  hub.status = status;
  const recorded: KioskAppointment[] = [];
  const store = createAppointmentsStore({
    link: { acquire: async () => hub },
    now: () => NOW,
    memory: { record: async (a) => void recorded.push(a), list: async () => [] },
  });
  return { hub, store, recorded };
}

describe('refreshing the booth’s appointments for the month report', () => {
  it('asks from the first day of last month in Paris (1 November 00:00 is 31 October 23:00 UTC)', () => {
    expect(refreshSince(NOW)).toBe(Date.parse('2026-10-31T23:00:00Z'));
    expect(refreshSince(Date.parse('2026-01-15T12:00:00Z'))).toBe(Date.parse('2025-11-30T23:00:00Z'));
  });

  it('asks at sign-in and again each time the connection is ready', async () => {
    const { hub, store } = setup('connecting');
    store.getState().attach({ acquire: async () => hub });
    await tick();
    expect(hub.sent.filter((f) => f.type === 'appointment.mine')).toEqual([]);
    hub.event('status', { status: 'ready', attempt: 0 });
    hub.event('status', { status: 'ready', attempt: 1 });
    expect(hub.sent.filter((f) => f.type === 'appointment.mine')).toEqual([
      { type: 'appointment.mine', since: refreshSince(NOW) },
      { type: 'appointment.mine', since: refreshSince(NOW) },
    ]);
  });

  it('remembers what became of an appointment over without listing it for the home; one to come is listed', async () => {
    const { hub, store, recorded } = setup();
    store.getState().attach({ acquire: async () => hub });
    await tick();
    hub.frame({ type: 'appointment.mine', appointments: [appt('past', NOW - 3 * 86_400_000, 'missed'), appt('soon', NOW + 3_600_000, 'booked')] });
    await tick();
    expect(recorded.map((a) => [a.id, a.status])).toEqual([
      ['past', 'missed'],
      ['soon', 'booked'],
    ]);
    expect(store.getState().appointments.map((a) => a.id)).toEqual(['soon']);
  });
});
