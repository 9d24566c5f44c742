// Which organisations booths can call now, told to every signed-in socket: coalesced, sent only when it changed, and
// in slices so that relayed signals are not held back behind 10,000 sends.
import type { HubFrame, OrganisationPresence } from '../shared/protocol.js';
import type { Scheduler } from './calls.js';
import type { Conn } from './connections/conn.js';

/** Presence changes are gathered for this long before one broadcast. */
export const PRESENCE_COALESCE_MS = 1_000;
/** Sockets sent the presence per turn of the event loop (~2 ms of sends). */
export const PRESENCE_SLICE = 128;

export interface PresenceDeps {
  clock: () => number;
  /** What the call engine says of each organisation now. */
  presenceOf: (now: number) => OrganisationPresence[];
  conns: () => Iterable<Conn>;
  sendRaw: (conn: Conn, text: string) => void;
  /** For the coalescing delay. */
  scheduler: Scheduler;
  /** Runs `fn` at the next turn of the event loop (setImmediate). */
  defer: (fn: () => void) => void;
}

export interface Presence {
  /** The presence frame's text for a socket that signs in or asks (`presence.get`). */
  frameText(): string;
  /** What booths see may have changed: one broadcast after PRESENCE_COALESCE_MS, if it did change. */
  changed(): void;
  /** The presence of now counts as told (sockets signing in are told it): called once the engine exists. */
  noteToldNow(): void;
  close(): void;
}

// A count of agents changing is not news for 10,000 booths; whether an organisation can be called is.
const presenceKey = (list: OrganisationPresence[]): string => list.map((o) => `${o.code}:${o.openNow}:${o.reachable}:${o.nextOpening}:${o.closesAt}`).join('|');

export function createPresence({ clock, presenceOf, conns, sendRaw, scheduler, defer }: PresenceDeps): Presence {
  let timer: unknown = null;
  let closed = false;
  // The presence text sent to each socket that authenticates, rebuilt only when presence changed or a minute passed.
  let text: string | null = null;
  let textMinute = -1;
  /** What the sockets were last told (each is told the presence as it signs in). */
  let lastPresence = '';
  let generation = 0;

  /** Sent to every authenticated socket only when what it says changed (not on every call set-up). */
  function broadcast(): void {
    timer = null;
    const organisationsNow = presenceOf(clock());
    const key = presenceKey(organisationsNow);
    if (key === lastPresence) return;
    lastPresence = key;
    const frame = JSON.stringify({ type: 'presence', at: clock(), organisations: organisationsNow } satisfies HubFrame);
    // 10,000 sends take ~150 ms: sent in slices, one per turn of the event loop, so signals relayed meanwhile are not
    // held back. A newer presence replaces one still being sent (the sockets it had not reached get the newer one).
    const mine = ++generation;
    const targets: Conn[] = [];
    for (const c of conns()) if (c.role !== 'none') targets.push(c);
    let next = 0;
    const slice = (): void => {
      if (mine !== generation || closed) return;
      const end = Math.min(next + PRESENCE_SLICE, targets.length);
      for (; next < end; next++) sendRaw(targets[next]!, frame);
      if (next < targets.length) defer(slice);
    };
    slice();
  }

  return {
    frameText() {
      const now = clock();
      const minute = Math.floor(now / 60_000);
      if (text === null || minute !== textMinute) {
        text = JSON.stringify({ type: 'presence', at: now, organisations: presenceOf(now) } satisfies HubFrame);
        textMinute = minute;
      }
      return text;
    },
    // Coalesced: a burst of agent changes gives one presence frame to the booths.
    changed() {
      text = null;
      if (timer !== null || closed) return;
      timer = scheduler.setTimeout(broadcast, PRESENCE_COALESCE_MS);
    },
    noteToldNow() {
      lastPresence = presenceKey(presenceOf(clock()));
    },
    close() {
      closed = true;
      if (timer !== null) scheduler.clearTimeout(timer);
    },
  };
}
