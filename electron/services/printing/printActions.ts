// The three things the kiosk prints, each in one call: a filled form, a catalogue document, the weekly grid.
import type { WeeklyGrid } from '../../../shared/contract/index.js';
import type { DocumentCatalogue } from './documents/catalogue.js';
import type { FormsService, FormValues } from './forms/formsService.js';
import { formatWeek } from '../../../shared/format.js';
import { gridPdf } from './gridPdf.js';
import type { PrintJob } from './jobStore.js';
import type { PrintService } from './printService.js';

/** Fills, flattens and prints a form; the filled PDF lives only in memory until the job ends (see PrintService). */
export async function printForm(deps: { forms: FormsService; printing: PrintService }, input: { id: string; values: FormValues; copies: number }): Promise<PrintJob> {
  const form = (await deps.forms.listForms()).find((f) => f.id === input.id);
  const { pdf, pages } = await deps.forms.printable(input.id, input.values);
  return deps.printing.submit({ pdf, pages, title: form?.title ?? input.id, kind: 'form', organisation: form?.organisation ?? null, copies: input.copies });
}

export async function printDocument(deps: { documents: DocumentCatalogue; printing: PrintService }, input: { id: string; copies: number }): Promise<PrintJob> {
  const doc = await deps.documents.getDocument(input.id);
  const pdf = await deps.documents.documentBytes(input.id);
  return deps.printing.submit({ pdf, title: doc.title, kind: 'document', organisation: doc.organisation, copies: input.copies });
}

/** The grid is the mediator's paperwork, not a service to a visitor: kind `grid`, no organisation, never counted. */
export async function printGrid(deps: { printing: PrintService; clock: () => number }, grid: WeeklyGrid, copies = 1): Promise<PrintJob> {
  const pdf = await gridPdf(grid, { generatedAt: deps.clock() });
  return deps.printing.submit({ pdf, title: `Grille de comptage, ${formatWeek(grid.week, 'fr', { withYear: true })}`, kind: 'grid', organisation: null, copies });
}
