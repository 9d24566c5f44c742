// The evaluation screens against a fake bridge: the survey (smileys with spoken labels, skippable, anonymous answers),
// the charter on the visitor home, the audit reminder and checklist, the incident log, the month report, the settings.
import type { ReactElement } from 'react';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { AppInfo, MonthReportValue, OrganisationWithState } from '../../../../shared/contract/index.js';
import { AuditReminder, AuditTab } from '../../../../renderer/kiosk/evaluation/AuditTab.js';
import { CharterPanel } from '../../../../renderer/kiosk/evaluation/CharterPanel.js';
import { EvaluationSettingsTab } from '../../../../renderer/kiosk/evaluation/EvaluationSettingsTab.js';
import { IncidentsTab } from '../../../../renderer/kiosk/evaluation/IncidentsTab.js';
import { ReportTab } from '../../../../renderer/kiosk/evaluation/ReportTab.js';
import { SurveyScreen } from '../../../../renderer/kiosk/evaluation/SurveyScreen.js';
import { fakeBridge, type FakeAnswers } from '../fakeBridge.js';
import { renderKiosk, testKiosk, type TestKiosk } from '../renderKiosk.js';

/** This test's bridge and stores, built by setup(); each test renders inside them. */
let kiosk: TestKiosk;
const render = (ui: ReactElement) => renderKiosk(ui, kiosk);

const NOW = Date.parse('2026-11-25T09:00:00Z');
const info: AppInfo = { siteName: 'Site de démonstration', commune: 'Saint-Céré', demo: true, demoPin: '1234', now: NOW, version: '0.1.0' };
const org = (code: string, name: string, openNow: boolean): OrganisationWithState => ({
  code,
  name,
  position: 0,
  openingHours: [],
  correspondent: '',
  active: true,
  visio: { openNow, closesAt: openNow ? NOW + 3_600_000 : null, nextOpening: openNow ? null : NOW + 86_400_000 },
});
const organisations = [org('CAF', "Caisse d'allocations familiales", true), org('ML', 'Mission Locale', false)];
const b = (fr: string) => ({ fr, en: fr });
const offer = {
  offer: true,
  questions: [
    { id: 'welcome', text: b('Avez-vous été bien accueilli ?'), spoken: b('Avez-vous été bien accueilli ? Touchez un visage.') },
    { id: 'answer', text: b('Avez-vous obtenu une réponse ?'), spoken: b('x') },
    { id: 'recommend', text: b('Recommanderiez-vous ce service ?'), spoken: b('x') },
  ],
  scale: (['very_unhappy', 'unhappy', 'neutral', 'happy', 'very_happy'] as const).map((icon, i) => ({ value: i + 1, icon, label: b(icon) })),
};

function setup(answers: FakeAnswers) {
  const fake = fakeBridge(answers);
  kiosk = testKiosk(fake.api);
  kiosk.stores.app.setState({ ready: true, info, organisations, screen: { name: 'home' } });
  return fake;
}

describe('satisfaction survey', () => {
  it('asks one question at a time with five labelled smileys, lets a question be skipped, and stores the answers anonymously', async () => {
    const fake = setup({ 'survey.offer': () => ({ ok: true, value: offer }), 'survey.record': () => ({ ok: true, value: { stored: true } }) });
    kiosk.stores.app.setState({ screen: { name: 'survey', organisation: 'CAF', service: 'visio' } });
    render(<SurveyScreen organisation="CAF" service="visio" />);
    const heading = await screen.findByRole('heading', { level: 1, name: 'Avez-vous été bien accueilli ?' });
    // Screen readers hear the spoken form of the question with it.
    expect(heading.getAttribute('aria-describedby')).toBe('survey-spoken');
    expect(document.getElementById('survey-spoken')?.textContent).toBe('Avez-vous été bien accueilli ? Touchez un visage.');
    const smileys = screen.getAllByRole('button', { name: /atisfait/ });
    expect(smileys.map((s) => s.getAttribute('aria-label'))).toEqual(['Pas du tout satisfait', 'Pas satisfait', 'Moyennement satisfait', 'Satisfait', 'Très satisfait']);
    fireEvent.click(screen.getByRole('button', { name: 'Très satisfait' }));
    await screen.findByRole('heading', { level: 1, name: 'Avez-vous obtenu une réponse ?' });
    fireEvent.click(screen.getByRole('button', { name: 'Passer cette question' }));
    await screen.findByRole('heading', { level: 1, name: 'Recommanderiez-vous ce service ?' });
    fireEvent.click(screen.getByRole('button', { name: 'Satisfait' }));
    await screen.findByRole('heading', { level: 1, name: 'Merci pour votre réponse !' });
    await waitFor(() => expect(fake.calls.filter((c) => c.verb === 'survey.record')).toHaveLength(1));
    expect(fake.calls.find((c) => c.verb === 'survey.record')?.input).toEqual({ organisation: 'CAF', service: 'visio', answers: { welcome: 5, answer: null, recommend: 4 } });
    fireEvent.click(screen.getByRole('button', { name: 'Retour à l’accueil' }));
    expect(kiosk.stores.app.getState().screen).toEqual({ name: 'home' });
  }, 20_000);

  it('goes home without storing anything when the visitor does not answer', async () => {
    const fake = setup({ 'survey.offer': () => ({ ok: true, value: offer }) });
    kiosk.stores.app.setState({ screen: { name: 'survey', organisation: 'CAF', service: 'visio' } });
    render(<SurveyScreen organisation="CAF" service="visio" />);
    fireEvent.click(await screen.findByRole('button', { name: 'Ne pas répondre' }));
    expect(kiosk.stores.app.getState().screen).toEqual({ name: 'home' });
    expect(fake.calls.some((c) => c.verb === 'survey.record')).toBe(false);
  });

  it('is not shown when the setting does not offer it', async () => {
    setup({ 'survey.offer': () => ({ ok: true, value: { ...offer, offer: false } }) });
    kiosk.stores.app.setState({ screen: { name: 'survey', organisation: 'CAF', service: 'internet' } });
    render(<SurveyScreen organisation="CAF" service="internet" />);
    await waitFor(() => expect(kiosk.stores.app.getState().screen).toEqual({ name: 'home' }));
  });
});

describe('quality charter on the visitor home', () => {
  const charter = { title: b('Notre charte qualité'), intro: b('Voici nos engagements.'), commitments: [{ id: 'welcome', title: b('Un bon accueil'), text: b('Avec respect.') }] };

  it('opens by itself when nobody touches the screen, and lists only the organisations reachable by visio now', async () => {
    setup({ 'charter.get': () => ({ ok: true, value: charter }) });
    render(<CharterPanel idleMs={400} />);
    const toggle = await screen.findByRole('button', { name: 'Notre charte qualité' });
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(await screen.findByRole('button', { name: 'Fermer la charte' }, { timeout: 3_000 })).toBeTruthy();
    expect(screen.getByText('Un bon accueil')).toBeTruthy();
    const reachable = screen.getByRole('list', { name: 'Joignables en visio maintenant' });
    expect(within(reachable).getAllByRole('listitem').map((li) => li.textContent)).toEqual(["Caisse d'allocations familiales"]);
    fireEvent.click(screen.getByRole('button', { name: 'Fermer la charte' }));
    expect(screen.queryByText('Un bon accueil')).toBeNull();
  });

  it('shows its toggle before the charter is read, and reads the charter once however often the home comes back', async () => {
    let answer: (value: unknown) => void = () => undefined;
    const fake = setup({ 'charter.get': () => new Promise((resolve) => (answer = resolve)) as never });
    const first = render(<CharterPanel />);
    // The toggle takes its place with the home's first frame, so nothing below it moves when the charter arrives.
    expect(screen.getByRole('button', { name: 'Notre charte qualité' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Notre charte qualité' }));
    expect(screen.getByRole('button', { name: 'Fermer la charte' }).getAttribute('aria-expanded')).toBe('true');
    await act(async () => answer({ ok: true, value: charter }));
    expect(await screen.findByText('Un bon accueil')).toBeTruthy();
    first.unmount();
    render(<CharterPanel />);
    fireEvent.click(screen.getByRole('button', { name: 'Notre charte qualité' }));
    expect(screen.getByText('Un bon accueil')).toBeTruthy();
    expect(fake.calls.filter((c) => c.verb === 'charter.get')).toHaveLength(1);
  });

  it('is not offered when the charter cannot be read, and the next home reads it again', async () => {
    let fail = true;
    const fake = setup({ 'charter.get': () => (fail ? { ok: false, error: { code: 'INTERNAL', message: 'unreadable' } } : { ok: true, value: charter }) });
    const first = render(<CharterPanel />);
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Notre charte qualité' })).toBeNull());
    first.unmount();
    fail = false;
    render(<CharterPanel />);
    fireEvent.click(screen.getByRole('button', { name: 'Notre charte qualité' }));
    expect(await screen.findByText('Un bon accueil')).toBeTruthy();
    expect(fake.calls.filter((c) => c.verb === 'charter.get')).toHaveLength(2);
  });
});

describe('monthly audit', () => {
  it('reminds the mediator while this month’s audit is not done, and hides the reminder once it is', async () => {
    const fake = setup({ 'audit.due': () => ({ ok: true, value: { due: true, month: '2026-11' } }) });
    render(<AuditReminder />);
    expect((await screen.findByRole('status')).textContent).toContain('L’audit du mois de novembre 2026 n’est pas encore fait.');
    act(() => fake.emit('audit.changed', { due: false }));
    await waitFor(() => expect(screen.queryByText(/n’est pas encore fait/)).toBeNull());
  });

  it('records every item as OK or not OK with its comment, and only once each is answered', async () => {
    const fake = setup({
      'audit.due': () => ({ ok: true, value: { due: true, month: '2026-11' } }),
      'audit.history': () => ({ ok: true, value: [] }),
      'audit.record': (input) => ({ ok: true, value: { id: 1, mediatorId: 1, doneAt: NOW, ...(input as object) } }),
    });
    render(<AuditTab />);
    const save = await screen.findByRole('button', { name: 'Enregistrer l’audit' });
    expect((save as HTMLButtonElement).disabled).toBe(true);
    for (const li of document.querySelectorAll('li[data-item]')) {
      const ok = li.getAttribute('data-item') !== 'cleanliness';
      fireEvent.click(within(li as HTMLElement).getByLabelText(ok ? 'Conforme' : 'Non conforme'));
    }
    fireEvent.change(screen.getByLabelText('Commentaire (Propreté)'), { target: { value: 'Poubelle pleine' } });
    expect((save as HTMLButtonElement).disabled).toBe(false);
    fireEvent.click(save);
    await screen.findByText('Audit enregistré.');
    const input = fake.calls.find((c) => c.verb === 'audit.record')?.input as { month: string; items: { item: string; ok: boolean; comment: string }[] };
    expect(input.month).toBe('2026-11');
    expect(input.items.find((i) => i.item === 'cleanliness')).toEqual({ item: 'cleanliness', ok: false, comment: 'Poubelle pleine' });
    expect(input.items.filter((i) => i.ok)).toHaveLength(4);
  });
});

describe('incident log', () => {
  const fault = {
    id: 7,
    category: 'equipment',
    organisation: null,
    what: "L'imprimante est en panne ou indisponible.",
    action: '',
    status: 'open',
    openedAt: NOW,
    resolvedAt: null,
    faultKey: 'printer_fault:PDF',
    occurrences: 3,
    lastSeenAt: NOW,
    autoResolved: false,
  };

  it('shows a fault the kiosk recorded with how often it was seen, and resolves it with what was done', async () => {
    const fake = setup({
      'incidents.list': () => ({ ok: true, value: [fault] }),
      'incidents.resolve': (input) => ({ ok: true, value: { ...fault, status: 'resolved', resolvedAt: NOW, action: (input as { action: string }).action } }),
    });
    render(<IncidentsTab />);
    const item = await screen.findByText('L’imprimante est en panne ou indisponible.');
    const li = item.closest('li') as HTMLElement;
    expect(li.textContent).toContain('Noté par la borne — vu 3 fois');
    const resolve = within(li).getByRole('button', { name: 'Marquer résolu' }) as HTMLButtonElement;
    expect(resolve.disabled).toBe(true);
    fireEvent.change(within(li).getByLabelText('Ce qui a été fait pour résoudre'), { target: { value: 'Papier remis' } });
    fireEvent.click(resolve);
    await waitFor(() => expect(fake.calls.find((c) => c.verb === 'incidents.resolve')?.input).toEqual({ id: 7, action: 'Papier remis' }));
  });

  it('opens an incident from the form with its category and organisation', async () => {
    const fake = setup({ 'incidents.list': () => ({ ok: true, value: [] }), 'incidents.open': () => ({ ok: true, value: { ...fault, faultKey: null, id: 8 } }) });
    render(<IncidentsTab />);
    await screen.findByText('Aucun incident.');
    fireEvent.change(screen.getByLabelText('Catégorie'), { target: { value: 'organisation_unreachable' } });
    fireEvent.change(screen.getByLabelText('Organisme concerné'), { target: { value: 'CAF' } });
    fireEvent.change(screen.getByLabelText('Ce qui s’est passé'), { target: { value: 'Pas de réponse de la CAF à 10 h' } });
    fireEvent.click(screen.getByRole('button', { name: 'Ouvrir l’incident' }));
    await screen.findByText('Incident noté.');
    expect(fake.calls.find((c) => c.verb === 'incidents.open')?.input).toEqual({ category: 'organisation_unreachable', organisation: 'CAF', what: 'Pas de réponse de la CAF à 10 h' });
  });
});

describe('month report', () => {
  const zero = { info: 0, documents: 0, visio: 0, teleservice: 0, internet: 0 };
  const report: MonthReportValue = {
    month: '2026-11',
    from: '2026-11-01',
    to: '2026-11-30',
    services: ['info', 'documents', 'visio', 'teleservice', 'internet'],
    rows: [{ organisation: 'CAF', name: "Caisse d'allocations familiales", counts: { ...zero, info: 2, visio: 1 }, total: 3 }],
    columnTotals: { ...zero, info: 2, visio: 1 },
    total: 3,
    weeks: [
      { week: '2026-W47', count: 1 },
      { week: '2026-W48', count: 2 },
    ],
    satisfaction: { responses: 2, questions: [{ id: 'welcome', answered: 2, skipped: 0, mean: 4.5, satisfiedShare: 1, distribution: [0, 0, 0, 1, 1] }] },
    audit: { done: false, latest: null },
    incidents: [],
    appointments: {
      rows: [{ organisation: 'CAF', name: "Caisse d'allocations familiales", counts: { booked: 3, honoured: 1, missed: 1, cancelled: 1 } }],
      totals: { booked: 3, honoured: 1, missed: 1, cancelled: 1 },
    },
  };

  it('shows the counts, a bar per week, the satisfaction figures, and asks for the PDF of the month', async () => {
    const fake = setup({ 'reports.month': () => ({ ok: true, value: report }), 'reports.pdf': () => ({ ok: true, value: { filename: 'rapport-2026-11.pdf', pdfBase64: 'JVBERg==' } }) });
    URL.createObjectURL = () => 'blob:report';
    URL.revokeObjectURL = () => undefined;
    render(<ReportTab />);
    const table = await screen.findByRole('table', { name: 'Services rendus en novembre 2026' });
    expect(table.querySelector('tr[data-org="CAF"] td[data-service="info"]')?.textContent).toBe('2');
    expect(table.querySelector('tr[data-org="total"] td[data-service="total"]')?.textContent).toBe('3');
    expect([...document.querySelectorAll('g[data-bar]')].map((g) => [g.getAttribute('data-bar'), g.getAttribute('data-value')])).toEqual([
      ['2026-W47', '1'],
      ['2026-W48', '2'],
    ]);
    // Weeks in words, as people say them (issue 14: « W48 » under a bar, « Semaine W48 » read aloud).
    expect([...document.querySelectorAll('g[data-bar] text:last-of-type')].map((text) => text.textContent)).toEqual(['semaine 47', 'semaine 48']);
    expect(screen.getByRole('img', { name: /semaine 47 \(du 16 au 22 novembre\) : 1 service ; semaine 48 \(du 23 au 29 novembre\) : 2 services/ })).toBeTruthy();
    expect(screen.getByText('2 réponses au questionnaire')).toBeTruthy();
    expect(document.querySelector('tr[data-question="welcome"] td[data-field="satisfied"]')?.textContent).toBe('100 %');
    expect(screen.getByText('Audit non fait ce mois-ci.')).toBeTruthy();
    const appointments = screen.getByRole('table', { name: 'Rendez-vous en visio de novembre 2026, par organisme' });
    expect([...appointments.querySelectorAll('thead th')].map((th) => th.textContent)).toEqual(['Organisme', 'Pris', 'Honorés', 'Non honorés', 'Annulés']);
    expect([...appointments.querySelectorAll('tr[data-org="CAF"] td')].map((td) => td.textContent)).toEqual(['3', '1', '1', '1']);
    expect(appointments.querySelector('tr[data-org="CAF"] th')?.textContent).toBe("Caisse d'allocations familiales");
    fireEvent.click(screen.getByRole('button', { name: 'Imprimer / télécharger le PDF' }));
    await waitFor(() => expect(fake.calls.find((c) => c.verb === 'reports.pdf')?.input).toEqual({ month: '2026-11' }));
  });
});

describe('evaluation settings', () => {
  it('saves the survey mode and the retention, and says how many weeks wait for the hub', async () => {
    const settings = { surveyMode: 'first_six_months', siteStartedAt: NOW, retentionMonths: 24 };
    const fake = setup({
      'evaluation.settings': () => ({ ok: true, value: settings }),
      'evaluation.setSettings': (input) => ({ ok: true, value: { ...settings, ...(input as object) } }),
      'sync.status': () => ({ ok: true, value: { pending: 2, sent: 5, nextAttemptAt: NOW, lastError: 'hub injoignable : refusé', configured: true } }),
    });
    render(<EvaluationSettingsTab />);
    expect(await screen.findByText('2 semaines en attente d’envoi')).toBeTruthy();
    fireEvent.click(screen.getByLabelText('Toujours'));
    fireEvent.change(screen.getByLabelText('Garder le détail des passages (mois)'), { target: { value: '36' } });
    fireEvent.click(screen.getByRole('button', { name: 'Enregistrer' }));
    await screen.findByText('Réglages enregistrés.');
    expect(fake.calls.find((c) => c.verb === 'evaluation.setSettings')?.input).toEqual({ surveyMode: 'always', retentionMonths: 36 });
  });
});
