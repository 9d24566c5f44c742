// The printing screens against a fake bridge: the visitor's printer notice, a leaflet with copies, a form's fields and
// values, the weekly grid button, and the confirmation before printing an agent's PDF.
import type { ReactElement } from 'react';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { PrinterStateView, PrintJob } from '../../../../shared/contract/index.js';
import { PrintingNotice } from '../../../../renderer/kiosk/printing/PrintScreenParts.js';
import { DocumentsScreen } from '../../../../renderer/kiosk/printing/DocumentsScreen.js';
import { FormsScreen } from '../../../../renderer/kiosk/printing/FormsScreen.js';
import { GridPrintButton } from '../../../../renderer/kiosk/printing/GridPrintButton.js';
import { usePrintConfirm } from '../../../../renderer/kiosk/printing/PrintConfirm.js';
import { visitorSentenceKey } from '../../../../renderer/kiosk/printing/printingStore.js';
import { fakeBridge, type FakeAnswers } from '../fakeBridge.js';
import { renderKiosk, testKiosk, type TestKiosk } from '../renderKiosk.js';

/** This test's bridge and stores, built by setup(); each test renders inside them. */
let kiosk: TestKiosk;
const render = (ui: ReactElement) => renderKiosk(ui, kiosk);

const ready: PrinterStateView = { printer: 'PDF', status: 'idle', accepting: true, reasons: [], blocked: false, message: '', checkedAt: 1 };
const job = (over: Partial<PrintJob> = {}): PrintJob => ({
  id: 7,
  cupsJobId: 70,
  printer: 'PDF',
  title: 'Doc',
  kind: 'document',
  organisation: 'CAF',
  pages: 1,
  copies: 1,
  duplex: false,
  state: 'processing',
  reasons: [],
  message: '',
  createdAt: 1,
  updatedAt: 1,
  endedAt: null,
  attempts: 1,
  ...over,
});

function setup(extra: FakeAnswers = {}) {
  const fake = fakeBridge({ 'printing.state': () => ({ ok: true, value: ready }), ...extra });
  kiosk = testKiosk(fake.api);
  return fake;
}

describe('visitor printer notice', () => {
  it('says nothing while the printer is ready and one plain sentence once it is out of paper', async () => {
    const fake = setup();
    render(<PrintingNotice />);
    await waitFor(() => expect(kiosk.stores.printing.getState().state).not.toBeNull());
    expect(screen.queryByTestId('printing-notice')).toBeNull();
    act(() => fake.emit('printing.state', { ...ready, reasons: ['media-empty'], blocked: true }));
    expect(screen.getByTestId('printing-notice').textContent).toContain("Il n'y a plus de papier.");
  });

  it('on a screen where the visitor came to print, calls the mediator with the reason and says it was sent', async () => {
    const fake = setup({ 'help.request': (input) => ({ ok: true, value: { pending: true, requestId: 3, requestedAt: 1, screen: (input as { screen: string }).screen } }) });
    kiosk.stores.app.setState({ screen: { name: 'documents', organisation: 'CAF' }, help: { pending: false, requestId: null, requestedAt: null, screen: null } });
    render(<PrintingNotice />);
    await waitFor(() => expect(kiosk.stores.printing.getState().state).not.toBeNull());
    expect(fake.calls.some((c) => c.verb === 'help.request')).toBe(false);
    act(() => fake.emit('printing.state', { ...ready, reasons: ['paused'], blocked: true }));
    expect(screen.getByTestId('printing-notice').textContent).toBe("L'imprimante est en pause.");
    await waitFor(() => expect(screen.getByTestId('mediator-alerted').textContent).toBe('Le médiateur est prévenu. Il arrive.'));
    expect(fake.calls.filter((c) => c.verb === 'help.request').map((c) => c.input)).toEqual([{ screen: 'print:CAF' }]);
  });

  it('when the mediator cannot be called, tells the visitor what to press instead', async () => {
    setup({ 'help.request': () => ({ ok: false, error: { code: 'INTERNAL', message: 'down' } }) });
    kiosk.stores.app.setState({ screen: { name: 'documents', organisation: 'CAF' }, help: { pending: false, requestId: null, requestedAt: null, screen: null } });
    render(<PrintingNotice />);
    await waitFor(() => expect(kiosk.stores.printing.getState().state).not.toBeNull());
    act(() => kiosk.stores.printing.setState({ state: { ...ready, reasons: ['paused'], blocked: true } }));
    await waitFor(() => expect(screen.getByTestId('mediator-alerted').textContent).toBe('Appuyez sur « Appeler le médiateur ».'));
  });

  it('on the home, calls nobody and says what to do; with no printer ever chosen, says nothing to visitors', async () => {
    const fake = setup();
    kiosk.stores.app.setState({ screen: { name: 'home' } });
    render(<PrintingNotice onHome />);
    await waitFor(() => expect(kiosk.stores.printing.getState().state).not.toBeNull());
    act(() => fake.emit('printing.state', { ...ready, printer: null, reasons: ['no-printer'], blocked: true }));
    expect(screen.queryByTestId('printing-notice')).toBeNull();
    act(() => fake.emit('printing.state', { ...ready, reasons: ['paused'], blocked: true }));
    expect(screen.getByTestId('printing-notice').textContent).toBe("L'imprimante est en pause. Pour imprimer, appelez le médiateur.");
    expect(fake.calls.some((c) => c.verb === 'help.request')).toBe(false);
  });

  it('keys the sentence on the first blocking reason, ignoring warnings', () => {
    expect(visitorSentenceKey(['toner-low', 'paused'])).toBe('printing.reasons.paused.visitor');
    expect(visitorSentenceKey(['toner-low'])).toBe('printing.ready');
  });
});

describe('documents', () => {
  it('prints a leaflet with the chosen number of copies and says when it is printed', async () => {
    const fake = setup({
      'documents.list': () => ({ ok: true, value: [{ id: 'caf-aides-logement', organisation: 'CAF', kind: 'leaflet', title: 'Les aides au logement', titleEn: null, description: 'Qui peut.', descriptionEn: null }] }),
      'documents.print': (input) => ({ ok: true, value: job({ copies: (input as { copies: number }).copies }) }),
    });
    render(<DocumentsScreen organisation="CAF" />);
    const card = await screen.findByRole('listitem');
    fireEvent.click(within(card).getByRole('button', { name: 'Un exemplaire de plus' }));
    fireEvent.click(within(card).getByRole('button', { name: 'Imprimer' }));
    await waitFor(() => expect(fake.calls.find((c) => c.verb === 'documents.print')?.input).toEqual({ id: 'caf-aides-logement', copies: 2 }));
    expect((await within(card).findByTestId('job-progress')).textContent).toContain('Impression en cours');
    act(() => fake.emit('printing.job', job({ state: 'completed', updatedAt: 2, copies: 2 })));
    expect(within(card).getByTestId('job-progress').textContent).toContain('C’est imprimé. Prenez votre feuille.');
  });
});

describe('forms', () => {
  it('shows the PDF fields as inputs, refuses to print without the required ones, then sends the typed values', async () => {
    const fake = setup({
      'forms.list': () => ({ ok: true, value: [{ id: 'caf-test', organisation: 'CAF', title: 'Changement de situation', titleEn: null, description: 'Pour la CAF.', descriptionEn: null }] }),
      'forms.describe': () => ({
        ok: true,
        value: {
          id: 'caf-test',
          organisation: 'CAF',
          title: 'Changement de situation',
          titleEn: null,
          description: '',
          descriptionEn: null,
          pages: 1,
          fields: [
            { id: 'f0', name: 'nom', kind: 'text', label: 'Nom', labelEn: null, help: null, helpEn: null, required: true, maxLength: null, comb: false, options: [], multiple: false, radio: false },
            { id: 'f1', name: 'enfants', kind: 'checkbox', label: 'Enfants à charge', labelEn: null, help: null, helpEn: null, required: false, maxLength: null, comb: false, options: [], multiple: false, radio: false },
            { id: 'f2', name: 'quand', kind: 'date', label: 'Date', labelEn: null, help: null, helpEn: null, required: false, maxLength: null, comb: false, options: [], multiple: false, radio: false },
          ],
        },
      }),
      'forms.print': () => ({ ok: true, value: job({ kind: 'form' }) }),
    });
    render(<FormsScreen organisation="CAF" />);
    fireEvent.click(await screen.findByRole('button', { name: 'Remplir' }));
    const name = await screen.findByLabelText(/^Nom \(/);
    fireEvent.click(screen.getByRole('button', { name: 'Imprimer' }));
    expect((await screen.findByRole('alert')).textContent).toContain('La case « Nom » est obligatoire.');
    expect(fake.calls.some((c) => c.verb === 'forms.print')).toBe(false);
    fireEvent.change(name, { target: { value: 'Dupont' } });
    fireEvent.click(screen.getByLabelText(/Enfants à charge/));
    // A date that does not exist is refused on screen, naming the box, and what was typed stays.
    fireEvent.change(screen.getByLabelText(/^Date/), { target: { value: '31/02/2026' } });
    fireEvent.click(screen.getByRole('button', { name: 'Imprimer' }));
    expect((await screen.findByRole('alert')).textContent).toContain('La case « Date » attend une date jj/mm/aaaa qui existe.');
    expect((screen.getByLabelText(/^Date/) as HTMLInputElement).value).toBe('31/02/2026');
    expect(fake.calls.some((c) => c.verb === 'forms.print')).toBe(false);
    fireEvent.change(screen.getByLabelText(/^Date/), { target: { value: '02112026' } });
    expect((screen.getByLabelText(/^Date/) as HTMLInputElement).value).toBe('02/11/2026');
    fireEvent.click(screen.getByRole('button', { name: 'Imprimer' }));
    await waitFor(() => expect(fake.calls.find((c) => c.verb === 'forms.print')?.input).toEqual({ id: 'caf-test', values: { f0: 'Dupont', f1: true, f2: '2026-11-02' }, copies: 1 }));
    // Printed: the typed values are forgotten.
    await waitFor(() => expect((screen.getByLabelText(/^Nom \(/) as HTMLInputElement).value).toBe(''));
  });

  it('shows a long form page by page, more than six choices as a list, and a field the kiosk refused by its name', async () => {
    // jsdom draws nothing: each field is given 90 px of height every 100 px, in a box of 450 px, so a page holds four.
    const rect = (top: number, height: number) => ({ top, bottom: top + height, left: 0, right: 600, width: 600, height, x: 0, y: top, toJSON: () => ({}) });
    const real = Element.prototype.getBoundingClientRect;
    Element.prototype.getBoundingClientRect = function (this: Element) {
      if (this.classList.contains('form-fill')) return rect(0, 450);
      if (this.parentElement?.classList.contains('form-fill')) return rect([...this.parentElement.children].indexOf(this) * 100, 90);
      return real.call(this);
    };
    onTestFinished(() => {
      Element.prototype.getBoundingClientRect = real;
    });
    const option = (v: string) => ({ value: v, label: v, labelEn: null });
    const text = (i: number) => ({ id: `f${i}`, name: `champ${i}`, kind: 'text', label: `Champ ${i}`, labelEn: null, help: null, helpEn: null, required: false, maxLength: null, comb: false, options: [], multiple: false, radio: false });
    const pays = { ...text(9), id: 'f9', name: 'pays', kind: 'choice', label: 'Pays', options: ['Allemagne', 'Belgique', 'Espagne', 'France', 'Italie', 'Portugal', 'Suisse'].map(option) };
    const fake = setup({
      'forms.list': () => ({ ok: true, value: [{ id: 'long', organisation: 'CAF', title: 'Long', titleEn: null, description: '', descriptionEn: null }] }),
      'forms.describe': () => ({ ok: true, value: { id: 'long', organisation: 'CAF', title: 'Long', titleEn: null, description: '', descriptionEn: null, pages: 1, fields: [...[0, 1, 2, 3, 4, 5, 6].map(text), pays] } }),
      'forms.print': () => ({ ok: false, error: { code: 'INVALID_INPUT', message: 'x', details: { field: 'f1', reason: 'too-long' } } }),
    });
    render(<FormsScreen organisation="CAF" />);
    fireEvent.click(await screen.findByRole('button', { name: 'Remplir' }));
    expect((await screen.findByTestId('form-page')).textContent).toBe('Page 1 sur 2');
    expect(screen.queryByLabelText(/^Pays/)).toBeNull();
    fireEvent.change(screen.getByLabelText(/^Champ 1/), { target: { value: 'Un texte bien trop long' } });
    fireEvent.click(screen.getByRole('button', { name: 'Suivant' }));
    expect(screen.getByTestId('form-page').textContent).toBe('Page 2 sur 2');
    const select = screen.getByLabelText(/^Pays/);
    expect(select.tagName).toBe('SELECT');
    expect(screen.queryAllByRole('radio')).toHaveLength(0);
    fireEvent.click(screen.getByRole('button', { name: 'Imprimer' }));
    // The kiosk refused « Champ 1 »: back to its page, named, with what was typed kept.
    expect((await screen.findByTestId('form-problems')).textContent).toContain('Le texte de « Champ 1 » est trop long pour sa case');
    expect(screen.getByTestId('form-page').textContent).toBe('Page 1 sur 2');
    expect((screen.getByLabelText(/^Champ 1/) as HTMLInputElement).value).toBe('Un texte bien trop long');
    expect(fake.calls.filter((c) => c.verb === 'forms.print')).toHaveLength(1);
  });
});

describe('weekly grid and agent PDF', () => {
  it('prints the grid of the week shown', async () => {
    const fake = setup({ 'grid.print': () => ({ ok: true, value: job({ kind: 'grid', organisation: null }) }) });
    render(<GridPrintButton week="2026-W48" />);
    fireEvent.click(screen.getByRole('button', { name: 'Imprimer la grille' }));
    expect((await screen.findByText('La grille est envoyée à l’imprimante.')).getAttribute('role')).toBe('status');
    expect(fake.calls.find((c) => c.verb === 'grid.print')?.input).toEqual({ week: '2026-W48' });
  });

  it('asks the visitor before printing a PDF from the agent, and prints nothing on "Non"', async () => {
    const fake = setup({ 'printing.printPdf': () => ({ ok: true, value: job() }) });
    function Harness() {
      const confirm = usePrintConfirm('CPAM');
      return (
        <>
          <button type="button" onClick={() => confirm.request(new Uint8Array([37, 80, 68, 70]), 'Attestation')}>
            agent
          </button>
          {confirm.dialog}
        </>
      );
    }
    render(<Harness />);
    fireEvent.click(screen.getByRole('button', { name: 'agent' }));
    expect(screen.getByRole('dialog').textContent).toContain('Voulez-vous imprimer ce document ?');
    fireEvent.click(screen.getByRole('button', { name: 'Non' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(fake.calls.some((c) => c.verb === 'printing.printPdf')).toBe(false);
    fireEvent.click(screen.getByRole('button', { name: 'agent' }));
    fireEvent.click(screen.getByRole('button', { name: 'Oui, imprimer' }));
    await waitFor(() => expect(fake.calls.find((c) => c.verb === 'printing.printPdf')?.input).toEqual({ title: 'Attestation', organisation: 'CPAM', pdfBase64: 'JVBERg==', copies: 1 }));
  });
});
