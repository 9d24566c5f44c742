// The editor's draft of a configuration: text fields as the coordinator types them, turned into a FleetConfig with the
// first problem named (an i18n key and its values) before anything is sent to the hub.
import shippedCharterFile from '../../../assets/charter/charte-qualite.json';
import { formatHours, MAX_CONFIG_BYTES, parseHours, type FleetCharter, type FleetConfig } from '../../../shared/fleetConfig.js';
import { OrganisationCode } from '../../../shared/domain.js';

export interface OrganisationDraft {
  code: string;
  name: string;
  hours: string;
  correspondent: string;
}

export interface ConfigDraft {
  organisations: OrganisationDraft[];
  guides: string;
  documents: string;
  surveyPeriod: FleetConfig['surveyPeriod'];
  idleSeconds: string;
  /** `shipped`: the charter installed with the kiosk (`charter: null`); `department`: the one typed below. */
  charterMode: 'shipped' | 'department';
  /** The department's charter as typed; kept while `shipped` is chosen, so that nothing typed is lost. */
  charter: CharterDraft;
}

export interface BilingualDraft {
  fr: string;
  en: string;
}
export interface CommitmentDraft {
  /** Kept from the version the draft started from; '' for a commitment added in the editor (given one on publish). */
  id: string;
  title: BilingualDraft;
  text: BilingualDraft;
}
export interface CharterDraft {
  title: BilingualDraft;
  intro: BilingualDraft;
  commitments: CommitmentDraft[];
}

export const MIN_COMMITMENTS = 6;
export const MAX_COMMITMENTS = 8;
const TITLE_MAX = 200;
const TEXT_MAX = 1_000;
const COMMITMENT_ID = /^[a-z_]{1,40}$/;

/** The charter shipped with the kiosk (assets/charter), where a department's charter starts from. */
export function shippedCharterDraft(): CharterDraft {
  const c = shippedCharterFile as FleetCharter;
  const copy = (b: BilingualDraft): BilingualDraft => ({ fr: b.fr, en: b.en });
  return { title: copy(c.title), intro: copy(c.intro), commitments: c.commitments.map((k) => ({ id: k.id, title: copy(k.title), text: copy(k.text) })) };
}

/** A blank commitment, as « Ajouter un engagement » adds it. */
export const emptyCommitment = (): CommitmentDraft => ({ id: '', title: { fr: '', en: '' }, text: { fr: '', en: '' } });

/** Which charter field a problem names: its part, the commitment's position (from 1) and the language. */
export interface CharterField {
  part: 'title' | 'intro' | 'commitmentTitle' | 'commitmentText';
  n: number;
  lang: 'fr' | 'en';
}

export type DraftProblem = { key: string; values?: Record<string, string> };

export function draftOf(config: FleetConfig): ConfigDraft {
  return {
    organisations: config.organisations.map((o) => ({ code: o.code, name: o.name, hours: formatHours(o.openingHours), correspondent: o.correspondent })),
    guides: (config.guidesOffered ?? []).join('\n'),
    documents: (config.documentsOffered ?? []).join('\n'),
    surveyPeriod: config.surveyPeriod,
    idleSeconds: String(config.idleSeconds),
    charterMode: config.charter ? 'department' : 'shipped',
    charter: config.charter
      ? {
          title: { ...config.charter.title },
          intro: { ...config.charter.intro },
          commitments: config.charter.commitments.map((k) => ({ id: k.id, title: { ...k.title }, text: { ...k.text } })),
        }
      : shippedCharterDraft(),
  };
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/** Ids kept when well formed and not already taken by an earlier commitment, else made from the position. */
function commitmentIds(commitments: readonly CommitmentDraft[]): string[] {
  const used = new Set<string>();
  return commitments.map((k, i) => {
    let id = k.id;
    if (!COMMITMENT_ID.test(id) || used.has(id)) {
      id = `engagement_${LETTERS[i % 26] ?? 'a'}`;
      for (let j = 0; used.has(id) || commitments.some((o) => o.id === id); j++) id = `engagement_${LETTERS[i % 26] ?? 'a'}_${LETTERS[j % 26] ?? 'a'}${'_'.repeat(Math.floor(j / 26))}`;
    }
    used.add(id);
    return id;
  });
}

/** The department's charter, or the first problem: a count out of 6 to 8, an empty or too long field (French first). */
export function charterOf(draft: CharterDraft, name: (field: CharterField) => string): { ok: true; charter: FleetCharter } | { ok: false; problem: DraftProblem } {
  const count = draft.commitments.length;
  if (count < MIN_COMMITMENTS || count > MAX_COMMITMENTS) {
    return { ok: false, problem: { key: 'fleetConfig.editor.errors.charterCount', values: { count: String(count), min: String(MIN_COMMITMENTS), max: String(MAX_COMMITMENTS) } } };
  }
  const check = (b: BilingualDraft, part: CharterField['part'], n: number, max: number): { ok: true; value: { fr: string; en: string } } | { ok: false; problem: DraftProblem } => {
    const value = { fr: b.fr.trim(), en: b.en.trim() };
    for (const lang of ['fr', 'en'] as const) {
      const field = name({ part, n, lang });
      if (value[lang] === '') return { ok: false, problem: { key: 'fleetConfig.editor.errors.charterEmpty', values: { field } } };
      if (value[lang].length > max) return { ok: false, problem: { key: 'fleetConfig.editor.errors.charterLong', values: { field, max: String(max), length: String(value[lang].length) } } };
    }
    return { ok: true, value };
  };
  const title = check(draft.title, 'title', 0, TITLE_MAX);
  if (!title.ok) return title;
  const intro = check(draft.intro, 'intro', 0, TEXT_MAX);
  if (!intro.ok) return intro;
  const ids = commitmentIds(draft.commitments);
  const commitments: FleetCharter['commitments'] = [];
  for (const [i, k] of draft.commitments.entries()) {
    const kTitle = check(k.title, 'commitmentTitle', i + 1, TITLE_MAX);
    if (!kTitle.ok) return kTitle;
    const kText = check(k.text, 'commitmentText', i + 1, TEXT_MAX);
    if (!kText.ok) return kText;
    commitments.push({ id: ids[i]!, title: kTitle.value, text: kText.value });
  }
  return { ok: true, charter: { title: title.value, intro: intro.value, commitments } };
}

/** How a charter field is named when the caller gives no names (tests, logs): its place in the charter. */
const fieldPath = (f: CharterField): string => (f.part === 'title' || f.part === 'intro' ? `charter.${f.part}.${f.lang}` : `charter.commitments.${f.n}.${f.part === 'commitmentTitle' ? 'title' : 'text'}.${f.lang}`);

const ID = /^[a-z0-9][a-z0-9-]{0,79}$/;

function offered(text: string, field: string): { ok: true; ids: string[] | null } | { ok: false; problem: DraftProblem } {
  const ids = text
    .split(/[\s,;]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const bad = ids.find((id) => !ID.test(id));
  if (bad !== undefined) return { ok: false, problem: { key: 'fleetConfig.editor.errors.ids', values: { field, id: bad.slice(0, 40) } } };
  return { ok: true, ids: ids.length === 0 ? null : [...new Set(ids)] };
}

/** The draft as a configuration, or its first problem. `labels` names the guide and document fields in the messages. */
export function configOf(
  draft: ConfigDraft,
  labels: { guides: string; documents: string; charter?: (field: CharterField) => string },
): { ok: true; config: FleetConfig } | { ok: false; problem: DraftProblem } {
  if (draft.organisations.length === 0) return { ok: false, problem: { key: 'fleetConfig.editor.errors.noOrg' } };
  const organisations: FleetConfig['organisations'] = [];
  for (const o of draft.organisations) {
    const hours = parseHours(o.hours);
    if (!hours.ok) return { ok: false, problem: { key: 'fleetConfig.editor.errors.hours', values: { code: o.code, error: hours.error } } };
    organisations.push({ code: o.code, name: o.name.trim() || o.code, openingHours: hours.slots, correspondent: o.correspondent.trim() });
  }
  const idle = /^\d{1,4}$/.test(draft.idleSeconds.trim()) ? Number(draft.idleSeconds.trim()) : Number.NaN;
  if (!(idle >= 5 && idle <= 3_600)) return { ok: false, problem: { key: 'fleetConfig.editor.errors.idle' } };
  const guides = offered(draft.guides, labels.guides);
  if (!guides.ok) return guides;
  const documents = offered(draft.documents, labels.documents);
  if (!documents.ok) return documents;
  let charter: FleetCharter | null = null;
  if (draft.charterMode === 'department') {
    const built = charterOf(draft.charter, labels.charter ?? fieldPath);
    if (!built.ok) return built;
    charter = built.charter;
  }
  const config: FleetConfig = { organisations, guidesOffered: guides.ids, documentsOffered: documents.ids, charter, surveyPeriod: draft.surveyPeriod, idleSeconds: idle };
  // Long texts in both languages may go over what one hub frame carries: said here, before the hub refuses it.
  const bytes = new TextEncoder().encode(JSON.stringify(config)).length;
  if (bytes > MAX_CONFIG_BYTES) return { ok: false, problem: { key: 'fleetConfig.editor.errors.tooLarge', values: { kib: String(Math.ceil(bytes / 1024)), max: String(MAX_CONFIG_BYTES / 1024) } } };
  return { ok: true, config };
}

/** Whether a new organisation's code may be added: well formed and not already listed. */
export function newCodeProblem(code: string, draft: ConfigDraft): DraftProblem | null {
  if (!OrganisationCode.safeParse(code).success) return { key: 'fleetConfig.editor.errors.orgCode' };
  if (draft.organisations.some((o) => o.code === code)) return { key: 'fleetConfig.editor.errors.duplicate', values: { code } };
  return null;
}
