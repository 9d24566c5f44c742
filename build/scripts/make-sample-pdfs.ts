// Generates the project's sample fillable forms (assets/forms/) and leaflets (assets/documents/), all marked as examples.
// Real CERFA forms cannot be fetched on the build machines; these stand in for them. Run: npx tsx build/scripts/make-sample-pdfs.ts
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PDFDocument, PDFFont, PDFPage, rgb, StandardFonts } from 'pdf-lib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const formsDir = join(root, 'assets', 'forms');
const docsDir = join(root, 'assets', 'documents');
/** Fixed dates keep the generated files byte-identical from one run to the next. */
const FIXED_DATE = new Date(Date.UTC(2026, 0, 1));
const A4: [number, number] = [595.28, 841.89];
const MARK = "Formulaire d'exemple — Relais — ne pas envoyer à l'organisme";
const INK = rgb(0.1, 0.1, 0.1);
const ACCENT = rgb(0.0, 0.25, 0.55);

type FieldSpec =
  | { name: string; kind: 'text' | 'date'; label: string; labelEn: string; required?: boolean; help?: string; helpEn?: string }
  | { name: string; kind: 'multiline'; label: string; labelEn: string; lines: number; help?: string; helpEn?: string }
  | { name: string; kind: 'checkbox'; label: string; labelEn: string }
  | { name: string; kind: 'dropdown' | 'radio'; label: string; labelEn: string; options: string[] }
  | { name: string; kind: 'list'; label: string; labelEn: string; options: string[] };

interface FormSpec {
  id: string;
  organisation: string;
  organisationName: string;
  title: string;
  titleEn: string;
  description: string;
  descriptionEn: string;
  intro: string;
  fields: FieldSpec[];
}

function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const next = line ? `${line} ${word}` : word;
    if (font.widthOfTextAtSize(next, size) > width && line) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  if (line) lines.push(line);
  return lines;
}

function header(page: PDFPage, bold: PDFFont, regular: PDFFont, organisationName: string, title: string): number {
  const [w, h] = [page.getWidth(), page.getHeight()];
  page.drawRectangle({ x: 0, y: h - 28, width: w, height: 28, color: rgb(1, 0.93, 0.75) });
  page.drawText(MARK, { x: 40, y: h - 19, size: 10, font: bold, color: rgb(0.55, 0.2, 0) });
  page.drawText(organisationName, { x: 40, y: h - 60, size: 12, font: regular, color: ACCENT });
  let y = h - 88;
  for (const line of wrap(title, bold, 18, w - 80)) {
    page.drawText(line, { x: 40, y, size: 18, font: bold, color: INK });
    y -= 24;
  }
  return y - 6;
}

function footer(page: PDFPage, regular: PDFFont): void {
  page.drawText('Document fictif produit par le projet Relais pour les essais et les démonstrations.', { x: 40, y: 30, size: 8, font: regular, color: rgb(0.4, 0.4, 0.4) });
}

async function makeForm(spec: FormSpec): Promise<void> {
  const doc = await PDFDocument.create();
  doc.setTitle(`${spec.title} — exemple Relais`);
  doc.setLanguage('fr-FR');
  doc.setProducer('Relais');
  doc.setCreator('Relais build/scripts/make-sample-pdfs.ts');
  doc.setCreationDate(FIXED_DATE);
  doc.setModificationDate(FIXED_DATE);
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const page = doc.addPage(A4);
  const form = doc.getForm();
  let y = header(page, bold, regular, spec.organisationName, spec.title);
  for (const line of wrap(spec.intro, regular, 10, A4[0] - 80)) {
    page.drawText(line, { x: 40, y, size: 10, font: regular, color: INK });
    y -= 14;
  }
  y -= 10;
  const labelX = 40;
  const fieldX = 215;
  const fieldW = A4[0] - fieldX - 40;
  for (const f of spec.fields) {
    const labelLines = wrap(f.label, regular, 10, fieldX - labelX - 10);
    let height = 22;
    if (f.kind === 'multiline') height = 16 * f.lines + 8;
    if (f.kind === 'radio') height = 18 * f.options.length;
    if (f.kind === 'list') height = 16 * f.options.length + 6;
    if (f.kind === 'checkbox') height = Math.max(18, labelLines.length * 12 + 4);
    const top = y;
    const bottom = top - height;
    labelLines.forEach((line, i) => page.drawText(line, { x: labelX, y: top - 14 - i * 12, size: 10, font: regular, color: INK }));
    const borderColor = rgb(0.3, 0.3, 0.3);
    switch (f.kind) {
      case 'text':
      case 'date': {
        const field = form.createTextField(f.name);
        field.addToPage(page, { x: fieldX, y: bottom, width: f.kind === 'date' ? 110 : fieldW, height, font: regular, borderColor, borderWidth: 1 });
        if (f.kind === 'date') page.drawText('JJ/MM/AAAA', { x: fieldX + 118, y: bottom + 7, size: 8, font: regular, color: rgb(0.45, 0.45, 0.45) });
        break;
      }
      case 'multiline': {
        const field = form.createTextField(f.name);
        field.enableMultiline();
        field.addToPage(page, { x: fieldX, y: bottom, width: fieldW, height, font: regular, borderColor, borderWidth: 1 });
        break;
      }
      case 'checkbox': {
        const field = form.createCheckBox(f.name);
        field.addToPage(page, { x: fieldX, y: top - 16, width: 14, height: 14, borderColor, borderWidth: 1 });
        break;
      }
      case 'dropdown': {
        const field = form.createDropdown(f.name);
        field.addOptions(f.options);
        field.addToPage(page, { x: fieldX, y: bottom, width: fieldW, height, font: regular, borderColor, borderWidth: 1 });
        break;
      }
      case 'list': {
        const field = form.createOptionList(f.name);
        field.addOptions(f.options);
        field.enableMultiselect();
        field.addToPage(page, { x: fieldX, y: bottom, width: fieldW, height, font: regular, borderColor, borderWidth: 1 });
        break;
      }
      case 'radio': {
        const field = form.createRadioGroup(f.name);
        f.options.forEach((option, i) => {
          const oy = top - 16 - i * 18;
          field.addOptionToPage(option, page, { x: fieldX, y: oy, width: 13, height: 13, borderColor, borderWidth: 1 });
          page.drawText(option, { x: fieldX + 20, y: oy + 3, size: 10, font: regular, color: INK });
        });
        break;
      }
    }
    y = bottom - 14;
  }
  page.drawText('Fait à ......................................, le ....../....../..........      Signature :', { x: 40, y: Math.max(y - 10, 70), size: 10, font: regular, color: INK });
  footer(page, regular);
  form.updateFieldAppearances(regular);
  const file = `${spec.id}.pdf`;
  writeFileSync(join(formsDir, file), await doc.save());
  const manifest = {
    id: spec.id,
    organisation: spec.organisation,
    title: spec.title,
    titleEn: spec.titleEn,
    description: spec.description,
    descriptionEn: spec.descriptionEn,
    file,
    fields: Object.fromEntries(
      spec.fields.map((f) => [
        f.name,
        {
          label: f.label,
          labelEn: f.labelEn,
          ...(f.kind === 'date' ? { kind: 'date' } : {}),
          ...('required' in f && f.required ? { required: true } : {}),
          ...('help' in f && f.help ? { help: f.help, helpEn: f.helpEn } : {}),
        },
      ]),
    ),
  };
  writeFileSync(join(formsDir, `${spec.id}.json`), `${JSON.stringify(manifest, null, 2)}\n`);
}

interface LeafletSpec {
  id: string;
  organisation: string;
  organisationName: string;
  title: string;
  titleEn: string;
  description: string;
  descriptionEn: string;
  paragraphs: string[];
}

async function makeLeaflet(spec: LeafletSpec): Promise<void> {
  const doc = await PDFDocument.create();
  doc.setTitle(`${spec.title} — exemple Relais`);
  doc.setLanguage('fr-FR');
  doc.setProducer('Relais');
  doc.setCreator('Relais build/scripts/make-sample-pdfs.ts');
  doc.setCreationDate(FIXED_DATE);
  doc.setModificationDate(FIXED_DATE);
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const page = doc.addPage(A4);
  let y = header(page, bold, regular, spec.organisationName, spec.title);
  for (const p of spec.paragraphs) {
    for (const line of wrap(p, regular, 12, A4[0] - 80)) {
      page.drawText(line, { x: 40, y, size: 12, font: regular, color: INK });
      y -= 17;
    }
    y -= 10;
  }
  footer(page, regular);
  writeFileSync(join(docsDir, `${spec.id}.pdf`), await doc.save());
}

const FORMS: FormSpec[] = [
  {
    id: 'caf-changement-situation',
    organisation: 'CAF',
    organisationName: "Caisse d'allocations familiales",
    title: 'Déclaration de changement de situation (exemple)',
    titleEn: 'Change of situation declaration (sample)',
    description: 'Pour signaler à la CAF un mariage, une séparation, une naissance ou un déménagement.',
    descriptionEn: 'To tell the CAF about a marriage, a separation, a birth or a move.',
    intro: 'Remplissez ce formulaire pour nous dire ce qui a changé dans votre vie. Vos aides seront recalculées.',
    fields: [
      { name: 'nom', kind: 'text', label: 'Nom', labelEn: 'Last name', required: true },
      { name: 'prenom', kind: 'text', label: 'Prénom', labelEn: 'First name', required: true },
      { name: 'date_changement', kind: 'date', label: 'Date du changement', labelEn: 'Date of the change', required: true },
      {
        name: 'situation',
        kind: 'dropdown',
        label: 'Ce qui a changé',
        labelEn: 'What changed',
        options: ['Mariage ou PACS', 'Séparation ou divorce', 'Naissance ou arrivée d’un enfant', 'Décès', 'Déménagement', 'Autre changement'],
      },
      { name: 'nouvelle_adresse', kind: 'multiline', label: 'Nouvelle adresse (si vous déménagez)', labelEn: 'New address (if you move)', lines: 3 },
      { name: 'enfants_a_charge', kind: 'checkbox', label: "J'ai des enfants à charge", labelEn: 'I have dependent children' },
      {
        name: 'observations',
        kind: 'multiline',
        label: 'Précisions',
        labelEn: 'Details',
        lines: 5,
        help: 'Expliquez avec vos mots.',
        helpEn: 'Explain in your own words.',
      },
    ],
  },
  {
    id: 'cpam-carte-vitale',
    organisation: 'CPAM',
    organisationName: 'Assurance Maladie (CPAM)',
    title: 'Demande de carte Vitale (exemple)',
    titleEn: 'Carte Vitale application (sample)',
    description: 'Pour demander une première carte Vitale ou en remplacer une perdue, volée ou abîmée.',
    descriptionEn: 'To ask for a first carte Vitale or replace a lost, stolen or damaged one.',
    intro: 'Joignez une photo d’identité récente et la copie d’une pièce d’identité.',
    fields: [
      { name: 'nom', kind: 'text', label: 'Nom de naissance', labelEn: 'Birth name', required: true },
      { name: 'nom_usage', kind: 'text', label: "Nom d'usage (si différent)", labelEn: 'Used name (if different)' },
      { name: 'prenom', kind: 'text', label: 'Prénom', labelEn: 'First name', required: true },
      { name: 'date_naissance', kind: 'date', label: 'Date de naissance', labelEn: 'Date of birth', required: true },
      { name: 'commune_naissance', kind: 'text', label: 'Commune de naissance', labelEn: 'Town of birth' },
      { name: 'motif', kind: 'radio', label: 'Motif de la demande', labelEn: 'Reason for the request', options: ['Première demande', 'Carte perdue', 'Carte volée', 'Carte abîmée'] },
      { name: 'adresse', kind: 'multiline', label: 'Adresse où recevoir la carte', labelEn: 'Address to receive the card', lines: 3 },
      { name: 'photo_jointe', kind: 'checkbox', label: "Je joins une photo d'identité", labelEn: 'I enclose an ID photo' },
      { name: 'accord', kind: 'checkbox', label: "J'atteste que ces informations sont exactes", labelEn: 'I certify this information is correct' },
    ],
  },
  {
    id: 'ft-recherche-emploi',
    organisation: 'FT',
    organisationName: 'France Travail',
    title: "Attestation de recherche d'emploi (exemple)",
    titleEn: 'Job search statement (sample)',
    description: 'Pour décrire les démarches de recherche d’emploi faites pendant une période.',
    descriptionEn: 'To describe the job search steps taken during a period.',
    intro: 'Indiquez la période et les démarches que vous avez faites. Gardez une copie.',
    fields: [
      { name: 'nom', kind: 'text', label: 'Nom', labelEn: 'Last name', required: true },
      { name: 'prenom', kind: 'text', label: 'Prénom', labelEn: 'First name', required: true },
      { name: 'debut', kind: 'date', label: 'Début de la période', labelEn: 'Start of the period', required: true },
      { name: 'fin', kind: 'date', label: 'Fin de la période', labelEn: 'End of the period', required: true },
      {
        name: 'demarches',
        kind: 'list',
        label: 'Démarches faites (plusieurs choix possibles)',
        labelEn: 'Steps taken (several choices allowed)',
        options: ['Candidatures envoyées', "Entretiens d'embauche", 'Formation', "Salon de l'emploi", 'Atelier France Travail'],
      },
      { name: 'metier', kind: 'text', label: 'Métier recherché', labelEn: 'Job sought' },
      { name: 'details', kind: 'multiline', label: 'Détail des démarches (entreprises, dates)', labelEn: 'Details (companies, dates)', lines: 6 },
      { name: 'certifie', kind: 'checkbox', label: "Je certifie l'exactitude de ces informations", labelEn: 'I certify this information is correct' },
    ],
  },
];

const LEAFLETS: LeafletSpec[] = [
  {
    id: 'caf-aides-logement',
    organisation: 'CAF',
    organisationName: "Caisse d'allocations familiales",
    title: 'Les aides au logement (exemple)',
    titleEn: 'Housing aid (sample)',
    description: 'Qui peut recevoir une aide pour payer son loyer, et comment la demander.',
    descriptionEn: 'Who can get help to pay the rent, and how to ask for it.',
    paragraphs: [
      "La CAF peut vous aider à payer votre loyer. Le montant dépend de vos revenus, de votre loyer et de votre famille.",
      'Faites une simulation sur caf.fr. Le médiateur peut vous aider.',
      'Pour la demande, il faut : votre bail, votre numéro allocataire si vous en avez un, et un RIB.',
    ],
  },
  {
    id: 'cpam-compte-ameli',
    organisation: 'CPAM',
    organisationName: 'Assurance Maladie (CPAM)',
    title: 'Créer son compte ameli (exemple)',
    titleEn: 'Creating an ameli account (sample)',
    description: 'Les étapes pour ouvrir son compte sur ameli.fr.',
    descriptionEn: 'The steps to open an account on ameli.fr.',
    paragraphs: [
      'Le compte ameli permet de suivre vos remboursements et de télécharger une attestation de droits.',
      'Il faut : votre numéro de sécurité sociale, votre code postal, et le RIB de votre compte.',
      'Le médiateur peut vous montrer les étapes, sans voir votre mot de passe.',
    ],
  },
  {
    id: 'carsat-depart-retraite',
    organisation: 'CARSAT',
    organisationName: 'Retraite (CARSAT)',
    title: 'Préparer son départ à la retraite (exemple)',
    titleEn: 'Preparing for retirement (sample)',
    description: 'Quand et comment demander sa retraite.',
    descriptionEn: 'When and how to apply for a pension.',
    paragraphs: [
      'Demandez votre retraite six mois avant la date choisie.',
      'Vérifiez d’abord votre relevé de carrière sur info-retraite.fr. Signalez les périodes qui manquent.',
      'Un conseiller de la CARSAT peut vous recevoir en visio depuis ce point.',
    ],
  },
  {
    id: 'ft-actualisation',
    organisation: 'FT',
    organisationName: 'France Travail',
    title: "S'actualiser chaque mois (exemple)",
    titleEn: 'Monthly update (sample)',
    description: 'Pourquoi et quand faire son actualisation mensuelle.',
    descriptionEn: 'Why and when to do the monthly update.',
    paragraphs: [
      'Chaque mois, entre le 28 et le 15 du mois suivant, vous devez vous actualiser.',
      'Sans actualisation, vos allocations peuvent être suspendues.',
      "Vous pouvez le faire sur francetravail.fr, avec l'application, ou ici avec l'aide du médiateur.",
    ],
  },
  {
    id: 'ml-jeunes-16-25',
    organisation: 'ML',
    organisationName: 'Mission Locale',
    title: 'Vous avez entre 16 et 25 ans ? (exemple)',
    titleEn: 'Aged 16 to 25? (sample)',
    description: 'Ce que la Mission Locale propose aux jeunes.',
    descriptionEn: 'What the Mission Locale offers young people.',
    paragraphs: [
      'La Mission Locale vous aide à trouver une formation, un emploi ou un logement.',
      'Un conseiller vous suit et répond à vos questions : santé, mobilité, argent.',
      'Prenez rendez-vous depuis ce point, en visio ou par téléphone.',
    ],
  },
  {
    id: 'udaf-budget-famille',
    organisation: 'UDAF',
    organisationName: 'UDAF – Point Info Famille',
    title: 'Gérer son budget (exemple)',
    titleEn: 'Managing your budget (sample)',
    description: 'Conseils simples pour suivre ses dépenses.',
    descriptionEn: 'Simple advice to keep track of spending.',
    paragraphs: [
      'Notez vos revenus et vos dépenses de chaque mois sur une feuille.',
      "En cas de difficulté, l'UDAF propose un accompagnement gratuit : le Point conseil budget.",
      'Parlez-en au médiateur : il peut vous mettre en relation.',
    ],
  },
];

mkdirSync(formsDir, { recursive: true });
mkdirSync(docsDir, { recursive: true });
for (const f of FORMS) await makeForm(f);
for (const l of LEAFLETS) await makeLeaflet(l);
const catalogue = {
  documents: [
    ...LEAFLETS.map((l) => ({ id: l.id, organisation: l.organisation, kind: 'leaflet', title: l.title, titleEn: l.titleEn, description: l.description, descriptionEn: l.descriptionEn, file: `${l.id}.pdf` })),
    ...FORMS.map((f) => ({
      id: `${f.id}-vierge`,
      organisation: f.organisation,
      kind: 'blank-form',
      title: `${f.title} — à remplir à la main`,
      titleEn: `${f.titleEn} — to fill in by hand`,
      description: f.description,
      descriptionEn: f.descriptionEn,
      file: `../forms/${f.id}.pdf`,
    })),
  ],
};
writeFileSync(join(docsDir, 'catalogue.json'), `${JSON.stringify(catalogue, null, 2)}\n`);
process.stdout.write(`make-sample-pdfs: ${FORMS.length} forms in ${formsDir}, ${LEAFLETS.length} leaflets in ${docsDir}\n`);
