// The booth's peer, built before the agent accepts: the offer is made and the candidates gathered while the visitor waits,
// and they leave the moment the accept arrives.
import type { HubFrameOf } from '../../../shared/protocol.js';
import type { BoothHubPort, CallSessionPort } from '../../call/ports.js';
import type { CallEffects, PreparedPeer } from './callEffects.js';

/** Whether the prepared peer can serve this call: made with these servers, for this call or before any, and not failed. */
function preparedFits(prepared: PreparedPeer | null, callId: string | null, servers: string): boolean {
  return prepared !== null && prepared.servers === servers && !prepared.failed && (prepared.callId === null || prepared.callId === callId);
}

/**
 * Builds the peer before any accept (offer made, candidates gathered, all kept here): with the booth's servers right
 * after the pre-flight, else with the call's servers once queued. A peer made with other servers is replaced.
 */
export function preparePeer(fx: CallEffects, stream: MediaStream, callId: string | null, iceServers: unknown[]): void {
  const { held, sessionHandlers: handlers } = fx;
  const phase = fx.state.get().phase;
  if (phase !== 'preflight' && phase !== 'connecting' && phase !== 'waiting') return;
  const servers = JSON.stringify(iceServers);
  if (held.session && preparedFits(held.prepared, callId, servers)) {
    if (callId && held.prepared) held.prepared.callId = callId;
    return;
  }
  held.session?.destroy();
  const p: PreparedPeer = { callId, servers, held: [], sink: null, failed: false };
  held.prepared = p;
  const created: CallSessionPort = fx.deps.createSession({
    initiator: true,
    iceServers: iceServers as RTCIceServer[],
    stream,
    // Nothing leaves the booth before the agent accepts: the offer and candidates wait here.
    sendSignal: (data) => {
      if (p.held) p.held.push(data);
      else p.sink?.(data);
    },
    handlers: {
      ...handlers,
      closed: (cause) => {
        // A replaced peer says nothing; a prepared one that fails before the accept is rebuilt at the accept.
        if (held.session !== created) return;
        if (p.held) p.failed = true;
        else handlers.closed?.(cause);
      },
    },
  });
  held.session = created;
}

/** At the agent's accept: the prepared peer's signals leave, or a peer is built now for the call's servers and role. */
export function connectPeer(fx: CallEffects, h: BoothHubPort, f: HubFrameOf<'call.accepted'>, stream: MediaStream): void {
  const { held } = fx;
  const p = held.prepared;
  if (held.session && p?.held && f.initiator && preparedFits(p, f.callId, JSON.stringify(f.iceServers))) {
    // The prepared offer and candidates leave now, before anything else is done.
    const signals = p.held;
    p.held = null;
    p.sink = (data) => h.signal(data);
    for (const data of signals) h.signal(data);
  } else {
    held.session?.destroy();
    held.session = fx.deps.createSession({
      initiator: f.initiator,
      iceServers: f.iceServers as RTCIceServer[],
      stream,
      sendSignal: (data) => h.signal(data),
      handlers: fx.sessionHandlers,
    });
  }
  held.prepared = null;
}
