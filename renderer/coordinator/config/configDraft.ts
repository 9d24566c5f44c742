// The editor's draft of a configuration: text fields as the coordinator types them, turned into a FleetConfig with the
// first problem named (an i18n key and its values) before anything is sent to the hub.
import { formatHours, parseHours, type FleetConfig } from '../../../shared/fleetConfig.js';
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
  /** Carried as it is from the version the draft started from (the editor does not edit it). */
  charter: FleetConfig['charter'];
}

export type DraftProblem = { key: string; values?: Record<string, string> };

export function draftOf(config: FleetConfig): ConfigDraft {
  return {
    organisations: config.organisations.map((o) => ({ code: o.code, name: o.name, hours: formatHours(o.openingHours), correspondent: o.correspondent })),
    guides: (config.guidesOffered ?? []).join('\n'),
    documents: (config.documentsOffered ?? []).join('\n'),
    surveyPeriod: config.surveyPeriod,
    idleSeconds: String(config.idleSeconds),
    charter: config.charter,
  };
}

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
export function configOf(draft: ConfigDraft, labels: { guides: string; documents: string }): { ok: true; config: FleetConfig } | { ok: false; problem: DraftProblem } {
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
  return {
    ok: true,
    config: { organisations, guidesOffered: guides.ids, documentsOffered: documents.ids, charter: draft.charter, surveyPeriod: draft.surveyPeriod, idleSeconds: idle },
  };
}

/** Whether a new organisation's code may be added: well formed and not already listed. */
export function newCodeProblem(code: string, draft: ConfigDraft): DraftProblem | null {
  if (!OrganisationCode.safeParse(code).success) return { key: 'fleetConfig.editor.errors.orgCode' };
  if (draft.organisations.some((o) => o.code === code)) return { key: 'fleetConfig.editor.errors.duplicate', values: { code } };
  return null;
}
