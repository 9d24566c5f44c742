// Fakes for the call tests: a hub client the test drives frame by frame, and a session that records what it is asked.
import type { ClientStatus } from '../../../../shared/hubClient.js';
import type { HubFrameOf, HubFrameType } from '../../../../shared/protocol.js';
import type { CallSessionHandlers } from '../../../../renderer/call/callSession.js';
import type { CallHubLink } from '../../../../renderer/kiosk/visio/callState.js';
import { createBoothHubLink } from '../../../../renderer/kiosk/visio/hubLink.js';

type Handler = (x: never) => void;

export class FakeHub {
  status: ClientStatus = 'idle';
  started = false;
  stopped = false;
  sent: Array<{ type: string; [k: string]: unknown }> = [];
  private frames = new Map<string, Set<Handler>>();
  private events = new Map<string, Set<Handler>>();

  start(): void {
    this.started = true;
  }
  stop(): void {
    this.stopped = true;
  }
  on<T extends HubFrameType>(type: T, handler: (frame: HubFrameOf<T>) => void): () => void {
    return this.add(this.frames, type, handler as Handler);
  }
  onEvent(name: string, handler: (e: never) => void): () => void {
    return this.add(this.events, name, handler as Handler);
  }
  reportHealth(health: unknown): boolean {
    this.sent.push({ type: 'booth.health', health });
    return true;
  }
  reportConfig(answer: { type: 'config.applied' | 'config.refused' }): boolean {
    this.sent.push(answer);
    return true;
  }
  requestCall(organisation: string, appointmentId?: string): boolean {
    this.sent.push({ type: 'call.request', organisation, ...(appointmentId === undefined ? {} : { appointmentId }) });
    return true;
  }
  cancelCall(): boolean {
    this.sent.push({ type: 'call.cancel' });
    return true;
  }
  hangup(): boolean {
    this.sent.push({ type: 'call.hangup' });
    return true;
  }
  accept(callId: string): boolean {
    this.sent.push({ type: 'call.accept', callId });
    return true;
  }
  setAvailability(status: string): boolean {
    this.sent.push({ type: 'agent.status', status });
    return true;
  }
  decline(callId: string): boolean {
    this.sent.push({ type: 'call.decline', callId });
    return true;
  }
  signal(data: Record<string, unknown>): boolean {
    this.sent.push({ type: 'signal', data });
    return true;
  }
  askSlots(organisation: string, options: { from?: number; limit?: number } = {}): boolean {
    this.sent.push({ type: 'appointment.slots', organisation, ...options });
    return this.connected;
  }
  bookAppointment(booking: Record<string, unknown>): boolean {
    this.sent.push({ type: 'appointment.book', ...booking });
    return this.connected;
  }
  cancelAppointment(appointmentId: string): boolean {
    this.sent.push({ type: 'appointment.cancel', appointmentId });
    return this.connected;
  }
  askMyAppointments(since?: number): boolean {
    this.sent.push({ type: 'appointment.mine', ...(since !== undefined ? { since } : {}) });
    return this.connected;
  }
  /** What the appointment methods answer: false as the real client does when its socket is not open. */
  connected = true;
  released = 0;
  release(): void {
    this.released++;
  }

  /** The hub sends a frame. */
  frame<T extends HubFrameType>(frame: HubFrameOf<T>): void {
    for (const h of this.frames.get(frame.type) ?? []) (h as (f: unknown) => void)(frame);
  }
  /** The client raises one of its own events. */
  event(name: 'status', e: { status: ClientStatus; attempt: number }): void;
  event(name: 'requeued', e: { organisation: string }): void;
  event(name: 'callInterrupted' | 'callResumed', e: { callId: string }): void;
  event(name: 'callLost', e: { callId: string; reason: 'connection_lost' }): void;
  event(name: string, e: unknown): void {
    if (name === 'status') this.status = (e as { status: ClientStatus }).status;
    for (const h of this.events.get(name) ?? []) (h as (x: unknown) => void)(e);
  }
  /** Connects and authenticates as the real client does: status ready, then auth.ok. */
  ready(role: 'booth' | 'agent' = 'booth'): void {
    this.event('status', { status: 'ready', attempt: 0 });
    this.frame({ type: 'auth.ok', role, id: 1, name: role === 'booth' ? 'Relais de Saint-Essai' : 'Claire', organisation: role === 'agent' ? 'CAF' : null, session: null, demo: false });
  }

  private add(map: Map<string, Set<Handler>>, key: string, fn: Handler): () => void {
    const set = map.get(key) ?? new Set<Handler>();
    set.add(fn);
    map.set(key, set);
    return () => set.delete(fn);
  }
}

/** A hub link of each call's own over the given fake hub (what the browser deps give when the kiosk keeps none). */
export function perCallLink(hub: FakeHub, hubConnection = async () => ({ url: 'ws://127.0.0.1:1/hub', token: 'tok' })): CallHubLink {
  return { perCall: () => createBoothHubLink({ hubConnection, createHub: () => hub }) };
}

export class FakeSession {
  signals: unknown[] = [];
  files: Array<{ kind: string; name: string; size: number }> = [];
  audioOnly: boolean[] = [];
  mic: boolean[] = [];
  camera: boolean[] = [];
  destroyed = false;
  constructor(
    readonly options: { initiator: boolean; iceServers: RTCIceServer[]; handlers: Partial<CallSessionHandlers> },
  ) {}
  get handlers(): Partial<CallSessionHandlers> {
    return this.options.handlers;
  }
  signal(data: unknown): void {
    this.signals.push(data);
  }
  /** The peer emits a signal for the other side (as simple-peer does with its answer). */
  emit(data: Record<string, unknown>): void {
    (this.options as { sendSignal?: (d: Record<string, unknown>) => void }).sendSignal?.(data);
  }
  async sendFile(kind: 'photo' | 'pdf', name: string, bytes: Uint8Array): Promise<{ id: string; sha256: string }> {
    this.files.push({ kind, name, size: bytes.length });
    this.handlers.sendProgress?.({ id: 'f1', kind, name, size: bytes.length, done: bytes.length });
    return { id: 'f1', sha256: 'ab'.repeat(32) };
  }
  setAudioOnly(on: boolean): void {
    this.audioOnly.push(on);
  }
  setMicrophone(on: boolean): void {
    this.mic.push(on);
  }
  setCamera(on: boolean): void {
    this.camera.push(on);
  }
  destroy(): void {
    this.destroyed = true;
  }
}

/** A MediaStream stand-in (jsdom has none): tracks that record being stopped. */
export function fakeStream(): MediaStream & { stopped: () => boolean } {
  let stopped = false;
  const track = { stop: () => (stopped = true), enabled: true, kind: 'video' };
  return { getTracks: () => [track], getVideoTracks: () => [track], getAudioTracks: () => [], stopped: () => stopped } as unknown as MediaStream & { stopped: () => boolean };
}
