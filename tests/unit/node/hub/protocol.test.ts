// The socket protocol's schemas: what they accept, what they refuse, and which role may send what.
import { describe, expect, it } from 'vitest';
import { AGENT_FRAMES, BOOTH_FRAMES, ClientFrame, HubFrame, handshakeCredential, handshakeProtocols, parseClientFrame } from '../../../../shared/protocol.js';

describe('protocol schemas', () => {
  it('accepts every well-formed client frame', () => {
    const frames = [
      { type: 'auth.booth', token: 'rb_x' },
      { type: 'auth.agent', login: 'demo-caf', password: 'secret' },
      { type: 'auth.session', session: 'rs_x' },
      { type: 'agent.status', status: 'available' },
      { type: 'presence.get' },
      { type: 'call.request', organisation: 'CAF' },
      { type: 'call.cancel' },
      { type: 'call.accept', callId: 'c1' },
      { type: 'call.decline', callId: 'c1' },
      { type: 'call.hangup', callId: 'c1' },
      { type: 'signal', callId: 'c1', data: { type: 'offer', sdp: 'v=0\r\n' } },
      { type: 'ping', t: 1 },
    ];
    for (const f of frames) expect(ClientFrame.safeParse(f).success, f.type).toBe(true);
  });

  it.each([
    ['unknown kind', { type: 'call.steal', callId: 'c1' }],
    ['missing type', { callId: 'c1' }],
    ['wrong field type', { type: 'call.accept', callId: 42 }],
    ['extra field', { type: 'call.cancel', callId: 'c1' }],
    ['bad organisation code', { type: 'call.request', organisation: 'caf; drop' }],
    ['empty token', { type: 'auth.booth', token: '' }],
    ['oversized login', { type: 'auth.agent', login: 'x'.repeat(65), password: 'p' }],
    ['signal data not an object', { type: 'signal', callId: 'c1', data: 'offer' }],
    ['signal data an array', { type: 'signal', callId: 'c1', data: [1] }],
    ['unknown status', { type: 'agent.status', status: 'busy' }],
    ['not an object', 'hello'],
    ['null', null],
  ])('refuses a frame with %s', (_name, value) => {
    expect(parseClientFrame(value).ok).toBe(false);
  });

  it('validates hub frames with their reasons', () => {
    expect(HubFrame.safeParse({ type: 'call.unavailable', callId: 'c', organisation: 'CAF', reason: 'no_agent', nextOpening: null }).success).toBe(true);
    expect(HubFrame.safeParse({ type: 'call.unavailable', callId: 'c', organisation: 'CAF', reason: 'sleeping', nextOpening: null }).success).toBe(false);
    expect(HubFrame.safeParse({ type: 'call.ended', callId: 'c', reason: 'peer_lost' }).success).toBe(true);
    expect(HubFrame.safeParse({ type: 'error', code: 'NOPE', message: '' }).success).toBe(false);
  });

  it('keeps call control on the right side: booths request, agents accept', () => {
    expect(BOOTH_FRAMES.has('call.request')).toBe(true);
    expect(BOOTH_FRAMES.has('call.accept')).toBe(false);
    expect(BOOTH_FRAMES.has('agent.status')).toBe(false);
    expect(AGENT_FRAMES.has('call.accept')).toBe(true);
    expect(AGENT_FRAMES.has('call.request')).toBe(false);
  });
});

describe('credentials in the handshake', () => {
  it('offers a token or a session beside the subprotocol, and reads back what it offered', () => {
    const token = 'rb_Ab-9_xYz';
    expect(handshakeProtocols({ booth: token })).toEqual(['relais', `relais.booth.${token}`]);
    expect(handshakeCredential(handshakeProtocols({ booth: token }).join(', '))).toEqual({ booth: token });
    expect(handshakeCredential(handshakeProtocols({ session: 'rs_1' }).join(','))).toEqual({ session: 'rs_1' });
    expect(handshakeProtocols(null)).toEqual(['relais']);
    expect(handshakeCredential('relais')).toBeNull();
    expect(handshakeCredential(undefined)).toBeNull();
  });

  it('keeps in an auth frame what a header could not carry', () => {
    // A space, a comma or a character outside HTTP tokens would break Sec-WebSocket-Protocol.
    for (const odd of ['rb x', 'rb,x', 'rb_é', '', 'r'.repeat(300)]) expect(handshakeProtocols({ booth: odd })).toEqual(['relais']);
    expect(handshakeCredential('relais, relais.booth.rb x')).toBeNull();
    expect(handshakeCredential('relais, relais.admin.rb_x')).toBeNull();
  });
});
