// The coordinator's « Configuration » view against a stubbed hub API: the draft starts from the department's version,
// typed hours and ids are checked before sending (French errors, nothing sent), a publish sends the parsed configuration
// for the chosen target, a hub refusal and a hostile answer are said in French, and a roll back names its version.
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConfigView } from '../../../../renderer/coordinator/config/ConfigView.js';
import { configOf, draftOf } from '../../../../renderer/coordinator/config/configDraft.js';
import { initCoordinatorI18n } from '../../../../renderer/coordinator/i18n.js';
import type { ConfigOverview, FleetConfig } from '../../../../shared/fleetConfig.js';

const department: FleetConfig = {
  organisations: [
    { code: 'CAF', name: "Caisse d'allocations familiales", openingHours: [{ weekday: 3, from: '09:00', to: '12:00' }], correspondent: '' },
    { code: 'CPAM', name: 'Assurance Maladie (CPAM)', openingHours: [], correspondent: 'Mme Roux' },
  ],
  guidesOffered: null,
  documentsOffered: ['cpam-compte-ameli'],
  charter: null,
  surveyPeriod: 'always',
  idleSeconds: 90,
};
const overview: ConfigOverview = {
  versions: [
    { version: 2, targetBooth: null, publishedAt: Date.parse('2026-12-03T13:05:00Z'), publishedBy: 'coord.lot', rolledBackFrom: null },
    { version: 1, targetBooth: 4, publishedAt: Date.parse('2026-12-02T09:00:00Z'), publishedBy: 'coord.lot', rolledBackFrom: null },
  ],
  booths: [{ boothId: 4, name: 'Relais de Gramat', expectedVersion: 2, appliedVersion: 2, appliedAt: 1, refused: null }],
  department: { version: 2, targetBooth: null, publishedAt: 1, publishedBy: 'coord.lot', rolledBackFrom: null, config: department },
  starter: { ...department, organisations: [department.organisations[0]!] },
};

let posts: Array<{ path: string; body: unknown }> = [];
let answer: { status: number; body: unknown } = { status: 201, body: { version: 3, pushed: 1 } };
beforeEach(() => {
  initCoordinatorI18n('fr');
  posts = [];
  answer = { status: 201, body: { version: 3, pushed: 1 } };
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init?: RequestInit) => {
      if (init?.method === 'POST') {
        posts.push({ path: url, body: JSON.parse(String(init.body)) });
        return new Response(JSON.stringify(answer.body), { status: answer.status });
      }
      return new Response(JSON.stringify(overview), { status: 200 });
    }),
  );
});
afterEach(() => vi.unstubAllGlobals());

describe('« Configuration » view', () => {
  it('starts from the department’s version and publishes the hours as typed, parsed', async () => {
    render(<ConfigView onSignedOut={() => undefined} />);
    const hours = await screen.findByLabelText('Horaires de visio de CAF');
    expect((hours as HTMLInputElement).value).toBe('mer 09:00-12:00');
    expect((screen.getByLabelText('Documents proposés') as HTMLTextAreaElement).value).toBe('cpam-compte-ameli');
    fireEvent.change(hours, { target: { value: 'lun 9h00-11:30; jeu 14:00-16:00' } });
    fireEvent.click(screen.getByRole('button', { name: 'Publier la configuration' }));
    await waitFor(() => expect(posts).toHaveLength(1));
    const sent = posts[0]?.body as { target: string; config: FleetConfig };
    expect(sent.target).toBe('all');
    expect(sent.config.organisations[0]?.openingHours).toEqual([
      { weekday: 1, from: '09:00', to: '11:30' },
      { weekday: 4, from: '14:00', to: '16:00' },
    ]);
    expect(await screen.findByText('Version 3 publiée ; envoyée à 1 borne(s) connectée(s).')).toBeTruthy();
  });

  it('says in French what it cannot read, and sends nothing', async () => {
    render(<ConfigView onSignedOut={() => undefined} />);
    fireEvent.change(await screen.findByLabelText('Horaires de visio de CAF'), { target: { value: 'mercredi matin' } });
    fireEvent.click(screen.getByRole('button', { name: 'Publier la configuration' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Horaires de CAF : « mercredi matin »');
    fireEvent.change(screen.getByLabelText('Horaires de visio de CAF'), { target: { value: '' } });
    fireEvent.change(screen.getByLabelText('Guides proposés'), { target: { value: '../../etc/passwd' } });
    fireEvent.click(screen.getByRole('button', { name: 'Publier la configuration' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('Guides proposés : « ../../etc/passwd »'));
    fireEvent.change(screen.getByLabelText(/nouvel organisme/), { target: { value: 'caf' } });
    fireEvent.click(screen.getByRole('button', { name: 'Ajouter un organisme' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('L’organisme CAF est déjà dans la liste.'));
    expect(posts).toHaveLength(0);
  });

  it('shows the hub’s refusal with its reason, and a roll back names the versions', async () => {
    answer = { status: 400, body: { error: 'INVALID_CONFIG', detail: 'organisations.0.name : au moins 1 caractère(s)' } };
    render(<ConfigView onSignedOut={() => undefined} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Publier la configuration' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('Configuration refusée par le hub : organisations.0.name : au moins 1 caractère(s)'));
    expect(screen.getByRole('table', { name: /Versions publiées/ }).textContent).toContain('Borne Relais de Gramat');
    answer = { status: 201, body: { version: 3, pushed: 0 } };
    fireEvent.click(screen.getByRole('button', { name: 'Revenir à la version 1' }));
    await waitFor(() => expect(posts.at(-1)).toEqual({ path: '/coordinator/api/config/rollback', body: { version: 1 } }));
    expect(await screen.findByText('Version 1 republiée comme version 3.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Revenir à la version 2' })).toBeNull();
  });

  it('says the hub failed when it answers something that is not the API’s', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response('{"versions":"<script>"}', { status: 200 })));
    render(<ConfigView onSignedOut={() => undefined} />);
    expect((await screen.findByText('La configuration n’a pas pu être chargée. Réessayez.')).getAttribute('role')).toBe('alert');
  });

  it('signs out on a 401', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response('{}', { status: 401 })));
    const onSignedOut = vi.fn();
    render(<ConfigView onSignedOut={onSignedOut} />);
    await waitFor(() => expect(onSignedOut).toHaveBeenCalled());
  });
});

describe('configDraft', () => {
  it('goes back and forth between a configuration and its draft', () => {
    const built = configOf(draftOf(department), { guides: 'Guides', documents: 'Documents' });
    expect(built).toEqual({ ok: true, config: department });
  });
  it('refuses an idle delay out of bounds or not a whole number, and an empty list of organisations', () => {
    for (const idleSeconds of ['4', '3601', '1e3', '-5', '', '12.5']) {
      expect(configOf({ ...draftOf(department), idleSeconds }, { guides: 'G', documents: 'D' })).toMatchObject({ ok: false, problem: { key: 'fleetConfig.editor.errors.idle' } });
    }
    expect(configOf({ ...draftOf(department), organisations: [] }, { guides: 'G', documents: 'D' })).toMatchObject({ ok: false, problem: { key: 'fleetConfig.editor.errors.noOrg' } });
  });
});
