import { describe, expect, it } from 'vitest';
import { createTeleserviceSessions } from '../../../../electron/services/teleservice/session.js';
import { silentLogger } from '../../../../electron/services/logger.js';
import type { Guide } from '../../../../shared/guideSteps.js';
import { ExpectedError } from '../../../../shared/errors.js';

const guide: Guide = {
  id: 'cpam-attestation-de-droits',
  organisation: 'CPAM',
  title: 'Attestation',
  summary: 'Télécharger.',
  startUrl: 'https://www.ameli.fr/',
  allowedOrigins: ['https://www.ameli.fr', 'https://assure.ameli.fr'],
  visitorMayStart: true,
  steps: [
    { title: 'Accueil', text: 'a', picture: null, urlPattern: '/' },
    { title: 'Connexion', text: 'b', picture: null, urlPattern: 'https://assure.ameli.fr/**' },
    { title: 'Démarches', text: 'c', picture: null, urlPattern: null },
    { title: 'Télécharger', text: 'd', picture: null, urlPattern: null },
  ],
};

function setup() {
  let now = 1_000_000;
  let n = 0;
  const sessions = createTeleserviceSessions({ guides: [guide], clock: () => now, logger: silentLogger(), newId: () => `s${++n}` });
  return { sessions, advance: (ms: number) => (now += ms) };
}

describe('TeleserviceSessions', () => {
  it('starts a session on the first step with the current time', () => {
    const { sessions } = setup();
    expect(sessions.start(guide.id)).toEqual({ sessionId: 's1', guide, startedAt: 1_000_000, stepIndex: 0 });
  });

  it('refuses an unknown guide with NOT_FOUND', () => {
    const { sessions } = setup();
    expect(() => sessions.start('inconnu')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });

  it('moves forward when a page matches a later step, and reports refused pages without moving', () => {
    const { sessions } = setup();
    const { sessionId } = sessions.start(guide.id);
    expect(sessions.navigated(sessionId, 'https://assure.ameli.fr/PortailAS/appmanager')).toEqual({ stepIndex: 1, allowed: true });
    expect(sessions.navigated(sessionId, 'https://www.ameli.fr/')).toEqual({ stepIndex: 1, allowed: true });
    expect(sessions.navigated(sessionId, 'https://ameli.fr.evil.test/')).toEqual({ stepIndex: 1, allowed: false });
  });

  it('lets back and next buttons move to any step of the guide, and no further', () => {
    const { sessions } = setup();
    const { sessionId } = sessions.start(guide.id);
    expect(sessions.goToStep(sessionId, 3)).toBe(3);
    expect(sessions.goToStep(sessionId, 0)).toBe(0);
    expect(() => sessions.goToStep(sessionId, 4)).toThrow(ExpectedError);
    expect(() => sessions.goToStep(sessionId, -1)).toThrow(ExpectedError);
  });

  it('ends with the duration, the organisation and the documents printed, for the visit log', () => {
    const { sessions, advance } = setup();
    const { sessionId } = sessions.start(guide.id);
    sessions.documentPrinted(sessionId);
    sessions.documentPrinted(sessionId);
    advance(7 * 60_000);
    expect(sessions.end(sessionId, 'finished')).toEqual({
      sessionId,
      guideId: guide.id,
      organisation: 'CPAM',
      startedAt: 1_000_000,
      endedAt: 1_000_000 + 7 * 60_000,
      durationMs: 7 * 60_000,
      reason: 'finished',
      documentsPrinted: 2,
    });
    expect(sessions.current(sessionId)).toBeNull();
  });

  it('refuses to end a session twice, so a visit is never counted twice', () => {
    const { sessions } = setup();
    const { sessionId } = sessions.start(guide.id);
    sessions.end(sessionId, 'finished');
    expect(() => sessions.end(sessionId, 'idle')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() => sessions.navigated(sessionId, 'https://www.ameli.fr/')).toThrow(ExpectedError);
  });

  it('ends every open session when the booth goes idle', () => {
    const { sessions } = setup();
    sessions.start(guide.id);
    sessions.start(guide.id);
    const ended = sessions.endAll('idle');
    expect(ended.map((e) => [e.sessionId, e.reason])).toEqual([
      ['s1', 'idle'],
      ['s2', 'idle'],
    ]);
    expect(sessions.openSessionIds()).toEqual([]);
  });
});
