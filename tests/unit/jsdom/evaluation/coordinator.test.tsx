// The coordinator's dashboard page against a faked hub: sign-in, the grid per site and week with totals, the chart,
// the CSV link for the range shown, and "Imprimer la grille".
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CoordinatorApp, type DashboardData } from '../../../../renderer/coordinator/CoordinatorApp.js';
import { initCoordinatorI18n } from '../../../../renderer/coordinator/i18n.js';

const zero = { info: 0, documents: 0, visio: 0, teleservice: 0, internet: 0 };
const data: DashboardData = {
  fromWeek: '2026-W47',
  toWeek: '2026-W48',
  weeks: ['2026-W47', '2026-W48'],
  sites: [
    { siteId: 'booth-0001', siteName: 'Relais de Gramat', cells: [null, 6], total: 6, lastReceivedAt: 0 },
    { siteId: 'booth-0002', siteName: 'Relais de Souillac', cells: [2, 3], total: 5, lastReceivedAt: 0 },
  ],
  weekTotals: [2, 9],
  total: 11,
  organisations: [{ organisation: 'CAF', counts: { ...zero, visio: 11 }, total: 11 }],
  serviceTotals: { ...zero, visio: 11 },
};

const boothsAnswer = {
  at: Date.parse('2026-12-04T10:00:00Z'),
  expectedVersion: '1.4.0',
  booths: [{ id: 1, name: 'Relais de Gramat', online: true, since: Date.parse('2026-12-04T08:00:00Z'), problems: [], health: null, reportedAt: null, revoked: false }],
};

let signedIn = false;
/** What the fake hub lists as its views (undefined: a hub that lists none, every view shown). */
let views: string[] | undefined;
const requests: { url: string; method: string; body?: string }[] = [];

beforeEach(() => {
  initCoordinatorI18n('fr');
  signedIn = false;
  views = undefined;
  requests.length = 0;
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init?: RequestInit) => {
      requests.push({ url, method: init?.method ?? 'GET', ...(typeof init?.body === 'string' ? { body: init.body } : {}) });
      const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
      if (url.endsWith('/login')) {
        const { password } = JSON.parse(String(init?.body)) as { password: string };
        // The hub's answer while its database restarts (server/http/server.ts).
        if (password === 'base-en-redemarrage') return json(503, { error: 'STORE_UNAVAILABLE', message: 'Service momentanément indisponible (base de données injoignable) : réessayez dans un instant.' });
        if (password !== 'bon-mot-de-passe') return json(401, { error: 'WRONG_CREDENTIALS' });
        signedIn = true;
        return json(200, { login: 'coord.lot', ...(views ? { views } : {}) });
      }
      if (!signedIn) return json(401, { error: 'NOT_SIGNED_IN' });
      if (url.endsWith('/session')) return json(200, { login: 'coord.lot', ...(views ? { views } : {}) });
      if (url.includes('/dashboard')) return json(200, data);
      if (url.endsWith('/coordinator/api/booths')) return json(200, boothsAnswer);
      if (url.endsWith('/coordinator/api/alerts')) return json(200, { at: 0, alerts: [] });
      return json(404, {});
    }),
  );
});
afterEach(() => vi.unstubAllGlobals());

describe('coordinator dashboard', () => {
  it('refuses a wrong password, then shows the grid per site and week with totals, a chart, the CSV link and printing', async () => {
    const print = vi.fn();
    vi.stubGlobal('print', print);
    render(<CoordinatorApp />);
    fireEvent.change(await screen.findByLabelText('Identifiant'), { target: { value: 'coord.lot' } });
    fireEvent.change(screen.getByLabelText('Mot de passe'), { target: { value: 'faux' } });
    fireEvent.click(screen.getByRole('button', { name: 'Se connecter' }));
    expect(await screen.findByText('Identifiant ou mot de passe incorrect.', {}, { timeout: 5_000 })).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Mot de passe'), { target: { value: 'bon-mot-de-passe' } });
    fireEvent.click(screen.getByRole('button', { name: 'Se connecter' }));

    const grid = await screen.findByRole('table', { name: 'Services rendus par site, de la semaine 47 (du 16 au 22 novembre 2026) à la semaine 48 (du 23 au 29 novembre 2026)' }, { timeout: 5_000 });
    // Weeks in words, never « 2026-W48 » nor the browser's own week picker (it follows the browser's locale).
    expect([...grid.querySelectorAll('thead th[data-week]')].map((th) => th.textContent)).toEqual(['Semaine 47', 'Semaine 48']);
    expect(document.querySelector('input[type="week"]')).toBeNull();
    const from = screen.getByLabelText('Semaine de début') as HTMLSelectElement;
    expect(from.tagName).toBe('SELECT');
    expect(from.selectedOptions[0]?.textContent).toBe('Semaine 47 (du 16 au 22 novembre 2026)');
    expect(grid.textContent).not.toMatch(/\d{4}-W\d{2}/);
    const cell = (site: string, week: string) => grid.querySelector(`tr[data-site="${site}"] td[data-week="${week}"]`)?.textContent;
    expect(cell('Relais de Gramat', '2026-W47')).toBe('–');
    expect(cell('Relais de Gramat', '2026-W48')).toBe('6');
    expect(cell('Relais de Souillac', 'total')).toBe('5');
    expect(cell('total', '2026-W48')).toBe('9');
    expect(cell('total', 'total')).toBe('11');
    expect(screen.getByRole('img', { name: /semaine 48 \(du 23 au 29 novembre\) : 9 services/ })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Exporter en CSV' }).getAttribute('href')).toBe('/coordinator/api/dashboard.csv?from=2026-W47&to=2026-W48');
    fireEvent.click(screen.getByRole('button', { name: 'Imprimer la grille' }));
    expect(print).toHaveBeenCalledTimes(1);

    fireEvent.change(screen.getByLabelText('Semaine de début'), { target: { value: '2026-W40' } });
    fireEvent.click(screen.getByRole('button', { name: 'Afficher' }));
    await waitFor(() => expect(requests.at(-1)?.url).toBe('/coordinator/api/dashboard?from=2026-W40&to=2026-W48'));
  }, 20_000);

  it('says the service is briefly unavailable, not that the password is wrong, while the hub cannot check it; signs in after', async () => {
    render(<CoordinatorApp />);
    fireEvent.change(await screen.findByLabelText('Identifiant'), { target: { value: 'coord.lot' } });
    fireEvent.change(screen.getByLabelText('Mot de passe'), { target: { value: 'base-en-redemarrage' } });
    fireEvent.click(screen.getByRole('button', { name: 'Se connecter' }));
    expect(await screen.findByText('Service momentanément indisponible. Réessayez dans un instant.', {}, { timeout: 5_000 })).toBeTruthy();
    expect(screen.queryByText('Identifiant ou mot de passe incorrect.')).toBeNull();
    fireEvent.change(screen.getByLabelText('Mot de passe'), { target: { value: 'bon-mot-de-passe' } });
    fireEvent.click(screen.getByRole('button', { name: 'Se connecter' }));
    await waitFor(() => expect(signedIn).toBe(true));
    expect(await screen.findByRole('button', { name: 'Se déconnecter' }, { timeout: 5_000 })).toBeTruthy();
  });

  it('on a hub that serves the counts alone (a hub across machines): the grid, and no view nor booth request it does not serve', async () => {
    views = ['counts'];
    signedIn = true;
    render(<CoordinatorApp />);
    expect(await screen.findByRole('table', { name: /Services rendus par site/ }, { timeout: 5_000 })).toBeTruthy();
    expect(screen.queryByRole('navigation')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Bornes' })).toBeNull();
    expect(requests.some((r) => r.url.includes('/booths') || r.url.includes('/alerts'))).toBe(false);
  });

  it('on a hub across machines (counts and booths, no enrolment): the « Bornes » view without « Ajouter une borne », nothing asked it does not serve', async () => {
    views = ['counts', 'booths'];
    signedIn = true;
    render(<CoordinatorApp />);
    const nav = await screen.findByRole('navigation', {}, { timeout: 5_000 });
    expect([...nav.querySelectorAll('button')].map((b) => b.textContent)).toEqual(['Chiffres', 'Bornes']);
    fireEvent.click(screen.getByRole('button', { name: 'Bornes' }));
    expect(await screen.findByText('Relais de Gramat')).toBeTruthy();
    expect(screen.queryByRole('heading', { name: 'Ajouter une borne' })).toBeNull();
    expect(requests.some((r) => r.url.includes('/enrolments') || r.url.includes('/config'))).toBe(false);
  });

  it('on a hub that creates booths (its list has enrol): « Ajouter une borne » under the booths', async () => {
    views = ['counts', 'booths', 'enrol'];
    signedIn = true;
    render(<CoordinatorApp />);
    fireEvent.click(await screen.findByRole('button', { name: 'Bornes' }, { timeout: 5_000 }));
    expect(await screen.findByRole('heading', { name: 'Ajouter une borne' })).toBeTruthy();
  });

  it('shows the views the hub lists after sign-in, and only those it knows', async () => {
    views = ['updates', 'inconnue', '<img src=x>', '', 'counts'];
    render(<CoordinatorApp />);
    fireEvent.change(await screen.findByLabelText('Identifiant'), { target: { value: 'coord.lot' } });
    fireEvent.change(screen.getByLabelText('Mot de passe'), { target: { value: 'bon-mot-de-passe' } });
    fireEvent.click(screen.getByRole('button', { name: 'Se connecter' }));
    const nav = await screen.findByRole('navigation', {}, { timeout: 5_000 });
    expect([...nav.querySelectorAll('button')].map((b) => b.textContent)).toEqual(['Chiffres', 'Mises à jour']);
  });
});
