// The frame router: guard (rate, size, nesting) → parse → role gate → sign-in, call engine or fleet → relay of signals.
import type { Logger } from 'pino';
import {
  AGENT_FRAMES,
  AUTH_FRAMES,
  BEAT_TEXT,
  BOOTH_FRAMES,
  ClientFrame,
  HUB_ERROR_MESSAGES,
  type ClientFrameType,
  type HubErrorCode,
} from '../shared/protocol.js';
import type { AppointmentFrame } from './appointments/frames.js';
import type { AppointmentCall, CallEngine } from './calls.js';
import type { Conn } from './connections/conn.js';
import type { Writes } from './connections/writes.js';
import type { Fleet } from './fleet/index.js';
import type { HubFleetConfig } from './fleetConfig/index.js';
import { tooDeep } from './framing.js';
import { whenReady, type MaybePromise } from './maybe.js';
import type { SignIn } from './signIn.js';
import type { HubCounters } from './stats.js';

export interface RouterDeps {
  clock: () => number;
  counters: HubCounters;
  maxFrameBytes: number;
  engine: Pick<CallEngine, 'setAgentStatus' | 'request' | 'cancel' | 'accept' | 'decline' | 'hangup' | 'resume' | 'peerOf'>;
  writes: Pick<Writes, 'sendRaw' | 'sendFrame' | 'sendError' | 'relayRaw'>;
  /** The sockets by id: where a signal's peer is found. */
  conns: ReadonlyMap<string, Conn>;
  signIn: Pick<SignIn, 'booth' | 'session' | 'password'>;
  presenceText: () => string;
  /** A booth that asked for a call is watched by the liveness checks. */
  watch: (conn: Conn) => void;
  /** Appointment and slot frames (server/appointments/frames.ts). */
  appointments: (conn: Conn, frame: AppointmentFrame) => MaybePromise<void>;
  /** The appointment a booth calls for, if it is its own, booked, and due now (else null: UNKNOWN_APPOINTMENT). */
  appointmentCall: (conn: Conn, organisation: string, appointmentId: string) => MaybePromise<AppointmentCall | null>;
  /** Where a booth's health report goes (it drops reports closer than a second apart, and counts them). */
  fleet: Pick<Fleet, 'report'>;
  /** What a booth answers to `config.apply` (server/fleetConfig/); absent: the answers are ignored. */
  fleetConfig?: Pick<HubFleetConfig, 'applied' | 'refused'>;
  /** A hub across machines: a signal from `from` (a socket here) for a peer on another node (false: it cannot be sent). */
  relayElsewhere?: (from: string, peer: string, raw: Buffer) => boolean;
  log: Logger;
}

const BEAT_BYTES = Buffer.from(BEAT_TEXT);

/** Whether a socket of this role may send this frame now: null if so, else the error it is answered. */
export function roleGate(conn: Pick<Conn, 'role' | 'authPending'>, type: ClientFrameType): HubErrorCode | null {
  if (conn.role === 'none') {
    if (!AUTH_FRAMES.has(type)) return 'NOT_AUTHENTICATED';
  } else if (type.startsWith('auth.')) return 'ALREADY_AUTHENTICATED';
  else if (!(conn.role === 'booth' ? BOOTH_FRAMES : AGENT_FRAMES).has(type)) return 'FORBIDDEN';
  if (conn.authPending && type.startsWith('auth.')) return 'AUTH_RATE_LIMITED';
  return null;
}

/** Routes one received frame of a socket; never throws for what a client sends (errors are answered and counted). */
export function createFrameRouter(deps: RouterDeps): (conn: Conn, data: Buffer, isBinary: boolean) => void {
  const { clock, counters, maxFrameBytes, engine, writes, conns, signIn, log } = deps;
  const { sendError } = writes;
  const appointmentFailed = (conn: Conn, frame: string, e: unknown): void => {
    log.error({ code: 'HUB_APPOINTMENT_FAILED', frame, err: (e as Error).message }, 'appointment frame failed');
    if (!conn.closed) sendError(conn, 'INTERNAL');
  };

  /**
   * The hot path: a signal is checked against the `Signal` schema's shape by hand (no zod, no re-serialisation)
   * and the received bytes are forwarded as they are to the other side of the pair.
   */
  function relaySignal(conn: Conn, value: Record<string, unknown>, raw: Buffer): void {
    let keys = 0;
    for (const k in value) {
      keys++;
      if (k !== 'type' && k !== 'callId' && k !== 'data') return sendError(conn, 'BAD_FRAME', { bad: true });
    }
    const callId = value.callId;
    const payload = value.data;
    if (keys !== 3 || typeof callId !== 'string' || callId.length === 0 || callId.length > 64) return sendError(conn, 'BAD_FRAME', { bad: true });
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return sendError(conn, 'BAD_FRAME', { bad: true });
    if (conn.role === 'none') return sendError(conn, 'NOT_AUTHENTICATED');
    const peer = engine.peerOf(conn.id, callId);
    if (peer === null) return sendError(conn, 'NOT_IN_CALL');
    const target = conns.get(peer);
    if (target) writes.relayRaw(target, raw);
    else if (!deps.relayElsewhere?.(conn.id, peer, raw)) return sendError(conn, 'NOT_IN_CALL');
    counters.relayed++;
  }

  return function onFrame(conn, data, isBinary) {
    counters.framesIn++;
    conn.alive = true;
    const now = clock();
    if (!conn.bucket.take(now)) {
      counters.byError.RATE_LIMITED = (counters.byError.RATE_LIMITED ?? 0) + 1;
      conn.rateDrops++;
      if (now - conn.lastRateNotice >= 1000) {
        conn.lastRateNotice = now;
        writes.sendFrame(conn, { type: 'error', code: 'RATE_LIMITED', message: HUB_ERROR_MESSAGES.RATE_LIMITED.fr });
      }
      return;
    }
    // A client's liveness beat, byte for byte: nothing to parse, nothing to answer.
    if (data.length === BEAT_BYTES.length && !isBinary && data.equals(BEAT_BYTES)) return;
    if (isBinary) return sendError(conn, 'BAD_FRAME', { bad: true });
    if (data.length > maxFrameBytes) return sendError(conn, 'TOO_LARGE', { bad: true });
    if (tooDeep(data)) return sendError(conn, 'BAD_FRAME', { bad: true });
    let value: unknown;
    try {
      value = JSON.parse(data.toString('utf8'));
    } catch {
      return sendError(conn, 'BAD_JSON', { bad: true });
    }
    if (typeof value !== 'object' || value === null) return sendError(conn, 'BAD_FRAME', { bad: true });
    const type = (value as { type?: unknown }).type;
    if (type === 'signal') return relaySignal(conn, value as Record<string, unknown>, data);
    const parsed = ClientFrame.safeParse(value);
    if (!parsed.success) return sendError(conn, 'BAD_FRAME', { bad: true });
    const frame = parsed.data;
    const refused = roleGate(conn, frame.type);
    if (refused) return sendError(conn, refused);

    let failure: ReturnType<CallEngine['accept']> = null;
    switch (frame.type) {
      case 'auth.booth':
        return signIn.booth(conn, frame.token);
      case 'auth.agent':
        void signIn.password(conn, frame.login, frame.password).catch((e: unknown) => {
          conn.authPending = false;
          log.error({ code: 'HUB_AUTH_ERROR', err: (e as Error).message }, 'error during a sign-in');
          sendError(conn, 'INTERNAL');
        });
        return;
      case 'auth.session':
        return signIn.session(conn, frame.session);
      case 'ping':
        return writes.sendFrame(conn, { type: 'pong', t: frame.t });
      case 'beat':
        return;
      case 'presence.get':
        return writes.sendRaw(conn, deps.presenceText());
      case 'agent.status':
        engine.setAgentStatus(conn.id, frame.status);
        return;
      case 'call.request': {
        // An appointment is read from the store: at once on SQLite, later on PostgreSQL (a socket closed meanwhile asks nothing).
        whenReady(
          frame.appointmentId === undefined ? undefined : deps.appointmentCall(conn, frame.organisation, frame.appointmentId),
          (appointment) => {
            if (conn.closed) return;
            if (appointment === null) return sendError(conn, 'UNKNOWN_APPOINTMENT');
            const refused = engine.request(conn.id, frame.organisation, appointment);
            if (refused) sendError(conn, refused);
            else deps.watch(conn);
          },
          (e) => appointmentFailed(conn, frame.type, e),
        );
        return;
      }
      case 'call.cancel':
        failure = engine.cancel(conn.id);
        break;
      case 'call.accept':
        failure = engine.accept(conn.id, frame.callId);
        break;
      case 'call.decline':
        failure = engine.decline(conn.id, frame.callId);
        break;
      case 'call.hangup':
        failure = engine.hangup(conn.id, frame.callId);
        break;
      case 'call.resume':
        failure = engine.resume(conn.id, frame.callId, frame.organisation);
        if (!failure) deps.watch(conn);
        break;
      case 'signal':
        return relaySignal(conn, frame, data);
      case 'appointment.slots':
      case 'appointment.book':
      case 'appointment.cancel':
      case 'appointment.mine':
      case 'slots.publish':
      case 'slots.close':
      case 'slots.list':
      case 'appointments.list':
      case 'appointments.ical':
      case 'slots.booths':
        // Handed over in this turn (what the socket sends next comes after it); a failure, now or later, answers INTERNAL.
        try {
          const answered = deps.appointments(conn, frame);
          if (answered instanceof Promise) answered.catch((e: unknown) => appointmentFailed(conn, frame.type, e));
        } catch (e) {
          appointmentFailed(conn, frame.type, e);
        }
        return;
      case 'booth.health':
        deps.fleet.report(conn.subjectId, frame.health);
        return;
      case 'config.applied':
        deps.fleetConfig?.applied(conn.subjectId, frame.version);
        return;
      case 'config.refused':
        deps.fleetConfig?.refused(conn.subjectId, frame.version, frame.code, frame.detail);
        return;
    }
    if (failure) sendError(conn, failure);
  };
}
