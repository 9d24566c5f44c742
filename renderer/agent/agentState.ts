// The agent's console state as its screens read it, what it starts from, and what the store is given (its collaborators).
import type { StoreApi } from 'zustand/vanilla';
import type { RingingAppointment } from '../../shared/appointments.js';
import type { ClientStatus, HubCredentials } from '../../shared/hubClient.js';
import type { AgentStatus, EndReason } from '../../shared/protocol.js';
import type { AgentHubPort, AgentSessionPort, AgentTransferView, SessionOptions } from '../call/ports.js';
import type { CallLevel } from '../call/stepDown.js';

export interface AgentDeps {
  createHub(credentials: HubCredentials): AgentHubPort;
  getMedia(): Promise<MediaStream | null>;
  createSession(options: SessionOptions): AgentSessionPort;
  stopStream(stream: MediaStream): void;
  /** A URL for a received photo (URL.createObjectURL in the browser). */
  photoUrl(bytes: Uint8Array): string;
  now(): number;
  /** How long a closed peer waits for the hub to say why the call ended (ms). */
  peerLostGraceMs?: number;
  /** The call screen is drawn once the answer has left, or after this delay when the peer sends nothing (ms, default 500). */
  showCallAfterMs?: number;
  /**
   * Opens camera and microphone while the agent is signed in and available (released when away, in a call's end when
   * away, at logout), so accepting answers at once. Nothing is sent to anyone before the agent accepts. Default true.
   */
  warmCamera?: boolean;
}

export interface RingingCall {
  callId: string;
  organisation: string;
  siteName: string;
  queuedAt: number;
  /** The call of a booked appointment: the console shows its time, subject and note. */
  appointmentId?: string;
  /** Its time, subject and consented note as the hub sent them with the ring (an agent the call widened to knows no more). */
  appointment?: RingingAppointment;
}

export interface ReceivedPhoto {
  id: string;
  name: string;
  url: string;
  sha256: string;
  size: number;
}

export type AgentEndCode = EndReason | 'connection_lost';

export interface AgentCall {
  callId: string;
  organisation: string;
  site: string;
  startedAt: number;
  localStream: MediaStream | null;
  remoteStream: MediaStream | null;
  muted: boolean;
  cameraOff: boolean;
  audioOnly: boolean;
  level: CallLevel;
  levelManual: boolean;
}

export interface AgentState {
  phase: 'login' | 'connecting' | 'ready';
  loginError: 'failed' | 'unreachable' | 'unavailable' | null;
  name: string | null;
  organisation: string | null;
  demo: boolean;
  availability: AgentStatus;
  hubStatus: ClientStatus;
  ringing: RingingCall[];
  waiting: number;
  accepting: string | null;
  /** Camera and microphone are open, ready for the next call (the agent is available; nothing is sent). */
  cameraReady: boolean;
  call: AgentCall | null;
  /** The hub's socket was lost mid-call: the media goes on while the client resumes the call on a new one. */
  hubInterrupted: boolean;
  photos: ReceivedPhoto[];
  transfer: AgentTransferView | null;
  ended: AgentEndCode | null;
  login(login: string, password: string): void;
  logout(): void;
  setAvailability(status: AgentStatus): void;
  accept(callId: string): Promise<void>;
  decline(callId: string): void;
  hangup(): void;
  toggleMute(): void;
  toggleCamera(): void;
  setAudioOnly(on: boolean): void;
  sendPdf(name: string, bytes: Uint8Array): Promise<void>;
}

export type AgentStore = StoreApi<AgentState>;

/** What the store reads and writes, as zustand's `get` and `set` give it. */
export interface AgentStateAccess {
  get(): AgentState;
  set(partial: Partial<AgentState>): void;
}
