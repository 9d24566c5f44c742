// The hub's socket protocol: every frame a booth, an agent or the hub sends is a member of one of these zod unions.
import { z } from 'zod';
import {
  APPOINTMENT_AGENT_FRAMES,
  APPOINTMENT_BOOTH_FRAMES,
  AppointmentBook,
  AppointmentBooked,
  AppointmentCancel,
  AppointmentChanged,
  AppointmentMine,
  AppointmentMineAnswer,
  AppointmentRefused,
  AppointmentsChanged,
  AppointmentSlotsAnswer,
  AppointmentSlotsAsk,
  AppointmentsList,
  AppointmentsListAnswer,
  SlotsClose,
  SlotsClosed,
  SlotsList,
  SlotsListAnswer,
  SlotsPublish,
  SlotsPublished,
  AppointmentsIcal,
  AppointmentsIcalAnswer,
  RingingAppointment,
  SlotsBooths,
  SlotsBoothsAnswer,
} from './appointments.js';
import { EpochMs, OrganisationCode } from './domain.js';
import { BoothHealth } from './fleet.js';
import { ConfigAppliedFrame, ConfigApplyFrame, ConfigRefusedFrame } from './fleetConfig.js';

/** Frames above this size (UTF-8 bytes) are refused with a TOO_LARGE error frame. SDP offers are a few KB. */
export const MAX_FRAME_BYTES = 64 * 1024;
/** An opaque simple-peer signal (offer/answer/candidate object) is bounded well under the frame size. */
export const MAX_SIGNAL_CHARS = 60_000;
/**
 * 2: the client's `beat` (a hub of version 1 does not know it: a client beats only when the hub's hello says ≥ 2).
 * 3: a booth's token or an agent's session may come with the WebSocket handshake (see `handshakeProtocols`), so the
 * hub answers `auth.ok` with its `hello`; a client sends its auth frame only to an older hub.
 */
export const PROTOCOL_VERSION = 3;
export const BEAT_SINCE_PROTOCOL = 2;
export const HANDSHAKE_AUTH_SINCE_PROTOCOL = 3;

/** The WebSocket subprotocol the hub speaks (and answers with); a credential rides beside it, never echoed back. */
export const HUB_SUBPROTOCOL = 'relais';
const BOOTH_CREDENTIAL = 'relais.booth.';
const SESSION_CREDENTIAL = 'relais.session.';
/** Characters an HTTP token allows that our tokens use (base64url and `_`): anything else stays in an auth frame. */
const TOKEN_CHARS = /^[A-Za-z0-9_-]{1,256}$/;

/**
 * The subprotocols a client offers: the hub's, and its booth token or agent session when it has one that fits a
 * header. Sent in `Sec-WebSocket-Protocol`, which browsers let a page set and proxies do not log by default.
 */
export function handshakeProtocols(credential: { booth: string } | { session: string } | null): string[] {
  if (credential && 'booth' in credential && TOKEN_CHARS.test(credential.booth)) return [HUB_SUBPROTOCOL, BOOTH_CREDENTIAL + credential.booth];
  if (credential && 'session' in credential && TOKEN_CHARS.test(credential.session)) return [HUB_SUBPROTOCOL, SESSION_CREDENTIAL + credential.session];
  return [HUB_SUBPROTOCOL];
}

/** The credential offered in a `Sec-WebSocket-Protocol` header, if any (the hub's reading of `handshakeProtocols`). */
export function handshakeCredential(header: string | undefined): { booth: string } | { session: string } | null {
  if (!header) return null;
  for (const raw of header.split(',')) {
    const p = raw.trim();
    if (p.startsWith(BOOTH_CREDENTIAL) && TOKEN_CHARS.test(p.slice(BOOTH_CREDENTIAL.length))) return { booth: p.slice(BOOTH_CREDENTIAL.length) };
    if (p.startsWith(SESSION_CREDENTIAL) && TOKEN_CHARS.test(p.slice(SESSION_CREDENTIAL.length))) return { session: p.slice(SESSION_CREDENTIAL.length) };
  }
  return null;
}

const Id = z.string().min(1).max(64);
const Secret = z.string().min(1).max(256);

export const IceServer = z.object({
  urls: z.union([z.string().max(512), z.array(z.string().max(512)).max(8)]),
  username: z.string().max(256).optional(),
  credential: z.string().max(256).optional(),
});
export type IceServer = z.infer<typeof IceServer>;

/** The simple-peer signal, relayed untouched: a JSON object (offer, answer, candidate, renegotiate…). */
export const SignalData = z.record(z.string(), z.unknown());

// ---- client → hub ----------------------------------------------------------------------------

export const AuthBooth = z.strictObject({ type: z.literal('auth.booth'), token: Secret });
export const AuthAgent = z.strictObject({
  type: z.literal('auth.agent'),
  login: z.string().min(1).max(64),
  password: z.string().min(1).max(256),
});
export const AuthSession = z.strictObject({ type: z.literal('auth.session'), session: Secret });
export const AgentStatus = z.enum(['available', 'away']);
export type AgentStatus = z.infer<typeof AgentStatus>;
export const AgentStatusFrame = z.strictObject({ type: z.literal('agent.status'), status: AgentStatus });
export const PresenceGet = z.strictObject({ type: z.literal('presence.get') });
/** With `appointmentId`: the call of a booked appointment (rings its holding agent first, ahead of walk-ins). */
export const CallRequest = z.strictObject({ type: z.literal('call.request'), organisation: OrganisationCode, appointmentId: Id.optional() });
export const CallCancel = z.strictObject({ type: z.literal('call.cancel') });
export const CallAccept = z.strictObject({ type: z.literal('call.accept'), callId: Id });
export const CallDecline = z.strictObject({ type: z.literal('call.decline'), callId: Id });
export const CallHangup = z.strictObject({ type: z.literal('call.hangup'), callId: Id });
/**
 * Sent after signing in again mid-call, when the socket was lost but not the call (on a hub across machines, the node
 * holding it died; the media, peer to peer, went on): the call continues on this socket. `organisation`: the call's
 * (from its `call.accepted`). Answered `call.resumed`, or `call.ended` when the call is over or not this account's.
 */
export const CallResume = z.strictObject({ type: z.literal('call.resume'), callId: Id, organisation: OrganisationCode });
export const Signal = z.strictObject({ type: z.literal('signal'), callId: Id, data: SignalData });
export const Ping = z.strictObject({ type: z.literal('ping'), t: z.number().finite() });
/**
 * Liveness, sent by the client and never answered: a client that has sent nothing else for `beatEveryMs(heartbeatMs)`
 * sends this exact text. The hub pings (WebSocket ping) only a socket it has heard nothing from during `heartbeatMs`, and
 * closes it if the pong does not come. One frame read per socket and period, instead of a ping written and a pong read.
 */
export const Beat = z.strictObject({ type: z.literal('beat') });
export const BEAT_TEXT = '{"type":"beat"}';
/** How often a silent client beats, given the hub's `heartbeatMs` (from `hello`): early enough to land in every period. */
export const beatEveryMs = (heartbeatMs: number): number => Math.floor(heartbeatMs * 0.9);
/** A booth's health report (shared/fleet.ts), on change and at least every `HEALTH_EVERY_MS`; never answered. */
export const BoothHealthFrame = z.strictObject({ type: z.literal('booth.health'), health: BoothHealth });

export const ClientFrame = z.discriminatedUnion('type', [
  AuthBooth,
  AuthAgent,
  AuthSession,
  AgentStatusFrame,
  PresenceGet,
  CallRequest,
  CallCancel,
  CallAccept,
  CallDecline,
  CallHangup,
  CallResume,
  Signal,
  Ping,
  Beat,
  AppointmentSlotsAsk,
  AppointmentBook,
  AppointmentCancel,
  AppointmentMine,
  SlotsPublish,
  SlotsClose,
  SlotsList,
  AppointmentsList,
  BoothHealthFrame,
  AppointmentsIcal,
  ConfigAppliedFrame,
  ConfigRefusedFrame,
  SlotsBooths,
]);
export type ClientFrame = z.infer<typeof ClientFrame>;
export type ClientFrameType = ClientFrame['type'];

/** Which role may send which frame (the hub refuses the others with FORBIDDEN). */
export const BOOTH_FRAMES: ReadonlySet<ClientFrameType> = new Set([
  'presence.get',
  'call.request',
  'call.cancel',
  'call.hangup',
  'call.resume',
  'signal',
  'ping',
  'beat',
  'booth.health',
  ...APPOINTMENT_BOOTH_FRAMES,
  'config.applied',
  'config.refused',
]);
/** Every agent may send these; `slots.*` are then refused (FORBIDDEN) to an agent who is not a planner. */
export const AGENT_FRAMES: ReadonlySet<ClientFrameType> = new Set([
  'presence.get',
  'agent.status',
  'call.accept',
  'call.decline',
  'call.hangup',
  'call.resume',
  'signal',
  'ping',
  'beat',
  ...APPOINTMENT_AGENT_FRAMES,
]);
export const AUTH_FRAMES: ReadonlySet<ClientFrameType> = new Set(['auth.booth', 'auth.agent', 'auth.session', 'ping', 'beat']);

// ---- hub → client ----------------------------------------------------------------------------

export const HubErrorCode = z.enum([
  'BAD_JSON',
  'BAD_FRAME',
  'TOO_LARGE',
  'RATE_LIMITED',
  'NOT_AUTHENTICATED',
  'ALREADY_AUTHENTICATED',
  'FORBIDDEN',
  'AUTH_FAILED',
  'AUTH_RATE_LIMITED',
  'REVOKED',
  'REPLACED',
  'UNKNOWN_CALL',
  'NOT_IN_CALL',
  'ALREADY_TAKEN',
  'BUSY',
  'ALREADY_QUEUED',
  'UNKNOWN_ORGANISATION',
  'UNKNOWN_APPOINTMENT',
  'NOT_OFFERED',
  'INTERNAL',
]);
export type HubErrorCode = z.infer<typeof HubErrorCode>;

export const Hello = z.strictObject({
  type: z.literal('hello'),
  protocol: z.number().int(),
  demo: z.boolean(),
  heartbeatMs: z.number().int().positive(),
  maxFrameBytes: z.number().int().positive(),
  /** false: this hub takes no appointment frames (a hub across machines, server/cluster/); absent: it does. */
  appointments: z.boolean().optional(),
});
export const AuthOk = z.strictObject({
  type: z.literal('auth.ok'),
  role: z.enum(['booth', 'agent']),
  id: z.number().int().positive(),
  name: z.string(),
  organisation: OrganisationCode.nullable(),
  /** For agents: a session token to re-authenticate after a reconnect without the password. */
  session: z.string().nullable(),
  demo: z.boolean(),
});
export const OrganisationPresence = z.strictObject({
  code: OrganisationCode,
  name: z.string(),
  openNow: z.boolean(),
  nextOpening: EpochMs.nullable(),
  closesAt: EpochMs.nullable(),
  agentsAvailable: z.number().int().nonnegative(),
  /** Open now and at least one agent available (free or in a call): a call can be placed. */
  reachable: z.boolean(),
});
export type OrganisationPresence = z.infer<typeof OrganisationPresence>;
export const Presence = z.strictObject({ type: z.literal('presence'), at: EpochMs, organisations: z.array(OrganisationPresence) });
export const QueuePosition = z.strictObject({
  type: z.literal('queue.position'),
  callId: Id,
  organisation: OrganisationCode,
  position: z.number().int().positive(),
  estimatedWaitS: z.number().int().nonnegative(),
});
export const CallRinging = z.strictObject({
  type: z.literal('call.ringing'),
  callId: Id,
  organisation: OrganisationCode,
  siteName: z.string(),
  queuedAt: EpochMs,
  ringTimeoutMs: z.number().int().positive(),
  /** The appointment this call is for: the console shows its subject and note (from `appointments.list`). */
  appointmentId: Id.optional(),
  /** With `appointmentId`: its start, subject and consented note, for an agent the call widened to (who never listed it). */
  appointment: RingingAppointment.optional(),
});
export const WithdrawReason = z.enum(['taken', 'cancelled', 'timeout', 'declined']);
export const CallWithdrawn = z.strictObject({ type: z.literal('call.withdrawn'), callId: Id, reason: WithdrawReason });
/**
 * The ICE servers of a call (its callId), or, without callId, those a booth uses for its next calls (sent when it signs in:
 * it prepares its peer connection as soon as its camera is open, and keeps its offer until an agent accepts).
 */
export const IceServers = z.strictObject({ type: z.literal('ice.servers'), callId: Id.optional(), iceServers: z.array(IceServer) });
export const CallAccepted = z.strictObject({
  type: z.literal('call.accepted'),
  callId: Id,
  organisation: OrganisationCode,
  /** The other side's display name (the agent's name for the booth, the site's name for the agent). */
  peerName: z.string(),
  /** The booth creates the WebRTC offer. */
  initiator: z.boolean(),
  iceServers: z.array(IceServer),
});
export const UnavailableReason = z.enum(['no_agent', 'closed']);
export type UnavailableReason = z.infer<typeof UnavailableReason>;
export const CallUnavailable = z.strictObject({
  type: z.literal('call.unavailable'),
  callId: Id,
  organisation: OrganisationCode,
  reason: UnavailableReason,
  nextOpening: EpochMs.nullable(),
});
export const EndReason = z.enum(['hangup_booth', 'hangup_agent', 'cancelled', 'peer_lost', 'hub_restart', 'revoked']);
export type EndReason = z.infer<typeof EndReason>;
export const CallEnded = z.strictObject({ type: z.literal('call.ended'), callId: Id, reason: EndReason });
/** The call continues with this socket (the answer to `call.resume`; also sent to the other side, whose hub reroutes). */
export const CallResumed = z.strictObject({ type: z.literal('call.resumed'), callId: Id });
export const QueueSummary = z.strictObject({
  type: z.literal('queue.summary'),
  organisation: OrganisationCode,
  waiting: z.number().int().nonnegative(),
});
export const ErrorFrame = z.strictObject({
  type: z.literal('error'),
  code: HubErrorCode,
  message: z.string(),
  retryAfterMs: z.number().int().nonnegative().optional(),
});
export const Pong = z.strictObject({ type: z.literal('pong'), t: z.number() });

export const HubFrame = z.discriminatedUnion('type', [
  Hello,
  AuthOk,
  Presence,
  QueuePosition,
  CallRinging,
  CallWithdrawn,
  IceServers,
  CallAccepted,
  CallUnavailable,
  CallEnded,
  CallResumed,
  QueueSummary,
  Signal,
  ErrorFrame,
  Pong,
  AppointmentSlotsAnswer,
  AppointmentBooked,
  AppointmentRefused,
  AppointmentChanged,
  AppointmentsChanged,
  SlotsPublished,
  SlotsClosed,
  SlotsListAnswer,
  AppointmentsListAnswer,
  AppointmentMineAnswer,
  AppointmentsIcalAnswer,
  ConfigApplyFrame,
  SlotsBoothsAnswer,
]);
export type HubFrame = z.infer<typeof HubFrame>;
export type HubFrameType = HubFrame['type'];
export type HubFrameOf<T extends HubFrameType> = Extract<HubFrame, { type: T }>;
export type ClientFrameOf<T extends ClientFrameType> = Extract<ClientFrame, { type: T }>;

/** The error frames' message, in French (a fallback text: the screens translate the code, so no other language is kept). */
export const HUB_ERROR_MESSAGES: Record<HubErrorCode, { fr: string }> = {
  BAD_JSON: { fr: 'Trame illisible (JSON invalide).' },
  BAD_FRAME: { fr: 'Trame inconnue ou mal formée.' },
  TOO_LARGE: { fr: 'Trame trop grande.' },
  RATE_LIMITED: { fr: 'Trop de messages : ralentissez.' },
  NOT_AUTHENTICATED: { fr: 'Identifiez-vous d’abord.' },
  ALREADY_AUTHENTICATED: { fr: 'Déjà identifié.' },
  FORBIDDEN: { fr: 'Action non autorisée pour ce compte.' },
  AUTH_FAILED: { fr: 'Identifiant, mot de passe ou jeton refusé.' },
  AUTH_RATE_LIMITED: { fr: 'Trop d’essais : réessayez plus tard.' },
  REVOKED: { fr: 'Accès révoqué.' },
  REPLACED: { fr: 'Une autre connexion a pris la place de celle-ci.' },
  UNKNOWN_CALL: { fr: 'Appel inconnu ou terminé.' },
  NOT_IN_CALL: { fr: 'Vous ne participez pas à cet appel.' },
  ALREADY_TAKEN: { fr: 'Appel déjà pris par un autre conseiller.' },
  BUSY: { fr: 'Déjà en communication.' },
  ALREADY_QUEUED: { fr: 'Un appel est déjà en cours pour cette borne.' },
  UNKNOWN_ORGANISATION: { fr: 'Organisme inconnu.' },
  UNKNOWN_APPOINTMENT: { fr: 'Rendez-vous introuvable, pas encore ouvert ou déjà passé.' },
  NOT_OFFERED: { fr: "Ce service n'est pas proposé par ce hub." },
  INTERNAL: { fr: 'Erreur interne du hub.' },
};

export function parseClientFrame(value: unknown): { ok: true; frame: ClientFrame } | { ok: false; message: string } {
  const r = ClientFrame.safeParse(value);
  return r.success ? { ok: true, frame: r.data } : { ok: false, message: r.error.issues[0]?.message ?? 'invalid' };
}
