// The guided online service screens against a fake bridge: starting, the guide following the site, printing, closing.
import type { ReactElement } from 'react';
import { act, fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { AppInfo, AuthState, OrganisationWithState, StartedTeleservice } from '../../../../shared/contract/index.js';
import type { Guide } from '../../../../shared/guideSteps.js';
import { App } from '../../../../renderer/kiosk/App.js';
import { fakeBridge, type FakeAnswers } from '../fakeBridge.js';
import { renderKiosk, testKiosk, type TestKiosk } from '../renderKiosk.js';

/** This test's bridge and stores, built by setup(); each test renders inside them. */
let kiosk: TestKiosk;
const render = (ui: ReactElement) => renderKiosk(ui, kiosk);

const NOW = Date.parse('2026-11-25T09:00:00Z');
const info: AppInfo = { siteName: 'Site de démonstration', commune: 'Saint-Céré', demo: true, demoPin: '1234', now: NOW, version: '0.1.0' };
const organisations: OrganisationWithState[] = [
  {
    code: 'CAF',
    name: "Caisse d'allocations familiales",
    position: 1,
    openingHours: [],
    correspondent: '',
    active: true,
    visio: { openNow: false, closesAt: null, nextOpening: null },
  },
];
const step = (title: string) => ({ title, text: `Texte de ${title}.`, picture: null, urlPattern: null });
const visitorGuide: Guide = {
  id: 'service-factice',
  organisation: 'CAF',
  title: 'Service factice de test',
  summary: 'Un faux service.',
  startUrl: 'http://127.0.0.1:4999/',
  allowedOrigins: ['http://127.0.0.1:4999'],
  visitorMayStart: true,
  steps: [step('Se connecter'), step('Ouvrir mon espace'), step('Déclarer'), step('Confirmation'), step('Imprimer')],
};
const mediatorGuide: Guide = { ...visitorGuide, id: 'avec-mediateur', title: 'Démarche accompagnée', visitorMayStart: false };
const locked: AuthState = { unlocked: false, mediator: null, failures: 0, lockedUntil: null };
const unlocked: AuthState = { unlocked: true, mediator: { id: 1, name: 'Camille', active: true }, failures: 0, lockedUntil: null };
const noHelp = { pending: false, requestId: null, requestedAt: null, screen: null };
const started = (guide: Guide, entryUrl: string | null = 'http://127.0.0.1:5001/__relais/debut?vers=%2F'): StartedTeleservice => ({
  sessionId: 's1',
  guide,
  startedAt: NOW,
  stepIndex: 0,
  entryUrl,
});

function setup(extra: FakeAnswers = {}, auth = locked) {
  const fake = fakeBridge({
    'app.info': () => ({ ok: true, value: info }),
    'organisations.list': () => ({ ok: true, value: organisations }),
    'auth.state': () => ({ ok: true, value: auth }),
    'help.state': () => ({ ok: true, value: noHelp }),
    'teleservice.idle': () => ({ ok: true, value: { idleSeconds: 120 } }),
    'guides.list': () => ({ ok: true, value: [visitorGuide, mediatorGuide] }),
    'teleservice.start': (input) => ({ ok: true, value: started((input as { guideId: string }).guideId === mediatorGuide.id ? mediatorGuide : visitorGuide) }),
    'teleservice.goToStep': (input) => ({ ok: true, value: { stepIndex: (input as { stepIndex: number }).stepIndex } }),
    'teleservice.end': () => ({ ok: true, value: { durationMs: 60_000, wipeUrl: 'http://127.0.0.1:5001/__relais/fin' } }),
    'teleservice.printDownload': () => ({ ok: true, value: { jobId: 7 } }),
    'help.request': () => ({ ok: true, value: { pending: true, requestId: 1, requestedAt: NOW, screen: 'teleservice:CAF' } }),
    ...extra,
  });
  kiosk = testKiosk(fake.api);
  return fake;
}

async function openVisitorSession() {
  render(<App />);
  fireEvent.click(await screen.findByRole('button', { name: /allocations familiales/ }));
  fireEvent.click(await screen.findByRole('button', { name: 'Service factice de test' }));
  return screen.findByRole('heading', { level: 1, name: 'Service factice de test' });
}

describe('guided online service for the visitor', () => {
  it('offers on the organisation’s screen only the procedures a visitor may start alone', async () => {
    setup();
    render(<App />);
    fireEvent.click(await screen.findByRole('button', { name: /allocations familiales/ }));
    expect(await screen.findByRole('heading', { name: 'Faire une démarche sur Internet' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Service factice de test' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Démarche accompagnée' })).toBeNull();
  });

  it('shows the website in a sandboxed frame beside the guide, which follows the site by itself', async () => {
    const fake = setup();
    await openVisitorSession();
    const frame = screen.getByTitle('Site de l’organisme : Service factice de test');
    expect(frame.getAttribute('src')).toBe('http://127.0.0.1:5001/__relais/debut?vers=%2F');
    expect(frame.getAttribute('sandbox')).toBe('allow-scripts allow-forms allow-same-origin');
    expect(screen.getByText('Étape 1 sur 5')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Retour' }).hasAttribute('disabled')).toBe(true);

    act(() => fake.emit('teleservice.update', { type: 'step', sessionId: 's1', stepIndex: 2 }));
    expect(screen.getByText('Étape 3 sur 5')).toBeTruthy();
    expect(screen.getByRole('heading', { level: 3, name: 'Déclarer' })).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Retour' }));
    expect(await screen.findByText('Étape 2 sur 5')).toBeTruthy();
    expect(fake.calls.find((c) => c.verb === 'teleservice.goToStep')?.input).toEqual({ sessionId: 's1', stepIndex: 1 });
  });

  it('shows that the list of all the steps opens: a chevron and « Afficher toutes les étapes », then « Masquer »', async () => {
    setup();
    await openVisitorSession();
    const details = document.querySelector('details.guide-steps') as HTMLDetailsElement;
    const summary = details.querySelector('summary') as HTMLElement;
    expect(summary.textContent).toBe('Afficher toutes les étapes');
    expect(summary.querySelector('.guide-steps__chevron svg')).not.toBeNull();
    act(() => {
      details.open = true;
      details.dispatchEvent(new Event('toggle'));
    });
    expect(summary.textContent).toBe('Masquer la liste des étapes');
  });

  it('says that a page of another site is not available here, and calls the mediator with "J’ai besoin d’aide"', async () => {
    const fake = setup();
    await openVisitorSession();
    act(() => fake.emit('teleservice.update', { type: 'blocked', sessionId: 's1', origin: 'http://127.0.0.1:6000' }));
    expect(screen.getByRole('alert').textContent).toContain('Cette page n’est pas disponible ici.');
    fireEvent.click(screen.getByRole('button', { name: 'J’ai besoin d’aide' }));
    expect(await screen.findByText('Un médiateur arrive.')).toBeTruthy();
    expect(fake.calls.find((c) => c.verb === 'help.request')?.input).toEqual({ screen: 'teleservice:CAF' });
  });

  it('offers a downloaded PDF for printing and says when it went to the printer', async () => {
    const fake = setup();
    await openVisitorSession();
    act(() => fake.emit('teleservice.update', { type: 'download', sessionId: 's1', downloadId: 'd1' }));
    expect(screen.getByText('Le document est prêt. Voulez-vous l’imprimer ?')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Imprimer' }));
    expect(await screen.findByText('Le document part à l’imprimante.')).toBeTruthy();
    expect(fake.calls.find((c) => c.verb === 'teleservice.printDownload')?.input).toEqual({ sessionId: 's1', downloadId: 'd1' });
  });

  it('says plainly when printing is not possible instead of pretending', async () => {
    const fake = setup({ 'teleservice.printDownload': () => ({ ok: false, error: { code: 'PRINT_UNAVAILABLE', message: 'x' } }) });
    await openVisitorSession();
    act(() => fake.emit('teleservice.update', { type: 'download', sessionId: 's1', downloadId: 'd1' }));
    fireEvent.click(screen.getByRole('button', { name: 'Imprimer' }));
    expect((await screen.findByRole('alert')).textContent).toBe('L’impression n’est pas possible sur cette borne. Demandez au médiateur.');
    expect(screen.queryByText('Le document part à l’imprimante.')).toBeNull();
  });

  it('closes the session with "J’ai fini", loads the wipe page, and says everything was erased once confirmed', async () => {
    const fake = setup();
    await openVisitorSession();
    fireEvent.click(screen.getByRole('button', { name: 'J’ai fini' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Votre séance est fermée' })).toBeTruthy();
    expect(fake.calls.find((c) => c.verb === 'teleservice.end')?.input).toEqual({ sessionId: 's1', reason: 'finished' });
    expect(screen.queryByTitle('Site de l’organisme : Service factice de test')).toBeNull();
    expect(document.querySelector('iframe.wipe-frame')?.getAttribute('src')).toBe('http://127.0.0.1:5001/__relais/fin');
    expect(screen.getByText('Fermeture de votre séance…')).toBeTruthy();

    act(() => fake.emit('teleservice.update', { type: 'ended', sessionId: 's1', reason: 'finished', wiped: true }));
    expect(screen.getByText('Votre séance est fermée. Tout ce que vous avez fait sur ce site est effacé de la borne.')).toBeTruthy();
    expect(document.querySelector('iframe.wipe-frame')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Retour à l’accueil' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Bienvenue' })).toBeTruthy();
  });

  it('tells the mediator when the wipe could not be confirmed', async () => {
    const fake = setup();
    await openVisitorSession();
    fireEvent.click(screen.getByRole('button', { name: 'J’ai fini' }));
    await screen.findByRole('heading', { level: 1, name: 'Votre séance est fermée' });
    act(() => fake.emit('teleservice.update', { type: 'ended', sessionId: 's1', reason: 'finished', wiped: false }));
    expect(screen.getByText('Votre séance est fermée. Le médiateur doit vérifier l’effacement.')).toBeTruthy();
  });
});

describe('guided online service launched by the mediator', () => {
  it('chooses the organisation, then any of its procedures, and starts it', async () => {
    const fake = setup({}, unlocked);
    kiosk.stores.app.setState({ screen: { name: 'mediator', tab: 'teleservice' } });
    render(<App />);
    fireEvent.click(await screen.findByRole('button', { name: /allocations familiales/ }));
    const card = (await screen.findByRole('heading', { level: 4, name: 'Démarche accompagnée' })).closest('li');
    if (!card) throw new Error('no guide card');
    expect(within(card).getByText('Avec le médiateur')).toBeTruthy();
    fireEvent.click(within(card).getByRole('button', { name: 'Commencer : Démarche accompagnée' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Démarche accompagnée' })).toBeTruthy();
    expect(fake.calls.find((c) => c.verb === 'teleservice.start')?.input).toEqual({ guideId: 'avec-mediateur' });
  });

  it('saves the visitor screens’ idle time', async () => {
    const fake = setup({ 'teleservice.setIdle': (input) => ({ ok: true, value: input as { idleSeconds: number } }) }, unlocked);
    kiosk.stores.app.setState({ screen: { name: 'mediator', tab: 'teleservice' } });
    render(<App />);
    const field = await screen.findByLabelText('Après combien de secondes sans toucher l’écran (5 à 3600)');
    fireEvent.change(field, { target: { value: '45' } });
    fireEvent.click(screen.getByRole('button', { name: 'Enregistrer le délai' }));
    expect(await screen.findByText('Délai enregistré.')).toBeTruthy();
    expect(fake.calls.find((c) => c.verb === 'teleservice.setIdle')?.input).toEqual({ idleSeconds: 45 });
  });

  it('in Electron, tells the shell where to draw the website instead of using a frame', async () => {
    const fake = setup({ 'teleservice.start': () => ({ ok: true, value: started(visitorGuide, null) }), 'teleservice.setBounds': () => ({ ok: true, value: { done: true } }) });
    await openVisitorSession();
    expect(screen.queryByTitle('Site de l’organisme : Service factice de test')).toBeNull();
    expect(screen.getByRole('region', { name: 'Zone du site de l’organisme' })).toBeTruthy();
    expect(fake.calls.some((c) => c.verb === 'teleservice.setBounds')).toBe(true);
  });
});
