// Registers one IPC handler per contract verb, refusing senders that are not the top frame of a kiosk window,
// and forwards the kiosk's events to our windows. A channel outside the contract never gets a handler.
import type { IpcMain, IpcMainInvokeEvent, WebContents, WebFrameMain } from 'electron';
import { channelOf, EVENT_CHANNEL, events, VERB_NAMES, type EventName, type WireResult } from '../../shared/contract/index.js';
import { dispatch, type DispatchDeps } from '../services/dispatch.js';
import { APP_ORIGIN, originOf } from './origin.js';

export type IpcMainSurface = Pick<IpcMain, 'handle' | 'removeHandler'>;

/** What the guard reads of an invoke event. */
export type SenderEvent = Pick<IpcMainInvokeEvent, 'sender'> & {
  readonly senderFrame: Pick<WebFrameMain, 'parent' | 'url'> | null;
};

export type SenderVerdict = { trusted: true } | { trusted: false; reason: 'NO_FRAME' | 'SUB_FRAME' | 'UNKNOWN_WEB_CONTENTS' | 'FOREIGN_ORIGIN' };

export interface SenderGuardOptions {
  /** Whether these web contents belong to one of our kiosk windows. */
  isKioskWebContents(contents: WebContents): boolean;
  origin?: string;
}

export function createSenderGuard(options: SenderGuardOptions): (event: SenderEvent) => SenderVerdict {
  const origin = options.origin ?? APP_ORIGIN;
  return (event) => {
    const frame = event.senderFrame;
    if (!frame) return { trusted: false, reason: 'NO_FRAME' };
    if (frame.parent !== null) return { trusted: false, reason: 'SUB_FRAME' };
    if (!options.isKioskWebContents(event.sender)) return { trusted: false, reason: 'UNKNOWN_WEB_CONTENTS' };
    if (originOf(frame.url) !== origin) return { trusted: false, reason: 'FOREIGN_ORIGIN' };
    return { trusted: true };
  };
}

export interface RegisterContractOptions {
  dispatchDeps: DispatchDeps;
  isTrustedSender(event: SenderEvent): SenderVerdict;
}

const forbidden: WireResult<never> = { ok: false, error: { code: 'FORBIDDEN_SENDER', message: 'Forbidden sender' } };

/** Registers `relais:<verb>` for every verb; returns a function that removes them all. */
export function registerContract(ipcMain: IpcMainSurface, options: RegisterContractOptions): () => void {
  const { dispatchDeps, isTrustedSender } = options;
  const channels = VERB_NAMES.map((verbName) => {
    const channel = channelOf(verbName);
    ipcMain.handle(channel, (event: IpcMainInvokeEvent, input: unknown) => {
      const verdict = isTrustedSender(event);
      if (!verdict.trusted) {
        dispatchDeps.logger.warn({ code: 'FORBIDDEN_SENDER', verb: verbName, reason: verdict.reason, origin: originOf(event.senderFrame?.url) }, 'IPC call from an untrusted sender refused');
        return forbidden;
      }
      return dispatch(dispatchDeps, verbName, input);
    });
    return channel;
  });
  return () => channels.forEach((channel) => ipcMain.removeHandler(channel));
}

export type EventTarget = Pick<WebContents, 'send' | 'isDestroyed'>;

export interface ForwardEventsOptions {
  subscribe(listener: (name: string, payload: unknown) => void): () => void;
  /** The web contents of our kiosk windows at the time of the event. */
  targets(): Iterable<EventTarget>;
  logger: DispatchDeps['logger'];
}

/** Sends each kiosk event, checked against the contract, as `{ name, payload }` on EVENT_CHANNEL. */
export function forwardEvents(options: ForwardEventsOptions): () => void {
  return options.subscribe((name, payload) => {
    if (!Object.hasOwn(events, name)) {
      options.logger.error({ code: 'UNKNOWN_EVENT', event: String(name).slice(0, 60) }, 'event outside the contract not forwarded');
      return;
    }
    const checked = events[name as EventName].safeParse(payload);
    if (!checked.success) {
      options.logger.error({ code: 'INVALID_EVENT', event: name }, 'event payload outside the contract not forwarded');
      return;
    }
    for (const target of options.targets()) {
      if (!target.isDestroyed()) target.send(EVENT_CHANNEL, { name, payload: checked.data });
    }
  });
}
