// The batches nodes send each other through Redis: what is written is read back exactly, and a damaged batch is
// refused where it stops making sense (never a throw, never a message made up).
import { describe, expect, it } from 'vitest';
import type { NodeMessage } from '../../../../server/cluster/bus.js';
import { decodeNodeMessages, encodeNodeMessage } from '../../../../server/cluster/batches.js';

const read = (text: string): { ok: boolean; out: NodeMessage[] } => {
  const out: NodeMessage[] = [];
  return { ok: decodeNodeMessages(text, out), out };
};

describe('messages between nodes', () => {
  it('reads back signals and frames as written, with spaces, newlines, quotes and emoji in them', () => {
    const messages: NodeMessage[] = [
      { k: 'raw', to: '12', raw: '{"type":"signal","callId":"a b","data":{"sdp":"v=0\\r\\n o=- 1 2 IN IP4"}}' },
      { k: 'raw', to: '7', raw: '{ "type" : "signal",\n "data": {"x":"🙂 \\" 12 r7 "} }' },
      { k: 'frame', to: '3', frame: { type: 'call.ended', callId: 'c1', reason: 'peer_lost' }, peer: 'n1.abc~4' },
      { k: 'raw', to: '9', raw: '' },
    ];
    const { ok, out } = read(messages.map(encodeNodeMessage).join(''));
    expect(ok).toBe(true);
    expect(out).toEqual(messages);
  });

  it.each([
    ['an unknown kind', 'x12 3 abc'],
    ['a length that is not a number', 'r12 -3 abc'],
    ['a length past the end', 'r12 99 abc'],
    ['an enormous length', 'r12 99999999999999999999 abc'],
    ['no spaces at all', 'r12'],
    ['a frame that is not JSON', 'm3 5 {nope'],
    ['a frame of the wrong shape', `m3 13 {"k":"raw"}`],
    ['JSON null', 'm3 4 null'],
  ])('refuses %s without throwing and keeps what came before', (_what, tail) => {
    const good = encodeNodeMessage({ k: 'raw', to: '1', raw: '{}' });
    const { ok, out } = read(good + tail);
    expect(ok).toBe(false);
    expect(out).toEqual([{ k: 'raw', to: '1', raw: '{}' }]);
  });
});
