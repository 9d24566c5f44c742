// The first-start assistant's screens against a fake bridge: the app shows it instead of the home while the booth is
// not set up, each refusal of the code is said in French, the PIN is checked twice before it leaves the screen, and
// the steps follow one another.
import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { App } from '../../../../renderer/kiosk/App.js';
import type { SetupState } from '../../../../shared/contract/index.js';
import { DEMO_INFO, fakeBridge, type FakeAnswers } from '../fakeBridge.js';
import { renderKiosk } from '../renderKiosk.js';

const at = (step: SetupState['step'], patch: Partial<SetupState> = {}): SetupState => ({ step, mode: null, hubAddress: null, credential: null, ...patch });
const ok = (value: unknown) => ({ ok: true as const, value });
const refused = (code: string) => ({ ok: false as const, error: { code: code as 'INTERNAL', message: 'x' } });

const base: FakeAnswers = {
  'app.info': () => ok(DEMO_INFO),
  'organisations.list': () => ok([]),
  'auth.state': () => ok({ unlocked: false, mediator: null, failures: 0, lockedUntil: null }),
  'help.state': () => ok({ pending: false, requestedAt: null, screen: null }),
  'printing.state': () => ok({ printer: null, status: 'unknown', reasons: [], message: null, acceptingJobs: false, checkedAt: 0 }),
};

describe('the first-start assistant', () => {
  it('replaces the home while the booth is not set up, and says in French why a code is refused', async () => {
    const codes = ['ENROL_CODE_EXPIRED', 'ENROL_CODE_USED', 'ENROL_CODE_UNKNOWN', 'HUB_UNREACHABLE', 'ENROL_TOO_MANY_ATTEMPTS'];
    const { api, calls } = fakeBridge({ ...base, 'setup.state': () => ok(at('hub')), 'setup.enrol': () => refused(codes.shift() ?? 'INTERNAL') });
    renderKiosk(<App />, { bridge: api });
    expect(await screen.findByRole('heading', { level: 2, name: 'Étape 1 sur 5 — Le hub du département' })).toBeTruthy();
    expect(screen.queryByText('Bienvenue')).toBeNull();
    fireEvent.change(screen.getByLabelText('Adresse du hub'), { target: { value: 'https://relais.cantal.fr' } });
    fireEvent.change(screen.getByLabelText('Code d’enrôlement'), { target: { value: 'abcd-efgh' } });
    const expected = [/a expiré/, /a déjà servi/, /n’est pas reconnu/, /ne répond pas/, /Trop de codes erronés/];
    for (const text of expected) {
      fireEvent.click(screen.getByRole('button', { name: 'Enrôler la borne' }));
      expect((await screen.findByRole('alert')).textContent).toMatch(text);
    }
    expect(calls.find((c) => c.verb === 'setup.enrol')?.input).toEqual({ hubAddress: 'https://relais.cantal.fr', code: 'ABCD-EFGH' });
  });

  it('checks the PIN twice on the screen, then goes on to the printer with the printer panel', async () => {
    const { api, calls } = fakeBridge({
      ...base,
      'setup.state': () => ok(at('mediator', { mode: 'hub', hubAddress: 'https://relais.cantal.fr', credential: 'file' })),
      'setup.firstMediator': (input) =>
        (input as { pin: string }).pin === '1234'
          ? { ok: false, error: { code: 'DUPLICATE', message: 'x', details: { field: 'pin' } } }
          : ok(at('printer', { mode: 'hub', hubAddress: 'https://relais.cantal.fr' })),
      'printing.jobs': () => ok([]),
    });
    renderKiosk(<App />, { bridge: api });
    expect(await screen.findByText('Borne enrôlée sur le hub https://relais.cantal.fr.')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Nom du médiateur'), { target: { value: 'Aïcha' } });
    fireEvent.change(screen.getByLabelText('Code PIN'), { target: { value: '12a4' } });
    fireEvent.change(screen.getByLabelText('Code PIN, une seconde fois'), { target: { value: '12a4' } });
    fireEvent.click(screen.getByRole('button', { name: 'Continuer' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Le code PIN compte de 4 à 8 chiffres.');
    fireEvent.change(screen.getByLabelText('Code PIN'), { target: { value: '482913' } });
    fireEvent.change(screen.getByLabelText('Code PIN, une seconde fois'), { target: { value: '482914' } });
    fireEvent.click(screen.getByRole('button', { name: 'Continuer' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Les deux codes ne sont pas les mêmes.');
    expect(calls.some((c) => c.verb === 'setup.firstMediator')).toBe(false);
    // The demonstration's PIN is taken: said as such, not as a duplicate name.
    fireEvent.change(screen.getByLabelText('Code PIN'), { target: { value: '1234' } });
    fireEvent.change(screen.getByLabelText('Code PIN, une seconde fois'), { target: { value: '1234' } });
    fireEvent.click(screen.getByRole('button', { name: 'Continuer' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/^Ce code PIN est déjà pris/);
    fireEvent.change(screen.getByLabelText('Code PIN'), { target: { value: '482913' } });
    fireEvent.change(screen.getByLabelText('Code PIN, une seconde fois'), { target: { value: '482913' } });
    fireEvent.click(screen.getByRole('button', { name: 'Continuer' }));
    expect(await screen.findByRole('heading', { level: 2, name: 'Étape 4 sur 5 — L’imprimante' })).toBeTruthy();
    expect(screen.getByTestId('printer-panel')).toBeTruthy();
    expect(calls.filter((c) => c.verb === 'setup.firstMediator').map((c) => c.input)).toEqual([{ name: 'Aïcha', pin: '1234' }, { name: 'Aïcha', pin: '482913' }]);
  });

  it('fits the home to the window even when the booth says it is set up after everything else has loaded', async () => {
    // Before the fix, the shell's fit levels started while the setup state was still unknown (no shell yet) and never
    // again: at text size A++ the home spilled out of a 1280×800 window.
    let answer: (state: SetupState) => void = () => undefined;
    const late = new Promise<SetupState>((resolve) => (answer = resolve)).then(ok);
    const { api, calls } = fakeBridge({ ...base, 'setup.state': () => late as unknown as ReturnType<typeof ok> });
    const { container } = renderKiosk(<App />, { bridge: api });
    await waitFor(() => expect(calls.some((c) => c.verb === 'printing.state') && calls.some((c) => c.verb === 'app.info')).toBe(true));
    await act(async () => {
      await Promise.resolve();
    });
    answer(at('done', { mode: 'configured' }));
    expect(await screen.findByText('Bienvenue')).toBeTruthy();
    expect(container.querySelector('.kiosk')?.getAttribute('data-fit')).toBe('0');
  });

  it('shows the home as before when the booth is set up', async () => {
    const { api } = fakeBridge({ ...base, 'setup.state': () => ok(at('done', { mode: 'configured' })) });
    renderKiosk(<App />, { bridge: api });
    expect(await screen.findByText('Bienvenue')).toBeTruthy();
    expect(screen.queryByTestId('setup')).toBeNull();
  });
});
