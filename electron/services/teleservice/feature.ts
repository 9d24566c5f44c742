// Guided online services as a kiosk feature: loads the guides, runs the sessions, hosts the website (the web shell's
// proxy, or the Electron view bound by electron/shell/teleserviceIpc.ts), counts the visits, keeps the idle setting.
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TeleserviceNotice, TeleserviceUpdate, ViewBounds } from '../../../shared/contract/index.js';
import { IDLE_SECONDS_DEFAULT, IdleSettings } from '../../../shared/contract/index.js';
import type { teleserviceVerbs } from '../../../shared/contract/teleservice.js';
import { ExpectedError } from '../../../shared/errors.js';
import type { Guide } from '../../../shared/guideSteps.js';
import type { KioskCore, KioskFeature } from '../core.js';
import type { Handlers } from '../dispatch.js';
import { readSetting, writeSetting } from '../foundation/kv.js';
import { loadGuides, type GuideLoadError, type LoadedGuide } from './load.js';
import { createTeleserviceProxy } from './proxy.js';
import { createTeleserviceSessions, type SessionEndReason } from './session.js';

export type TeleserviceVerb = keyof typeof teleserviceVerbs;

/** What the shell hosting the website reports (the proxy's and the Electron view's events, in one vocabulary). */
export type TeleserviceHostEvent =
  /** A page of the session was shown (its full URL stays in main: it may carry personal data). */
  | { type: 'navigated'; sessionId: string; url: string }
  | { type: 'blocked'; sessionId: string; origin: string | null }
  | { type: 'download'; sessionId: string; path: string }
  | { type: 'download-refused'; sessionId: string; reason: 'not-pdf' }
  | { type: 'download-failed'; sessionId: string }
  | { type: 'certificate-error'; sessionId: string; origin: string | null }
  | { type: 'upstream-error'; sessionId: string; origin: string }
  | { type: 'activity'; sessionId: string };

/** The shell side of a session: shows the guide's website, and erases everything it left when closed. */
export interface TeleserviceHost {
  open(sessionId: string, guide: Guide): Promise<{ entryUrl: string | null }>;
  setBounds(sessionId: string, bounds: ViewBounds): void;
  /** `wipeUrl`: the page the renderer loads in the frame to clear the browser's data (web shell), or null. */
  close(sessionId: string, reason: SessionEndReason): { wipeUrl: string | null; wiped: Promise<boolean> };
}

export interface PrintRequest {
  pdf: Uint8Array;
  title: string;
  organisation: string;
}

export interface TeleserviceFeatureOptions {
  /** 'webshell': the feature runs the loopback proxy itself; 'electron': the shell attaches its views (attachHost). */
  mode: 'webshell' | 'electron';
  /** A folder of extra guides (RELAIS_EXTRA_GUIDES_DIR), loaded after `<assets>/guides`. */
  extraGuidesDir?: string | undefined;
  /** Sends a downloaded PDF to the print service; without it, printing answers PRINT_UNAVAILABLE. */
  print?: ((request: PrintRequest) => Promise<{ jobId: number }>) | undefined;
  /** How long the web shell waits for the frame to load the wipe page (proxy default 5 s). */
  wipeGraceMs?: number;
  /** How long `close` waits for the host to confirm the last wipes (3 s). */
  closeWaitMs?: number;
  newId?: () => string;
}

export interface TeleserviceFeature extends KioskFeature<TeleserviceVerb> {
  readonly guides: readonly LoadedGuide[];
  readonly guideErrors: readonly GuideLoadError[];
  /** Electron: the shell binds its views here; returns a function that detaches them. */
  attachHost(host: TeleserviceHost): () => void;
  /** Events of the host (the web shell's proxy calls it itself). */
  hostEvent(event: TeleserviceHostEvent): void;
  /** Ends every open session (the app quits); visits are recorded, the host wipes. */
  endAll(reason: SessionEndReason): Promise<void>;
}

export const IDLE_SETTING_KEY = 'kiosk.idleSeconds';

const NOTICE_OF: Partial<Record<TeleserviceHostEvent['type'], TeleserviceNotice>> = {
  'download-refused': 'downloadRefused',
  'download-failed': 'downloadFailed',
  'certificate-error': 'certificateError',
  'upstream-error': 'siteUnreachable',
};

export function createTeleserviceFeature(core: KioskCore, options: TeleserviceFeatureOptions): TeleserviceFeature {
  const log = core.logger.child({ scope: 'teleservice' });
  const newId = options.newId ?? randomUUID;
  const dirs = [join(core.assetsDir, 'guides'), ...(options.extraGuidesDir ? [options.extraGuidesDir] : [])];
  // loadGuides logs each refused file with its field (formatGuideError); the mediator fixes it in the YAML.
  const { guides, errors } = loadGuides(dirs, { knownOrganisations: core.settings.organisations().map((o) => o.code), logger: log });
  const publicGuides: Guide[] = guides.map(({ dir: _dir, ...guide }) => guide);

  const sessions = createTeleserviceSessions({ guides: publicGuides, clock: core.clock, logger: log, newId });
  /** Who launched each open session (null: the visitor alone), for the visit record. */
  const launchedBy = new Map<string, number | null>();
  const downloads = new Map<string, { sessionId: string; path: string }>();
  const pendingWipes = new Set<Promise<unknown>>();
  const update = (payload: TeleserviceUpdate): void => core.emit('teleservice.update', payload);

  let host: TeleserviceHost | null = null;
  let closeProxy: (() => void) | null = null;
  if (options.mode === 'webshell') {
    const downloadDir = join(core.tempDir, 'teleservice');
    mkdirSync(downloadDir, { recursive: true, mode: 0o700 });
    const proxy = createTeleserviceProxy({
      logger: log,
      downloadDir,
      onEvent: (event) => hostEvent(event),
      ...(options.wipeGraceMs !== undefined ? { wipeGraceMs: options.wipeGraceMs } : {}),
    });
    host = {
      open: (sessionId, guide) => proxy.open(sessionId, guide),
      setBounds: () => undefined,
      close(sessionId) {
        const closing = proxy.close(sessionId);
        if (!closing) return { wipeUrl: null, wiped: Promise.resolve(true) };
        return { wipeUrl: closing.wipeUrl, wiped: closing.closed.then((c) => c.browserCleared) };
      },
    };
    closeProxy = () => {
      for (const id of proxy.openSessionIds()) void proxy.close(id)?.closed;
    };
  }

  const isOpen = (sessionId: string): boolean => sessions.current(sessionId) !== null;

  function hostEvent(event: TeleserviceHostEvent): void {
    if (!isOpen(event.sessionId)) return;
    const { sessionId } = event;
    switch (event.type) {
      case 'navigated': {
        const before = sessions.current(sessionId)?.stepIndex;
        const { stepIndex } = sessions.navigated(sessionId, event.url);
        update(stepIndex !== before ? { type: 'step', sessionId, stepIndex } : { type: 'activity', sessionId });
        return;
      }
      case 'blocked':
        update({ type: 'blocked', sessionId, origin: event.origin });
        return;
      case 'download': {
        const downloadId = newId();
        downloads.set(downloadId, { sessionId, path: event.path });
        update({ type: 'download', sessionId, downloadId });
        return;
      }
      case 'activity':
        update({ type: 'activity', sessionId });
        return;
      default: {
        const code = NOTICE_OF[event.type];
        if (code) update({ type: 'notice', sessionId, code });
      }
    }
  }

  const recordVisits = (ended: ReturnType<typeof sessions.end>, mediatorId: number | null): void => {
    const by = { mediatorId, source: 'teleservice' as const };
    try {
      core.visits.record({ organisation: ended.organisation, service: 'teleservice', startedAt: ended.startedAt, endedAt: ended.endedAt }, by);
      for (let i = 0; i < ended.documentsPrinted; i += 1) {
        core.visits.record({ organisation: ended.organisation, service: 'documents', startedAt: ended.endedAt, endedAt: ended.endedAt }, by);
      }
    } catch (cause) {
      // An organisation deactivated during the session: the session still ends and is wiped.
      const code = cause instanceof ExpectedError ? cause.code : 'VISIT_NOT_RECORDED';
      log.error({ code, organisation: ended.organisation }, 'teleservice session not counted');
    }
  };

  const end = (sessionId: string, reason: SessionEndReason): { durationMs: number; wipeUrl: string | null } => {
    const ended = sessions.end(sessionId, reason);
    recordVisits(ended, launchedBy.get(sessionId) ?? null);
    launchedBy.delete(sessionId);
    for (const [id, d] of downloads) if (d.sessionId === sessionId) downloads.delete(id);
    let wipeUrl: string | null = null;
    let wiped: Promise<boolean> = Promise.resolve(false);
    if (host) {
      try {
        const closing = host.close(sessionId, reason);
        wipeUrl = closing.wipeUrl;
        wiped = closing.wiped;
      } catch (cause) {
        log.error({ code: 'TELESERVICE_CLOSE_FAILED', err: cause }, 'closing the site failed');
      }
    } else {
      log.error({ code: 'TELESERVICE_NO_HOST' }, 'no display to close: wipe not verified');
    }
    const done = wiped
      .catch((cause: unknown) => {
        log.error({ code: 'TELESERVICE_WIPE_FAILED', err: cause }, 'wipe failed');
        return false;
      })
      .then((ok) => {
        if (!ok) log.warn({ code: 'TELESERVICE_WIPE_INCOMPLETE', reason }, 'wipe not confirmed');
        update({ type: 'ended', sessionId, reason, wiped: ok });
      })
      .finally(() => pendingWipes.delete(done));
    pendingWipes.add(done);
    return { durationMs: ended.durationMs, wipeUrl };
  };

  const endAll = async (reason: SessionEndReason): Promise<void> => {
    for (const id of sessions.openSessionIds()) end(id, reason);
    await Promise.all([...pendingWipes]);
  };

  const idle = (): { idleSeconds: number } => ({ idleSeconds: readSetting(core.db, IDLE_SETTING_KEY, IdleSettings.shape.idleSeconds, IDLE_SECONDS_DEFAULT) });

  return {
    guides,
    guideErrors: errors,
    attachHost(attached) {
      host = attached;
      return () => {
        if (host === attached) host = null;
      };
    },
    hostEvent,
    endAll,
    handlers: {
      'guides.list': ({ organisation }) => publicGuides.filter((g) => organisation === undefined || g.organisation === organisation),

      'teleservice.start': async ({ guideId }) => {
        const guide = publicGuides.find((g) => g.id === guideId);
        if (!guide) throw new ExpectedError('NOT_FOUND', `Guide inconnu : ${guideId}`);
        // Not a mediator-only verb: a mediator signed in launches it (the session stays alive), else the visitor alone.
        core.auth.touch();
        const mediator = core.auth.currentMediatorId();
        if (!guide.visitorMayStart && mediator === null) {
          throw new ExpectedError('NOT_UNLOCKED', 'Ce service en ligne se fait avec le médiateur.');
        }
        const current = host;
        if (!current) throw new ExpectedError('TELESERVICE_UNAVAILABLE', 'Les services en ligne ne sont pas disponibles sur cette borne.');
        // One screen, one visitor: a session left open (a reloaded screen) ends before the next starts.
        for (const id of sessions.openSessionIds()) end(id, 'finished');
        const started = sessions.start(guideId);
        launchedBy.set(started.sessionId, mediator);
        try {
          const { entryUrl } = await current.open(started.sessionId, guide);
          return { ...started, entryUrl };
        } catch (cause) {
          sessions.end(started.sessionId, 'finished');
          launchedBy.delete(started.sessionId);
          log.error({ code: 'TELESERVICE_OPEN_FAILED', guide: guide.id, err: cause }, 'site not opened');
          throw new ExpectedError('TELESERVICE_UNAVAILABLE', 'Le site de l’organisme n’a pas pu être ouvert.');
        }
      },

      'teleservice.goToStep': ({ sessionId, stepIndex }) => ({ stepIndex: sessions.goToStep(sessionId, stepIndex) }),

      'teleservice.setBounds': ({ sessionId, bounds }) => {
        if (isOpen(sessionId)) host?.setBounds(sessionId, bounds);
        return { done: true as const };
      },

      'teleservice.end': ({ sessionId, reason }) => end(sessionId, reason),

      'teleservice.printDownload': async ({ sessionId, downloadId }) => {
        const download = downloads.get(downloadId);
        const session = sessions.current(sessionId);
        if (!download || download.sessionId !== sessionId || !session) throw new ExpectedError('NOT_FOUND', 'Document introuvable (séance fermée ?)');
        if (!options.print) {
          log.warn({ code: 'PRINT_UNAVAILABLE' }, 'no print service wired to the teleservices');
          throw new ExpectedError('PRINT_UNAVAILABLE', 'L’impression n’est pas disponible sur cette borne.');
        }
        const pdf = new Uint8Array(await readFile(download.path));
        const job = await options.print({ pdf, title: session.guide.title, organisation: session.guide.organisation });
        // The session may have ended while the job was sent: then its visits are already counted without it.
        if (isOpen(sessionId)) sessions.documentPrinted(sessionId);
        log.info({ code: 'TELESERVICE_PRINTED', guide: session.guide.id, jobId: job.jobId }, 'teleservice document printed');
        return { jobId: job.jobId };
      },

      'teleservice.idle': () => idle(),
      'teleservice.setIdle': ({ idleSeconds }) => {
        writeSetting(core.db, IDLE_SETTING_KEY, idleSeconds);
        log.info({ code: 'IDLE_SETTING_CHANGED', idleSeconds }, 'idle timeout changed');
        core.emit('settings.changed', { at: core.clock() });
        return idle();
      },
    } satisfies Handlers<TeleserviceVerb>,
    async close() {
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, options.closeWaitMs ?? 3_000);
        timer.unref();
      });
      await Promise.race([endAll('finished'), deadline]);
      clearTimeout(timer);
      closeProxy?.();
    },
  };
}
