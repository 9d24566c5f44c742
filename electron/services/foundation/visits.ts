// The visitor log: one row per service rendered, day/week keys in Paris time, every change audited in the same transaction.
import type { Visit, VisitorProfile } from '../../../shared/contract/index.js';
import type { OrganisationCode, ServiceType, VisitSource } from '../../../shared/domain.js';
import { ExpectedError } from '../../../shared/errors.js';
import { dayKeyFromLabel, dayKeyOf, weekKeyOf } from '../../../shared/time.js';
import type { Db } from '../db/index.js';
import type { Logger } from '../logger.js';

export interface RecordVisitInput {
  organisation: OrganisationCode;
  service: ServiceType;
  startedAt?: number | undefined;
  endedAt?: number | undefined;
  profile?: VisitorProfile | undefined;
}
export type VisitPatch = Partial<RecordVisitInput>;

export interface VisitAuditEntry {
  id: number;
  visitId: number;
  action: 'create' | 'update' | 'delete';
  mediatorId: number | null;
  at: number;
  before: Visit | null;
  after: Visit | null;
}

export interface Visits {
  /** Records a visit (times default to now); UNKNOWN_ORGANISATION for a code that is not an active organisation. */
  record(input: RecordVisitInput, by: { mediatorId: number | null; source: VisitSource }): Visit;
  /** Corrects a visit of today (Paris); NOT_FOUND, NOT_TODAY (also when the patch moves it to another day), UNKNOWN_ORGANISATION. */
  update(id: number, patch: VisitPatch, mediatorId: number | null): Visit;
  /** Deletes a visit of today (Paris); NOT_FOUND, NOT_TODAY. The audit keeps what it was. */
  remove(id: number, mediatorId: number | null): void;
  /** The visits of a Paris day (`YYYY-MM-DD`, today when absent), in start order. */
  listDay(day?: string): Visit[];
  get(id: number): Visit | null;
  audit(visitId: number): VisitAuditEntry[];
}

export interface VisitsDeps {
  db: Db;
  clock: () => number;
  logger: Logger;
}

interface VisitRow {
  id: number;
  organisation: string;
  service: string;
  started_at: number;
  ended_at: number;
  mediator_id: number | null;
  age_band: string | null;
  commune: string | null;
  first_visit: number | null;
  source: string;
}
interface AuditRow {
  id: number;
  visit_id: number;
  action: VisitAuditEntry['action'];
  mediator_id: number | null;
  at: number;
  before_json: string | null;
  after_json: string | null;
}

const VISIT_COLUMNS = 'id, organisation, service, started_at, ended_at, mediator_id, age_band, commune, first_visit, source';
const EMPTY_PROFILE: VisitorProfile = { ageBand: null, commune: null, firstVisit: null };

const toVisit = (r: VisitRow): Visit => ({
  id: r.id,
  organisation: r.organisation,
  service: r.service as ServiceType,
  startedAt: r.started_at,
  endedAt: r.ended_at,
  mediatorId: r.mediator_id,
  profile: {
    ageBand: r.age_band as VisitorProfile['ageBand'],
    commune: r.commune,
    firstVisit: r.first_visit === null ? null : r.first_visit === 1,
  },
  source: r.source as VisitSource,
});

const normaliseProfile = (p: VisitorProfile | undefined): VisitorProfile => {
  const profile = p ?? EMPTY_PROFILE;
  const commune = profile.commune?.trim() ?? null;
  return { ageBand: profile.ageBand ?? null, commune: commune === '' ? null : commune, firstVisit: profile.firstVisit ?? null };
};

export function createVisits({ db, clock, logger }: VisitsDeps): Visits {
  const log = logger.child({ scope: 'visits' });

  const activeOrganisation = db.prepare<[string], { code: string }>('SELECT code FROM organisations WHERE code = ? AND active = 1');
  const insertVisit = db.prepare<[string, string, number, number, number, number, number | null, string | null, string | null, number | null, string, number]>(
    `INSERT INTO visits (organisation, service, started_at, ended_at, day_key, week_key, mediator_id, age_band, commune, first_visit, source, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const updateVisit = db.prepare<[string, string, number, number, number, number, string | null, string | null, number | null, number]>(
    `UPDATE visits SET organisation = ?, service = ?, started_at = ?, ended_at = ?, day_key = ?, week_key = ?,
       age_band = ?, commune = ?, first_visit = ? WHERE id = ?`,
  );
  const deleteVisit = db.prepare<[number]>('DELETE FROM visits WHERE id = ?');
  const selectVisit = db.prepare<[number], VisitRow>(`SELECT ${VISIT_COLUMNS} FROM visits WHERE id = ?`);
  const selectDay = db.prepare<[number], VisitRow>(`SELECT ${VISIT_COLUMNS} FROM visits WHERE day_key = ? ORDER BY started_at, id`);
  const insertAudit = db.prepare<[number, string, number | null, number, string | null, string | null]>(
    'INSERT INTO visit_audit (visit_id, action, mediator_id, at, before_json, after_json) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const selectAudit = db.prepare<[number], AuditRow>('SELECT * FROM visit_audit WHERE visit_id = ? ORDER BY id');

  const requireActiveOrganisation = (code: string): void => {
    if (!activeOrganisation.get(code)) {
      throw new ExpectedError('UNKNOWN_ORGANISATION', `Organisme inconnu ou inactif : ${code}.`, { organisation: code });
    }
  };
  const requireOrdered = (startedAt: number, endedAt: number): void => {
    if (startedAt > endedAt) throw new ExpectedError('INVALID_INPUT', "L'heure de fin précède l'heure de début.");
  };
  const get = (id: number): Visit | null => {
    const row = selectVisit.get(id);
    return row ? toVisit(row) : null;
  };
  /** A visit may be corrected or deleted only on the day it happened (Paris), so past weeks' grids never change. */
  const requireEditableToday = (visit: Visit | null, id: number): Visit => {
    if (!visit) throw new ExpectedError('NOT_FOUND', `Passage ${id} introuvable.`, { id });
    if (dayKeyOf(visit.startedAt) !== dayKeyOf(clock())) {
      throw new ExpectedError('NOT_TODAY', "Seuls les passages d'aujourd'hui peuvent être corrigés ou supprimés.", { id });
    }
    return visit;
  };

  const recordTx = db.transaction((input: RecordVisitInput, by: { mediatorId: number | null; source: VisitSource }): Visit => {
    requireActiveOrganisation(input.organisation);
    const now = clock();
    const startedAt = input.startedAt ?? (input.endedAt !== undefined ? Math.min(now, input.endedAt) : now);
    const endedAt = input.endedAt ?? Math.max(now, startedAt);
    requireOrdered(startedAt, endedAt);
    const p = normaliseProfile(input.profile);
    const id = Number(
      insertVisit.run(
        input.organisation,
        input.service,
        startedAt,
        endedAt,
        dayKeyOf(startedAt),
        weekKeyOf(startedAt),
        by.mediatorId,
        p.ageBand,
        p.commune,
        p.firstVisit === null ? null : p.firstVisit ? 1 : 0,
        by.source,
        now,
      ).lastInsertRowid,
    );
    const visit = get(id);
    if (!visit) throw new Error(`visit ${id} vanished after insert`);
    insertAudit.run(id, 'create', by.mediatorId, now, null, JSON.stringify(visit));
    return visit;
  });

  const updateTx = db.transaction((id: number, patch: VisitPatch, mediatorId: number | null): Visit => {
    const before = requireEditableToday(get(id), id);
    if (patch.organisation !== undefined && patch.organisation !== before.organisation) requireActiveOrganisation(patch.organisation);
    const startedAt = patch.startedAt ?? before.startedAt;
    const endedAt = patch.endedAt ?? (patch.startedAt !== undefined ? Math.max(before.endedAt, startedAt) : before.endedAt);
    requireOrdered(startedAt, endedAt);
    if (dayKeyOf(startedAt) !== dayKeyOf(clock())) {
      throw new ExpectedError('NOT_TODAY', "Un passage ne peut pas être déplacé à un autre jour qu'aujourd'hui.", { id });
    }
    const p = patch.profile !== undefined ? normaliseProfile(patch.profile) : before.profile;
    updateVisit.run(
      patch.organisation ?? before.organisation,
      patch.service ?? before.service,
      startedAt,
      endedAt,
      dayKeyOf(startedAt),
      weekKeyOf(startedAt),
      p.ageBand,
      p.commune,
      p.firstVisit === null ? null : p.firstVisit ? 1 : 0,
      id,
    );
    const after = get(id);
    if (!after) throw new Error(`visit ${id} vanished after update`);
    insertAudit.run(id, 'update', mediatorId, clock(), JSON.stringify(before), JSON.stringify(after));
    return after;
  });

  const removeTx = db.transaction((id: number, mediatorId: number | null): void => {
    const before = requireEditableToday(get(id), id);
    deleteVisit.run(id);
    insertAudit.run(id, 'delete', mediatorId, clock(), JSON.stringify(before), null);
  });

  return {
    record(input, by) {
      const visit = recordTx(input, by);
      log.debug({ code: 'VISIT_RECORDED', visitId: visit.id, organisation: visit.organisation, service: visit.service }, 'visit recorded');
      return visit;
    },
    update(id, patch, mediatorId) {
      const visit = updateTx(id, patch, mediatorId);
      log.info({ code: 'VISIT_CORRECTED', visitId: id, mediatorId }, 'visit corrected');
      return visit;
    },
    remove(id, mediatorId) {
      removeTx(id, mediatorId);
      log.info({ code: 'VISIT_DELETED', visitId: id, mediatorId }, 'visit deleted');
    },
    listDay(day) {
      const key = day === undefined ? dayKeyOf(clock()) : dayKeyFromLabel(day);
      return selectDay.all(key).map(toVisit);
    },
    get,
    audit(visitId) {
      return selectAudit.all(visitId).map((r) => ({
        id: r.id,
        visitId: r.visit_id,
        action: r.action,
        mediatorId: r.mediator_id,
        at: r.at,
        before: r.before_json === null ? null : (JSON.parse(r.before_json) as Visit),
        after: r.after_json === null ? null : (JSON.parse(r.after_json) as Visit),
      }));
    },
  };
}
