// The visitor and mediator screens against a fake bridge: what the visitor sees and what the screens ask of the shell.
import type { ReactElement } from 'react';
import { act, screen, fireEvent } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { App } from '../../../../renderer/kiosk/App.js';
import { DEMO_INFO, NOW, fakeBridge, organisationAt, type FakeAnswers } from '../fakeBridge.js';
import { renderKiosk, testKiosk, type TestKiosk } from '../renderKiosk.js';

/** This test's bridge and stores, built by setup(); each test renders inside them. */
let kiosk: TestKiosk;
const render = (ui: ReactElement) => renderKiosk(ui, kiosk);

const info = DEMO_INFO;
const org = organisationAt;
const organisations = [
  org('CAF', "Caisse d'allocations familiales", { openNow: true, closesAt: Date.parse('2026-11-25T11:00:00Z'), nextOpening: null }),
  org('ML', 'Mission Locale', { openNow: false, closesAt: null, nextOpening: Date.parse('2026-11-27T08:00:00Z') }),
];
const locked = { unlocked: false, mediator: null, failures: 0, lockedUntil: null };
const noHelp = { pending: false, requestId: null, requestedAt: null, screen: null };

function setup(extra: FakeAnswers = {}) {
  const fake = fakeBridge({
    'app.info': () => ({ ok: true, value: info }),
    'organisations.list': () => ({ ok: true, value: organisations }),
    'auth.state': () => ({ ok: true, value: locked }),
    'help.state': () => ({ ok: true, value: noHelp }),
    ...extra,
  });
  kiosk = testKiosk(fake.api);
  return fake;
}

describe('visitor home', () => {
  it('shows each organisation with its visio state in plain French', async () => {
    setup();
    render(<App />);
    expect(await screen.findByRole('heading', { level: 1, name: 'Bienvenue' })).toBeTruthy();
    expect(screen.getByText('Visio ouverte jusqu’à 12:00')).toBeTruthy();
    expect(screen.getByText('Visio fermée. Ouvre vendredi à 09:00')).toBeTruthy();
  });

  it('calls the mediator and then says that a mediator is coming', async () => {
    const fake = setup({ 'help.request': () => ({ ok: true, value: { pending: true, requestId: 1, requestedAt: NOW, screen: 'home' } }) });
    render(<App />);
    fireEvent.click(await screen.findByRole('button', { name: 'Appeler le médiateur' }));
    expect(await screen.findByText('Un médiateur arrive')).toBeTruthy();
    expect(fake.calls.find((c) => c.verb === 'help.request')?.input).toEqual({ screen: 'home' });
  });

  it('goes back to "call the mediator" when the mediator acknowledges (event from main)', async () => {
    const fake = setup({ 'help.request': () => ({ ok: true, value: { pending: true, requestId: 1, requestedAt: NOW, screen: 'home' } }) });
    render(<App />);
    fireEvent.click(await screen.findByRole('button', { name: 'Appeler le médiateur' }));
    await screen.findByText('Un médiateur arrive');
    act(() => fake.emit('help.changed', noHelp));
    expect(await screen.findByRole('button', { name: 'Appeler le médiateur' })).toBeTruthy();
  });

  it('enlarges the text for visitors who need it', async () => {
    setup();
    render(<App />);
    fireEvent.click(await screen.findByRole('button', { name: 'Texte très grand' }));
    expect(document.documentElement.style.getPropertyValue('--text-scale')).toBe('1.5');
    expect(screen.getByRole('button', { name: 'Texte très grand' }).getAttribute('aria-pressed')).toBe('true');
  });
});

describe('mediator unlock', () => {
  it('shows how many tries remain after a wrong PIN, and the demo PIN in demo mode', async () => {
    const fake = setup({ 'auth.unlock': () => ({ ok: false, error: { code: 'WRONG_PIN', message: 'wrong', details: { remaining: 3 } } }) });
    render(<App />);
    fireEvent.click(await screen.findByRole('button', { name: 'Mode médiateur' }));
    expect(screen.getByText('Démonstration : le code est 1234.')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Code PIN'), { target: { value: '0000' } });
    fireEvent.click(screen.getByRole('button', { name: 'Valider' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Code incorrect. Il reste 3 essais.');
    expect(fake.calls.find((c) => c.verb === 'auth.unlock')?.input).toEqual({ pin: '0000' });
  });

  it('says until when mediator mode is locked', async () => {
    const until = Date.parse('2026-11-25T09:05:00Z');
    setup({ 'auth.unlock': () => ({ ok: false, error: { code: 'PIN_LOCKED', message: 'locked', details: { lockedUntil: until } } }) });
    render(<App />);
    fireEvent.click(await screen.findByRole('button', { name: 'Mode médiateur' }));
    fireEvent.click(screen.getByRole('button', { name: 'Chiffre 1' }));
    fireEvent.click(screen.getByRole('button', { name: 'Valider' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Trop d’essais. Le mode médiateur est bloqué jusqu’à 10:05.');
  });

  it('names the day when the lock ends tomorrow (the 24-hour lock), in Paris time and 24-hour French', async () => {
    // Thursday 26 November 2026, 13:15 in Paris (12:15 UTC); the browser's own zone and locale play no part.
    const until = Date.parse('2026-11-26T12:15:00Z');
    setup({ 'auth.unlock': () => ({ ok: false, error: { code: 'PIN_LOCKED', message: 'locked', details: { lockedUntil: until } } }) });
    render(<App />);
    fireEvent.click(await screen.findByRole('button', { name: 'Mode médiateur' }));
    fireEvent.click(screen.getByRole('button', { name: 'Chiffre 1' }));
    fireEvent.click(screen.getByRole('button', { name: 'Valider' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Trop d’essais. Le mode médiateur est bloqué jusqu’au jeudi 26 novembre à 13:15.');
  });
});
