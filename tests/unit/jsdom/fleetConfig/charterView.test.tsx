// The « Charte qualité » part of the « Configuration » view against a stubbed hub API: the shipped charter by default,
// the department's started from the shipped text, commitments added and removed within 6 to 8 (keyboard focus
// follows), an empty or too long text said in French with nothing sent, nothing typed lost when switching back, and
// no serious axe-core violation.
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import axe from 'axe-core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import shippedCharter from '../../../../assets/charter/charte-qualite.json';
import { ConfigView } from '../../../../renderer/coordinator/config/ConfigView.js';
import { initCoordinatorI18n } from '../../../../renderer/coordinator/i18n.js';
import type { ConfigOverview, FleetCharter, FleetConfig } from '../../../../shared/fleetConfig.js';

const department: FleetConfig = {
  organisations: [{ code: 'CAF', name: "Caisse d'allocations familiales", openingHours: [], correspondent: '' }],
  guidesOffered: null,
  documentsOffered: null,
  charter: null,
  surveyPeriod: 'always',
  idleSeconds: 90,
};
const departmentCharter: FleetCharter = {
  title: { fr: 'La charte du Lot', en: 'The Lot’s charter' },
  intro: { fr: 'Nos engagements.', en: 'Our commitments.' },
  commitments: ['un', 'deux', 'trois', 'quatre', 'cinq', 'six'].map((id) => ({ id, title: { fr: `Titre ${id}`, en: `Title ${id}` }, text: { fr: `Texte ${id}`, en: `Text ${id}` } })),
};
const overviewWith = (config: FleetConfig): ConfigOverview => ({
  versions: [{ version: 2, targetBooth: null, publishedAt: 1, publishedBy: 'coord.lot', rolledBackFrom: null }],
  booths: [],
  department: { version: 2, targetBooth: null, publishedAt: 1, publishedBy: 'coord.lot', rolledBackFrom: null, config },
  starter: department,
});

let overview = overviewWith(department);
let posts: Array<{ target: string; config: FleetConfig }> = [];
beforeEach(() => {
  initCoordinatorI18n('fr');
  posts = [];
  overview = overviewWith(department);
  vi.stubGlobal(
    'fetch',
    vi.fn(async (_url: string, init?: RequestInit) => {
      if (init?.method === 'POST') {
        posts.push(JSON.parse(String(init.body)) as { target: string; config: FleetConfig });
        return new Response(JSON.stringify({ version: 3, pushed: 1 }), { status: 201 });
      }
      return new Response(JSON.stringify(overview), { status: 200 });
    }),
  );
});
afterEach(() => vi.unstubAllGlobals());

const value = (label: string) => (screen.getByLabelText(label) as HTMLInputElement | HTMLTextAreaElement).value;
const publish = () => fireEvent.click(screen.getByRole('button', { name: 'Publier la configuration' }));

describe('« Charte qualité » in the « Configuration » view', () => {
  it('starts on the shipped charter, switches to the department’s from the shipped text, and sends none when switched back', async () => {
    render(<ConfigView onSignedOut={() => undefined} />);
    const group = await screen.findByRole('group', { name: 'Charte affichée sur l’écran d’accueil des bornes' });
    expect((within(group).getByLabelText('La charte livrée avec la borne') as HTMLInputElement).checked).toBe(true);
    expect(screen.queryByLabelText('Titre de la charte (français)')).toBeNull();

    fireEvent.click(within(group).getByLabelText('La charte du département'));
    expect(value('Titre de la charte (français)')).toBe(shippedCharter.title.fr);
    expect(value('Titre de la charte (anglais)')).toBe(shippedCharter.title.en);
    expect(value('Introduction (français)')).toBe(shippedCharter.intro.fr);
    expect(value('Texte de l’engagement 2 (anglais)')).toBe(shippedCharter.commitments[1]!.text.en);
    expect(screen.getByLabelText('Titre de l’engagement 1 (anglais)').getAttribute('lang')).toBe('en');

    fireEvent.change(screen.getByLabelText('Titre de la charte (français)'), { target: { value: 'Charte du Lot' } });
    fireEvent.click(within(group).getByLabelText('La charte livrée avec la borne'));
    publish();
    await waitFor(() => expect(posts).toHaveLength(1));
    expect(posts[0]?.config.charter).toBeNull();
    // What was typed is still there.
    fireEvent.click(within(group).getByLabelText('La charte du département'));
    expect(value('Titre de la charte (français)')).toBe('Charte du Lot');
    publish();
    await waitFor(() => expect(posts).toHaveLength(2));
    expect(posts[1]?.config.charter).toEqual({ ...shippedCharter, title: { ...shippedCharter.title, fr: 'Charte du Lot' } });
  });

  it('adds and removes commitments within 6 to 8, the keyboard following, and names an empty French text before sending', async () => {
    render(<ConfigView onSignedOut={() => undefined} />);
    fireEvent.click(await screen.findByLabelText('La charte du département'));
    // The shipped charter has 8: no add button, each can be removed.
    expect(screen.queryByRole('button', { name: 'Ajouter un engagement' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Retirer l’engagement 3' }));
    expect(screen.getByRole('group', { name: 'Engagements (7)' })).toBe(document.activeElement);
    expect(value('Titre de l’engagement 3 (français)')).toBe(shippedCharter.commitments[3]!.title.fr);
    fireEvent.click(screen.getByRole('button', { name: 'Ajouter un engagement' }));
    expect(document.activeElement).toBe(screen.getByLabelText('Titre de l’engagement 8 (français)'));
    expect(value('Titre de l’engagement 8 (français)')).toBe('');

    publish();
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('Titre de l’engagement 8 (français) : le texte est vide.'));
    expect(posts).toHaveLength(0);
    fireEvent.change(screen.getByLabelText('Titre de l’engagement 8 (français)'), { target: { value: 'Des horaires clairs' } });
    fireEvent.change(screen.getByLabelText('Titre de l’engagement 8 (anglais)'), { target: { value: 'Clear hours' } });
    fireEvent.change(screen.getByLabelText('Texte de l’engagement 8 (français)'), { target: { value: 'Nos horaires sont affichés.' } });
    publish();
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('Texte de l’engagement 8 (anglais) : le texte est vide.'));
    fireEvent.change(screen.getByLabelText('Texte de l’engagement 8 (anglais)'), { target: { value: 'Our hours are posted.' } });
    publish();
    await waitFor(() => expect(posts).toHaveLength(1));
    const sent = posts[0]!.config.charter!;
    expect(sent.commitments.map((k) => k.id)).toEqual([...shippedCharter.commitments.filter((_, i) => i !== 2).map((k) => k.id), 'engagement_h']);
    expect(sent.commitments[7]).toMatchObject({ title: { fr: 'Des horaires clairs', en: 'Clear hours' } });

    // Down to 6: no removal left.
    fireEvent.click(screen.getByRole('button', { name: 'Retirer l’engagement 8' }));
    fireEvent.click(screen.getByRole('button', { name: 'Retirer l’engagement 7' }));
    expect(screen.queryByRole('button', { name: /Retirer l’engagement/ })).toBeNull();
    expect(screen.getByRole('button', { name: 'Ajouter un engagement' })).toBeTruthy();
  });

  it('starts from the department’s charter and refuses 1,001 characters, keeping them', async () => {
    overview = overviewWith({ ...department, charter: departmentCharter });
    render(<ConfigView onSignedOut={() => undefined} />);
    expect(((await screen.findByLabelText('La charte du département')) as HTMLInputElement).checked).toBe(true);
    expect(value('Titre de la charte (anglais)')).toBe('The Lot’s charter');
    expect(screen.queryByRole('button', { name: /Retirer l’engagement/ })).toBeNull();
    const long = 'x'.repeat(1_001);
    fireEvent.change(screen.getByLabelText('Introduction (anglais)'), { target: { value: long } });
    publish();
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('Introduction (anglais) : au plus 1000 caractères (il y en a 1001).'));
    expect(value('Introduction (anglais)')).toBe(long);
    expect(posts).toHaveLength(0);
  });

  it('has no serious or critical axe-core violation', async () => {
    const { container } = render(<ConfigView onSignedOut={() => undefined} />);
    fireEvent.click(await screen.findByLabelText('La charte du département'));
    const results = await axe.run(container, { rules: { 'color-contrast': { enabled: false } } });
    const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  });
});
