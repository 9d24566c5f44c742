// The dashboard with the fleet: the booths with a problem summarised at the top, worst first, and the « Bornes » view
// opened from there on the booths with a problem.
import { fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Dashboard, type DashboardData } from '../../../../renderer/coordinator/CoordinatorApp.js';
import { initCoordinatorI18n } from '../../../../renderer/coordinator/i18n.js';
import { BOOTHS, fleetApi } from './boothsFixtures.js';

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
});
