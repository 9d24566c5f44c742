// The ports of the call stores, booth and agent alike: the part of shared/hubClient.ts's HubClient and of CallSession each
// side calls (the real classes in the browser, fakes in tests), and the file transfer as each side's screen shows it.
import type { BoothHealth } from '../../shared/fleet.js';
import type { AppointmentBooking, ClientStatus } from '../../shared/hubClient.js';
import type { AgentStatus, ClientFrameOf, HubFrameOf, HubFrameType } from '../../shared/protocol.js';
import type { CallSessionHandlers } from './callSession.js';
import type { FileKind, TransferErrorCode } from './transfer.js';

/** What both sides ask of the hub client: its connection, its frames and events, and the call they are in. */
export interface HubClientPort {
  readonly status: ClientStatus;
  start(): void;
  stop(): void;
  on<T extends HubFrameType>(type: T, handler: (frame: HubFrameOf<T>) => void): () => void;
  onEvent(name: 'status', handler: (e: { status: ClientStatus; attempt: number }) => void): () => void;
  onEvent(name: 'callInterrupted' | 'callResumed', handler: (e: { callId: string }) => void): () => void;
  onEvent(name: 'callLost', handler: (e: { callId: string; reason: 'connection_lost' }) => void): () => void;
  hangup(): boolean;
  signal(data: Record<string, unknown>): boolean;
}

/** The booth's hub client: it asks for a call, waits in the queue, and keeps its connection across calls. */
export interface BoothHubPort extends HubClientPort {
  /** False when the hub said it takes no appointment frames (a hub across machines); a fake may leave it out. */
  readonly appointmentsOffered?: boolean;
  onEvent(name: 'status', handler: (e: { status: ClientStatus; attempt: number }) => void): () => void;
  onEvent(name: 'callInterrupted' | 'callResumed', handler: (e: { callId: string }) => void): () => void;
  onEvent(name: 'callLost', handler: (e: { callId: string; reason: 'connection_lost' }) => void): () => void;
  onEvent(name: 'requeued', handler: (e: { organisation: string }) => void): () => void;
  /** With `appointmentId`: the call of one of the booth's appointments, due now. */
  requestCall(organisation: string, appointmentId?: string): boolean;
  cancelCall(): boolean;
  /** Forgets the current call (hang up or cancel) while keeping the connection. */
  release(): void;
  /** Visio appointments (issue 19): free slots asked, a slot booked, an appointment cancelled; false when not connected. */
  askSlots(organisation: string, options?: { from?: number; limit?: number }): boolean;
  bookAppointment(booking: AppointmentBooking): boolean;
  cancelAppointment(appointmentId: string): boolean;
  /** The booth's appointments (`appointment.mine`), with `since` also those over (the month report's counts). */
  askMyAppointments(since?: number): boolean;
  /** Sends the booth's health report (renderer/kiosk/fleet/); false when not connected. */
  reportHealth(health: BoothHealth): boolean;
  /** Answers the hub's `config.apply` (renderer/kiosk/fleet/configReceiver.ts); false when not connected. */
  reportConfig(answer: ClientFrameOf<'config.applied'> | ClientFrameOf<'config.refused'>): boolean;
}

/** The agent's hub client: availability, and the calls that ring. */
export interface AgentHubPort extends HubClientPort {
  accept(callId: string): boolean;
  decline(callId: string): boolean;
  setAvailability(status: AgentStatus): boolean;
}

/** What both sides ask of a call session (a CallSession over simple-peer). */
export interface CallSessionPort {
  signal(data: unknown): void;
  sendFile(kind: FileKind, name: string, bytes: Uint8Array): Promise<{ id: string; sha256: string }>;
  setAudioOnly(on: boolean): void;
  destroy(): void;
}

/** The agent's session: the agent may also mute the microphone or turn the camera off. */
export interface AgentSessionPort extends CallSessionPort {
  setMicrophone(on: boolean): void;
  setCamera(on: boolean): void;
}

/** What a session is built from (CallSession's options, less the peer factory the browser deps add). */
export interface SessionOptions {
  initiator: boolean;
  iceServers: RTCIceServer[];
  stream: MediaStream;
  sendSignal(data: Record<string, unknown>): void;
  handlers: Partial<CallSessionHandlers>;
}

/** A file on its way, as the booth shows it: the photo it sends, the PDF it receives. */
export interface BoothTransferView {
  kind: FileKind;
  name: string;
  size: number;
  done: number;
  state: 'sending' | 'receiving' | 'verified' | 'failed';
  reason?: TransferErrorCode;
  sha256?: string;
}

/** A file on its way, as the agent's console shows it: a photo in, a PDF out (refused before sending when not a PDF). */
export interface AgentTransferView {
  direction: 'in' | 'out';
  name: string;
  size: number;
  done: number;
  state: 'active' | 'verified' | 'failed';
  reason?: TransferErrorCode | 'NOT_PDF';
}
