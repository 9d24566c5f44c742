// What one node sends another in one turn of the event loop, as one text: a header naming the sender and the batch's
// number (per destination, from 1), then the messages. The same text goes over the nodes' direct link (links.ts) or,
// when there is none, through the destination's inbox on the bus; the receiver puts batches back in their order,
// whichever way each came (a link that breaks has its unacknowledged batches sent again through the bus).
import type { NodeMessage } from './bus.js';

/** One message of a batch: `<kind><socket id> <length> <payload>` (kind `r`: a relayed signal's text, `m`: JSON). */
export function encodeNodeMessage(msg: NodeMessage): string {
  const payload = msg.k === 'raw' ? msg.raw : JSON.stringify(msg);
  return `${msg.k === 'raw' ? 'r' : 'm'}${msg.to} ${payload.length} ${payload}`;
}

/** The messages of a batch, appended to `out`; false (and what comes after dropped) where it cannot be read. */
export function decodeNodeMessages(text: string, out: NodeMessage[], from = 0): boolean {
  let at = from;
  while (at < text.length) {
    const kind = text[at];
    const sp1 = text.indexOf(' ', at);
    const sp2 = sp1 < 0 ? -1 : text.indexOf(' ', sp1 + 1);
    const digits = sp2 < 0 ? '' : text.slice(sp1 + 1, sp2);
    const length = /^[0-9]{1,9}$/.test(digits) ? Number(digits) : NaN;
    if ((kind !== 'r' && kind !== 'm') || Number.isNaN(length) || sp2 + 1 + length > text.length) return false;
    const to = text.slice(at + 1, sp1);
    const payload = text.slice(sp2 + 1, sp2 + 1 + length);
    at = sp2 + 1 + length;
    if (kind === 'r') {
      out.push({ k: 'raw', to, raw: payload });
      continue;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(payload);
    } catch {
      return false;
    }
    const m = parsed as Partial<NodeMessage> | null;
    if (!m || m.k !== 'frame' || typeof m.to !== 'string' || typeof m.frame !== 'object' || m.frame === null) return false;
    out.push(m as NodeMessage);
  }
  return true;
}

/** `<sender> <number>\n`: the header of a batch. */
export const batchHeader = (from: string, seq: number): string => `${from} ${seq}\n`;

/** A batch's sender, number and where its messages start; null if its header cannot be read. */
export function readBatchHeader(text: string): { from: string; seq: number; body: number } | null {
  const nl = text.indexOf('\n');
  if (nl < 0 || nl > 200) return null;
  const sp = text.indexOf(' ');
  if (sp <= 0 || sp > nl) return null;
  const digits = text.slice(sp + 1, nl);
  if (!/^[1-9][0-9]{0,14}$/.test(digits)) return null;
  return { from: text.slice(0, sp), seq: Number(digits), body: nl + 1 };
}
