// Issue 14, the texts of the booth's screens: French formats without the browser's pickers, a closed organisation that
// says so, a survey that counts its own questions, the mediator's help reasons in words, and small fixes of the tabs.
import type { ReactElement } from 'react';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { MonthReportValue, OrganisationWithState, PrinterStateView, PrintJob } from '../../../shared/contract/index.js';
import { App } from '../../../renderer/kiosk/App.js';
import { ReportTab } from '../../../renderer/kiosk/evaluation/ReportTab.js';
import { SurveyScreen } from '../../../renderer/kiosk/evaluation/SurveyScreen.js';
import { MediatorScreen } from '../../../renderer/kiosk/foundation/MediatorScreen.js';
import { DevicesTab } from '../../../renderer/kiosk/printing/DevicesTab.js';
import { SettingsScreen } from '../../../renderer/kiosk/foundation/SettingsScreen.js';
import { civilDay, shiftMonth } from '../../../renderer/ui/DateFields.js';
import { DEMO_INFO, NOW, fakeBridge, organisationAt, type FakeAnswers } from './fakeBridge.js';
import { renderKiosk, testKiosk, type TestKiosk } from './renderKiosk.js';

/** This test's bridge and stores, built by setup(); each test renders inside them. */
let kiosk: TestKiosk;
const render = (ui: ReactElement) => renderKiosk(ui, kiosk);

const info = DEMO_INFO;
const org = (code: string, name: string, visio: OrganisationWithState['visio']) => organisationAt(code, name, visio, 5);
const organisations = [
  org('CAF', "Caisse d'allocations familiales", { openNow: true, closesAt: Date.parse('2026-11-25T11:00:00Z'), nextOpening: null }),
  org('CARSAT', 'Assurance retraite', { openNow: false, closesAt: null, nextOpening: Date.parse('2026-11-25T13:00:00Z') }),
  org('ML', 'Mission Locale', { openNow: false, closesAt: null, nextOpening: null }),
];
const locked = { unlocked: false, mediator: null, failures: 0, lockedUntil: null };
const unlocked = { unlocked: true, mediator: { id: 1, name: 'Camille', active: true }, failures: 0, lockedUntil: null };
const noHelp = { pending: false, requestId: null, requestedAt: null, screen: null };
const ready: PrinterStateView = { printer: 'PDF', status: 'idle', accepting: true, reasons: [], blocked: false, message: '', checkedAt: 1 };

function setup(extra: FakeAnswers = {}) {
  const fake = fakeBridge({
    'app.info': () => ({ ok: true, value: info }),
    'organisations.list': () => ({ ok: true, value: organisations }),
    'auth.state': () => ({ ok: true, value: locked }),
    'help.state': () => ({ ok: true, value: noHelp }),
    'printing.state': () => ({ ok: true, value: ready }),
    ...extra,
  });
  kiosk = testKiosk(fake.api);
  kiosk.stores.app.setState({ ready: false, info, organisations, screen: { name: 'home' }, help: noHelp, auth: locked, textScale: 1 });
  kiosk.stores.printing.setState({ state: null, jobs: {}, started: false, known: false });
  return fake;
}

describe('a closed organisation’s own screen', () => {
  it('says the visio is closed and when it opens, instead of only hiding the button', async () => {
    setup();
    render(<App />);
    fireEvent.click(await screen.findByRole('button', { name: /Assurance retraite/ }));
    const closed = await screen.findByTestId('visio-closed');
    expect(within(closed).getByRole('heading', { level: 2 }).textContent).toBe('La visio est fermée');
    expect(closed.textContent).toContain('La visio avec cet organisme est fermée maintenant. Elle ouvre aujourd’hui à 14:00.');
    expect(screen.queryByRole('button', { name: 'Parler à un conseiller' })).toBeNull();
  }, 20_000);

  it('says when no visio hour is planned at all', async () => {
    setup();
    render(<App />);
    fireEvent.click(await screen.findByRole('button', { name: /Mission Locale/ }));
    expect((await screen.findByTestId('visio-closed')).textContent).toContain('Aucune heure de visio n’est prévue pour le moment.');
  });

  it('says nothing of the kind while the visio is open', async () => {
    setup();
    render(<App />);
    fireEvent.click(await screen.findByRole('button', { name: /allocations familiales/ }));
    await screen.findByRole('heading', { level: 1, name: "Caisse d'allocations familiales" });
    expect(screen.queryByTestId('visio-closed')).toBeNull();
  });
});

describe('the survey’s introduction', () => {
  const b = (fr: string) => ({ fr, en: fr });
  const question = (id: string) => ({ id, text: b(`Question ${id} ?`), spoken: b('x') });
  const scale = (['very_unhappy', 'unhappy', 'neutral', 'happy', 'very_happy'] as const).map((icon, i) => ({ value: i + 1, icon, label: b(icon) }));

  it.each([
    [['a', 'b', 'c', 'd'], '4 questions, pour améliorer ce service.', 'Question 1 sur 4'],
    [['a', 'b', 'c'], '3 questions, pour améliorer ce service.', 'Question 1 sur 3'],
    [['a'], 'Une question, pour améliorer ce service.', 'Question 1 sur 1'],
  ])('counts the questions it asks (%j)', async (ids, intro, progress) => {
    setup({ 'survey.offer': () => ({ ok: true, value: { offer: true, questions: ids.map(question), scale } }) });
    kiosk.stores.app.setState({ ready: true, screen: { name: 'survey', organisation: 'CAF', service: 'visio' } });
    render(<SurveyScreen organisation="CAF" service="visio" />);
    expect((await screen.findByText(/pour améliorer ce service/)).textContent).toContain(intro);
    expect(screen.getByText(progress)).toBeTruthy();
  });
});

describe('the mediator’s help banner', () => {
  it.each([
    ['home', 'Un visiteur demande de l’aide (depuis l’accueil, 10:00)'],
    ['teleservice:CARSAT', 'Un visiteur demande de l’aide (pendant une démarche en ligne — Assurance retraite, 10:00)'],
    ['print:CAF', 'Un visiteur demande de l’aide (Impression impossible — Caisse d\'allocations familiales, 10:00)'],
    ['visio:ML', 'Un visiteur demande de l’aide (la visio n’a pas pu démarrer — Mission Locale, 10:00)'],
    ['visio:preflight', 'Un visiteur demande de l’aide (la visio n’a pas pu démarrer, 10:00)'],
    ['something-old', 'Un visiteur demande de l’aide (10:00)'],
  ])('reads « %s » as a reason in words', async (stored, text) => {
    setup({ 'help.state': () => ({ ok: true, value: { pending: true, requestId: 1, requestedAt: NOW, screen: stored } }) });
    kiosk.stores.app.setState({ ready: true, auth: unlocked, help: { pending: true, requestId: 1, requestedAt: NOW, screen: stored } });
    render(<MediatorScreen tab="today" />);
    const banner = screen.getByRole('alert');
    expect(banner.textContent).toContain(text);
    expect(banner.textContent).not.toContain(stored.includes(':') ? stored : `(${stored},`);
  });

  it('tells the mediator, not the visitors, that no printer is chosen, with a way to the printer tab', async () => {
    setup({ 'printing.state': () => ({ ok: true, value: { ...ready, printer: null, reasons: ['no-printer'], blocked: true } }) });
    kiosk.stores.app.setState({ ready: true, auth: unlocked, screen: { name: 'mediator', tab: 'today' } });
    render(<MediatorScreen tab="today" />);
    const notice = await screen.findByTestId('no-printer-notice');
    expect(notice.textContent).toContain('Aucune imprimante n\'est choisie pour ce site.');
    fireEvent.click(within(notice).getByRole('button', { name: 'Choisir l’imprimante maintenant' }));
    expect(kiosk.stores.app.getState().screen).toEqual({ name: 'mediator', tab: 'devices' });
  });
});

describe('the printer tab', () => {
  const job: PrintJob = {
    id: 7, cupsJobId: 70, printer: 'PDF', title: 'Attestation', kind: 'document', organisation: 'CAF', pages: 1, copies: 2, duplex: false,
    state: 'processing', reasons: [], message: '', createdAt: NOW, updatedAt: NOW, endedAt: null, attempts: 1,
  };

  it('heads the print queue’s columns, and writes sizes with a decimal comma', async () => {
    setup({
      'printing.jobs': () => ({ ok: true, value: [job] }),
      'health.state': () => ({ ok: true, value: { hub: null, disk: { freeBytes: 82_612_000_000, totalBytes: 250_000_000_000 }, devices: null, checkedAt: NOW } }),
    });
    kiosk.stores.app.setState({ ready: true, auth: unlocked });
    kiosk.stores.printing.setState({ state: ready, known: true, jobs: { 7: job }, started: true });
    render(<DevicesTab />);
    const table = await screen.findByTestId('print-jobs');
    expect(within(table).getAllByRole('columnheader').map((th) => [th.textContent, th.getAttribute('scope')])).toEqual([
      ['Heure', 'col'],
      ['Document', 'col'],
      ['Exemplaires', 'col'],
      ['État', 'col'],
      ['Actions', 'col'],
    ]);
    await waitFor(() => expect(screen.getByTestId('health-disk').textContent).toContain('82,6 Go libres sur 250,0 Go'));
  });
});

describe('fields that do not depend on the browser’s pickers', () => {
  const zero = { info: 0, documents: 0, visio: 0, teleservice: 0, internet: 0 };
  const report = (month: string): MonthReportValue => ({
    month, from: `${month}-01`, to: `${month}-28`, services: ['info', 'documents', 'visio', 'teleservice', 'internet'], rows: [], columnTotals: zero, total: 0,
    weeks: [], satisfaction: { responses: 0, questions: [] }, audit: { done: false, latest: null }, incidents: [],
    appointments: { rows: [], totals: { booked: 0, honoured: 0, missed: 0, cancelled: 0 } },
  });

  it('chooses the report’s month with two buttons and names it in French, and takes the CSV range day by day', async () => {
    const fake = setup({ 'reports.month': (input) => ({ ok: true, value: report((input as { month: string }).month) }), 'reports.csv': () => ({ ok: true, value: { filename: 'v.csv', content: '' } }) });
    kiosk.stores.app.setState({ ready: true });
    URL.createObjectURL = () => 'blob:csv';
    URL.revokeObjectURL = () => undefined;
    render(<ReportTab />);
    expect(document.querySelectorAll('input[type="month"], input[type="date"], input[type="time"]')).toHaveLength(0);
    expect((await screen.findByTestId('month-label')).textContent).toBe('novembre 2026');
    fireEvent.click(screen.getByRole('button', { name: 'Mois suivant' }));
    await waitFor(() => expect(screen.getByTestId('month-label').textContent).toBe('décembre 2026'));
    expect(fake.calls.filter((c) => c.verb === 'reports.month').map((c) => c.input)).toEqual([{ month: '2026-11' }, { month: '2026-12' }]);

    const from = screen.getByRole('group', { name: 'Du' });
    expect((within(from).getByLabelText('Jour') as HTMLInputElement).value).toBe('1');
    expect((within(from).getByLabelText('Mois') as HTMLSelectElement).selectedOptions[0]?.textContent).toBe('novembre');
    const to = screen.getByRole('group', { name: 'Au' });
    fireEvent.change(within(to).getByLabelText('Jour'), { target: { value: '31' } });
    expect(screen.getByRole('alert').textContent).toBe('Cette date n’existe pas. Vérifiez le jour, le mois et l’année.');
    expect((screen.getByRole('button', { name: /CSV/ }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(within(to).getByLabelText('Jour'), { target: { value: '30' } });
    fireEvent.click(screen.getByRole('button', { name: /CSV/ }));
    await waitFor(() => expect(fake.calls.find((c) => c.verb === 'reports.csv')?.input).toEqual({ from: '2026-11-01', to: '2026-11-30' }));
  }, 20_000);

  it('edits the visio hours with hour and minute lists, 24-hour', async () => {
    setup({ 'mediators.list': () => ({ ok: true, value: [] }) });
    kiosk.stores.app.setState({ ready: true, auth: unlocked });
    render(<SettingsScreen />);
    await waitFor(() => expect(document.querySelectorAll('.time-field').length).toBeGreaterThan(0));
    expect(document.querySelectorAll('input[type="time"]')).toHaveLength(0);
    const first = document.querySelector('.time-field') as HTMLElement;
    const hours = within(first).getByLabelText('heures') as HTMLSelectElement;
    expect([...hours.options].map((o) => o.value)).toContain('14');
    expect([...hours.options].some((o) => /AM|PM/.test(o.textContent ?? ''))).toBe(false);
    expect(first.getAttribute('data-value')).toBe('09:00');
    fireEvent.change(hours, { target: { value: '14' } });
    await waitFor(() => expect((document.querySelector('.time-field') as HTMLElement).getAttribute('data-value')).toBe('14:00'));
  });

  it('knows which days exist and moves months across years', () => {
    expect(civilDay('29', '2', '2028')).toBe('2028-02-29');
    expect(civilDay('29', '2', '2026')).toBeNull();
    expect(civilDay('', '2', '2026')).toBeNull();
    expect(shiftMonth('2026-12', 1)).toBe('2027-01');
    expect(shiftMonth('2026-01', -1)).toBe('2025-12');
  });
});
