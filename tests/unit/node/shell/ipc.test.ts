import type { IpcMainInvokeEvent } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { channelOf, EVENT_CHANNEL, VERB_NAMES, type AuthState } from '../../../../shared/contract/index.js';
import { ExpectedError } from '../../../../shared/errors.js';
import type { DispatchDeps, Handlers } from '../../../../electron/services/dispatch.js';
import { createSenderGuard, forwardEvents, registerContract, type IpcMainSurface } from '../../../../electron/shell/ipc.js';
import { FakeWebContents, invokeEvent, memoryLogger, type FakeFrame } from './fakes.js';

type InvokeListener = (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown;

class FakeIpcMain {
  readonly handlers = new Map<string, InvokeListener>();
  handle(channel: string, listener: InvokeListener): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  invoke(channel: string, event: IpcMainInvokeEvent, input: unknown): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`no handler for ${channel}`);
    return Promise.resolve(handler(event, input));
  }
}

const locked: AuthState = { unlocked: false, mediator: null, failures: 0, lockedUntil: null };

function setup() {
  const ipcMain = new FakeIpcMain();
  const { logger, lines } = memoryLogger();
  const handlers = Object.fromEntries(VERB_NAMES.map((verb) => [verb, vi.fn()])) as unknown as Handlers & Record<string, ReturnType<typeof vi.fn>>;
  vi.mocked(handlers['auth.state']).mockReturnValue(locked);
  const requireMediator = vi.fn(() => {
    throw new ExpectedError('NOT_UNLOCKED', 'Session médiateur fermée');
  });
  const dispatchDeps: DispatchDeps = { handlers, requireMediator, logger };
  const kioskContents = new FakeWebContents();
  const isTrustedSender = createSenderGuard({ isKioskWebContents: (contents) => contents === (kioskContents as unknown) });
  const unregister = registerContract(ipcMain as IpcMainSurface, { dispatchDeps, isTrustedSender });
  const top: FakeFrame = { url: 'app://kiosk/index.html', parent: null };
  return { ipcMain, lines, handlers, requireMediator, kioskContents, top, unregister };
}

describe('registerContract', () => {
  it('registers exactly one handler per contract verb, on that verb’s channel, and no other channel', () => {
    const { ipcMain } = setup();
    expect([...ipcMain.handlers.keys()].sort()).toEqual(VERB_NAMES.map(channelOf).sort());
    expect(ipcMain.handlers.has('relais:shell.openExternal')).toBe(false);
    expect(ipcMain.handlers.has(EVENT_CHANNEL)).toBe(false);
  });

  it('removes every handler it registered when disposed', () => {
    const { ipcMain, unregister } = setup();
    unregister();
    expect(ipcMain.handlers.size).toBe(0);
  });

  it('passes a call from the kiosk window’s top frame to dispatch and returns its wire result', async () => {
    const { ipcMain, kioskContents, top, handlers } = setup();
    const result = await ipcMain.invoke(channelOf('auth.state'), invokeEvent(kioskContents, top), {});
    expect(result).toEqual({ ok: true, value: locked });
    expect(handlers['auth.state']).toHaveBeenCalledTimes(1);
  });

  it('validates input through dispatch before any handler runs', async () => {
    const { ipcMain, kioskContents, top, handlers } = setup();
    const result = await ipcMain.invoke(channelOf('auth.unlock'), invokeEvent(kioskContents, top), { pin: 1234 });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(handlers['auth.unlock']).not.toHaveBeenCalled();
  });

  it('enforces the mediator session on mediator-only verbs', async () => {
    const { ipcMain, kioskContents, top, handlers, requireMediator } = setup();
    const result = await ipcMain.invoke(channelOf('visits.listDay'), invokeEvent(kioskContents, top), {});
    expect(result).toMatchObject({ ok: false, error: { code: 'NOT_UNLOCKED' } });
    expect(requireMediator).toHaveBeenCalledTimes(1);
    expect(handlers['visits.listDay']).not.toHaveBeenCalled();
  });

  const refusals: Array<[string, (s: ReturnType<typeof setup>) => IpcMainInvokeEvent, string]> = [
    ['an event without sender frame', (s) => invokeEvent(s.kioskContents, null), 'NO_FRAME'],
    ['a sub-frame of the kiosk page', (s) => invokeEvent(s.kioskContents, { url: 'app://kiosk/index.html', parent: s.top }), 'SUB_FRAME'],
    ['web contents that are not the kiosk window', (s) => invokeEvent(new FakeWebContents(), s.top), 'UNKNOWN_WEB_CONTENTS'],
    ['a foreign https origin', (s) => invokeEvent(s.kioskContents, { url: 'https://evil.example/app://kiosk', parent: null }), 'FOREIGN_ORIGIN'],
    ['a look-alike host', (s) => invokeEvent(s.kioskContents, { url: 'app://kiosk.evil.example/index.html', parent: null }), 'FOREIGN_ORIGIN'],
    ['a file:// page', (s) => invokeEvent(s.kioskContents, { url: 'file:///work/dist/renderer/index.html', parent: null }), 'FOREIGN_ORIGIN'],
    ['an unparsable frame URL', (s) => invokeEvent(s.kioskContents, { url: 'not a url', parent: null }), 'FOREIGN_ORIGIN'],
  ];
  for (const [what, eventOf, reason] of refusals) {
    it(`refuses ${what} with FORBIDDEN_SENDER, without running the handler, and logs it`, async () => {
      const s = setup();
      const result = await s.ipcMain.invoke(channelOf('auth.state'), eventOf(s), {});
      expect(result).toEqual({ ok: false, error: { code: 'FORBIDDEN_SENDER', message: 'Forbidden sender' } });
      expect(s.handlers['auth.state']).not.toHaveBeenCalled();
      expect(s.lines).toContainEqual(expect.objectContaining({ code: 'FORBIDDEN_SENDER', reason, verb: 'auth.state' }));
    });
  }
});

describe('forwardEvents', () => {
  function setupEvents() {
    let emit: (name: string, payload: unknown) => void = () => {};
    const unsubscribe = vi.fn();
    const targets = [new FakeWebContents(), new FakeWebContents()];
    const { logger, lines } = memoryLogger();
    const stop = forwardEvents({
      subscribe: (listener) => {
        emit = listener;
        return unsubscribe;
      },
      targets: () => targets,
      logger,
    });
    return { emit: (name: string, payload: unknown) => emit(name, payload), targets, lines, stop, unsubscribe };
  }

  it('sends a contract event as { name, payload } on the event channel to every live window', () => {
    const { emit, targets } = setupEvents();
    targets[1]!.destroyed = true;
    emit('auth.changed', locked);
    expect(targets[0]!.sent).toEqual([{ channel: EVENT_CHANNEL, args: [{ name: 'auth.changed', payload: locked }] }]);
    expect(targets[1]!.sent).toEqual([]);
  });

  it('drops events outside the contract and payloads that do not match its schema', () => {
    const { emit, targets, lines } = setupEvents();
    emit('shell.exec', { cmd: 'rm' });
    emit('auth.changed', { unlocked: 'yes' });
    expect(targets[0]!.sent).toEqual([]);
    expect(lines.map((l) => l.code)).toEqual(['UNKNOWN_EVENT', 'INVALID_EVENT']);
  });

  it('returns the kiosk’s unsubscribe function', () => {
    const { stop, unsubscribe } = setupEvents();
    stop();
    expect(unsubscribe).toHaveBeenCalledTimes(1);
  });
});
