// The weekly counting grid on paper: A4 landscape, site, week and its dates, counts per organisation and service, totals.
import { PDFDocument, rgb, StandardFonts, type PDFFont, type PDFPage } from 'pdf-lib';
import type { WeeklyGrid } from '../../../shared/contract/index.js';
import type { ServiceType } from '../../../shared/domain.js';
import { formatDate, formatTime, formatWeek, upperFirst } from '../../../shared/format.js';

/** Column headers of the grid (DOMAIN.md). */
export const SERVICE_LABELS_FR: Record<ServiceType, string> = {
  info: 'Information / orientation',
  documents: 'Fourniture de documents',
  visio: 'Visio-accueil',
  teleservice: 'Aide aux téléservices',
  internet: 'Consultation Internet',
};

const PAGE: [number, number] = [841.89, 595.28];
const MARGIN = 40;
const ROW_H = 24;
const HEADER_H = 36;
const FIRST_COL_W = 230;
const INK = rgb(0.1, 0.1, 0.1);
const SHADE = rgb(0.92, 0.94, 0.97);
const LINE = rgb(0.55, 0.55, 0.55);

function fitText(text: string, font: PDFFont, size: number, width: number): string {
  if (font.widthOfTextAtSize(text, size) <= width) return text;
  let t = text;
  while (t.length > 1 && font.widthOfTextAtSize(`${t}…`, size) > width) t = t.slice(0, -1);
  return `${t}…`;
}

function wrapHeader(text: string, font: PDFFont, size: number, width: number): string[] {
  const words = text.split(' ');
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    const next = line ? `${line} ${w}` : w;
    if (line && font.widthOfTextAtSize(next, size) > width) {
      lines.push(line);
      line = w;
    } else line = next;
  }
  if (line) lines.push(line);
  return lines.slice(0, 2);
}

export interface GridPdfOptions {
  /** When the grid was printed (epoch ms), shown in Paris time. */
  generatedAt: number;
}

export async function gridPdf(grid: WeeklyGrid, options: GridPdfOptions): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  doc.setTitle(`Grille de comptage, ${formatWeek(grid.week, 'fr', { withYear: true })} — ${grid.siteName}`);
  doc.setLanguage('fr-FR');
  doc.setProducer('Relais');
  doc.setCreationDate(new Date(options.generatedAt));
  doc.setModificationDate(new Date(options.generatedAt));

  const columns: Array<{ key: ServiceType | 'total'; label: string }> = [
    ...grid.services.map((s) => ({ key: s, label: SERVICE_LABELS_FR[s] })),
    { key: 'total' as const, label: 'Total' },
  ];
  const tableW = PAGE[0] - 2 * MARGIN;
  const colW = (tableW - FIRST_COL_W) / columns.length;
  const generated = `Édité le ${formatDate(options.generatedAt, 'fr')} à ${formatTime(options.generatedAt, 'fr')}`;

  let page: PDFPage = doc.addPage(PAGE);
  let y = 0;
  let pageNo = 0;

  const cell = (p: PDFPage, text: string, x: number, width: number, top: number, height: number, font: PDFFont, alignRight: boolean, fill?: ReturnType<typeof rgb>): void => {
    if (fill) p.drawRectangle({ x, y: top - height, width, height, color: fill });
    p.drawRectangle({ x, y: top - height, width, height, borderColor: LINE, borderWidth: 0.6 });
    const size = 11;
    const t = fitText(text, font, size, width - 10);
    const tx = alignRight ? x + width - 6 - font.widthOfTextAtSize(t, size) : x + 6;
    p.drawText(t, { x: tx, y: top - height / 2 - 4, size, font, color: INK });
  };

  const startPage = (): void => {
    pageNo += 1;
    if (pageNo > 1) page = doc.addPage(PAGE);
    const top = PAGE[1] - MARGIN;
    page.drawText('Grille de comptage hebdomadaire', { x: MARGIN, y: top - 18, size: 18, font: bold, color: INK });
    page.drawText(`Site : ${grid.siteName}`, { x: MARGIN, y: top - 40, size: 12, font: regular, color: INK });
    page.drawText(upperFirst(formatWeek(grid.week, 'fr', { withYear: true })), { x: MARGIN, y: top - 58, size: 12, font: regular, color: INK });
    y = top - 78;
    // Column headers.
    cell(page, 'Organisme', MARGIN, FIRST_COL_W, y, HEADER_H, bold, false, SHADE);
    columns.forEach((c, i) => {
      const x = MARGIN + FIRST_COL_W + i * colW;
      page.drawRectangle({ x, y: y - HEADER_H, width: colW, height: HEADER_H, color: SHADE, borderColor: LINE, borderWidth: 0.6 });
      const lines = wrapHeader(c.label, bold, 9.5, colW - 8);
      lines.forEach((line, li) => {
        const w = bold.widthOfTextAtSize(line, 9.5);
        const ly = y - HEADER_H / 2 + (lines.length === 1 ? -3.5 : li === 0 ? 2 : -9.5);
        page.drawText(line, { x: x + (colW - w) / 2, y: ly, size: 9.5, font: bold, color: INK });
      });
    });
    y -= HEADER_H;
  };

  const footer = (): void => {
    page.drawText(`${generated} — Relais`, { x: MARGIN, y: 24, size: 9, font: regular, color: rgb(0.35, 0.35, 0.35) });
  };

  startPage();
  const row = (name: string, values: number[], font: PDFFont, fill?: ReturnType<typeof rgb>): void => {
    if (y - ROW_H < 60) {
      footer();
      startPage();
    }
    cell(page, name, MARGIN, FIRST_COL_W, y, ROW_H, font, false, fill);
    values.forEach((v, i) => cell(page, String(v), MARGIN + FIRST_COL_W + i * colW, colW, y, ROW_H, i === values.length - 1 ? bold : font, true, fill));
    y -= ROW_H;
  };
  for (const r of grid.rows) {
    row(`${r.name} (${r.organisation})`, [...grid.services.map((s) => r.counts[s] ?? 0), r.total], regular);
  }
  row('Total', [...grid.services.map((s) => grid.columnTotals[s] ?? 0), grid.total], bold, SHADE);
  footer();
  return doc.save();
}
