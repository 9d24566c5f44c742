// Typed fakes of the few Electron objects the shell touches. Each fake is cast once, here, to the real Electron type
// the shell asks for (a Pick of electron.d.ts), so a signature change in Electron breaks these tests at compile time.
import type { IpcMainInvokeEvent, WebContents, WebFrameMain } from 'electron';
import pino from 'pino';
import type { Logger } from '../../../../electron/services/logger.js';

type Listener = (...args: unknown[]) => unknown;

/** Records listeners per event name and lets a test emit events. */
export class FakeEmitter {
  readonly listeners = new Map<string, Listener[]>();
  on(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  once(event: string, listener: Listener): this {
    const wrapped: Listener = (...args) => {
      this.listeners.set(event, (this.listeners.get(event) ?? []).filter((l) => l !== wrapped));
      return listener(...args);
    };
    return this.on(event, wrapped);
  }
  emit(event: string, ...args: unknown[]): void {
    for (const listener of this.listeners.get(event) ?? []) listener(...args);
  }
  count(event: string): number {
    return this.listeners.get(event)?.length ?? 0;
  }
}

/** A cancellable Electron event, as passed to will-navigate, before-input-event, … */
export const fakeEvent = <T extends object>(props: T = {} as T) => {
  const event = { defaultPrevented: false, preventDefault: () => (event.defaultPrevented = true), ...props };
  return event;
};

export class FakeWebContents extends FakeEmitter {
  url = 'app://kiosk/index.html';
  destroyed = false;
  reloads = 0;
  sent: Array<{ channel: string; args: unknown[] }> = [];
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  getURL(): string {
    return this.url;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  reload(): void {
    this.reloads += 1;
  }
  send(channel: string, ...args: unknown[]): void {
    this.sent.push({ channel, args });
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
}

export const asWebContents = (fake: FakeWebContents): WebContents => fake as unknown as WebContents;

export interface FakeFrame {
  url: string;
  parent: FakeFrame | null;
}

/** An invoke event from a frame of some web contents. */
export const invokeEvent = (sender: FakeWebContents, frame: FakeFrame | null): IpcMainInvokeEvent =>
  ({ sender, senderFrame: frame as unknown as WebFrameMain | null, frameId: 1, processId: 1, type: 'frame', preventDefault() {}, defaultPrevented: false }) as unknown as IpcMainInvokeEvent;

export interface LogLine {
  level: number;
  code?: string;
  msg?: string;
  [key: string]: unknown;
}

/** A pino logger whose lines a test can read. */
export function memoryLogger(): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) });
  return { logger, lines };
}
