// Files over the call's data channel: one header frame, 16 KiB chunks under backpressure, one end frame, SHA-256 checked on arrival.

/** The largest photo the booth sends (the bound); the sender re-encodes until under it. */
export const MAX_PHOTO_BYTES = 2 * 1024 * 1024;
/** The largest PDF an agent may send to the booth. */
export const MAX_PDF_BYTES = 10 * 1024 * 1024;
export const CHUNK_BYTES = 16 * 1024;
/** Above this many bytes queued in the channel, the sender waits (RTCDataChannel.bufferedAmount). */
export const HIGH_WATER_BYTES = 1024 * 1024;

export type FileKind = 'photo' | 'pdf';
export type CallLevelWire = 'full' | 'reduced' | 'audio_only';

/** Control messages, JSON after a 0x00 byte; file chunks are raw bytes after a 0x01 byte. */
export type ControlMessage =
  | { t: 'file.start'; id: string; kind: FileKind; name: string; size: number; sha256: string }
  | { t: 'file.end'; id: string }
  | { t: 'file.result'; id: string; ok: boolean; reason?: TransferErrorCode }
  | { t: 'level'; level: CallLevelWire; manual: boolean };

export type TransferErrorCode = 'TOO_LARGE' | 'HASH_MISMATCH' | 'SIZE_MISMATCH' | 'BAD_FRAME' | 'CHANNEL_CLOSED';

const CONTROL = 0;
const CHUNK = 1;

export function maxBytesOf(kind: FileKind): number {
  return kind === 'photo' ? MAX_PHOTO_BYTES : MAX_PDF_BYTES;
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

export function encodeControl(message: ControlMessage): Uint8Array {
  const body = new TextEncoder().encode(JSON.stringify(message));
  const out = new Uint8Array(body.length + 1);
  out[0] = CONTROL;
  out.set(body, 1);
  return out;
}

export function encodeChunk(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length + 1);
  out[0] = CHUNK;
  out.set(bytes, 1);
  return out;
}

export type Frame = { type: 'control'; message: ControlMessage } | { type: 'chunk'; bytes: Uint8Array } | { type: 'invalid' };

const KINDS = new Set(['photo', 'pdf']);
const LEVELS = new Set(['full', 'reduced', 'audio_only']);

function validControl(v: unknown): v is ControlMessage {
  if (typeof v !== 'object' || v === null) return false;
  const m = v as Record<string, unknown>;
  const id = typeof m.id === 'string' && m.id.length > 0 && m.id.length <= 64;
  switch (m.t) {
    case 'file.start':
      return (
        id &&
        KINDS.has(m.kind as string) &&
        typeof m.name === 'string' &&
        m.name.length <= 200 &&
        Number.isInteger(m.size) &&
        (m.size as number) >= 0 &&
        typeof m.sha256 === 'string' &&
        /^[0-9a-f]{64}$/.test(m.sha256)
      );
    case 'file.end':
      return id;
    case 'file.result':
      return id && typeof m.ok === 'boolean';
    case 'level':
      return LEVELS.has(m.level as string) && typeof m.manual === 'boolean';
    default:
      return false;
  }
}

/** Decodes what the data channel delivered (simple-peer gives a Uint8Array; a string is tolerated as a control frame). */
export function decodeFrame(data: Uint8Array | ArrayBuffer | string): Frame {
  if (typeof data === 'string') return parseControl(data);
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
  if (bytes.length === 0) return { type: 'invalid' };
  if (bytes[0] === CHUNK) return { type: 'chunk', bytes: bytes.subarray(1) };
  if (bytes[0] === CONTROL) return parseControl(new TextDecoder().decode(bytes.subarray(1)));
  return { type: 'invalid' };
}

function parseControl(text: string): Frame {
  try {
    const value: unknown = JSON.parse(text);
    return validControl(value) ? { type: 'control', message: value } : { type: 'invalid' };
  } catch {
    return { type: 'invalid' };
  }
}

/** What the sender needs of the channel: send bytes, and how many are still queued. */
export interface DataLink {
  send(bytes: Uint8Array): void;
  bufferedAmount(): number;
  isOpen(): boolean;
}

export interface Progress {
  id: string;
  kind: FileKind;
  name: string;
  size: number;
  done: number;
}

const waitFor = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Sends one file; resolves once every byte is handed to the channel (the receiver answers with a `file.result`). */
export async function sendFile(
  link: DataLink,
  file: { id: string; kind: FileKind; name: string; bytes: Uint8Array },
  onProgress: (p: Progress) => void = () => undefined,
): Promise<{ sha256: string }> {
  if (file.bytes.length > maxBytesOf(file.kind)) throw new TransferError('TOO_LARGE');
  const sha256 = await sha256Hex(file.bytes);
  const base = { id: file.id, kind: file.kind, name: file.name, size: file.bytes.length };
  link.send(encodeControl({ t: 'file.start', ...base, sha256 }));
  onProgress({ ...base, done: 0 });
  for (let offset = 0; offset < file.bytes.length; offset += CHUNK_BYTES) {
    // Backpressure: never let the channel queue grow without bound (it closes when its buffer overflows).
    while (link.bufferedAmount() > HIGH_WATER_BYTES) {
      if (!link.isOpen()) throw new TransferError('CHANNEL_CLOSED');
      await waitFor(5);
    }
    if (!link.isOpen()) throw new TransferError('CHANNEL_CLOSED');
    const end = Math.min(offset + CHUNK_BYTES, file.bytes.length);
    link.send(encodeChunk(file.bytes.subarray(offset, end)));
    onProgress({ ...base, done: end });
  }
  link.send(encodeControl({ t: 'file.end', id: file.id }));
  return { sha256 };
}

export class TransferError extends Error {
  constructor(readonly code: TransferErrorCode) {
    super(code);
    this.name = 'TransferError';
  }
}

export interface ReceivedFile {
  id: string;
  kind: FileKind;
  name: string;
  bytes: Uint8Array;
  sha256: string;
}

/** Reassembles incoming files, refuses oversize ones and checks size and SHA-256 on arrival. */
export class FileReceiver {
  private current: { id: string; kind: FileKind; name: string; size: number; sha256: string; parts: Uint8Array[]; done: number; refused: boolean } | null = null;

  constructor(
    private readonly handlers: {
      progress(p: Progress): void;
      complete(file: ReceivedFile): void;
      failed(id: string, code: TransferErrorCode): void;
      /** Answer to the sender (a `file.result`). */
      reply(message: ControlMessage): void;
    },
  ) {}

  /** Feeds one decoded frame; returns false when the frame is not about files (the caller handles it). */
  async accept(frame: Frame): Promise<boolean> {
    if (frame.type === 'chunk') {
      const c = this.current;
      if (!c || c.refused) return true;
      c.done += frame.bytes.length;
      if (c.done > c.size) {
        this.fail('SIZE_MISMATCH');
        return true;
      }
      c.parts.push(frame.bytes.slice());
      this.handlers.progress({ id: c.id, kind: c.kind, name: c.name, size: c.size, done: c.done });
      return true;
    }
    if (frame.type !== 'control') return false;
    const m = frame.message;
    if (m.t === 'file.start') {
      this.current = { id: m.id, kind: m.kind, name: m.name, size: m.size, sha256: m.sha256, parts: [], done: 0, refused: false };
      if (m.size > maxBytesOf(m.kind)) this.fail('TOO_LARGE');
      else this.handlers.progress({ id: m.id, kind: m.kind, name: m.name, size: m.size, done: 0 });
      return true;
    }
    if (m.t === 'file.end') {
      const c = this.current;
      if (!c || c.id !== m.id || c.refused) {
        this.current = null;
        return true;
      }
      this.current = null;
      if (c.done !== c.size) {
        this.report(c.id, 'SIZE_MISMATCH');
        return true;
      }
      const bytes = new Uint8Array(c.size);
      let at = 0;
      for (const p of c.parts) {
        bytes.set(p, at);
        at += p.length;
      }
      const sha256 = await sha256Hex(bytes);
      if (sha256 !== c.sha256) {
        this.report(c.id, 'HASH_MISMATCH');
        return true;
      }
      this.handlers.reply({ t: 'file.result', id: c.id, ok: true });
      this.handlers.complete({ id: c.id, kind: c.kind, name: c.name, bytes, sha256 });
      return true;
    }
    return false;
  }

  private fail(code: TransferErrorCode): void {
    const c = this.current;
    if (!c) return;
    c.refused = true;
    c.parts = [];
    this.report(c.id, code);
  }

  private report(id: string, code: TransferErrorCode): void {
    this.handlers.reply({ t: 'file.result', id, ok: false, reason: code });
    this.handlers.failed(id, code);
  }
}

/**
 * Encodes a picture as JPEG under `maxBytes`: lowers the quality first, then the size. `encode` is the canvas
 * (`toBlob`) in the browser, a fake in tests.
 */
export async function encodeUnder(
  encode: (quality: number, scale: number) => Promise<Uint8Array>,
  maxBytes: number = MAX_PHOTO_BYTES,
): Promise<{ bytes: Uint8Array; quality: number; scale: number }> {
  const qualities = [0.92, 0.8, 0.65, 0.5, 0.35];
  for (let scale = 1; scale >= 0.125; scale /= 2) {
    for (const quality of qualities) {
      const bytes = await encode(quality, scale);
      if (bytes.length <= maxBytes) return { bytes, quality, scale };
    }
  }
  throw new TransferError('TOO_LARGE');
}
