// The booth's call, as a zustand store: pre-flight, queue, connected call (files, level), end and visit record. The state
// and its shape are in callState.ts; what the call holds and how it ends in callEffects.ts; the hub's events in
// hubEvents.ts; the peer built ahead of the accept in preparePeer.ts.
import { createStore } from 'zustand/vanilla';
import type { PreflightFailure } from '../../call/media.js';
import type { BoothHubPort } from '../../call/ports.js';
import { createCallEffects, type CallEffects } from './callEffects.js';
import { IDLE, type BoothCallDeps, type BoothCallState, type BoothCallStore } from './callState.js';
import type { BoothHubLink } from './hubLink.js';
import { listenToHub, requestOnce, type CallAttempt } from './hubEvents.js';
import { preparePeer } from './preparePeer.js';

/** The hub connection of one attempt, asked for at the tap while the pre-flight runs. */
interface HubConnecting {
  readonly current: { link: BoothHubLink; owned: boolean };
  /** The hub client as soon as it is known (a kept connection: before the pre-flight ends). */
  known(): BoothHubPort | null;
  /** The hub client once the link has one, listened to; null when there is none or the attempt is stale. */
  readonly created: Promise<BoothHubPort | null>;
}

export function createBoothCallStore(deps: BoothCallDeps): BoothCallStore {
  return createStore<BoothCallState>()((set, get) => {
    const fx: CallEffects = createCallEffects(deps, { get, set });
    const { held } = fx;
    const stale = (attempt: CallAttempt) => attempt.generation !== held.generation;

    const connectHub = (attempt: CallAttempt): HubConnecting => {
      const current = 'kept' in deps.hubLink ? { link: deps.hubLink.kept, owned: false } : { link: deps.hubLink.perCall(), owned: true };
      held.link = current;
      let known: BoothHubPort | null = null;
      const created = current.link.acquire().then((hub) => {
        if (stale(attempt) || !hub) return null;
        held.hub = hub;
        known = hub;
        listenToHub(fx, attempt, hub);
        return hub;
      });
      return { current, known: () => known, created };
    };

    const preflightFailed = (attempt: CallAttempt, failure: PreflightFailure, connecting: HubConnecting): void => {
      set({ phase: 'preflight_failed', failure });
      fx.fault(`visio:preflight.${failure}`, 'equipment', `Pré-vérification visio : ${failure}`);
      deps.requestHelp(get().organisation ? `visio:${get().organisation}` : 'visio').catch(() => undefined);
      void connecting.created.then(() => {
        if (stale(attempt)) return;
        for (const off of held.offs) off();
        held.offs = [];
        if (connecting.current.owned) connecting.current.link.close();
        held.hub = null;
        held.link = null;
      });
    };

    const placeCall = async (attempt: CallAttempt, stream: MediaStream, connecting: HubConnecting): Promise<void> => {
      // The peer is built at once with the servers the hub gave at sign-in: its offer is made while the call is placed.
      const early = connecting.current.link.iceServers();
      if (early) preparePeer(fx, stream, null, early);
      set({ phase: 'connecting', localStream: stream });
      // A kept connection is used without waiting (no await: the request leaves before the screen is drawn).
      const hub = connecting.known() ?? (await connecting.created);
      if (stale(attempt) || get().phase !== 'connecting') return;
      if (!hub) {
        fx.fault('visio:hub_unreachable', 'connection', 'Service d’appel injoignable');
        fx.end('hub_unavailable');
        return;
      }
      // A kept connection is already authenticated: its auth.ok came before this call.
      if (hub.status === 'ready') attempt.authenticated = true;
      requestOnce(fx, attempt, hub);
      set({ hubStatus: hub.status });
      if (hub.status === 'refused') {
        fx.end('hub_unavailable');
        return;
      }
      if (hub.status === 'waiting_retry' || hub.status === 'connecting') fx.armHubLost();
    };

    return {
      ...IDLE,

      async start(organisation, appointmentId) {
        if (get().phase !== 'idle' && get().phase !== 'ended' && get().phase !== 'preflight_failed') return;
        held.recorded = false;
        const attempt: CallAttempt = { generation: ++held.generation, organisation, appointmentId, authenticated: false, requested: false, requeuedAt: null };
        set({ ...IDLE, phase: 'preflight', organisation });
        // The hub socket (already connected when the kiosk keeps one) and the pre-flight go together; the call is
        // requested as soon as both are done, with no other wait.
        const connecting = connectHub(attempt);
        const check = await deps.preflight();
        if (stale(attempt) || get().phase !== 'preflight') {
          if (check.ok) deps.stopStream(check.stream);
          return;
        }
        if (!check.ok) preflightFailed(attempt, check.failure, connecting);
        else await placeCall(attempt, check.stream, connecting);
      },

      cancel() {
        held.generation++;
        const phase = get().phase;
        if (phase === 'waiting' || phase === 'connecting') held.hub?.cancelCall();
        fx.teardown();
        set({ ...IDLE });
      },

      hangup() {
        if (get().phase !== 'connected') return;
        held.hub?.hangup();
        fx.end('hangup_booth');
      },

      async showDocument() {
        const stream = get().localStream;
        if (!held.session || !stream || get().phase !== 'connected') return;
        let bytes: Uint8Array;
        try {
          bytes = await deps.takePhoto(stream);
        } catch {
          set({ transfer: { kind: 'photo', name: '', size: 0, done: 0, state: 'failed' } });
          return;
        }
        const name = `document-${new Date(deps.now()).toISOString().replace(/[:.]/g, '-')}.jpg`;
        const current = held.session;
        if (!current) return;
        try {
          const { sha256 } = await current.sendFile('photo', name, bytes);
          const t = get().transfer;
          if (t) set({ transfer: { ...t, sha256 } });
        } catch {
          const t = get().transfer;
          set({ transfer: t ? { ...t, state: 'failed' } : { kind: 'photo', name, size: bytes.length, done: 0, state: 'failed' } });
        }
      },

      setAudioOnly(on) {
        held.session?.setAudioOnly(on);
        set({ audioOnly: on });
      },

      closePdf() {
        set({ pdf: null });
      },

      reset() {
        held.generation++;
        fx.teardown();
        set({ ...IDLE });
      },
    };
  });
}
