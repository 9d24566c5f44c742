// Guided teleservice sessions, shell-independent: which guide, which step, how long, how many documents printed.
// Both shells call it (Electron with the WebContentsView's URL events, the web shell with the proxy's), so the
// renderer shows the same steps whichever shell hosts the website.
import { randomUUID } from 'node:crypto';
import type { Guide } from '../../../shared/guideSteps.js';
import { nextStepFor } from '../../../shared/guideSteps.js';
import { ExpectedError } from '../../../shared/errors.js';
import { isAllowed } from '../../../shared/urlAllowList.js';
import type { Logger } from '../logger.js';

export type SessionEndReason = 'finished' | 'idle';

export interface StartedSession {
  sessionId: string;
  guide: Guide;
  startedAt: number;
  stepIndex: number;
}

export interface NavigationOutcome {
  stepIndex: number;
  allowed: boolean;
}

export interface EndedSession {
  sessionId: string;
  guideId: string;
  organisation: string;
  startedAt: number;
  endedAt: number;
  durationMs: number;
  reason: SessionEndReason;
  /** Documents printed during the session: the caller records one `documents` visit each. */
  documentsPrinted: number;
}

export interface TeleserviceSessionsDeps {
  /** Guides by id (already loaded and validated). */
  guides: readonly Guide[];
  clock: () => number;
  logger: Logger;
  newId?: () => string;
}

export interface TeleserviceSessions {
  start(guideId: string): StartedSession;
  /** A page of the session was shown: moves the step forward when a later step's pattern matches. */
  navigated(sessionId: string, url: string): NavigationOutcome;
  /** Back / next buttons: the visitor moves freely between steps. */
  goToStep(sessionId: string, stepIndex: number): number;
  documentPrinted(sessionId: string): void;
  current(sessionId: string): StartedSession | null;
  /** Ends one session; ending an unknown or already ended one is an error (the caller double-counts otherwise). */
  end(sessionId: string, reason: SessionEndReason): EndedSession;
  /** Ends every open session (the booth went idle); returns what was ended. */
  endAll(reason: SessionEndReason): EndedSession[];
  openSessionIds(): string[];
}

interface OpenSession extends StartedSession {
  documentsPrinted: number;
}

export function createTeleserviceSessions(deps: TeleserviceSessionsDeps): TeleserviceSessions {
  const newId = deps.newId ?? randomUUID;
  const byId = new Map(deps.guides.map((g) => [g.id, g]));
  const open = new Map<string, OpenSession>();

  const mustGet = (sessionId: string): OpenSession => {
    const session = open.get(sessionId);
    if (!session) throw new ExpectedError('NOT_FOUND', 'Séance de téléservice inconnue ou déjà fermée');
    return session;
  };

  const snapshot = (s: OpenSession): StartedSession => ({ sessionId: s.sessionId, guide: s.guide, startedAt: s.startedAt, stepIndex: s.stepIndex });

  const end = (sessionId: string, reason: SessionEndReason): EndedSession => {
    const s = mustGet(sessionId);
    open.delete(sessionId);
    const endedAt = deps.clock();
    const ended: EndedSession = {
      sessionId,
      guideId: s.guide.id,
      organisation: s.guide.organisation,
      startedAt: s.startedAt,
      endedAt,
      durationMs: Math.max(0, endedAt - s.startedAt),
      reason,
      documentsPrinted: s.documentsPrinted,
    };
    deps.logger.info({ code: 'TELESERVICE_ENDED', guide: s.guide.id, reason, durationMs: ended.durationMs, documents: s.documentsPrinted }, 'teleservice session closed');
    return ended;
  };

  return {
    start(guideId) {
      const guide = byId.get(guideId);
      if (!guide) throw new ExpectedError('NOT_FOUND', `Guide inconnu : ${guideId}`);
      const session: OpenSession = { sessionId: newId(), guide, startedAt: deps.clock(), stepIndex: 0, documentsPrinted: 0 };
      open.set(session.sessionId, session);
      deps.logger.info({ code: 'TELESERVICE_STARTED', guide: guide.id }, 'teleservice session opened');
      return snapshot(session);
    },
    navigated(sessionId, url) {
      const s = mustGet(sessionId);
      const allowed = isAllowed(url, s.guide.allowedOrigins);
      if (allowed) s.stepIndex = nextStepFor(s.guide, s.stepIndex, url);
      return { stepIndex: s.stepIndex, allowed };
    },
    goToStep(sessionId, stepIndex) {
      const s = mustGet(sessionId);
      if (!Number.isInteger(stepIndex) || stepIndex < 0 || stepIndex >= s.guide.steps.length) {
        throw new ExpectedError('INVALID_INPUT', `Étape hors du guide : ${stepIndex}`);
      }
      s.stepIndex = stepIndex;
      return stepIndex;
    },
    documentPrinted(sessionId) {
      mustGet(sessionId).documentsPrinted += 1;
    },
    current(sessionId) {
      const s = open.get(sessionId);
      return s ? snapshot(s) : null;
    },
    end,
    endAll(reason) {
      return [...open.keys()].map((id) => end(id, reason));
    },
    openSessionIds() {
      return [...open.keys()];
    },
  };
}
