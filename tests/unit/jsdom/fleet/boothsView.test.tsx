// The coordinator's « Bornes » view against a stubbed fleet API: states in French words, sort, filters, a bounded history
// in French dates, « Révoquer » asked twice, hostile answers shown as a French error.
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BoothsView } from '../../../../renderer/coordinator/booths/BoothsView.js';
import { useBooths } from '../../../../renderer/coordinator/booths/useBooths.js';
import { initCoordinatorI18n } from '../../../../renderer/coordinator/i18n.js';
import { BOOTHS, fleetApi, history } from './boothsFixtures.js';

function Booths({ onSignedOut = () => undefined }: { onSignedOut?: () => void }) {
  const booths = useBooths(onSignedOut);
  return <BoothsView {...booths} onSignedOut={onSignedOut} />;
}

let api = fleetApi();
beforeEach(() => {
  initCoordinatorI18n('fr');
  api = fleetApi();
  vi.stubGlobal('fetch', vi.fn(api.fetch));
});
afterEach(() => vi.unstubAllGlobals());

const table = () => screen.findByRole('table', { name: 'Les bornes du département et leur état' });
const names = (t: HTMLElement) => [...t.querySelectorAll('tbody th[scope="row"]')].map((th) => th.textContent);
const stateOf = (t: HTMLElement, name: string) => within(t).getByRole('rowheader', { name }).closest('tr')?.querySelector('.booth-state')?.textContent;

describe('« Bornes » view', () => {
  it('says each booth state in French words, worst first', async () => {
    render(<Booths />);
    const t = await table();
    expect(stateOf(t, 'Relais de Gramat')).toBe('En ligne');
    expect(stateOf(t, 'Relais de Souillac')).toBe('Hors ligne depuis 14:05');
    expect(stateOf(t, 'Relais de Figeac')).toBe('Hors ligne depuis le 1er décembre');
    expect(stateOf(t, 'Relais de Cahors')).toBe('En ligneImprimante en panneVersion en retard (0.1.0, attendue 0.2.0)');
    expect(stateOf(t, 'Relais de Lacapelle')).toBe('En ligneCaméra absenteDisque presque pleinHorloge décalée');
    expect(stateOf(t, 'Relais de Biars')).toBe('Révoquée');
    expect(stateOf(t, 'Relais de Latronquière')).toBe('Jamais connectée');
    expect(names(t)).toEqual(['Relais de Figeac', 'Relais de Latronquière', 'Relais de Souillac', 'Relais de Lacapelle', 'Relais de Cahors', 'Relais de Gramat', 'Relais de Biars']);
    expect(screen.getByRole('status').textContent).toBe('7 bornes affichées sur 7');
    expect(t.textContent).toContain('03/12/2026 14:59');
  });

  it('sorts by name, state and last report from the column headers, with aria-sort', async () => {
    render(<Booths />);
    const t = await table();
    const header = (name: string) => within(t).getByRole('button', { name: `Trier par ${name}` });
    const sortOf = (name: string) => header(name).closest('th')?.getAttribute('aria-sort');
    expect(sortOf('État')).toBe('descending');
    fireEvent.click(header('Borne'));
    expect(sortOf('Borne')).toBe('ascending');
    expect(sortOf('État')).toBe('none');
    expect(names(t)[0]).toBe('Relais de Biars');
    fireEvent.click(header('Borne'));
    expect(sortOf('Borne')).toBe('descending');
    expect(names(t)[0]).toBe('Relais de Souillac');
    fireEvent.click(header('Dernier rapport'));
    expect(sortOf('Dernier rapport')).toBe('descending');
    expect(names(t).slice(0, 2)).toEqual(['Relais de Lacapelle', 'Relais de Gramat']);
    expect(names(t).at(-1)).toBe('Relais de Latronquière');
  });

  it('filters the booths with a problem, and the offline ones', async () => {
    render(<Booths />);
    const t = await table();
    fireEvent.click(screen.getByRole('radio', { name: 'Avec un problème' }));
    expect(names(t).sort()).toEqual(['Relais de Cahors', 'Relais de Figeac', 'Relais de Lacapelle', 'Relais de Latronquière', 'Relais de Souillac']);
    fireEvent.click(screen.getByRole('radio', { name: 'Hors ligne' }));
    expect(names(t).sort()).toEqual(['Relais de Figeac', 'Relais de Latronquière', 'Relais de Souillac']);
    expect(screen.getByRole('status').textContent).toBe('3 bornes affichées sur 7');
  });

  it('shows a booth history in French dates, bounded to 50 events', async () => {
    api = fleetApi({ history: () => api.json(200, history(80)) });
    vi.stubGlobal('fetch', vi.fn(api.fetch));
    render(<Booths />);
    const t = await table();
    const toggle = within(t).getByRole('button', { name: 'Historique Relais de Cahors' });
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    fireEvent.click(toggle);
    const region = await screen.findByRole('region', { name: 'Historique de Relais de Cahors' });
    await waitFor(() => expect(region.querySelectorAll('li')).toHaveLength(50));
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    expect(region.querySelector('li')?.textContent).toBe('3 décembre 2026 à 14:05 — Début : Imprimante en panne');
    expect(region.textContent).toContain('et 30 évènements plus anciens, non affichés');
    expect(api.requests.some((r) => r.url === '/coordinator/api/booths/4/history')).toBe(true);
  });

  it('says so in French when the history cannot be read', async () => {
    api = fleetApi({ history: () => api.json(200, [{ at: 'hier', kind: 'exploded' }]) });
    vi.stubGlobal('fetch', vi.fn(api.fetch));
    render(<Booths />);
    fireEvent.click(within(await table()).getByRole('button', { name: 'Historique Relais de Gramat' }));
    expect(await screen.findByText('L’historique n’a pas pu être chargé.')).toBeTruthy();
  });

  it('revokes a booth only after the confirmation, and not when cancelled', async () => {
    render(<Booths />);
    const t = await table();
    const revoke = () => within(t).getByRole('button', { name: 'Révoquer Relais de Cahors' });
    fireEvent.click(revoke());
    const question = screen.getByRole('group', { name: /Révoquer la borne « Relais de Cahors » \?/ });
    expect(document.activeElement).toBe(within(question).getByRole('button', { name: 'Oui, révoquer' }));
    fireEvent.click(within(question).getByRole('button', { name: 'Annuler' }));
    await waitFor(() => expect(document.activeElement).toBe(revoke()));
    expect(api.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
    fireEvent.click(revoke());
    fireEvent.click(screen.getByRole('button', { name: 'Oui, révoquer' }));
    await waitFor(() => expect(screen.getByRole('status').textContent).toContain('La borne « Relais de Cahors » est révoquée.'));
    expect(api.requests.filter((r) => r.method === 'POST').map((r) => r.url)).toEqual(['/coordinator/api/booths/4/revoke']);
    // The list is read again after the revocation.
    expect(api.requests.filter((r) => r.url === '/coordinator/api/booths')).toHaveLength(2);
    expect(within(t).queryByRole('button', { name: 'Révoquer Relais de Biars' })).toBeNull();
  });

  it('keeps the question open with a French error when the revocation fails', async () => {
    api = fleetApi({ revoke: () => api.json(500, {}) });
    vi.stubGlobal('fetch', vi.fn(api.fetch));
    render(<Booths />);
    fireEvent.click(within(await table()).getByRole('button', { name: 'Révoquer Relais de Gramat' }));
    fireEvent.click(screen.getByRole('button', { name: 'Oui, révoquer' }));
    expect(await screen.findByText('La borne n’a pas pu être révoquée. Réessayez.')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Oui, révoquer' })).toBeTruthy();
  });

  const hostile: Array<[string, () => Response]> = [
    ['a server error', () => api.json(500, { error: 'INTERNAL' })],
    ['a shape outside BoothsResponse', () => api.json(200, { at: 'now', booths: [{ id: -1, name: '' }] })],
    ['not JSON', () => new Response('<html>', { status: 200 })],
    ['a booth with 500 cameras', () => api.json(200, { ...BOOTHS, booths: [{ ...BOOTHS.booths[0], health: { ...BOOTHS.booths[0]?.health, cameras: 500 } }] })],
  ];
  for (const [name, answer] of hostile) {
    it(`shows a French error, and no table, for ${name}`, async () => {
      api = fleetApi({ booths: answer });
      vi.stubGlobal('fetch', vi.fn(api.fetch));
      render(<Booths />);
      expect(await screen.findByText('La liste des bornes n’a pas pu être chargée. Réessayez.')).toBeTruthy();
      expect(screen.queryByRole('table')).toBeNull();
    });
  }

  it('goes back to sign-in when the session has ended', async () => {
    api = fleetApi({ booths: () => api.json(401, { error: 'NOT_SIGNED_IN' }) });
    vi.stubGlobal('fetch', vi.fn(api.fetch));
    const onSignedOut = vi.fn();
    render(<Booths onSignedOut={onSignedOut} />);
    await waitFor(() => expect(onSignedOut).toHaveBeenCalled());
  });

  it('keeps its texts in English when the dashboard is in English', async () => {
    initCoordinatorI18n('en');
    render(<Booths />);
    const t = await screen.findByRole('table', { name: 'The department’s booths and their state' });
    expect(stateOf(t, 'Relais de Figeac')).toBe('Offline since 1 December');
    expect(BOOTHS.booths).toHaveLength(7);
  });
});
