// The incident log (carnet d'incident): incidents opened by the mediator, and faults the kiosk sees, opened once per fault.
import { z } from 'zod';
import { OrganisationCode } from '../../../shared/domain.js';
import { ExpectedError } from '../../../shared/errors.js';
import type { Db } from '../db/index.js';
import type { Logger } from '../logger.js';
import type { Bilingual } from './survey.js';

export const INCIDENT_CATEGORIES = ['equipment', 'connection', 'organisation_unreachable', 'other'] as const;
export const IncidentCategory = z.enum(INCIDENT_CATEGORIES);
export type IncidentCategory = z.infer<typeof IncidentCategory>;

export const INCIDENT_CATEGORY_LABELS: Record<IncidentCategory, Bilingual> = {
  equipment: { fr: 'Matériel', en: 'Equipment' },
  connection: { fr: 'Connexion', en: 'Connection' },
  organisation_unreachable: { fr: 'Organisme injoignable', en: 'Organisation unreachable' },
  other: { fr: 'Autre', en: 'Other' },
};

/** Faults the kiosk reports by itself: stable codes, their category and their text for the incident log. */
export const KIOSK_FAULTS = {
  printer_fault: { category: 'equipment', text: { fr: "L'imprimante est en panne ou indisponible.", en: 'The printer is faulty or unavailable.' } },
  hub_unreachable: { category: 'connection', text: { fr: "Le serveur d'appels vidéo est injoignable.", en: 'The video call server cannot be reached.' } },
  camera_missing: { category: 'equipment', text: { fr: 'La caméra ou le micro est introuvable.', en: 'The camera or the microphone cannot be found.' } },
  call_failed: { category: 'organisation_unreachable', text: { fr: "L'appel vidéo a échoué.", en: 'The video call failed.' } },
  aggregates_refused: { category: 'other', text: { fr: 'Le hub a refusé les comptages hebdomadaires de la borne.', en: "The hub refused the kiosk's weekly counts." } },
} as const satisfies Record<string, { category: IncidentCategory; text: Bilingual }>;
export type KioskFault = keyof typeof KIOSK_FAULTS;

/** Recorded as the action of an incident whose fault the kiosk saw disappear. */
export const AUTO_RESOLVED_ACTION: Bilingual = { fr: 'Rétabli de lui-même (constaté par la borne).', en: 'Cleared by itself (seen by the kiosk).' };

export const IncidentStatus = z.enum(['open', 'resolved']);
export type IncidentStatus = z.infer<typeof IncidentStatus>;

export const OpenIncidentInput = z
  .object({
    category: IncidentCategory,
    organisation: OrganisationCode.nullable(),
    what: z.string().trim().min(1).max(1000),
    action: z.string().trim().max(1000).default(''),
  })
  .strict();
export type OpenIncidentInput = z.input<typeof OpenIncidentInput>;

export interface Incident {
  id: number;
  category: IncidentCategory;
  organisation: string | null;
  what: string;
  action: string;
  status: IncidentStatus;
  openedAt: number;
  resolvedAt: number | null;
  /** Set for incidents the kiosk opened by itself, e.g. 'printer_fault:PDF'. */
  faultKey: string | null;
  /** How many times the kiosk saw this fault while the incident was open (1 for manual incidents). */
  occurrences: number;
  lastSeenAt: number;
  autoResolved: boolean;
}

interface IncidentRow {
  id: number;
  category: IncidentCategory;
  organisation: string | null;
  what: string;
  action: string;
  status: IncidentStatus;
  opened_at: number;
  resolved_at: number | null;
  fault_key: string | null;
  occurrences: number;
  last_seen_at: number;
  auto_resolved: number;
}

const toIncident = (r: IncidentRow): Incident => ({
  id: r.id,
  category: r.category,
  organisation: r.organisation,
  what: r.what,
  action: r.action,
  status: r.status,
  openedAt: r.opened_at,
  resolvedAt: r.resolved_at,
  faultKey: r.fault_key,
  occurrences: r.occurrences,
  lastSeenAt: r.last_seen_at,
  autoResolved: r.auto_resolved === 1,
});

export interface IncidentFilter {
  status?: IncidentStatus;
  /** Opened at or after (epoch ms). */
  from?: number;
  /** Opened before (epoch ms). */
  to?: number;
  limit?: number;
}

/** Incidents opened in [from, to) or still open then, newest first: what a month's report lists. */
export function incidentsBetween(db: Db, from: number, to: number): Incident[] {
  return db
    .prepare<[number, number, number], IncidentRow>(
      `SELECT * FROM incidents WHERE opened_at < ? AND (opened_at >= ? OR resolved_at IS NULL OR resolved_at >= ?)
       ORDER BY opened_at DESC, id DESC`,
    )
    .all(to, from, from)
    .map(toIncident);
}

export interface FaultReport {
  faultKey: string;
  category: IncidentCategory;
  organisation?: string | null;
  what: string;
}

export interface IncidentLog {
  open(input: OpenIncidentInput): Incident;
  /** Resolves an incident with what was done; on an already resolved one it only updates the action. */
  resolve(id: number, action: string): Incident;
  list(filter?: IncidentFilter): Incident[];
  /** Opens one incident per fault: while it is open, further reports only count occurrences. */
  reportFault(report: FaultReport): { incident: Incident; opened: boolean };
  /** The fault went away: its open incident is resolved automatically (kept in the log); null when none was open. */
  faultCleared(faultKey: string): Incident | null;
}

export function createIncidentLog(deps: { db: Db; clock: () => number; logger: Logger }): IncidentLog {
  const { db, clock, logger } = deps;
  const byId = db.prepare<[number], IncidentRow>('SELECT * FROM incidents WHERE id = ?');
  const openByFault = db.prepare<[string], IncidentRow>("SELECT * FROM incidents WHERE fault_key = ? AND status = 'open'");
  const insert = db.prepare<[string, string | null, string, string, number, string | null, number]>(
    `INSERT INTO incidents (category, organisation, what, action, status, opened_at, fault_key, last_seen_at)
     VALUES (?, ?, ?, ?, 'open', ?, ?, ?)`,
  );
  const get = (id: number): Incident => {
    const row = byId.get(id);
    if (!row) throw new ExpectedError('NOT_FOUND', `Incident ${id} introuvable.`);
    return toIncident(row);
  };

  const reportFault = db.transaction((report: FaultReport): { incident: Incident; opened: boolean } => {
    const now = clock();
    const existing = openByFault.get(report.faultKey);
    if (existing) {
      db.prepare('UPDATE incidents SET occurrences = occurrences + 1, last_seen_at = ? WHERE id = ?').run(now, existing.id);
      return { incident: get(existing.id), opened: false };
    }
    const info = insert.run(report.category, report.organisation ?? null, report.what, '', now, report.faultKey, now);
    return { incident: get(Number(info.lastInsertRowid)), opened: true };
  });

  return {
    open(input) {
      const parsed = OpenIncidentInput.safeParse(input);
      if (!parsed.success) throw new ExpectedError('INVALID_INPUT', "Incident invalide : catégorie et description sont nécessaires.");
      const now = clock();
      const { category, organisation, what, action } = parsed.data;
      const info = insert.run(category, organisation, what, action, now, null, now);
      logger.info({ code: 'INCIDENT_OPENED', category, organisation }, 'incident opened');
      return get(Number(info.lastInsertRowid));
    },
    resolve(id, action) {
      const current = get(id);
      const text = action.trim().slice(0, 1000);
      if (current.status === 'resolved') db.prepare('UPDATE incidents SET action = ? WHERE id = ?').run(text, id);
      else db.prepare("UPDATE incidents SET action = ?, status = 'resolved', resolved_at = ? WHERE id = ?").run(text, clock(), id);
      logger.info({ code: 'INCIDENT_RESOLVED', id, category: current.category }, 'incident resolved');
      return get(id);
    },
    list(filter = {}) {
      const where: string[] = [];
      const params: (string | number)[] = [];
      if (filter.status) {
        where.push('status = ?');
        params.push(filter.status);
      }
      if (filter.from !== undefined) {
        where.push('opened_at >= ?');
        params.push(filter.from);
      }
      if (filter.to !== undefined) {
        where.push('opened_at < ?');
        params.push(filter.to);
      }
      params.push(filter.limit ?? 500);
      const sql = `SELECT * FROM incidents ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY opened_at DESC, id DESC LIMIT ?`;
      return db.prepare<(string | number)[], IncidentRow>(sql).all(...params).map(toIncident);
    },
    reportFault(report) {
      const result = reportFault(report);
      if (result.opened) logger.warn({ code: 'INCIDENT_FAULT_OPENED', faultKey: report.faultKey, category: report.category }, 'kiosk fault opened an incident');
      return result;
    },
    faultCleared(faultKey) {
      const row = openByFault.get(faultKey);
      if (!row) return null;
      const action = row.action ? row.action : AUTO_RESOLVED_ACTION.fr;
      db.prepare("UPDATE incidents SET status = 'resolved', resolved_at = ?, action = ?, auto_resolved = 1 WHERE id = ?").run(clock(), action, row.id);
      logger.info({ code: 'INCIDENT_FAULT_CLEARED', faultKey }, 'kiosk fault cleared');
      return get(row.id);
    },
  };
}
