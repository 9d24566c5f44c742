// The visitor's appointment slip: A5 portrait, what a visitor needs to come back — date in words, time, organisation,
// subject, what to bring, the booth's site and commune. No name, no note (DOMAIN.md).
import { PDFDocument, rgb, StandardFonts, type PDFFont } from 'pdf-lib';
import { formatTime, formatWeekdayDate, upperFirst } from '../../../shared/format.js';

export interface SlipContent {
  organisationName: string;
  startsAt: number;
  subjectLabel: string;
  bring: readonly string[];
  siteName: string;
  commune: string;
  printedAt: number;
}

const PAGE: [number, number] = [419.53, 595.28];
const MARGIN = 36;
const INK = rgb(0.1, 0.1, 0.1);
const MUTED = rgb(0.35, 0.35, 0.35);

/** The year in Paris, for the date line (« jeudi 26 novembre 2026 »). */
const parisYear = (at: number): string => new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', year: 'numeric' }).format(at);

/** Helvetica writes WinAnsi only: any other character from the hub's texts becomes « ? » rather than failing the slip. */
function printable(text: string, font: PDFFont): string {
  let out = '';
  for (const ch of text.normalize('NFC')) {
    try {
      font.encodeText(ch);
      out += ch;
    } catch {
      out += '?';
    }
  }
  return out;
}

/** Splits `text` into lines no wider than `width` (a word longer than the line is cut). */
function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const next = line ? `${line} ${word}` : word;
    if (font.widthOfTextAtSize(next, size) <= width) line = next;
    else {
      if (line) lines.push(line);
      let rest = word;
      while (font.widthOfTextAtSize(rest, size) > width && rest.length > 1) {
        let cut = rest.length - 1;
        while (cut > 1 && font.widthOfTextAtSize(rest.slice(0, cut), size) > width) cut--;
        lines.push(rest.slice(0, cut));
        rest = rest.slice(cut);
      }
      line = rest;
    }
  }
  if (line) lines.push(line);
  return lines;
}

export async function slipPdf(slip: SlipContent): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  doc.setTitle(`Rendez-vous ${slip.organisationName}`);
  doc.setLanguage('fr-FR');
  doc.setProducer('Relais');
  doc.setCreationDate(new Date(slip.printedAt));
  doc.setModificationDate(new Date(slip.printedAt));
  const page = doc.addPage(PAGE);
  const width = PAGE[0] - 2 * MARGIN;
  let y = PAGE[1] - MARGIN;

  const write = (text: string, font: PDFFont, size: number, color = INK, gapAfter = 4): void => {
    for (const line of wrap(printable(text, font), font, size, width)) {
      y -= size * 1.2;
      if (y < MARGIN) return;
      page.drawText(line, { x: MARGIN, y, size, font, color });
    }
    y -= gapAfter;
  };

  const day = `${upperFirst(formatWeekdayDate(slip.startsAt, 'fr'))} ${parisYear(slip.startsAt)}`;
  write('Rendez-vous en visio', bold, 13, MUTED, 6);
  write(slip.organisationName, bold, 20, INK, 10);
  write(day, bold, 18, INK, 2);
  write(`à ${formatTime(slip.startsAt, 'fr')}`, bold, 18, INK, 12);
  write(`Sujet : ${slip.subjectLabel}`, regular, 12, INK, 12);
  if (slip.bring.length > 0) {
    write('À apporter :', bold, 12, INK, 2);
    for (const item of slip.bring) write(`•  ${item}`, regular, 12, INK, 2);
    y -= 10;
  }
  write('Où ? À la borne Relais :', bold, 12, INK, 2);
  write(slip.commune ? `${slip.siteName}, ${slip.commune}` : slip.siteName, regular, 12, INK, 12);
  write('Venez quelques minutes avant l’heure. Sur l’écran d’accueil, appuyez sur « Rejoindre ».', regular, 11, MUTED, 4);
  return doc.save();
}
