// The coordinator's « Mises à jour » view against a stubbed releases API: releases and rollouts in French words, each
// booth's version and last result, the rollout edited in place from the keyboard (focus, Échap), a bad percentage and a
// refused save said in French, a hostile answer shown as an error.
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { initCoordinatorI18n } from '../../../../renderer/coordinator/i18n.js';
import { UpdatesView } from '../../../../renderer/coordinator/updates/UpdatesView.js';
import type { ReleasesResponse } from '../../../../shared/updates.js';

const AT = Date.parse('2026-12-03T13:59:00Z');
const SHA = `${'A'.repeat(86)}==`;
function sample(): ReleasesResponse {
  return {
    at: AT,
    releases: [
      { version: '1.2.0', createdAt: AT - 3_600_000, files: [{ platform: 'linux', name: 'Relais-1.2.0.AppImage', size: 123_400_000, sha512: SHA }], rollout: { booths: [1], percent: 10, all: false, paused: true } },
      { version: '1.1.0', createdAt: AT - 86_400_000, files: [{ platform: 'win', name: 'Relais-1.1.0.exe', size: 90_000_000, sha512: SHA }], rollout: { booths: [], percent: 0, all: true, paused: false } },
    ],
    booths: [
      { id: 1, name: 'Relais de Gramat', revoked: false, version: '1.1.0', offered: '1.1.0', lastReport: { version: '1.2.0', outcome: 'failed', reason: 'checksum', at: AT - 60_000 } },
      { id: 2, name: 'Relais de Figeac', revoked: false, version: null, offered: null, lastReport: null },
      { id: 3, name: 'Relais de Biars', revoked: true, version: '1.0.0', offered: null, lastReport: { version: '1.1.0', outcome: 'updated', reason: null, at: AT - 7_200_000 } },
    ],
  };
}

let posted: Array<{ url: string; body: unknown }> = [];
let answer: () => Response = () => Response.json(sample());
let postAnswer: (body: unknown) => Response = () => Response.json(sample());
beforeEach(() => {
  initCoordinatorI18n('fr');
  posted = [];
  answer = () => Response.json(sample());
  postAnswer = (body) => {
    const next = sample();
    next.releases[0] = { ...next.releases[0]!, rollout: body as ReleasesResponse['releases'][0]['rollout'] };
    return Response.json(next);
  };
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init?: RequestInit) => {
      if (init?.method === 'POST') {
        const body = JSON.parse(String(init.body)) as unknown;
        posted.push({ url, body });
        return postAnswer(body);
      }
      return answer();
    }),
  );
});
afterEach(() => vi.unstubAllGlobals());

const releasesTable = () => screen.findByRole('table', { name: 'Les versions publiées sur le hub, la plus récente en premier' });
const boothsTable = () => screen.findByRole('table', { name: 'La version de chaque borne, celle qui lui est proposée et son dernier résultat' });

describe('« Mises à jour » view', () => {
  it('lists releases newest first with their installers and rollout in French', async () => {
    render(<UpdatesView onSignedOut={() => undefined} />);
    const t = await releasesTable();
    const row = (v: string) => within(t).getByRole('rowheader', { name: v }).closest('tr') as HTMLElement;
    expect(row('1.2.0').querySelector('.updates-stage')?.textContent).toBe('1 borne choisie · 10 % des bornes · En pause');
    expect(row('1.1.0').querySelector('.updates-stage')?.textContent).toBe('Toutes les bornes');
    expect(row('1.2.0').textContent).toContain('Linux (123,4 Mo)');
    expect(row('1.1.0').textContent).toContain('Windows (90,0 Mo)');
  });

  it('shows each booth’s version, the version offered and its last result in French', async () => {
    render(<UpdatesView onSignedOut={() => undefined} />);
    const t = await boothsTable();
    const cells = (name: string) => [...(within(t).getByRole('rowheader', { name }).closest('tr')?.querySelectorAll('td') ?? [])].map((c) => c.textContent);
    expect(cells('Relais de Gramat')).toEqual(['1.1.0', '1.1.0', 'Échec de la version 1.2.0 le 03/12/2026 14:58 : fichier altéré (empreinte sha512 différente)']);
    expect(cells('Relais de Figeac')).toEqual(['Inconnue', 'Aucune', 'Aucune']);
    expect(cells('Relais de Biars')).toEqual(['1.0.0', 'Révoquée', 'Passée à la version 1.1.0 le 03/12/2026 12:59']);
  });

  it('edits a rollout from the keyboard: focus on its title, a bad percentage refused in French, saved, Échap closes', async () => {
    render(<UpdatesView onSignedOut={() => undefined} />);
    await releasesTable();
    const edit = screen.getByRole('button', { name: 'Modifier le déploiement de 1.2.0' });
    fireEvent.click(edit);
    expect(edit.getAttribute('aria-expanded')).toBe('true');
    const form = screen.getByRole('form', { name: 'Déploiement de la version 1.2.0' });
    expect(document.activeElement?.textContent).toBe('Déploiement de la version 1.2.0');
    // A revoked booth is not offered as a choice.
    expect(within(form).queryByRole('checkbox', { name: 'Relais de Biars' })).toBeNull();
    fireEvent.click(within(form).getByRole('checkbox', { name: 'Relais de Figeac' }));
    const percent = within(form).getByRole('textbox', { name: 'Puis ce pourcentage des autres bornes (0 à 100)' });
    for (const bad of ['101', '-1', '1e2', 'dix', '']) {
      fireEvent.change(percent, { target: { value: bad } });
      fireEvent.click(within(form).getByRole('button', { name: 'Enregistrer le déploiement' }));
      expect(within(form).getByRole('alert').textContent).toBe('Le pourcentage doit être un nombre entier de 0 à 100.');
      expect(percent.getAttribute('aria-invalid')).toBe('true');
    }
    expect(posted).toEqual([]);
    fireEvent.change(percent, { target: { value: '30' } });
    fireEvent.click(within(form).getByRole('checkbox', { name: 'Mettre en pause (plus aucune borne ne la reçoit)' }));
    fireEvent.click(within(form).getByRole('button', { name: 'Enregistrer le déploiement' }));
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('Déploiement de la version 1.2.0 enregistré.'));
    expect(posted).toEqual([{ url: '/coordinator/api/releases/1.2.0/rollout', body: { booths: [1, 2], percent: 30, all: false, paused: false } }]);
    expect(screen.queryByRole('form')).toBeNull();
    const row = within(await releasesTable()).getByRole('rowheader', { name: '1.2.0' }).closest('tr');
    expect(row?.querySelector('.updates-stage')?.textContent).toBe('2 bornes choisies · 30 % des bornes');

    fireEvent.click(screen.getByRole('button', { name: 'Modifier le déploiement de 1.1.0' }));
    fireEvent.keyDown(screen.getByRole('form', { name: 'Déploiement de la version 1.1.0' }), { key: 'Escape' });
    expect(screen.queryByRole('form')).toBeNull();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Modifier le déploiement de 1.1.0' }));
  });

  it('says a refused save and an unreadable answer in French; a lost session signs out', async () => {
    const onSignedOut = vi.fn();
    render(<UpdatesView onSignedOut={onSignedOut} />);
    await releasesTable();
    postAnswer = () => new Response('{"error":"UNKNOWN_BOOTH"}', { status: 400 });
    fireEvent.click(screen.getByRole('button', { name: 'Modifier le déploiement de 1.2.0' }));
    fireEvent.click(screen.getByRole('button', { name: 'Enregistrer le déploiement' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Le déploiement n’a pas pu être enregistré. Réessayez.');
    answer = () => Response.json({ at: 'hier', releases: '<script>', booths: [] });
    fireEvent.click(screen.getByRole('button', { name: 'Actualiser' }));
    await waitFor(() => expect(screen.getAllByRole('alert').map((a) => a.textContent)).toContain('Les versions n’ont pas pu être chargées. Réessayez.'));
    answer = () => new Response('', { status: 401 });
    fireEvent.click(screen.getByRole('button', { name: 'Actualiser' }));
    await waitFor(() => expect(onSignedOut).toHaveBeenCalled());
  });
});
