// The editor's draft of the quality charter: the shipped charter by default, the department's checked before sending
// (6 to 8 commitments, no empty French or English text, bounded lengths, ids kept or made from the position), the
// first problem named, and nothing typed lost on a failure.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { charterOf, configOf, draftOf, emptyCommitment, shippedCharterDraft, type CharterDraft, type ConfigDraft } from '../../../../renderer/coordinator/config/configDraft.js';
import { checkFleetConfig, FleetCharter, type FleetConfig } from '../../../../shared/fleetConfig.js';
import { sampleConfig } from './sample.js';

const shipped = JSON.parse(readFileSync(new URL('../../../../assets/charter/charte-qualite.json', import.meta.url), 'utf8')) as FleetCharter;
const labels = { guides: 'Guides', documents: 'Documents' };
const base = (): FleetConfig => ({ ...sampleConfig(), charter: null });
const departmentDraft = (charter: CharterDraft = shippedCharterDraft()): ConfigDraft => ({ ...draftOf(base()), charterMode: 'department', charter });
const withCommitments = (n: number): CharterDraft => {
  const c = shippedCharterDraft();
  const commitments = Array.from({ length: n }, (_, i) => c.commitments[i % c.commitments.length]!).map((k, i) => ({ ...k, id: `k_${'abcdefghij'[i]!}` }));
  return { ...c, commitments };
};

describe('charter draft', () => {
  it('starts from the shipped charter when the configuration has none, and sends none while « livrée avec la borne » is chosen', () => {
    const draft = draftOf(base());
    expect(draft.charterMode).toBe('shipped');
    expect(draft.charter).toEqual(shipped);
    // Even a broken typed charter is kept but not sent while the shipped one is chosen.
    const broken = { ...draft, charter: { ...draft.charter, commitments: [] } };
    expect(configOf(broken, labels)).toEqual({ ok: true, config: base() });
  });

  it('sends the shipped text as the department’s charter when switched on, accepted by the schema', () => {
    const built = configOf(departmentDraft(), labels);
    if (!built.ok) throw new Error(JSON.stringify(built.problem));
    expect(built.config.charter).toEqual(shipped);
    expect(checkFleetConfig(built.config).ok).toBe(true);
  });

  it('goes back and forth with a department’s charter', () => {
    const config: FleetConfig = { ...base(), charter: shipped };
    const draft = draftOf(config);
    expect(draft.charterMode).toBe('department');
    expect(configOf(draft, labels)).toEqual({ ok: true, config });
  });

  it('keeps 6 to 8 commitments: 5 and 9 are refused with their count, 6 and 8 accepted', () => {
    for (const n of [5, 9, 0]) {
      expect(charterOf(withCommitments(n), () => 'x')).toEqual({
        ok: false,
        problem: { key: 'fleetConfig.editor.errors.charterCount', values: { count: String(n), min: '6', max: '8' } },
      });
    }
    for (const n of [6, 8]) {
      const built = charterOf(withCommitments(n), () => 'x');
      expect(built.ok && built.charter.commitments.length).toBe(n);
      if (built.ok) expect(FleetCharter.safeParse(built.charter).success).toBe(true);
    }
  });

  it('names the first empty text, French before English, with the caller’s names', () => {
    const charter = shippedCharterDraft();
    charter.commitments[2]!.text = { fr: '  \n ', en: '' };
    const named = configOf(departmentDraft(charter), { ...labels, charter: (f) => `${f.part}/${f.n}/${f.lang}` });
    expect(named).toEqual({ ok: false, problem: { key: 'fleetConfig.editor.errors.charterEmpty', values: { field: 'commitmentText/3/fr' } } });
    charter.commitments[2]!.text = { fr: 'Texte', en: ' ' };
    expect(configOf(departmentDraft(charter), labels)).toEqual({
      ok: false,
      problem: { key: 'fleetConfig.editor.errors.charterEmpty', values: { field: 'charter.commitments.3.text.en' } },
    });
    const noTitle = shippedCharterDraft();
    noTitle.title.fr = '';
    noTitle.commitments[0]!.title.fr = '';
    expect(configOf(departmentDraft(noTitle), labels)).toMatchObject({ ok: false, problem: { values: { field: 'charter.title.fr' } } });
  });

  it('accepts 1,000 characters of text and 200 of title, refuses 1,001 and 201; trims the edges', () => {
    const charter = shippedCharterDraft();
    charter.intro.en = 'é'.repeat(1_000);
    charter.commitments[7]!.title.fr = `  ${'t'.repeat(200)}  `;
    const ok = configOf(departmentDraft(charter), labels);
    if (!ok.ok) throw new Error(JSON.stringify(ok.problem));
    expect(ok.config.charter?.commitments[7]?.title.fr).toBe('t'.repeat(200));
    expect(checkFleetConfig(ok.config).ok).toBe(true);
    charter.intro.en = 'é'.repeat(1_001);
    expect(configOf(departmentDraft(charter), labels)).toEqual({
      ok: false,
      problem: { key: 'fleetConfig.editor.errors.charterLong', values: { field: 'charter.intro.en', max: '1000', length: '1001' } },
    });
    charter.intro.en = 'Intro';
    charter.commitments[7]!.title.fr = 't'.repeat(201);
    expect(configOf(departmentDraft(charter), labels)).toMatchObject({ ok: false, problem: { key: 'fleetConfig.editor.errors.charterLong', values: { field: 'charter.commitments.8.title.fr', max: '200' } } });
  });

  it('keeps well-formed ids, makes the others from their position, and never sends a duplicate', () => {
    const charter = shippedCharterDraft();
    const ids = ['welcome', 'welcome', '', '<script>', 'Bad-Id', 'a'.repeat(41), 'engagement_a', 'delays'];
    charter.commitments.forEach((k, i) => (k.id = ids[i]!));
    const built = configOf(departmentDraft(charter), labels);
    if (!built.ok) throw new Error(JSON.stringify(built.problem));
    const sent = built.config.charter!.commitments.map((k) => k.id);
    expect(sent[0]).toBe('welcome');
    expect(sent[6]).toBe('engagement_a');
    expect(sent[7]).toBe('delays');
    expect(new Set(sent).size).toBe(8);
    for (const id of sent) expect(id).toMatch(/^[a-z_]{1,40}$/);
    expect(checkFleetConfig(built.config).ok).toBe(true);
  });

  it('gives an added commitment an id and carries hostile text as text', () => {
    const charter = withCommitments(7);
    charter.commitments.push({ ...emptyCommitment(), title: { fr: '<img src=x onerror=alert(1)>', en: 'x' }, text: { fr: '"; DROP TABLE charter; --', en: '\u202e' } });
    const built = configOf(departmentDraft(charter), labels);
    if (!built.ok) throw new Error(JSON.stringify(built.problem));
    expect(built.config.charter?.commitments[7]).toEqual({ id: 'engagement_h', title: { fr: '<img src=x onerror=alert(1)>', en: 'x' }, text: { fr: '"; DROP TABLE charter; --', en: '\u202e' } });
  });

  it('says when long texts in both languages go over what one frame carries', () => {
    const charter = shippedCharterDraft();
    for (const k of charter.commitments) k.text = { fr: '€'.repeat(1_000), en: '€'.repeat(1_000) };
    expect(configOf(departmentDraft(charter), labels)).toMatchObject({ ok: false, problem: { key: 'fleetConfig.editor.errors.tooLarge', values: { max: '48' } } });
  });

  it('loses nothing typed when it refuses', () => {
    const charter = withCommitments(9);
    charter.commitments[4]!.text.fr = '';
    const draft = departmentDraft(charter);
    const before = structuredClone(draft);
    expect(configOf(draft, labels).ok).toBe(false);
    expect(draft).toEqual(before);
  });
});
