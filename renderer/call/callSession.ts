// One WebRTC call between a booth and an agent over simple-peer: media, the data channel (files, level), and getStats step-down.
import {
  FileReceiver,
  TransferError,
  decodeFrame,
  encodeControl,
  sendFile,
  type ControlMessage,
  type FileKind,
  type Progress,
  type ReceivedFile,
  type TransferErrorCode,
} from './transfer.js';
import {
  INITIAL_STEP,
  encodingChanged,
  encodingFor,
  lowerLevel,
  nextStep,
  qualityBetween,
  sampleFromReport,
  type CallLevel,
  type StatsSample,
  type StepState,
  type VideoEncoding,
} from './stepDown.js';
import { preferRedundantVoice } from './redundantVoice.js';

/** The part of a simple-peer instance this module uses (a fake in unit tests). */
export interface PeerLike {
  signal(data: unknown): void;
  send(data: Uint8Array): void;
  destroy(): void;
  on(event: 'signal', fn: (data: Record<string, unknown>) => void): unknown;
  on(event: 'stream', fn: (stream: MediaStream) => void): unknown;
  on(event: 'connect' | 'close', fn: () => void): unknown;
  on(event: 'data', fn: (data: Uint8Array | string) => void): unknown;
  on(event: 'error', fn: (err: Error & { code?: string }) => void): unknown;
  readonly bufferSize?: number;
  readonly connected?: boolean;
}

export interface PeerFactoryOptions {
  initiator: boolean;
  config: RTCConfiguration;
  stream: MediaStream;
}
export type PeerFactory = (options: PeerFactoryOptions) => PeerLike;

export interface CallSessionHandlers {
  remoteStream(stream: MediaStream): void;
  connected(): void;
  closed(cause: 'closed' | 'error'): void;
  sendProgress(p: Progress): void;
  /** The receiver's verdict on a file this side sent (SHA-256 checked there). */
  sendResult(id: string, ok: boolean, reason?: TransferErrorCode): void;
  receiveProgress(p: Progress): void;
  received(file: ReceivedFile): void;
  receiveFailed(id: string, code: TransferErrorCode): void;
  /** The level both sides now use (the lower of both measurements, or audio only when either side chose it). */
  level(level: CallLevel, manual: boolean): void;
}

export interface CallSessionOptions {
  createPeer: PeerFactory;
  initiator: boolean;
  iceServers: RTCIceServer[];
  iceTransportPolicy?: RTCIceTransportPolicy;
  stream: MediaStream;
  sendSignal(data: Record<string, unknown>): void;
  handlers: Partial<CallSessionHandlers>;
  now?: () => number;
  /** How often getStats is sampled for the automatic step-down (0: never). The rules count samples of one second. */
  statsIntervalMs?: number;
}

let nextId = 0;

export class CallSession {
  private readonly peer: PeerLike;
  private readonly receiver: FileReceiver;
  private readonly h: Partial<CallSessionHandlers>;
  private step: StepState = INITIAL_STEP;
  private lastSample: StatsSample | null = null;
  private remote: { level: CallLevel; manual: boolean } = { level: 'full', manual: false };
  private manualAudioOnly = false;
  private applied: CallLevel = 'full';
  /** The video encoding last given to the sender (null: none yet). */
  private appliedEncoding: VideoEncoding | null = null;
  private statsTimer: ReturnType<typeof setInterval> | null = null;
  private destroyed = false;
  private sending: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: CallSessionOptions) {
    this.h = options.handlers;
    const config: RTCConfiguration = { iceServers: options.iceServers };
    if (options.iceTransportPolicy) config.iceTransportPolicy = options.iceTransportPolicy;
    this.peer = options.createPeer({ initiator: options.initiator, config, stream: options.stream });
    // Before the first offer (simple-peer makes it on a microtask) and before any answer: the voice sent with redundancy.
    const pc = this.pc;
    if (pc) preferRedundantVoice(pc);
    this.receiver = new FileReceiver({
      progress: (p) => this.h.receiveProgress?.(p),
      complete: (f) => this.h.received?.(f),
      failed: (id, code) => this.h.receiveFailed?.(id, code),
      reply: (m) => this.sendControl(m),
    });
    this.peer.on('signal', (data) => options.sendSignal(data));
    this.peer.on('stream', (stream) => this.h.remoteStream?.(stream));
    this.peer.on('connect', () => {
      this.h.connected?.();
      this.onSenders(() => this.prioritiseVoice());
      this.onSenders(() => this.applyToSenders());
      this.startStats();
    });
    this.peer.on('data', (data) => void this.onData(data));
    this.peer.on('close', () => this.finish('closed'));
    this.peer.on('error', () => this.finish('error'));
  }

  /** A signal relayed by the hub from the other side. */
  signal(data: unknown): void {
    if (!this.destroyed) this.peer.signal(data);
  }

  get level(): CallLevel {
    return this.effective();
  }

  get pc(): RTCPeerConnection | null {
    return (this.peer as unknown as { _pc?: RTCPeerConnection })._pc ?? null;
  }

  /** Sends a file; one at a time (calls queue). Resolves with its SHA-256 once handed to the channel. */
  sendFile(kind: FileKind, name: string, bytes: Uint8Array): Promise<{ id: string; sha256: string }> {
    const id = `f${Date.now().toString(36)}${(nextId++).toString(36)}`;
    const link = {
      send: (b: Uint8Array) => this.peer.send(b),
      bufferedAmount: () => this.peer.bufferSize ?? 0,
      isOpen: () => !this.destroyed,
    };
    const run = this.sending.then(() => sendFile(link, { id, kind, name, bytes }, (p) => this.h.sendProgress?.(p)));
    this.sending = run.catch(() => undefined);
    return run.then((r) => ({ id, sha256: r.sha256 }));
  }

  /** The visitor's or agent's choice: audio only until they switch video back on. */
  setAudioOnly(on: boolean): void {
    this.manualAudioOnly = on;
    this.update();
  }

  setMicrophone(on: boolean): void {
    for (const t of this.options.stream.getAudioTracks()) t.enabled = on;
  }

  setCamera(on: boolean): void {
    for (const t of this.options.stream.getVideoTracks()) t.enabled = on;
  }

  /** Feeds one getStats sample (the timer does it; tests call it directly). */
  observe(sample: StatsSample): void {
    if (this.lastSample) {
      this.step = nextStep(this.step, qualityBetween(this.lastSample, sample));
      this.update();
    }
    this.lastSample = sample;
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    if (this.statsTimer) clearInterval(this.statsTimer);
    this.statsTimer = null;
    this.peer.destroy();
  }

  private finish(cause: 'closed' | 'error'): void {
    const was = this.destroyed;
    this.destroy();
    if (!was) this.h.closed?.(cause);
  }

  private local(): CallLevel {
    return this.manualAudioOnly ? 'audio_only' : this.step.level;
  }

  private effective(): CallLevel {
    return lowerLevel(this.local(), this.remote.level);
  }

  private update(): void {
    const level = this.effective();
    this.sendControl({ t: 'level', level: this.local(), manual: this.manualAudioOnly });
    if (level !== this.applied) {
      this.applied = level;
      this.onSenders(() => this.applyToSenders());
    }
    this.h.level?.(level, this.manualAudioOnly || this.remote.manual);
  }

  private lastSentLevel = '';
  private sendControl(message: ControlMessage): void {
    if (this.destroyed) return;
    if (message.t === 'level') {
      const key = `${message.level}/${message.manual}`;
      if (key === this.lastSentLevel) return;
      this.lastSentLevel = key;
    }
    try {
      this.peer.send(encodeControl(message));
    } catch {
      // The channel is not open yet or already closed; the level is sent again on the next change.
      if (message.t === 'level') this.lastSentLevel = '';
    }
  }

  /** Sender changes run one after the other: a getParameters/setParameters pair refuses another one in between. */
  private senderWork: Promise<void> = Promise.resolve();
  private onSenders(work: () => Promise<void>): void {
    this.senderWork = this.senderWork.then(work).catch(() => undefined);
  }

  /**
   * The voice goes first: the audio sender's priority (its share of the bandwidth estimate) and network priority (DSCP
   * marking, where the network honours it) are high, and the video keeps its frame rate and gives up resolution when
   * the bitrate is short (a face that moves smoothly reads better than a sharp one that jerks).
   */
  private async prioritiseVoice(): Promise<void> {
    const pc = this.pc;
    if (!pc) return;
    for (const sender of pc.getSenders()) {
      const params = sender.getParameters();
      if (sender.track?.kind === 'audio') {
        if (!params.encodings || params.encodings.length === 0) continue;
        for (const e of params.encodings) {
          e.priority = 'high';
          e.networkPriority = 'high';
        }
      } else if (sender.track?.kind === 'video') params.degradationPreference = 'maintain-framerate';
      else continue;
      try {
        await sender.setParameters(params);
      } catch {
        // A browser that refuses these hints still carries the call with its defaults.
      }
    }
  }

  /** Gives the video sender the encoding of the applied level, when it changed (or a previous attempt failed). */
  private async applyToSenders(): Promise<void> {
    const pc = this.pc;
    if (!pc) return;
    const wanted = encodingFor(this.applied);
    if (!encodingChanged(this.appliedEncoding, wanted)) return;
    this.appliedEncoding = wanted;
    for (const sender of pc.getSenders()) {
      if (sender.track?.kind !== 'video') continue;
      const params = sender.getParameters();
      if (!params.encodings || params.encodings.length === 0) continue;
      for (const e of params.encodings) {
        e.active = wanted.active;
        e.scaleResolutionDownBy = wanted.scaleResolutionDownBy;
        if (wanted.maxFramerate) e.maxFramerate = wanted.maxFramerate;
        else delete e.maxFramerate;
        if (wanted.maxBitrate) e.maxBitrate = wanted.maxBitrate;
        else delete e.maxBitrate;
      }
      try {
        await sender.setParameters(params);
      } catch {
        // A sender renegotiating refuses parameters: forget what was applied so the next sample applies it again.
        this.appliedEncoding = null;
      }
    }
  }

  private async onData(data: Uint8Array | string): Promise<void> {
    const frame = decodeFrame(data);
    if (frame.type === 'invalid') return;
    if (frame.type === 'control') {
      const m = frame.message;
      if (m.t === 'level') {
        this.remote = { level: m.level, manual: m.manual };
        const level = this.effective();
        if (level !== this.applied) {
          this.applied = level;
          this.onSenders(() => this.applyToSenders());
        }
        this.h.level?.(level, this.manualAudioOnly || m.manual);
        return;
      }
      if (m.t === 'file.result') {
        this.h.sendResult?.(m.id, m.ok, m.reason);
        return;
      }
    }
    await this.receiver.accept(frame);
  }

  private startStats(): void {
    const every = this.options.statsIntervalMs ?? 1000;
    if (every <= 0 || this.statsTimer) return;
    const now = this.options.now ?? (() => Date.now());
    this.statsTimer = setInterval(() => {
      const pc = this.pc;
      if (!pc || this.destroyed) return;
      pc.getStats().then(
        (report) => this.observe(sampleFromReport(report, now())),
        () => undefined,
      );
    }, every);
  }
}

export { TransferError };
