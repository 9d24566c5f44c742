// The monthly audit checklist of the reception room (DOMAIN.md): items with French/English labels, records, "due" reminder, history.
import { z } from 'zod';
import { ExpectedError } from '../../../shared/errors.js';
import type { Db } from '../db/index.js';
import type { Logger } from '../logger.js';
import { MonthKey, monthOf } from './calendar.js';
import type { Bilingual } from './survey.js';

export const AUDIT_ITEM_CODES = ['furniture', 'cleanliness', 'information_displayed', 'room_confidentiality', 'equipment_working'] as const;
export const AuditItemCode = z.enum(AUDIT_ITEM_CODES);
export type AuditItemCode = z.infer<typeof AuditItemCode>;

export const AUDIT_ITEM_LABELS: Record<AuditItemCode, Bilingual> = {
  furniture: { fr: 'Mobilier', en: 'Furniture' },
  cleanliness: { fr: 'Propreté', en: 'Cleanliness' },
  information_displayed: { fr: 'Information affichée', en: 'Information displayed' },
  room_confidentiality: { fr: 'Confidentialité du local', en: 'Confidentiality of the room' },
  equipment_working: { fr: 'Équipement en état de marche', en: 'Equipment in working order' },
};

export const AuditItem = z.object({ item: AuditItemCode, ok: z.boolean(), comment: z.string().trim().max(500) }).strict();
export type AuditItem = z.infer<typeof AuditItem>;

export interface AuditRecord {
  id: number;
  month: MonthKey;
  mediatorId: number | null;
  doneAt: number;
  items: AuditItem[];
}

interface AuditRow {
  id: number;
  month: string;
  mediator_id: number | null;
  done_at: number;
  items: string;
}

const toRecord = (r: AuditRow): AuditRecord => ({ id: r.id, month: r.month, mediatorId: r.mediator_id, doneAt: r.done_at, items: JSON.parse(r.items) as AuditItem[] });

/** The latest audit of a month, or null when the month has none. */
export function auditOfMonth(db: Db, month: MonthKey): AuditRecord | null {
  const row = db.prepare<[string], AuditRow>('SELECT * FROM audits WHERE month = ? ORDER BY done_at DESC, id DESC LIMIT 1').get(month);
  return row ? toRecord(row) : null;
}

export interface AuditLog {
  /** Records a month's audit; every item exactly once. A second audit of the same month is kept and becomes the month's latest. */
  record(month: MonthKey, items: AuditItem[], mediatorId: number | null): AuditRecord;
  /** True while the current Paris month has no audit (the mediator screen shows a reminder). */
  isDue(): boolean;
  /** Audits, latest first. */
  history(limit?: number): AuditRecord[];
}

export function createAuditLog(deps: { db: Db; clock: () => number; logger: Logger }): AuditLog {
  const { db, clock, logger } = deps;
  const insert = db.prepare<[string, number | null, number, string]>('INSERT INTO audits (month, mediator_id, done_at, items) VALUES (?, ?, ?, ?)');
  return {
    record(month, items, mediatorId) {
      if (!MonthKey.safeParse(month).success) throw new ExpectedError('INVALID_INPUT', `Mois invalide : ${month}.`);
      const parsed = z.array(AuditItem).safeParse(items);
      if (!parsed.success) throw new ExpectedError('INVALID_INPUT', "Points de l'audit invalides.");
      const codes = parsed.data.map((i) => i.item);
      const missing = AUDIT_ITEM_CODES.filter((c) => !codes.includes(c));
      if (missing.length > 0 || codes.length !== AUDIT_ITEM_CODES.length) {
        throw new ExpectedError('INVALID_INPUT', `Chaque point de l'audit doit être renseigné une fois (manquants : ${missing.join(', ') || 'aucun'}).`);
      }
      const ordered = AUDIT_ITEM_CODES.map((c) => parsed.data.find((i) => i.item === c) as AuditItem);
      const doneAt = clock();
      const info = insert.run(month, mediatorId, doneAt, JSON.stringify(ordered));
      logger.info({ code: 'AUDIT_RECORDED', month, notOk: ordered.filter((i) => !i.ok).length }, 'monthly audit recorded');
      return { id: Number(info.lastInsertRowid), month, mediatorId, doneAt, items: ordered };
    },
    isDue: () => auditOfMonth(db, monthOf(clock())) === null,
    history(limit = 36) {
      return db.prepare<[number], AuditRow>('SELECT * FROM audits ORDER BY month DESC, done_at DESC, id DESC LIMIT ?').all(limit).map(toRecord);
    },
  };
}
