// The booth's hub client asks slots, books and cancels with frames checked against the protocol before they leave: a
// hostile booking throws here (the kiosk's store turns that into a French refusal), a closed socket sends nothing.
import { describe, expect, it } from 'vitest';
import { HubClient, type WebSocketLike } from '../../../../shared/hubClient.js';

type Listener = (ev: { data?: unknown; code?: number }) => void;

class FakeSocket implements WebSocketLike {
  static last: FakeSocket | null = null;
  readyState = 0;
  sent: string[] = [];
  private listeners = new Map<string, Listener[]>();
  constructor() {
    FakeSocket.last = this;
  }
  send(data: string): void {
    this.sent.push(data);
  }
  close(): void {
    this.readyState = 3;
  }
  addEventListener(type: string, listener: Listener): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  open(): void {
    this.readyState = 1;
    for (const l of this.listeners.get('open') ?? []) l({});
  }
}

function openClient() {
  const client = new HubClient({ url: 'ws://127.0.0.1:1/hub', WebSocket: FakeSocket, credentials: { role: 'booth', token: 'rb_x' }, setTimer: () => 0, clearTimer: () => undefined });
  client.start();
  const socket = FakeSocket.last!;
  socket.open();
  return { client, socket, frames: () => socket.sent.map((s) => JSON.parse(s) as Record<string, unknown>) };
}

const AT = Date.parse('2026-11-26T13:30:00Z');

describe('the booth hub client’s appointment frames', () => {
  it('asks slots, books and cancels with the protocol’s frames', () => {
    const { client, frames } = openClient();
    expect(client.askSlots('CAF', { limit: 20 })).toBe(true);
    expect(client.bookAppointment({ organisation: 'CAF', startsAt: AT, subject: 'rsa', note: 'Léa', noteConsent: true })).toBe(true);
    expect(client.cancelAppointment('a1')).toBe(true);
    expect(frames().filter((f) => String(f.type).startsWith('appointment.'))).toEqual([
      { type: 'appointment.slots', organisation: 'CAF', limit: 20 },
      { type: 'appointment.book', organisation: 'CAF', startsAt: AT, subject: 'rsa', note: 'Léa', noteConsent: true },
      { type: 'appointment.cancel', appointmentId: 'a1' },
    ]);
  });

  it.each([
    ['a bad organisation code', { organisation: 'caf; drop', startsAt: AT, subject: 'rsa' }],
    ['a bad subject code', { organisation: 'CAF', startsAt: AT, subject: 'RSA ET PRIME' }],
    ['a negative start', { organisation: 'CAF', startsAt: -5, subject: 'rsa' }],
    ['a 161-character note', { organisation: 'CAF', startsAt: AT, subject: 'rsa', note: 'x'.repeat(161), noteConsent: true }],
    ['an unknown field', { organisation: 'CAF', startsAt: AT, subject: 'rsa', name: 'Léa Martin' }],
  ])('refuses %s before sending anything', (_what, booking) => {
    const { client, frames } = openClient();
    const before = frames().length;
    expect(() => client.bookAppointment(booking as Parameters<HubClient['bookAppointment']>[0])).toThrow();
    expect(() => client.askSlots('CAF', { limit: 10_000 })).toThrow();
    expect(() => client.cancelAppointment('x'.repeat(65))).toThrow();
    expect(frames()).toHaveLength(before);
  });

  it('not connected: false, nothing queued', () => {
    const client = new HubClient({ url: 'ws://127.0.0.1:1/hub', WebSocket: FakeSocket, credentials: { role: 'booth', token: 'rb_x' }, setTimer: () => 0, clearTimer: () => undefined });
    expect(client.askSlots('CAF')).toBe(false);
    expect(client.bookAppointment({ organisation: 'CAF', startsAt: AT, subject: 'rsa' })).toBe(false);
  });
});

describe('the booth hub client asking for its appointments (issue 19’s counts)', () => {
  it('sends appointment.mine with or without since', () => {
    const { client, frames } = openClient();
    expect(client.askMyAppointments()).toBe(true);
    expect(client.askMyAppointments(AT)).toBe(true);
    expect(frames().filter((f) => f.type === 'appointment.mine')).toEqual([{ type: 'appointment.mine' }, { type: 'appointment.mine', since: AT }]);
  });

  it.each([
    ['negative', -1],
    ['fractional', 0.5],
    ['not finite', Number.POSITIVE_INFINITY],
    ['NaN', Number.NaN],
  ])('refuses a %s since before sending anything', (_what, since) => {
    const { client, frames } = openClient();
    const before = frames().length;
    expect(() => client.askMyAppointments(since)).toThrow();
    expect(frames()).toHaveLength(before);
  });
});
