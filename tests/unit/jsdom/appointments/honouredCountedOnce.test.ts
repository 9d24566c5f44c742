// An honoured appointment is one visio-accueil visit in the weekly grid (issue 19): the call records its visit when it
// ends, once, and the hub's « honoured » notice on the same connection only updates the appointment's status — it never
// records a second visit, even when the call's end is heard twice (the peer's close, then the hub's call.ended).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { KioskAppointment } from '../../../../shared/contract/index.js';
import { createAppointmentsStore } from '../../../../renderer/kiosk/appointments/appointmentsStore.js';
import { createBoothCallStore } from '../../../../renderer/kiosk/visio/callStore.js';
import { FakeHub, FakeSession, fakeStream, perCallLink } from '../visio/fakes.js';

const START = Date.parse('2026-11-26T13:30:00Z');

describe('an appointment’s call in the weekly grid', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] }));
  afterEach(() => vi.useRealTimers());

  it('records one CAF visio visit, and the honoured notice only updates the appointment', async () => {
    const hub = new FakeHub();
    let now = START + 60_000;
    const visits: unknown[] = [];
    const recorded: KioskAppointment[] = [];
    const sessions: FakeSession[] = [];
    const calls = createBoothCallStore({
      hubLink: perCallLink(hub),
      preflight: async () => ({ ok: true, stream: fakeStream() }),
      createSession: (o) => {
        const s = new FakeSession(o);
        sessions.push(s);
        return s;
      },
      recordVisit: async (v) => void visits.push(v),
      reportFault: async () => undefined,
      requestHelp: async () => undefined,
      takePhoto: async () => new Uint8Array(1),
      stopStream: () => undefined,
      now: () => now,
      hubLostAfterMs: 30_000,
      peerLostGraceMs: 2_000,
    });
    const appointments = createAppointmentsStore({ link: { acquire: async () => hub }, now: () => now, memory: { record: async (a) => void recorded.push(a), list: async () => [] } });
    const booked = { id: 'a1', organisation: 'CAF', startsAt: START, endsAt: START + 20 * 60_000, subject: 'rsa', status: 'booked' as const };

    await calls.getState().start('CAF');
    hub.ready();
    appointments.getState().attach({ acquire: async () => hub });
    await vi.waitFor(() => expect(appointments.getState().available).toBe(true));
    hub.frame({ type: 'queue.position', callId: 'c1', organisation: 'CAF', position: 1, estimatedWaitS: 0 });
    hub.frame({ type: 'call.accepted', callId: 'c1', organisation: 'CAF', peerName: 'Claire Martin', initiator: true, iceServers: [] });
    hub.frame({ type: 'appointment.changed', appointment: { ...booked, status: 'honoured' }, reason: 'honoured' });
    expect(calls.getState().phase).toBe('connected');
    now += 12 * 60_000;
    sessions[0]!.handlers.closed?.('closed');
    hub.frame({ type: 'call.ended', callId: 'c1', reason: 'hangup_agent' });
    // The hub says it again (a reconnection's appointment.mine): still no visit.
    hub.frame({ type: 'appointment.mine', appointments: [{ ...booked, status: 'honoured' }] });
    vi.advanceTimersByTime(5_000);
    await vi.waitFor(() => expect(visits).toHaveLength(1));
    expect(visits).toEqual([{ organisation: 'CAF', startedAt: START + 60_000, endedAt: START + 13 * 60_000 }]);
    expect(recorded.map((a) => [a.id, a.status])).toContainEqual(['a1', 'honoured']);
    expect(appointments.getState().appointments).toEqual([expect.objectContaining({ id: 'a1', status: 'honoured' })]);
  });
});
