// Small forms made here, each reproducing one way real forms broke the kiosk (issue 15): inherited or escaped /DA,
// a widget whose page is missing, two fields with one name, generation-1 objects, a checkbox whose appearances are
// indirect, a 200-character field name, radio and list labels, an 8-cell comb, a tiny box; and files to refuse.
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRef, PDFString, StandardFonts } from 'pdf-lib';

const N = (n: string): PDFName => PDFName.of(n);

export const LONG_NAME = `formulaire[0].page1[0].${'sous-formulaire-de-la-demande[0].'.repeat(5)}date_de_naissance_du_demandeur[0]`;

/** One form that has every trap at once: the values a test fills, and what must be on paper. */
export async function trickyForm(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const page = doc.addPage([595, 842]);
  page.drawText('Formulaire de test — pièges des vrais formulaires', { x: 40, y: 800, size: 14, font });
  const form = doc.getForm();
  const text = (name: string, y: number, w = 300, h = 20) => {
    const f = form.createTextField(name);
    f.addToPage(page, { x: 200, y, width: w, height: h, font });
    page.drawText(name.slice(0, 24), { x: 40, y: y + 5, size: 9, font });
    return f;
  };
  text('nom', 740);
  text('prenom', 700);
  const comb = text('naissance', 660, 160, 20);
  comb.setMaxLength(8);
  comb.enableCombing();
  text(LONG_NAME, 620);
  text('petit', 580, 30, 12);
  const box = form.createCheckBox('accord');
  box.addToPage(page, { x: 200, y: 540, width: 14, height: 14 });
  const radio = form.createRadioGroup('situation');
  radio.addOptionToPage('1', page, { x: 200, y: 500, width: 14, height: 14 });
  radio.addOptionToPage('2', page, { x: 260, y: 500, width: 14, height: 14 });
  const countries = form.createDropdown('pays');
  countries.addOptions(['Allemagne', 'Autriche', 'Belgique', 'Bulgarie', 'Chypre', 'Croatie', 'Danemark', 'Espagne', 'Estonie', 'Finlande', 'France', 'France', 'Grèce', 'Hongrie']);
  countries.addToPage(page, { x: 200, y: 460, width: 200, height: 20, font });
  form.updateFieldAppearances(font);

  const acro = doc.catalog.lookup(N('AcroForm'), PDFDict);
  // /DA inherited from the AcroForm for « nom », written with an escape for « prenom ».
  acro.set(N('DA'), PDFString.of('/Helv 0 Tf 0 g'));
  form.getTextField('nom').acroField.dict.delete(N('DA'));
  form.getTextField('prenom').acroField.dict.set(N('DA'), PDFString.of('\\057Helv 8 Tf 0 g'));
  // The radio's on-states are codes; its /Opt gives the words a reader shows.
  radio.acroField.dict.set(N('Opt'), doc.context.obj([PDFString.of('Célibataire'), PDFString.of('En couple')]));
  // The checkbox's appearance dictionaries are indirect objects.
  for (const w of box.acroField.getWidgets()) {
    const ap = w.dict.lookup(N('AP'), PDFDict);
    for (const key of ['N', 'D']) {
      const states = ap.lookup(N(key));
      if (states instanceof PDFDict) ap.set(N(key), doc.context.register(states));
    }
  }
  // A second field named « nom » (same full name) and a widget whose page does not exist.
  const twin = doc.context.obj({ FT: 'Tx', T: PDFString.of('nom'), Rect: [200, 420, 500, 440], Subtype: 'Widget', Type: 'Annot', F: 4 });
  const twinRef = doc.context.register(twin);
  page.node.lookup(N('Annots'), PDFArray).push(twinRef);
  const lost = doc.context.obj({ FT: 'Tx', T: PDFString.of('perdu'), Rect: [0, 0, 100, 20], Subtype: 'Widget', Type: 'Annot', P: PDFRef.of(9999) });
  const fields = acro.lookup(N('Fields'), PDFArray);
  fields.push(twinRef);
  fields.push(doc.context.register(lost));
  return doc.save({ useObjectStreams: false });
}

/** The same bytes with every object's generation set to 1 (as some editors leave a form), offsets unchanged. */
export function withGenerationOne(pdf: Uint8Array): Uint8Array {
  const text = Buffer.from(pdf).toString('latin1');
  const out = text
    .replace(/(\d+) 0 obj/g, '$1 1 obj')
    .replace(/(\d+) 0 R/g, '$1 1 R')
    .replace(/(\d{10}) 00000 n/g, '$1 00001 n');
  return new Uint8Array(Buffer.from(out, 'latin1'));
}

export async function flatPdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.addPage().drawText('Formulaire papier sans case à remplir', { x: 40, y: 700, font: await doc.embedFont(StandardFonts.Helvetica) });
  return doc.save();
}

export async function xfaOnlyPdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.addPage().drawText('Please wait... upgrade Adobe Reader', { x: 40, y: 700, font: await doc.embedFont(StandardFonts.Helvetica) });
  const xfa = doc.context.register(doc.context.flateStream('<xdp:xdp xmlns:xdp="http://ns.adobe.com/xdp/"></xdp:xdp>'));
  doc.catalog.set(N('AcroForm'), doc.context.obj({ Fields: [], XFA: xfa }));
  doc.catalog.set(N('NeedsRendering'), doc.context.obj(true));
  return doc.save();
}

export async function encryptedPdf(): Promise<Uint8Array> {
  const bytes = await trickyForm();
  const doc = await PDFDocument.load(bytes);
  doc.context.trailerInfo.Encrypt = doc.context.register(doc.context.obj({ Filter: 'Standard', V: 2, R: 3, Length: 128, P: -4 }));
  return doc.save({ useObjectStreams: false });
}
