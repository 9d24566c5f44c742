// The binding of the Electron teleservice views to the feature, against typed fakes of the Electron objects.
import { EventEmitter } from 'node:events';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import type { TeleserviceHost, TeleserviceHostEvent } from '../../../../electron/services/teleservice/feature.js';
import { silentLogger } from '../../../../electron/services/logger.js';
import type { ParentViewPort, SessionPort, ViewPort, WebContentsPort } from '../../../../electron/shell/teleservice.js';
import { bindTeleserviceViews, type TeleserviceViewPorts } from '../../../../electron/shell/teleserviceIpc.js';
import type { Guide } from '../../../../shared/guideSteps.js';

const guide: Guide = {
  id: 'caf-declaration-trimestrielle',
  organisation: 'CAF',
  title: 'Déclarer',
  summary: 'Tous les trois mois.',
  startUrl: 'https://www.caf.fr/',
  allowedOrigins: ['https://www.caf.fr'],
  visitorMayStart: true,
  steps: [{ title: 'Se connecter', text: 'a', picture: null, urlPattern: null }],
};

class FakeSession extends EventEmitter implements SessionPort {
  cleared: string[] = [];
  setPermissionRequestHandler(): void {}
  setPermissionCheckHandler(): void {}
  async clearData(): Promise<void> {
    this.cleared.push('clearData');
  }
  async clearStorageData(): Promise<void> {
    this.cleared.push('clearStorageData');
  }
  async clearCache(): Promise<void> {
    this.cleared.push('clearCache');
  }
  async clearAuthCache(): Promise<void> {
    this.cleared.push('clearAuthCache');
  }
}

class FakeContents extends EventEmitter implements WebContentsPort {
  loaded: string[] = [];
  closed = false;
  setWindowOpenHandler(): void {}
  async loadURL(url: string): Promise<void> {
    this.loaded.push(url);
  }
  close(): void {
    this.closed = true;
  }
  isDestroyed(): boolean {
    return this.closed;
  }
}

class FakeView implements ViewPort {
  readonly webContents = new FakeContents();
  bounds: unknown = null;
  setBounds(bounds: unknown): void {
    this.bounds = bounds;
  }
}

function setup() {
  const views: FakeView[] = [];
  const sessions: FakeSession[] = [];
  const delegated: ViewPort[] = [];
  const inputs = new Map<ViewPort, () => void>();
  const children = new Set<ViewPort>();
  const parent: ParentViewPort = { addChildView: (v) => void children.add(v), removeChildView: (v) => void children.delete(v) };
  const ports: TeleserviceViewPorts = {
    fromPartition: () => {
      const s = new FakeSession();
      sessions.push(s);
      return s;
    },
    createView: () => {
      const v = new FakeView();
      views.push(v);
      return v;
    },
    parent,
    delegateNavigation: (view) => void delegated.push(view),
    watchInput: (view, onInput) => void inputs.set(view, onInput),
  };
  let host: TeleserviceHost | null = null;
  const events: TeleserviceHostEvent[] = [];
  let now = 1_000;
  const binding = bindTeleserviceViews({
    feature: {
      attachHost: (h) => {
        host = h;
        return () => {
          host = null;
        };
      },
      hostEvent: (e) => void events.push(e),
    },
    ports,
    downloadDir: tmpdir(),
    logger: silentLogger(),
    clock: () => now,
  });
  const attached = (): TeleserviceHost => {
    if (!host) throw new Error('host not attached');
    return host;
  };
  return { binding, views, sessions, delegated, inputs, children, events, attached, isAttached: () => host !== null, advance: (ms: number) => (now += ms) };
}

describe('teleservice views bound to the feature', () => {
  it('opens a hidden view for the session, lets its own allow-list decide navigation, then places it where the renderer says', async () => {
    const t = setup();
    expect(await t.attached().open('s1', guide)).toEqual({ entryUrl: null });
    const view = t.views[0];
    expect(view?.webContents.loaded).toEqual(['https://www.caf.fr/']);
    expect(view?.bounds).toEqual({ x: 0, y: 0, width: 0, height: 0 });
    expect(t.delegated).toEqual([view]);
    t.attached().setBounds('s1', { x: 0, y: 90, width: 880, height: 700 });
    expect(view?.bounds).toEqual({ x: 0, y: 90, width: 880, height: 700 });
  });

  it('forwards the view’s pages and refusals to the feature, and reports touches at most once a second', async () => {
    const t = setup();
    await t.attached().open('s1', guide);
    const view = t.views[0];
    if (!view) throw new Error('no view');
    view.webContents.emit('did-navigate', {}, 'https://www.caf.fr/espace');
    const refused = { url: 'https://evil.test/', preventDefault() {} };
    view.webContents.emit('will-navigate', refused);
    const touch = t.inputs.get(view);
    touch?.();
    touch?.();
    t.advance(1_500);
    touch?.();
    expect(t.events).toEqual([
      { type: 'navigated', sessionId: 's1', url: 'https://www.caf.fr/espace' },
      { type: 'blocked', sessionId: 's1', origin: 'https://evil.test' },
      { type: 'activity', sessionId: 's1' },
      { type: 'activity', sessionId: 's1' },
    ]);
  });

  it('closes the view and resolves the wipe once the partition is cleared', async () => {
    const t = setup();
    await t.attached().open('s1', guide);
    const closing = t.attached().close('s1', 'idle');
    expect(closing.wipeUrl).toBeNull();
    expect(await closing.wiped).toBe(true);
    expect(t.views[0]?.webContents.closed).toBe(true);
    expect(t.children.size).toBe(0);
    expect(t.sessions[0]?.cleared).toEqual(['clearData', 'clearStorageData', 'clearCache', 'clearAuthCache']);
  });

  it('treats closing a session it never opened as nothing left to wipe', async () => {
    const t = setup();
    expect(await t.attached().close('inconnue', 'finished').wiped).toBe(true);
  });

  it('detaching ends the open views and leaves the feature without a host', async () => {
    const t = setup();
    await t.attached().open('s1', guide);
    await t.binding.detach();
    expect(t.isAttached()).toBe(false);
    expect(t.views[0]?.webContents.closed).toBe(true);
  });
});
