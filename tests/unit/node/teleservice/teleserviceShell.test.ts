// The Electron teleservice view against typed fakes of the few Electron objects it touches.
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import {
  createTeleserviceShell,
  TELESERVICE_PARTITION_PREFIX,
  type DownloadItemPort,
  type ParentViewPort,
  type SessionPort,
  type TeleserviceShellEvent,
  type ViewPort,
  type WebContentsPort,
} from '../../../../electron/shell/teleservice.js';
import { silentLogger } from '../../../../electron/services/logger.js';
import type { Guide } from '../../../../shared/guideSteps.js';

const guide: Guide = {
  id: 'caf-declaration-trimestrielle',
  organisation: 'CAF',
  title: 'Déclarer',
  summary: 'Tous les trois mois.',
  startUrl: 'https://www.caf.fr/',
  allowedOrigins: ['https://www.caf.fr', 'https://app.franceconnect.gouv.fr'],
  visitorMayStart: true,
  steps: [{ title: 'Se connecter', text: 'a', picture: null, urlPattern: null }],
};
const BOUNDS = { x: 0, y: 0, width: 900, height: 700 };

class FakeEvent {
  prevented = false;
  constructor(readonly url = '', readonly isMainFrame = true) {}
  preventDefault(): void {
    this.prevented = true;
  }
}

class FakeSession extends EventEmitter implements SessionPort {
  requestHandler: ((wc: unknown, permission: string, callback: (granted: boolean) => void) => void) | null = null;
  checkHandler: ((wc: unknown, permission: string) => boolean) | null = null;
  calls: string[] = [];
  failClearData = false;
  setPermissionRequestHandler(handler: NonNullable<FakeSession['requestHandler']>): void {
    this.requestHandler = handler;
  }
  setPermissionCheckHandler(handler: NonNullable<FakeSession['checkHandler']>): void {
    this.checkHandler = handler;
  }
  async clearData(): Promise<void> {
    this.calls.push('clearData');
    if (this.failClearData) throw new Error('boom');
  }
  async clearStorageData(): Promise<void> {
    this.calls.push('clearStorageData');
  }
  async clearCache(): Promise<void> {
    this.calls.push('clearCache');
  }
  async clearAuthCache(): Promise<void> {
    this.calls.push('clearAuthCache');
  }
}

class FakeContents extends EventEmitter implements WebContentsPort {
  openHandler: ((details: { url: string }) => { action: 'deny' }) | null = null;
  loaded: string[] = [];
  closed = false;
  setWindowOpenHandler(handler: NonNullable<FakeContents['openHandler']>): void {
    this.openHandler = handler;
  }
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
  constructor(readonly options: { webPreferences: Record<string, unknown> }) {}
  setBounds(bounds: unknown): void {
    this.bounds = bounds;
  }
}

class FakeParent implements ParentViewPort {
  children: ViewPort[] = [];
  addChildView(view: ViewPort): void {
    this.children.push(view);
  }
  removeChildView(view: ViewPort): void {
    this.children = this.children.filter((v) => v !== view);
  }
}

class FakeDownload extends EventEmitter implements DownloadItemPort {
  savePath: string | null = null;
  cancelled = false;
  constructor(
    readonly mime: string,
    readonly filename: string,
  ) {
    super();
  }
  getMimeType(): string {
    return this.mime;
  }
  getFilename(): string {
    return this.filename;
  }
  setSavePath(path: string): void {
    this.savePath = path;
  }
  cancel(): void {
    this.cancelled = true;
    this.emit('done', {}, 'cancelled');
  }
}

function setup() {
  const sessions = new Map<string, FakeSession>();
  const views: FakeView[] = [];
  const parent = new FakeParent();
  const events: TeleserviceShellEvent[] = [];
  const removed: string[] = [];
  let n = 0;
  const shell = createTeleserviceShell({
    fromPartition: (partition) => {
      const s = new FakeSession();
      sessions.set(partition, s);
      return s;
    },
    createView: (options) => {
      const v = new FakeView(options as { webPreferences: Record<string, unknown> });
      views.push(v);
      return v;
    },
    parent,
    downloadDir: '/tmp/relais-dl',
    emit: (e) => events.push(e),
    logger: silentLogger(),
    newId: () => `uuid-${++n}`,
    removeFile: async (path) => {
      removed.push(path);
    },
  });
  const open = (sessionId = 'S1') => {
    const { partition } = shell.start(sessionId, guide, BOUNDS);
    const view = views[views.length - 1]!;
    return { partition, view, contents: view.webContents, session: sessions.get(partition)! };
  };
  return { shell, parent, events, removed, open };
}

describe('teleservice view: start', () => {
  it('uses a fresh in-memory partition per session (never persist:)', () => {
    const { open } = setup();
    const a = open('S1');
    const b = open('S2');
    expect(a.partition).toMatch(new RegExp(`^${TELESERVICE_PARTITION_PREFIX}`));
    expect(a.partition).not.toContain('persist:');
    expect(b.partition).not.toBe(a.partition);
    expect(a.session).not.toBe(b.session);
  });

  it('creates a sandboxed view without preload nor Node, in that partition, and loads the start page', () => {
    const { open, parent } = setup();
    const { view, partition } = open();
    expect(view.options.webPreferences).toMatchObject({
      partition,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      preload: undefined,
      javascript: true,
      webviewTag: false,
    });
    expect(view.bounds).toEqual(BOUNDS);
    expect(parent.children).toEqual([view]);
    expect(view.webContents.loaded).toEqual(['https://www.caf.fr/']);
  });

  it('denies every permission request and check', () => {
    const { open } = setup();
    const { session } = open();
    const answers: boolean[] = [];
    session.requestHandler?.({}, 'media', (granted) => answers.push(granted));
    session.requestHandler?.({}, 'geolocation', (granted) => answers.push(granted));
    expect(answers).toEqual([false, false]);
    expect(session.checkHandler?.({}, 'notifications')).toBe(false);
  });
});

describe('teleservice view: navigation', () => {
  it('lets will-navigate go to the guide origins and blocks others, telling only the origin', () => {
    const { open, events } = setup();
    const { contents } = open();
    const inside = new FakeEvent('https://app.franceconnect.gouv.fr/api/v1/authorize?x=1');
    contents.emit('will-navigate', inside);
    expect(inside.prevented).toBe(false);
    const outside = new FakeEvent('https://www.caf.fr.evil.test/login?nir=1');
    contents.emit('will-navigate', outside);
    expect(outside.prevented).toBe(true);
    expect(events).toEqual([{ type: 'blocked', sessionId: 'S1', origin: 'https://www.caf.fr.evil.test' }]);
  });

  it('blocks a main-frame redirect to a foreign origin', () => {
    const { open, events } = setup();
    const { contents } = open();
    const redirect = new FakeEvent('https://caf.fr@evil.test/', true);
    contents.emit('will-redirect', redirect);
    expect(redirect.prevented).toBe(true);
    expect(events[0]).toMatchObject({ type: 'blocked' });
  });

  it('never opens a new window: an allowed target loads in the same view, others are refused', () => {
    const { open, events } = setup();
    const { contents } = open();
    expect(contents.openHandler?.({ url: 'https://www.caf.fr/aide' })).toEqual({ action: 'deny' });
    expect(contents.loaded).toContain('https://www.caf.fr/aide');
    expect(contents.openHandler?.({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    expect(contents.loaded).not.toContain('javascript:alert(1)');
    expect(events).toEqual([{ type: 'blocked', sessionId: 'S1', origin: null }]);
  });

  it('reports main-frame navigations for step matching, not sub-frame ones', () => {
    const { open, events } = setup();
    const { contents } = open();
    contents.emit('did-navigate', {}, 'https://www.caf.fr/espace');
    contents.emit('did-navigate-in-page', {}, 'https://www.caf.fr/espace#ressources', true);
    contents.emit('did-navigate-in-page', {}, 'https://www.caf.fr/pub#x', false);
    expect(events).toEqual([
      { type: 'navigated', sessionId: 'S1', url: 'https://www.caf.fr/espace' },
      { type: 'navigated', sessionId: 'S1', url: 'https://www.caf.fr/espace#ressources' },
    ]);
  });

  it('never trusts a bad certificate', () => {
    const { open, events } = setup();
    const { contents } = open();
    const event = new FakeEvent();
    const answers: boolean[] = [];
    contents.emit('certificate-error', event, 'https://www.caf.fr/', 'net::ERR_CERT_DATE_INVALID', {}, (trusted: boolean) => answers.push(trusted));
    expect(answers).toEqual([false]);
    expect(event.prevented).toBe(false);
    expect(events).toEqual([{ type: 'certificate-error', sessionId: 'S1', origin: 'https://www.caf.fr' }]);
  });
});

describe('teleservice view: downloads', () => {
  it('saves a PDF in the download folder and offers it for printing once complete', () => {
    const { open, events } = setup();
    const { session } = open();
    const item = new FakeDownload('application/pdf', 'attestation.pdf');
    session.emit('will-download', new FakeEvent(), item, {});
    expect(item.savePath).toMatch(/^\/tmp\/relais-dl\/relais-teleservice-uuid-\d+\.pdf$/);
    expect(events).toEqual([]);
    item.emit('done', {}, 'completed');
    expect(events).toEqual([{ type: 'download', sessionId: 'S1', path: item.savePath }]);
  });

  it('recognises a PDF by its file name when the type is generic', () => {
    const { open, events } = setup();
    const { session } = open();
    const item = new FakeDownload('application/octet-stream', 'RELEVE.PDF');
    session.emit('will-download', new FakeEvent(), item, {});
    item.emit('done', {}, 'completed');
    expect(events[0]).toMatchObject({ type: 'download' });
  });

  it('refuses any other file', () => {
    const { open, events } = setup();
    const { session } = open();
    const item = new FakeDownload('application/zip', 'photos.zip');
    session.emit('will-download', new FakeEvent(), item, {});
    expect(item.cancelled).toBe(true);
    expect(item.savePath).toBeNull();
    expect(events).toEqual([{ type: 'download-refused', sessionId: 'S1', reason: 'not-pdf' }]);
  });

  it('deletes an interrupted download at once', () => {
    const { open, events, removed } = setup();
    const { session } = open();
    const item = new FakeDownload('application/pdf', 'a.pdf');
    session.emit('will-download', new FakeEvent(), item, {});
    item.emit('done', {}, 'interrupted');
    expect(removed).toEqual([item.savePath]);
    expect(events).toEqual([{ type: 'download-failed', sessionId: 'S1' }]);
  });
});

describe('teleservice view: end', () => {
  it.each(['finished', 'idle'] as const)('on %s, closes the view, wipes the partition and deletes downloads', async (reason) => {
    const { shell, open, parent, events, removed } = setup();
    const { session, contents } = open();
    const item = new FakeDownload('application/pdf', 'a.pdf');
    session.emit('will-download', new FakeEvent(), item, {});
    item.emit('done', {}, 'completed');
    await shell.end('S1', reason);
    expect(parent.children).toEqual([]);
    expect(contents.closed).toBe(true);
    expect(session.calls).toEqual(['clearData', 'clearStorageData', 'clearCache', 'clearAuthCache']);
    expect(removed).toEqual([item.savePath]);
    expect(events.at(-1)).toEqual({ type: 'ended', sessionId: 'S1', reason, wiped: true });
    expect(shell.openSessionIds()).toEqual([]);
  });

  it('cancels a download still running at the end and does not offer it', async () => {
    const { shell, open, events } = setup();
    const { session } = open();
    const item = new FakeDownload('application/pdf', 'a.pdf');
    session.emit('will-download', new FakeEvent(), item, {});
    await shell.end('S1', 'idle');
    expect(item.cancelled).toBe(true);
    expect(events.filter((e) => e.type === 'download')).toEqual([]);
  });

  it('wipes every open session when the booth goes idle', async () => {
    const { shell, open } = setup();
    const a = open('S1');
    const b = open('S2');
    await shell.endAll('idle');
    expect(a.session.calls).toContain('clearData');
    expect(b.session.calls).toContain('clearData');
    expect(shell.openSessionIds()).toEqual([]);
  });

  it('still runs the other wipe steps and reports wiped: false when one fails', async () => {
    const { shell, open, events } = setup();
    const { session } = open();
    session.failClearData = true;
    await shell.end('S1', 'finished');
    expect(session.calls).toEqual(['clearData', 'clearStorageData', 'clearCache', 'clearAuthCache']);
    expect(events.at(-1)).toEqual({ type: 'ended', sessionId: 'S1', reason: 'finished', wiped: false });
  });

  it('ignores a second end of the same session', async () => {
    const { shell, open, events } = setup();
    const { session } = open();
    await shell.end('S1', 'finished');
    await shell.end('S1', 'idle');
    expect(session.calls.filter((c) => c === 'clearData')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'ended')).toHaveLength(1);
  });
});
