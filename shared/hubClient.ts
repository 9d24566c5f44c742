// A typed client of the hub for booths and agents, in the browser or in Node: reconnects with backoff and restores its state.
import {
  BEAT_SINCE_PROTOCOL,
  BEAT_TEXT,
  ClientFrame,
  HANDSHAKE_AUTH_SINCE_PROTOCOL,
  HubFrame,
  MAX_FRAME_BYTES,
  beatEveryMs,
  handshakeProtocols,
  type AgentStatus,
  type ClientFrameOf,
  type ClientFrameType,
  type HubFrameOf,
  type HubFrameType,
} from './protocol.js';
import type { BoothHealth } from './fleet.js';

/** The part of the WebSocket API used here: the browser's `WebSocket` and npm `ws` both provide it. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open' | 'message' | 'close' | 'error', listener: (ev: { data?: unknown; code?: number }) => void): void;
}
export type WebSocketConstructor = new (url: string, protocols?: string[]) => WebSocketLike;

export type HubCredentials =
  | { role: 'booth'; token: string }
  | { role: 'agent'; login: string; password: string }
  | { role: 'agent'; session: string };

export type ClientStatus = 'idle' | 'connecting' | 'authenticating' | 'ready' | 'waiting_retry' | 'stopped' | 'refused';

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  factor: number;
  /** 0..1: share of each delay drawn at random, so booths do not all come back at the same instant. */
  jitter: number;
}

export interface HubClientOptions {
  url: string;
  WebSocket: WebSocketConstructor;
  credentials: HubCredentials;
  backoff?: Partial<BackoffOptions>;
  random?: () => number;
  /** The reconnection timer (tests fire it by hand); the liveness beat uses the global timers. */
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
  /**
   * How long a call whose socket was lost may take to be resumed on a new one (reconnect, sign-in, `call.resumed`)
   * before it is given up as lost (ms, default DEFAULT_RESUME_WINDOW_MS); timed with `setTimer`.
   */
  resumeWindowMs?: number;
}

/** Events the client itself raises (not frames of the hub). */
export interface ClientEvents {
  status: { status: ClientStatus; attempt: number };
  /** A booth's waiting call was placed again after a reconnect. */
  requeued: { organisation: string };
  /** The socket of a call in progress was lost: the media goes on peer to peer while the client reconnects to resume it. */
  callInterrupted: { callId: string };
  /** The interrupted call continues on the new socket (the hub answered `call.resumed`). */
  callResumed: { callId: string };
  /** A call in progress was lost with the connection: it could not be resumed (refused, an error, or not within the window). */
  callLost: { callId: string; reason: 'connection_lost' };
  /** A frame from the hub that does not match the protocol (counted, ignored). */
  invalidFrame: { raw: string };
}

/** What a booth sends to book a slot (the `appointment.book` frame less its type). */
export type AppointmentBooking = Omit<ClientFrameOf<'appointment.book'>, 'type'>;

type FrameHandler<T extends HubFrameType> = (frame: HubFrameOf<T>) => void;
type EventHandler<K extends keyof ClientEvents> = (event: ClientEvents[K]) => void;

const OPEN = 1;
const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 500, maxMs: 30_000, factor: 2, jitter: 0.5 };
/** Close codes after which retrying cannot help (revoked, replaced by another connection). */
const FINAL_CLOSE_CODES = new Set([4001, 4003]);
/**
 * How long an interrupted call waits to be resumed: after a node's `kill -9` its 3,300 booths were all signed in again
 * on the others within 1.3–1.7 s (README, hub across machines); 20 s covers five reconnection attempts of the default
 * backoff (at most 0.5 + 1 + 2 + 4 + 8 s).
 */
export const DEFAULT_RESUME_WINDOW_MS = 20_000;

/**
 * The most signals an interrupted call keeps for its resumption, and their most bytes (UTF-8, as sent): beyond either,
 * the oldest go. They all leave at once after `call.resumed`, on a socket the hub allows a burst of 200 frames (50 a
 * second after it, server/hub.ts `rateLimit`): 64, with `call.resume` and `agent.status`, leave more than half of it to
 * the frames the app sends next (an ICE restart's offer and its candidates), where 200 signals or more would see the
 * newest refused as RATE_LIMITED. A trickled candidate is ~250 bytes, an offer a few KB: 64 of them stay far below
 * 256 KiB, which only caps a run of large offers (four frames of the hub's 64 KiB maximum), far from the 4 MiB after
 * which the hub drops the other side as a slow reader (`maxBufferedBytes`).
 */
export const HELD_SIGNALS_MAX = 64;
export const HELD_SIGNALS_MAX_BYTES = 256 * 1024;

/** A signal kept while its call is interrupted: the frame's text, serialised once, and its size in UTF-8 bytes. */
interface HeldSignal {
  text: string;
  bytes: number;
}

/**
 * A call whose socket was lost, to resume on the next one; `asked`: `call.resume` went out on the current socket;
 * `signals`: what the app signalled for it meanwhile, in order, sent once it is resumed (and gone with it otherwise).
 */
interface ResumingCall {
  callId: string;
  organisation: string;
  asked: boolean;
  timer: unknown;
  signals: HeldSignal[];
  heldBytes: number;
}

const utf8 = new TextEncoder();

/**
 * How many of a call's signals received are remembered, to drop one received again: a hub across machines sends a
 * resumed peer what was sent to its old socket lately (at most 64), not knowing what its dead node had delivered.
 * simple-peer never sends the same text twice (each candidate differs, each offer carries a new session version).
 */
export const SEEN_SIGNALS_MAX = 256;

export class HubClient {
  private ws: WebSocketLike | null = null;
  /** Whether the current socket carried the credential in its handshake (then no auth frame to a hub of protocol 3). */
  private credentialInHandshake = false;
  private hubAppointments = true;
  private readonly frameHandlers = new Map<string, Set<(f: never) => void>>();
  private readonly eventHandlers = new Map<string, Set<(e: never) => void>>();
  private readonly backoff: BackoffOptions;
  private attempt = 0;
  private timer: unknown = null;
  /** The liveness beat (protocol `beat`): sent only when nothing else was sent since the last one. */
  private beatTimer: ReturnType<typeof setTimeout> | null = null;
  private sentSinceBeat = false;
  private stopped = true;
  private credentials: HubCredentials;
  private currentStatus: ClientStatus = 'idle';
  /** What to restore after a reconnect. */
  private waitingFor: string | null = null;
  /** The appointment of the call waited for, asked again with it after a reconnect. */
  private waitingForAppointment: string | undefined = undefined;
  private activeCall: string | null = null;
  /** The active call's organisation (from its call.accepted): `call.resume` names it. */
  private activeOrganisation: string | null = null;
  private resuming: ResumingCall | null = null;
  /** The signals of the current call received so far (their exact text), to drop one the hub sends again. */
  private seenSignals: { callId: string; texts: Set<string> } = { callId: '', texts: new Set() };
  private pendingCall: string | null = null;
  private agentStatus: AgentStatus | null = null;
  session: string | null = null;

  constructor(private readonly options: HubClientOptions) {
    this.backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
    this.credentials = options.credentials;
  }

  /** False once the hub said it takes no appointment frames (its hello); true until then, as older hubs all do. */
  get appointmentsOffered(): boolean {
    return this.hubAppointments;
  }

  get status(): ClientStatus {
    return this.currentStatus;
  }

  /** The call this client is in, waits for, or is resuming after a lost socket. */
  get callId(): string | null {
    return this.activeCall ?? this.pendingCall ?? this.resuming?.callId ?? null;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.attempt = 0;
    this.open();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) (this.options.clearTimer ?? clearTimeout)(this.timer as ReturnType<typeof setTimeout>);
    this.timer = null;
    this.clearResuming();
    this.stopBeating();
    const ws = this.ws;
    this.ws = null;
    ws?.close(1000, 'stop');
    this.setStatus('stopped');
  }

  on<T extends HubFrameType>(type: T, handler: FrameHandler<T>): () => void {
    return this.add(this.frameHandlers, type, handler as (f: never) => void);
  }

  onEvent<K extends keyof ClientEvents>(name: K, handler: EventHandler<K>): () => void {
    return this.add(this.eventHandlers, name, handler as (e: never) => void);
  }

  /** Resolves with the next frame of this type (optionally matching), or rejects after `timeoutMs`. */
  next<T extends HubFrameType>(type: T, timeoutMs = 5_000, match?: (f: HubFrameOf<T>) => boolean): Promise<HubFrameOf<T>> {
    return new Promise((resolve, reject) => {
      const off = this.on(type, (f) => {
        if (match && !match(f)) return;
        off();
        clearTimeout(timer);
        resolve(f);
      });
      const timer = setTimeout(() => {
        off();
        reject(new Error(`no ${type} frame within ${timeoutMs} ms`));
      }, timeoutMs);
    });
  }

  /**
   * Validates and sends a frame; false when not connected (the frame is not queued). The exception: a signal of the call
   * being resumed after a lost socket is kept and sent once the hub answers `call.resumed` (true), even if connected.
   */
  send<T extends ClientFrameType>(frame: ClientFrameOf<T>): boolean {
    const checked = ClientFrame.parse(frame);
    if (checked.type === 'signal' && this.resuming?.callId === checked.callId) return this.holdSignal(this.resuming, checked);
    if (!this.ws || this.ws.readyState !== OPEN) return false;
    this.sentSinceBeat = true;
    this.track(checked);
    this.ws.send(JSON.stringify(checked));
    return true;
  }

  /** With `appointmentId`: the call of the booth's appointment (the hub rings its holding agent first). */
  requestCall(organisation: string, appointmentId?: string): boolean {
    return this.send({ type: 'call.request', organisation, ...(appointmentId === undefined ? {} : { appointmentId }) });
  }

  /** A booth's health report (the fleet); false when not connected (the next report goes out on reconnection). */
  reportHealth(health: BoothHealth): boolean {
    return this.send({ type: 'booth.health', health });
  }
  /** A booth's answer to `config.apply`: the version it now runs, or why it refused it (and kept the previous one). */
  reportConfig(answer: ClientFrameOf<'config.applied'> | ClientFrameOf<'config.refused'>): boolean {
    return this.send(answer);
  }
  cancelCall(): boolean {
    this.waitingFor = null;
    return this.send({ type: 'call.cancel' });
  }
  /** During a resumption nothing is sent (the call is not on this socket): the resumption is dropped, the peer closes. */
  hangup(): boolean {
    if (this.resuming) {
      this.clearResuming();
      return false;
    }
    const id = this.callId;
    return id ? this.send({ type: 'call.hangup', callId: id }) : false;
  }
  accept(callId: string): boolean {
    return this.send({ type: 'call.accept', callId });
  }
  /** An agent turns down a ringing call (it rings on for the other agents). */
  decline(callId: string): boolean {
    return this.send({ type: 'call.decline', callId });
  }
  setAvailability(status: AgentStatus): boolean {
    this.agentStatus = status;
    return this.send({ type: 'agent.status', status });
  }
  /** A booth asks an organisation's subjects and free appointment slots (answered by an `appointment.slots` frame). */
  askSlots(organisation: string, options: { from?: number; limit?: number } = {}): boolean {
    return this.send({ type: 'appointment.slots', organisation, ...options });
  }
  /** The booth's appointments (answered by `appointment.mine`): those not over, or with `since` all ending from then on. */
  askMyAppointments(since?: number): boolean {
    return this.send({ type: 'appointment.mine', ...(since !== undefined ? { since } : {}) });
  }
  /** A booth books a slot (answered by `appointment.booked` or `appointment.refused`). */
  bookAppointment(booking: AppointmentBooking): boolean {
    return this.send({ type: 'appointment.book', ...booking });
  }
  /** A booth cancels one of its appointments, which frees the slot (answered by `appointment.changed`). */
  cancelAppointment(appointmentId: string): boolean {
    return this.send({ type: 'appointment.cancel', appointmentId });
  }
  /** While the call is interrupted, the signal is kept for its resumption (see `send`). */
  signal(data: Record<string, unknown>): boolean {
    const id = this.activeCall ?? this.resuming?.callId;
    return id ? this.send({ type: 'signal', callId: id, data }) : false;
  }
  /**
   * Forgets this client's call, keeping the connection (a booth keeps one socket across calls): hangs up an active call,
   * cancels a waiting one (sent only when connected), and stops asking for it again after a reconnect.
   */
  release(): void {
    if (this.activeCall) this.hangup();
    else if (this.pendingCall || this.waitingFor) this.cancelCall();
    this.waitingFor = null;
    this.activeCall = null;
    this.activeOrganisation = null;
    this.pendingCall = null;
    this.clearResuming();
  }

  private add(map: Map<string, Set<(x: never) => void>>, key: string, fn: (x: never) => void): () => void {
    let set = map.get(key);
    if (!set) {
      set = new Set();
      map.set(key, set);
    }
    set.add(fn);
    return () => set.delete(fn);
  }

  private emit<K extends keyof ClientEvents>(name: K, event: ClientEvents[K]): void {
    for (const fn of this.eventHandlers.get(name) ?? []) (fn as EventHandler<K>)(event);
  }

  private setStatus(status: ClientStatus): void {
    this.currentStatus = status;
    this.emit('status', { status, attempt: this.attempt });
  }

  private track(frame: ClientFrame): void {
    if (frame.type === 'call.request') {
      this.waitingFor = frame.organisation;
      this.waitingForAppointment = frame.appointmentId;
    }
    else if (frame.type === 'call.cancel' || frame.type === 'call.hangup') {
      this.waitingFor = null;
      this.activeCall = null;
      this.activeOrganisation = null;
      this.pendingCall = null;
    }
  }

  private open(): void {
    if (this.stopped) return;
    this.setStatus('connecting');
    let ws: WebSocketLike;
    // A booth token or a session goes with the handshake: the hub answers auth.ok with its hello, no round trip more.
    const c = this.credentials;
    const protocols = handshakeProtocols(c.role === 'booth' ? { booth: c.token } : 'session' in c ? { session: c.session } : null);
    this.credentialInHandshake = protocols.length > 1;
    try {
      ws = new this.options.WebSocket(this.options.url, protocols);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.ws = ws;
    // Handlers check that their socket is still the current one: a stopped or replaced socket says nothing more.
    ws.addEventListener('open', () => {
      if (this.ws !== ws) return;
      this.setStatus('authenticating');
      if (!this.credentialInHandshake) this.sendAuth(ws);
    });
    ws.addEventListener('message', (ev) => {
      if (this.ws === ws) this.receive(typeof ev.data === 'string' ? ev.data : String(ev.data));
    });
    ws.addEventListener('error', () => undefined);
    ws.addEventListener('close', (ev) => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.stopBeating();
      const final = FINAL_CLOSE_CODES.has(ev.code ?? 0);
      this.connectionLost(final);
      if (final) {
        this.refuse();
        return;
      }
      this.scheduleReconnect();
    });
  }

  /** From the hub's hello: every `beatEveryMs(heartbeatMs)`, a beat if the hub watches us and nothing else went out. */
  private startBeating(heartbeatMs: number, ws: WebSocketLike): void {
    this.stopBeating();
    const every = beatEveryMs(heartbeatMs);
    const tick = (): void => {
      this.beatTimer = null;
      if (this.ws !== ws || ws.readyState !== OPEN) return;
      // The hub watches only agents and booths with a call; an idle booth's socket is left to TCP keepalive.
      const watched = this.credentials.role === 'agent' || this.waitingFor !== null || this.pendingCall !== null || this.activeCall !== null;
      if (watched && !this.sentSinceBeat) ws.send(BEAT_TEXT);
      this.sentSinceBeat = false;
      this.beatTimer = setTimeout(tick, every);
    };
    this.sentSinceBeat = false;
    this.beatTimer = setTimeout(tick, every);
  }

  private stopBeating(): void {
    if (this.beatTimer !== null) clearTimeout(this.beatTimer);
    this.beatTimer = null;
  }

  private refuse(): void {
    this.stopped = true;
    this.stopBeating();
    this.resumeFailed();
    this.setStatus('refused');
    const ws = this.ws;
    this.ws = null;
    ws?.close(1000, 'refused');
  }

  /** A frame already validated and serialised, on the current socket if open. */
  private sendText(text: string): void {
    if (!this.ws || this.ws.readyState !== OPEN) return;
    this.sentSinceBeat = true;
    this.ws.send(text);
  }

  /** The auth frame for the current credentials (not via `send`: it is not tracked, nor counted against the beat). */
  private sendAuth(ws: WebSocketLike | null): void {
    ws?.send(JSON.stringify(this.authFrame()));
  }

  private authFrame(): ClientFrame {
    const c = this.credentials;
    if (c.role === 'booth') return { type: 'auth.booth', token: c.token };
    if ('session' in c) return { type: 'auth.session', session: c.session };
    return { type: 'auth.agent', login: c.login, password: c.password };
  }

  /**
   * A lost socket with a call in progress: the media, peer to peer, goes on, so the call is resumed after signing in
   * again (a waiting call is asked again instead, on auth.ok). `final`: no reconnection will come, the call is lost.
   */
  private connectionLost(final: boolean): void {
    const lost = this.activeCall;
    const organisation = this.activeOrganisation;
    this.activeCall = null;
    this.activeOrganisation = null;
    this.pendingCall = null;
    if (this.resuming) {
      // Lost again before the call was resumed: asked again on the next socket, within the same window.
      this.resuming.asked = false;
      if (final) this.resumeFailed();
      return;
    }
    if (!lost) return;
    this.waitingFor = null;
    if (final || organisation === null) {
      this.emit('callLost', { callId: lost, reason: 'connection_lost' });
      return;
    }
    const timer = (this.options.setTimer ?? setTimeout)(() => this.resumeTimedOut(), this.options.resumeWindowMs ?? DEFAULT_RESUME_WINDOW_MS);
    this.resuming = { callId: lost, organisation, asked: false, timer, signals: [], heldBytes: 0 };
    this.emit('callInterrupted', { callId: lost });
  }

  private resumeTimedOut(): void {
    const resuming = this.resuming;
    // Asked and not answered: a hub that resumes it later would join the other side to nobody; it is over for this side.
    if (resuming?.asked) this.send({ type: 'call.hangup', callId: resuming.callId });
    this.resumeFailed();
  }

  /** The interrupted call cannot be resumed: it is lost, as when there was no resuming. */
  private resumeFailed(): void {
    const callId = this.resuming?.callId;
    if (callId === undefined) return;
    this.clearResuming();
    this.emit('callLost', { callId, reason: 'connection_lost' });
  }

  /**
   * Keeps a signal of the interrupted call, dropping the oldest beyond the bounds. One that cannot be serialised, or that
   * alone exceeds the hub's frame size (it would be refused TOO_LARGE), is not kept: false. Nothing of it is logged.
   */
  private holdSignal(resuming: ResumingCall, frame: ClientFrameOf<'signal'>): boolean {
    let text: string;
    try {
      text = JSON.stringify(frame);
    } catch {
      return false;
    }
    // A UTF-16 string never takes fewer UTF-8 bytes than it has code units: a longer one is too large unencoded.
    if (text.length > MAX_FRAME_BYTES) return false;
    const bytes = utf8.encode(text).length;
    if (bytes > MAX_FRAME_BYTES) return false;
    resuming.signals.push({ text, bytes });
    resuming.heldBytes += bytes;
    while (resuming.signals.length > HELD_SIGNALS_MAX || resuming.heldBytes > HELD_SIGNALS_MAX_BYTES) {
      resuming.heldBytes -= resuming.signals.shift()!.bytes;
    }
    return true;
  }

  private clearResuming(): void {
    if (this.resuming) (this.options.clearTimer ?? clearTimeout)(this.resuming.timer as ReturnType<typeof setTimeout>);
    this.resuming = null;
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    const base = Math.min(this.backoff.maxMs, this.backoff.initialMs * this.backoff.factor ** this.attempt);
    const delay = Math.round(base * (1 - this.backoff.jitter + this.backoff.jitter * (this.options.random ?? Math.random)()));
    this.attempt++;
    this.setStatus('waiting_retry');
    this.timer = (this.options.setTimer ?? setTimeout)(() => {
      this.timer = null;
      this.open();
    }, delay);
  }

  private receive(raw: string): void {
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      this.emit('invalidFrame', { raw: raw.slice(0, 200) });
      return;
    }
    const parsed = HubFrame.safeParse(value);
    if (!parsed.success) {
      this.emit('invalidFrame', { raw: raw.slice(0, 200) });
      return;
    }
    const frame = parsed.data;
    if (frame.type === 'signal' && this.seenBefore(frame.callId, raw)) return;
    this.observe(frame);
    for (const fn of this.frameHandlers.get(frame.type) ?? []) (fn as (f: HubFrame) => void)(frame);
  }

  /** Whether this signal's exact text already came for this call (remembered: the last SEEN_SIGNALS_MAX of the call). */
  private seenBefore(callId: string, raw: string): boolean {
    if (this.seenSignals.callId !== callId) this.seenSignals = { callId, texts: new Set() };
    const { texts } = this.seenSignals;
    if (texts.has(raw)) return true;
    texts.add(raw);
    if (texts.size > SEEN_SIGNALS_MAX) texts.delete(texts.values().next().value!);
    return false;
  }

  /** Keeps what must be restored after a reconnect, and re-authenticates with the session rather than the password. */
  private observe(frame: HubFrame): void {
    switch (frame.type) {
      case 'hello':
        this.hubAppointments = frame.appointments !== false;
        if (frame.protocol >= BEAT_SINCE_PROTOCOL && this.ws) this.startBeating(frame.heartbeatMs, this.ws);
        // A hub older than the credential in the handshake did not read it: the auth frame, as before.
        if (this.credentialInHandshake && frame.protocol < HANDSHAKE_AUTH_SINCE_PROTOCOL) this.sendAuth(this.ws);
        break;
      case 'auth.ok':
        this.attempt = 0;
        if (frame.session) {
          this.session = frame.session;
          this.credentials = { role: 'agent', session: frame.session };
        }
        this.setStatus('ready');
        // Before the availability: the hub knows the agent is in a call again before it may ring it.
        if (this.resuming) {
          this.resuming.asked = true;
          this.send({ type: 'call.resume', callId: this.resuming.callId, organisation: this.resuming.organisation });
        }
        if (this.agentStatus) this.send({ type: 'agent.status', status: this.agentStatus });
        if (this.waitingFor) {
          const organisation = this.waitingFor;
          this.requestCall(organisation, this.waitingForAppointment);
          this.emit('requeued', { organisation });
        }
        break;
      case 'queue.position':
        this.pendingCall = frame.callId;
        break;
      case 'call.accepted':
        this.activeCall = frame.callId;
        this.activeOrganisation = frame.organisation;
        this.pendingCall = null;
        this.waitingFor = null;
        break;
      case 'call.ended':
        if (frame.reason === 'hub_restart' && this.waitingFor && !this.activeCall) break;
        if (frame.callId === this.activeCall || frame.callId === this.pendingCall) {
          this.activeCall = null;
          this.activeOrganisation = null;
          this.pendingCall = null;
        }
        // Over meanwhile, or not resumable: the screens end the call from this frame, no callLost besides.
        if (frame.callId === this.resuming?.callId) this.clearResuming();
        this.waitingFor = null;
        break;
      case 'call.resumed': {
        // Also sent to the side that did not lose its socket, and only an answer once asked on this socket.
        const resumed = this.resuming;
        if (!resumed?.asked || resumed.callId !== frame.callId) break;
        this.clearResuming();
        this.activeCall = resumed.callId;
        this.activeOrganisation = resumed.organisation;
        // Before callResumed and this frame's handlers: the kept signals leave first, in order, then what the app sends.
        for (const held of resumed.signals) this.sendText(held.text);
        this.emit('callResumed', { callId: resumed.callId });
        break;
      }
      case 'call.unavailable':
        this.waitingFor = null;
        this.pendingCall = null;
        break;
      case 'error':
        // A hub that does not know call.resume answers BAD_FRAME; any error then means the call cannot be resumed.
        if (this.resuming?.asked) {
          this.resumeFailed();
          break;
        }
        if (this.currentStatus !== 'authenticating') break;
        if (frame.code === 'AUTH_FAILED' && 'session' in this.credentials && 'password' in this.options.credentials) {
          // An expired or revoked session: fall back to the password given at construction.
          this.credentials = this.options.credentials;
          this.sendAuth(this.ws);
        } else if (frame.code === 'AUTH_FAILED' || frame.code === 'REVOKED' || frame.code === 'AUTH_RATE_LIMITED') {
          this.refuse();
        }
        break;
      default:
        break;
    }
  }
}
