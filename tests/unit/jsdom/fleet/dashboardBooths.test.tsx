// The dashboard with the fleet: the booths with a problem summarised at the top, worst first, and the « Bornes » view
// opened from there on the booths with a problem.
import { fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Dashboard, type DashboardData } from '../../../../renderer/coordinator/CoordinatorApp.js';
import { initCoordinatorI18n } from '../../../../renderer/coordinator/i18n.js';
import { ALERTS, BOOTHS, fleetApi } from './boothsFixtures.js';

const zero = { info: 0, documents: 0, visio: 0, teleservice: 0, internet: 0 };
const counts: DashboardData = { fromWeek: '2026-W48', toWeek: '2026-W49', weeks: ['2026-W48', '2026-W49'], sites: [], weekTotals: [0, 0], total: 0, organisations: [], serviceTotals: zero };

let api = fleetApi();
beforeEach(() => {
  initCoordinatorI18n('fr');
  api = fleetApi();
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init?: RequestInit) => (url.includes('/dashboard') ? api.json(200, counts) : api.fetch(url, init))),
  );
});
afterEach(() => vi.unstubAllGlobals());

describe('dashboard with the fleet', () => {
  it('summarises the booths with a problem at the top, and opens the view on them', async () => {
    render(<Dashboard login="coord.lot" onSignedOut={() => undefined} />);
    const alerts = await screen.findByRole('region', { name: 'Bornes à surveiller' });
    expect(alerts.textContent).toContain('5 bornes ont un problème');
    const items = [...alerts.querySelectorAll('li')].map((li) => li.textContent);
    expect(items[0]).toBe('Relais de Figeac — Hors ligne depuis le 1er décembre');
    expect(items).toContain('Relais de Cahors — En ligne · Imprimante en panne · Version en retard (0.1.0, attendue 0.2.0)');
    expect(items).toHaveLength(5);
    // The counts are shown first; the booths' view is one press away.
    expect(screen.getByRole('button', { name: 'Chiffres' }).getAttribute('aria-pressed')).toBe('true');
    fireEvent.click(within(alerts).getByRole('button', { name: 'Voir les bornes' }));
    expect(screen.getByRole('button', { name: 'Bornes' }).getAttribute('aria-pressed')).toBe('true');
    expect((screen.getByRole('radio', { name: 'Avec un problème' }) as HTMLInputElement).checked).toBe(true);
    const table = screen.getByRole('table', { name: 'Les bornes du département et leur état' });
    expect(table.querySelectorAll('tbody tr')).toHaveLength(5);
    expect(screen.queryByRole('button', { name: 'Afficher' })).toBeNull();
  });

  it('shows no summary when every booth is well', async () => {
    api = fleetApi({ booths: () => api.json(200, { ...BOOTHS, booths: BOOTHS.booths.slice(0, 1) }) });
    render(<Dashboard login="coord.lot" onSignedOut={() => undefined} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Bornes' }));
    await screen.findByRole('table', { name: 'Les bornes du département et leur état' });
    expect(screen.queryByRole('region', { name: 'Bornes à surveiller' })).toBeNull();
  });

  it('shows the hub’s alerts in progress first, as an alert, in French with their start time', async () => {
    api = fleetApi({ alerts: () => api.json(200, ALERTS) });
    render(<Dashboard login="coord.lot" onSignedOut={() => undefined} />);
    const heading = await screen.findByRole('heading', { level: 2, name: '2 alertes en cours' });
    const alert = heading.closest('[role="alert"]') as HTMLElement;
    expect(alert).not.toBeNull();
    expect([...alert.querySelectorAll('li')].map((li) => li.textContent)).toEqual([
      'Relais de Souillac — hors ligne depuis 14:05, plus longtemps que le délai permis pendant les heures d’ouverture',
      'Relais de Cahors — imprimante en panne depuis 2 décembre 16:40, plus longtemps que le délai permis',
    ]);
    // The booths with a problem still follow.
    expect(screen.getByRole('region', { name: 'Bornes à surveiller' }).textContent).toContain('5 bornes ont un problème');
  });

  it('shows the alerts even when the booths’ list could not be read, and nothing from an answer of the wrong shape', async () => {
    api = fleetApi({ alerts: () => api.json(200, ALERTS), booths: () => api.json(500, {}) });
    const { unmount } = render(<Dashboard login="coord.lot" onSignedOut={() => undefined} />);
    expect((await screen.findByRole('heading', { level: 2, name: '2 alertes en cours' })).closest('[role="alert"]')?.textContent).toContain('Relais de Souillac');
    unmount();
    api = fleetApi({ alerts: () => api.json(200, { at: 'hier', alerts: [{ boothId: -1, name: '<img src=x>', rule: 'fire', since: 0 }] }) });
    render(<Dashboard login="coord.lot" onSignedOut={() => undefined} />);
    await screen.findByRole('region', { name: 'Bornes à surveiller' });
    expect(document.querySelector('.booth-alerts__rules')).toBeNull();
    expect(document.body.textContent).not.toContain('<img');
  });
});
