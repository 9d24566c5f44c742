// What the hub writes to its sockets: frames through ws, a sign-in's answers and relayed signals straight to the socket.
import type { Logger } from 'pino';
import { HUB_ERROR_MESSAGES, type HubErrorCode, type HubFrame } from '../../shared/protocol.js';
import { textFrame, textFrames } from '../framing.js';
import type { HubCounters } from '../stats.js';
import type { Conn } from './conn.js';

export interface WritesDeps {
  /** A socket whose unsent output exceeds this is dropped (it does not read). */
  maxBufferedBytes: number;
  counters: HubCounters;
  log: Logger;
}

export interface Writes {
  sendRaw(conn: Conn, text: string): void;
  sendFrame(conn: Conn, frame: HubFrame): void;
  sendError(conn: Conn, code: HubErrorCode, extra?: { retryAfterMs?: number; bad?: boolean }): void;
  /** Writes what a socket was answered while it signed in, gathered in its batch. */
  flush(conn: Conn): void;
  /** Writes a relayed signal's received bytes to the other side of the pair. */
  relayRaw(target: Conn, payload: Buffer): void;
}

export function createWrites({ maxBufferedBytes, counters, log }: WritesDeps): Writes {
  /** Whether a frame can be written to this socket now; one whose client no longer reads is closed instead. */
  function writable(conn: Conn): boolean {
    if (conn.closed || conn.ws.readyState !== 1) return false;
    if (conn.ws.bufferedAmount > maxBufferedBytes) {
      log.warn({ code: 'HUB_SLOW_CONSUMER', conn: conn.id }, 'connection no longer reads its messages: closed');
      conn.ws.terminate();
      return false;
    }
    return true;
  }
  function sendRaw(conn: Conn, text: string): void {
    if (conn.batch !== null) conn.batch.push(text);
    else if (writable(conn)) conn.ws.send(text, { binary: false });
  }
  const sendFrame = (conn: Conn, frame: HubFrame): void => sendRaw(conn, JSON.stringify(frame));
  return {
    sendRaw,
    sendFrame,
    sendError(conn, code, extra) {
      counters.byError[code] = (counters.byError[code] ?? 0) + 1;
      if (extra?.bad) counters.badFrames++;
      const frame: HubFrame = { type: 'error', code, message: HUB_ERROR_MESSAGES[code].fr };
      if (extra?.retryAfterMs !== undefined) frame.retryAfterMs = extra.retryAfterMs;
      sendFrame(conn, frame);
    },
    /**
     * Writes what a socket was answered while it signed in (hello, ice.servers, auth.ok, presence, or an error) as one
     * buffer of text frames: one write instead of one ws send each. Safe for the same reasons as `relayRaw`.
     */
    flush(conn) {
      const batch = conn.batch;
      if (batch === null) return;
      conn.batch = null;
      if (batch.length > 0 && writable(conn)) conn.socket.write(textFrames(batch));
    },
    /**
     * Writes a relayed signal to the target's socket as one WebSocket text frame in one buffer: one `write`, instead of
     * ws's cork, header, payload and uncork for each signal (measured in `npm run bench:hub`). Safe because the hub's
     * frames are never compressed nor fragmented (perMessageDeflate off), so ws has nothing queued that this could pass,
     * and the socket is written only while ws says it is open; ws's `bufferedAmount` counts these bytes too.
     */
    relayRaw(target, payload) {
      if (writable(target)) target.socket.write(textFrame(payload));
    },
  };
}
