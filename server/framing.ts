// The hub's own WebSocket framing for what it writes past ws (relayed signals, a sign-in's answers), and the nesting
// check that runs before any frame is parsed.

const headerBytesOf = (length: number): number => (length < 126 ? 2 : length < 65_536 ? 4 : 10);

/** Writes the header of an unmasked, final text frame of `length` bytes at `at`; returns where its payload goes. */
function writeTextHeader(out: Buffer, at: number, length: number): number {
  out[at] = 0x81;
  if (length < 126) {
    out[at + 1] = length;
    return at + 2;
  }
  if (length < 65_536) {
    out[at + 1] = 126;
    out.writeUInt16BE(length, at + 2);
    return at + 4;
  }
  out[at + 1] = 127;
  out.writeBigUInt64BE(BigInt(length), at + 2);
  return at + 10;
}

/** An unmasked, final WebSocket text frame (RFC 6455 §5.2) carrying `payload`, in one buffer. */
export function textFrame(payload: Buffer): Buffer {
  const frame = Buffer.allocUnsafe(headerBytesOf(payload.length) + payload.length);
  payload.copy(frame, writeTextHeader(frame, 0, payload.length));
  return frame;
}

/** Several texts as consecutive text frames, in one buffer. */
export function textFrames(texts: readonly string[]): Buffer {
  const lengths = texts.map((t) => Buffer.byteLength(t));
  let total = 0;
  for (const length of lengths) total += headerBytesOf(length) + length;
  const out = Buffer.allocUnsafe(total);
  let at = 0;
  texts.forEach((text, i) => {
    at = writeTextHeader(out, at, lengths[i]!);
    at += out.write(text, at, 'utf8');
  });
  return out;
}

const MAX_DEPTH = 16;
const BRACKETS_WITHOUT_SCAN = 64;
/** Below this, a frame's nesting costs V8 microseconds at worst: not checked (relayed signals are ~250 bytes). */
const NESTING_CHECK_BYTES = 1_024;

/**
 * Deeply nested JSON costs V8 milliseconds to parse (a cheap denial of service): refuse it first. Protocol frames
 * have a handful of brackets, counted with native `indexOf`; only a frame with many is scanned byte by byte.
 */
export function tooDeep(buf: Buffer): boolean {
  if (buf.length < NESTING_CHECK_BYTES) return false;
  let brackets = 0;
  for (const byte of [0x7b, 0x5b]) {
    let at = buf.indexOf(byte);
    while (at !== -1) {
      if (++brackets > BRACKETS_WITHOUT_SCAN) return scanDepth(buf) > MAX_DEPTH;
      at = buf.indexOf(byte, at + 1);
    }
  }
  return false;
}

function scanDepth(buf: Buffer): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i];
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) max = depth;
      if (max > MAX_DEPTH) return max;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return max;
}
