// The booth call's state as the screen reads it, what it starts from, and what the store is given (its collaborators).
import type { StoreApi } from 'zustand/vanilla';
import type { ClientStatus } from '../../../shared/hubClient.js';
import type { EndReason } from '../../../shared/protocol.js';
import type { PreflightFailure, PreflightResult } from '../../call/media.js';
import type { BoothTransferView, CallSessionPort, SessionOptions } from '../../call/ports.js';
import type { CallLevel } from '../../call/stepDown.js';
import type { BoothHubLink } from './hubLink.js';

/** How long the booth waits for a lost hub before it says so and gives up, unless `hubLostAfterMs` says otherwise. */
export const DEFAULT_HUB_LOST_AFTER_MS = 30_000;

export type FaultCategory = 'equipment' | 'connection' | 'organisation_unreachable' | 'other';

/**
 * Where a call gets its hub connection: the kiosk's, kept while it runs (`kept`: warmed at start-up, released at each
 * call's end), or a link of the call's own (`perCall`: opened after the tap, closed at the call's end).
 */
export type CallHubLink = { kept: BoothHubLink } | { perCall(): BoothHubLink };

export interface BoothCallDeps {
  /** The call's hub connection, always given (see CallHubLink). */
  hubLink: CallHubLink;
  preflight(): Promise<PreflightResult>;
  createSession(options: SessionOptions): CallSessionPort;
  /** `visio.recordVisit` of the kiosk contract. */
  recordVisit(visit: { organisation: string; startedAt: number; endedAt: number }): Promise<unknown>;
  /** `incidents.reportFault` of the kiosk contract. */
  reportFault(fault: { faultKey: string; category: FaultCategory; organisation?: string; what: string }): Promise<unknown>;
  /** `help.request` of the kiosk contract. */
  requestHelp(screen: string): Promise<unknown>;
  /** A still photo for "Montrer un document": from the document camera when chosen in settings, else the call's camera. */
  takePhoto(callStream: MediaStream): Promise<Uint8Array>;
  stopStream(stream: MediaStream): void;
  now(): number;
  /** How long the booth may wait for a lost hub before it says so and gives up (ms; default DEFAULT_HUB_LOST_AFTER_MS). */
  hubLostAfterMs?: number;
  /** How long a closed peer waits for the hub to say why the call ended before saying the link was lost (ms). */
  peerLostGraceMs?: number;
  /** After the booth was put back in the queue by a reconnect, "no agent" is retried for this long (agents reconnect too). */
  requeueWindowMs?: number;
}

export type CallPhase = 'idle' | 'preflight' | 'preflight_failed' | 'connecting' | 'waiting' | 'connected' | 'ended';

/** Why a call ended or could not start: hub reasons, plus what only the booth can see. */
export type CallEndCode = EndReason | 'no_agent' | 'closed' | 'connection_lost' | 'hub_unavailable' | 'hub_lost' | 'media_failed';

export interface BoothCallState {
  phase: CallPhase;
  organisation: string | null;
  failure: PreflightFailure | null;
  position: number | null;
  estimatedWaitS: number | null;
  peerName: string | null;
  startedAt: number | null;
  localStream: MediaStream | null;
  remoteStream: MediaStream | null;
  level: CallLevel;
  levelManual: boolean;
  audioOnly: boolean;
  hubStatus: ClientStatus;
  /** A notice for the waiting screen: the hub restarted and the booth is back in the queue. */
  requeued: boolean;
  /** A notice for the call screen: the hub's socket was lost mid-call, the media goes on while the client resumes it. */
  hubInterrupted: boolean;
  transfer: BoothTransferView | null;
  pdf: { name: string; bytes: Uint8Array } | null;
  endCode: CallEndCode | null;
  nextOpening: number | null;
  /** With `appointmentId`: the call of the booth's appointment (from the home's « Rejoindre »), sent with call.request. */
  start(organisation: string, appointmentId?: string): Promise<void>;
  cancel(): void;
  hangup(): void;
  showDocument(): Promise<void>;
  setAudioOnly(on: boolean): void;
  closePdf(): void;
  reset(): void;
}

export type BoothCallStore = StoreApi<BoothCallState>;

/** What the store reads and writes, as zustand's `get` and `set` give it. */
export interface StateAccess {
  get(): BoothCallState;
  set(partial: Partial<BoothCallState>): void;
}

export const IDLE = {
  phase: 'idle' as CallPhase,
  organisation: null,
  failure: null,
  position: null,
  estimatedWaitS: null,
  peerName: null,
  startedAt: null,
  localStream: null,
  remoteStream: null,
  level: 'full' as CallLevel,
  levelManual: false,
  audioOnly: false,
  hubStatus: 'idle' as ClientStatus,
  requeued: false,
  hubInterrupted: false,
  transfer: null,
  pdf: null,
  endCode: null,
  nextOpening: null,
};

