// The month report as a printable A4 PDF (pdf-lib, standard fonts): tables, a bar chart of the weeks, satisfaction, audit, incidents.
import { PDFDocument, PageSizes, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import { APPOINTMENT_COUNT_HEADERS_FR, APPOINTMENT_COUNT_KEYS } from '../../../shared/appointmentCounts.js';
import { formatDate, formatDecimal as formatDecimalFr, formatMonth, formatWeekShort } from '../../../shared/format.js';
import { AUDIT_ITEM_LABELS } from './audit.js';
import { INCIDENT_CATEGORY_LABELS } from './incidents.js';
import { SERVICE_LABELS_FR } from '../foundation/grid.js';
import type { MonthReport } from './reports.js';
import { SURVEY_QUESTIONS } from './survey.js';

const MARGIN = 40;
const INK = rgb(0.1, 0.1, 0.1);
const GREY = rgb(0.45, 0.45, 0.45);
const RULE = rgb(0.75, 0.75, 0.75);
const BAR = rgb(0.16, 0.35, 0.62);

export const monthLabelFr = (month: string): string => formatMonth(month, 'fr');

/** Integers with a plain space as thousands separator (the standard fonts lack the narrow no-break space). */
export const formatCount = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
const formatDecimal = (n: number): string => formatDecimalFr(n, 'fr', 2);
const formatPercent = (share: number): string => `${Math.round(share * 100)} %`;
const formatDay = (epochMs: number): string => formatDate(epochMs, 'fr');

/** Draws pages top-down, adding a page when the next block does not fit. */
class Writer {
  page: PDFPage;
  y: number;
  private readonly charset: Set<number>;

  constructor(
    private readonly doc: PDFDocument,
    readonly font: PDFFont,
    readonly bold: PDFFont,
  ) {
    this.charset = new Set(font.getCharacterSet());
    this.page = doc.addPage(PageSizes.A4);
    this.y = this.page.getHeight() - MARGIN;
  }

  get width(): number {
    return this.page.getWidth() - 2 * MARGIN;
  }

  /** Keeps what the standard fonts can encode (WinAnsi), on one line. */
  clean(text: string): string {
    return [...text.replace(/\s+/g, ' ')].map((ch) => (this.charset.has(ch.codePointAt(0) ?? 0) ? ch : '?')).join('');
  }

  ensure(height: number): void {
    if (this.y - height >= MARGIN) return;
    this.page = this.doc.addPage(PageSizes.A4);
    this.y = this.page.getHeight() - MARGIN;
  }

  wrap(text: string, size: number, width: number, font: PDFFont = this.font): string[] {
    const lines: string[] = [];
    let line = '';
    for (const word of this.clean(text).split(' ')) {
      const candidate = line ? `${line} ${word}` : word;
      if (font.widthOfTextAtSize(candidate, size) <= width || !line) line = candidate;
      else {
        lines.push(line);
        line = word;
      }
    }
    if (line) lines.push(line);
    return lines;
  }

  text(text: string, x: number, y: number, size: number, options: { font?: PDFFont; color?: ReturnType<typeof rgb>; alignRight?: number } = {}): void {
    const font = options.font ?? this.font;
    const clean = this.clean(text);
    const dx = options.alignRight !== undefined ? options.alignRight - font.widthOfTextAtSize(clean, size) : 0;
    this.page.drawText(clean, { x: x + dx, y, size, font, color: options.color ?? INK });
  }

  paragraph(text: string, size: number, options: { font?: PDFFont; color?: ReturnType<typeof rgb>; indent?: number } = {}): void {
    const indent = options.indent ?? 0;
    for (const line of this.wrap(text, size, this.width - indent, options.font)) {
      this.ensure(size * 1.4);
      this.y -= size * 1.4;
      this.text(line, MARGIN + indent, this.y, size, options);
    }
  }

  heading(text: string): void {
    this.ensure(60);
    this.y -= 22;
    this.text(text, MARGIN, this.y, 13, { font: this.bold });
    this.y -= 6;
    this.page.drawLine({ start: { x: MARGIN, y: this.y }, end: { x: MARGIN + this.width, y: this.y }, thickness: 0.5, color: RULE });
  }

  /** A table with a wrapped header row; the first column and the `textColumns` are left-aligned, the others (numbers) right-aligned. */
  table(headers: string[], widths: number[], rows: string[][], options: { boldLastRow?: boolean; textColumns?: number[] } = {}): void {
    const right = (i: number): boolean => i > 0 && !(options.textColumns ?? []).includes(i);
    const size = 8.5;
    const headerLines = headers.map((h, i) => this.wrap(h, size, (widths[i] ?? 60) - 6, this.bold));
    const headerHeight = Math.max(...headerLines.map((l) => l.length)) * size * 1.25 + 6;
    const drawHeader = (): void => {
      this.ensure(headerHeight + 20);
      this.y -= 4;
      let x = MARGIN;
      headerLines.forEach((lines, i) => {
        const w = widths[i] ?? 60;
        lines.forEach((line, k) => this.text(line, x + 3, this.y - (k + 1) * size * 1.25, size, { font: this.bold, ...(right(i) ? { alignRight: w - 6 } : {}) }));
        x += w;
      });
      this.y -= headerHeight;
      this.page.drawLine({ start: { x: MARGIN, y: this.y }, end: { x: MARGIN + widths.reduce((a, b) => a + b, 0), y: this.y }, thickness: 0.5, color: RULE });
    };
    drawHeader();
    rows.forEach((row, r) => {
      const font = options.boldLastRow && r === rows.length - 1 ? this.bold : this.font;
      const cells = row.map((cell, i) => this.wrap(cell, size, (widths[i] ?? 60) - 6, font));
      const height = Math.max(1, ...cells.map((c) => c.length)) * size * 1.25 + 5;
      if (this.y - height < MARGIN) {
        this.ensure(height + headerHeight + 16);
        drawHeader();
      }
      let x = MARGIN;
      cells.forEach((lines, i) => {
        const w = widths[i] ?? 60;
        lines.forEach((line, k) => this.text(line, x + 3, this.y - (k + 1) * size * 1.25, size, { font, ...(right(i) ? { alignRight: w - 6 } : {}) }));
        x += w;
      });
      this.y -= height;
    });
  }

  /** Vertical bars with their value above and their label below, drawn with rectangles and lines. */
  barChart(bars: { label: string; value: number }[], height: number): void {
    this.ensure(height + 40);
    const top = this.y - 16;
    const baseline = top - height;
    const max = Math.max(1, ...bars.map((b) => b.value));
    const slot = this.width / Math.max(1, bars.length);
    const barWidth = Math.min(60, slot * 0.6);
    this.page.drawLine({ start: { x: MARGIN, y: baseline }, end: { x: MARGIN + this.width, y: baseline }, thickness: 0.8, color: GREY });
    bars.forEach((b, i) => {
      const x = MARGIN + i * slot + (slot - barWidth) / 2;
      const h = (b.value / max) * (height - 14);
      if (h > 0) this.page.drawRectangle({ x, y: baseline, width: barWidth, height: h, color: BAR });
      const value = formatCount(b.value);
      this.text(value, x + (barWidth - this.bold.widthOfTextAtSize(value, 9)) / 2, baseline + h + 3, 9, { font: this.bold });
      this.text(b.label, x + (barWidth - this.font.widthOfTextAtSize(b.label, 8)) / 2, baseline - 12, 8, { color: GREY });
    });
    this.y = baseline - 20;
  }
}

export interface ReportPdfOptions {
  /** Printed in the footer line and set as the PDF's dates; defaults to now. */
  generatedAt?: number;
}

/** The month report as a PDF (A4 portrait); its text is extractable (pdftotext). */
export async function reportPdf(report: MonthReport, siteName: string, options: ReportPdfOptions = {}): Promise<Uint8Array> {
  const generatedAt = options.generatedAt ?? Date.now();
  const doc = await PDFDocument.create();
  const title = `Rapport mensuel – ${monthLabelFr(report.month)}`;
  doc.setTitle(`${title} – ${siteName}`);
  doc.setLanguage('fr-FR');
  doc.setCreator('Relais');
  doc.setProducer('Relais');
  doc.setCreationDate(new Date(generatedAt));
  doc.setModificationDate(new Date(generatedAt));
  const w = new Writer(doc, await doc.embedFont(StandardFonts.Helvetica), await doc.embedFont(StandardFonts.HelveticaBold));

  w.y -= 18;
  w.text(title, MARGIN, w.y, 18, { font: w.bold });
  w.paragraph(`${siteName} – du ${report.from.split('-').reverse().join('/')} au ${report.to.split('-').reverse().join('/')}`, 11, { color: GREY });
  w.paragraph(`Édité le ${formatDay(generatedAt)}. Chiffres anonymes : aucun nom de visiteur.`, 8.5, { color: GREY });

  w.heading(`Services rendus : ${formatCount(report.total)}`);
  const serviceWidth = 62;
  const firstWidth = w.width - serviceWidth * report.services.length - 50;
  w.table(
    ['Organisme', ...report.services.map((s) => SERVICE_LABELS_FR[s]), 'Total'],
    [firstWidth, ...report.services.map(() => serviceWidth), 50],
    [
      ...report.rows.map((r) => [r.name, ...report.services.map((s) => formatCount(r.counts[s])), formatCount(r.total)]),
      ['Total', ...report.services.map((s) => formatCount(report.columnTotals[s])), formatCount(report.total)],
    ],
    { boldLastRow: true },
  );

  w.heading('Services rendus par semaine');
  w.barChart(report.weeks.map((wk) => ({ label: formatWeekShort(wk.week, 'fr'), value: wk.count })), 130);
  w.paragraph('Semaines ISO ; seuls les jours du mois sont comptés.', 8, { color: GREY });

  w.heading('Rendez-vous en visio');
  const appointments = report.appointments;
  if (appointments.rows.length === 0) w.paragraph('Aucun rendez-vous pris ici pour ce mois.', 10);
  else {
    const countWidth = 70;
    w.table(
      ['Organisme', ...APPOINTMENT_COUNT_KEYS.map((k) => APPOINTMENT_COUNT_HEADERS_FR[k])],
      [w.width - countWidth * APPOINTMENT_COUNT_KEYS.length, ...APPOINTMENT_COUNT_KEYS.map(() => countWidth)],
      [
        ...appointments.rows.map((r) => [r.name, ...APPOINTMENT_COUNT_KEYS.map((k) => formatCount(r.counts[k]))]),
        ['Total', ...APPOINTMENT_COUNT_KEYS.map((k) => formatCount(appointments.totals[k]))],
      ],
      { boldLastRow: true },
    );
    w.paragraph('Pris : tous les rendez-vous du mois ; un rendez-vous honoré est aussi compté une fois en visio-accueil.', 8, { color: GREY });
  }

  w.heading(`Satisfaction : ${formatCount(report.satisfaction.responses)} questionnaire(s)`);
  if (report.satisfaction.responses === 0) w.paragraph('Aucune réponse ce mois-ci.', 10);
  else {
    w.table(
      ['Question', 'Réponses', 'Note moyenne (sur 5)', 'Satisfaits (4 et 5)'],
      [w.width - 260, 60, 110, 90],
      report.satisfaction.questions
        .filter((q) => q.answered + q.skipped > 0)
        .map((q) => [
          SURVEY_QUESTIONS.find((sq) => sq.id === q.id)?.text.fr ?? q.id,
          formatCount(q.answered),
          q.mean === null ? '–' : formatDecimal(q.mean),
          q.satisfiedShare === null ? '–' : formatPercent(q.satisfiedShare),
        ]),
    );
  }

  w.heading('Audit mensuel du local');
  const audit = report.audit.latest;
  if (!audit) w.paragraph("L'audit de ce mois n'a pas été fait.", 10, { font: w.bold });
  else {
    w.paragraph(`Audit fait le ${formatDay(audit.doneAt)}.`, 10);
    w.table(
      ['Point vérifié', 'État', 'Commentaire'],
      [170, 70, w.width - 240],
      audit.items.map((i) => [AUDIT_ITEM_LABELS[i.item].fr, i.ok ? 'Conforme' : 'À corriger', i.comment || '–']),
      { textColumns: [1, 2] },
    );
  }

  w.heading(`Incidents : ${formatCount(report.incidents.length)}`);
  if (report.incidents.length === 0) w.paragraph('Aucun incident ce mois-ci.', 10);
  for (const incident of report.incidents) {
    const status = incident.status === 'open' ? 'en cours' : `résolu le ${formatDay(incident.resolvedAt ?? incident.openedAt)}`;
    const repeated = incident.occurrences > 1 ? ` (constaté ${incident.occurrences} fois)` : '';
    w.ensure(40);
    w.paragraph(`${formatDay(incident.openedAt)} – ${INCIDENT_CATEGORY_LABELS[incident.category].fr}${incident.organisation ? ` (${incident.organisation})` : ''} – ${status}${repeated}`, 9.5, { font: w.bold });
    w.paragraph(`Ce qui s'est passé : ${incident.what}`, 9, { indent: 10 });
    if (incident.action) w.paragraph(`Ce qui a été fait : ${incident.action}`, 9, { indent: 10 });
  }

  return doc.save();
}
