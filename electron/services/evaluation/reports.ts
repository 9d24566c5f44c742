// The mediator's month report (services per organisation and type, weeks, satisfaction, audit, incidents) and the visits CSV.
import { APPOINTMENT_COUNT_HEADERS_FR, APPOINTMENT_COUNT_KEYS, countAppointments, type AppointmentCounts } from '../../../shared/appointmentCounts.js';
import { SERVICE_TYPES, type ServiceType } from '../../../shared/domain.js';
import { ExpectedError } from '../../../shared/errors.js';
import { formatDate, formatTime } from '../../../shared/format.js';
import { dayKeyFromLabel, dayLabel, isoWeekLabel, isoWeekOfDate, parisWallTimeToEpoch } from '../../../shared/time.js';
import { appointmentRecordsBetween } from '../appointments/appointmentsRepo.js';
import type { Db } from '../db/index.js';
import { SERVICE_LABELS_FR } from '../foundation/grid.js';
import { auditOfMonth, type AuditRecord } from './audit.js';
import { MonthKey, monthDayRange } from './calendar.js';
import { dailyCounts } from './counts.js';
import { incidentsBetween, type Incident } from './incidents.js';
import { surveySummary, type SurveySummary } from './survey.js';

export interface OrganisationName {
  code: string;
  name: string;
}

export interface MonthReport {
  month: MonthKey;
  /** First and last days of the month, 'YYYY-MM-DD'. */
  from: string;
  to: string;
  services: ServiceType[];
  rows: { organisation: string; name: string; counts: Record<ServiceType, number>; total: number }[];
  columnTotals: Record<ServiceType, number>;
  total: number;
  /** Every ISO week overlapping the month, counting only the month's days. */
  weeks: { week: string; count: number }[];
  satisfaction: SurveySummary;
  audit: { done: boolean; latest: AuditRecord | null };
  /** Incidents opened during the month or still open at its start, newest first. */
  incidents: Incident[];
  /** « Rendez-vous en visio »: this booth's appointments starting in the month, per organisation (issue 19). */
  appointments: AppointmentsSection;
}

export interface AppointmentsSection {
  rows: { organisation: string; name: string; counts: AppointmentCounts }[];
  totals: AppointmentCounts;
}

/** This booth's appointments starting in [from, to) per organisation, named and ordered as the report's rows. */
export function appointmentsSection(db: Db, from: number, to: number, organisations: readonly OrganisationName[]): AppointmentsSection {
  const names = new Map(organisations.map((o) => [o.code, o.name]));
  const { rows, totals } = countAppointments(appointmentRecordsBetween(db, from, to), from, to, organisations.map((o) => o.code));
  return { rows: rows.map((r) => ({ organisation: r.organisation, name: names.get(r.organisation) ?? r.organisation, counts: r.counts })), totals };
}

const zeroCounts = (): Record<ServiceType, number> => Object.fromEntries(SERVICE_TYPES.map((s) => [s, 0])) as Record<ServiceType, number>;

/** Paris midnight at the start of a month, and at the start of the next one. */
function monthInstants(month: MonthKey): { start: number; end: number } {
  const year = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  const next = m === 12 ? { year: year + 1, m: 1 } : { year, m: m + 1 };
  return { start: parisWallTimeToEpoch(year, m, 1, 0, 0), end: parisWallTimeToEpoch(next.year, next.m, 1, 0, 0) };
}

/** A month's report. `organisations` gives the names and order of rows; organisations found only in the counts come after, by code. */
export function monthReport(db: Db, month: MonthKey, organisations: readonly OrganisationName[]): MonthReport {
  if (!MonthKey.safeParse(month).success) throw new ExpectedError('INVALID_INPUT', `Mois invalide : ${month}.`);
  const { fromDayKey, toDayKey } = monthDayRange(month);
  const year = Math.floor(fromDayKey / 10_000);
  const monthNumber = Math.floor(fromDayKey / 100) % 100;

  const weekOfDay = new Map<number, number>();
  const weekTotals = new Map<number, number>();
  for (let day = 1; day <= toDayKey % 100; day++) {
    const { isoYear, week } = isoWeekOfDate(year, monthNumber, day);
    const weekKey = isoYear * 100 + week;
    weekOfDay.set(fromDayKey + day - 1, weekKey);
    if (!weekTotals.has(weekKey)) weekTotals.set(weekKey, 0);
  }

  const rowsByOrg = new Map<string, { organisation: string; name: string; counts: Record<ServiceType, number>; total: number }>();
  for (const o of organisations) rowsByOrg.set(o.code, { organisation: o.code, name: o.name, counts: zeroCounts(), total: 0 });
  const columnTotals = zeroCounts();
  let total = 0;
  for (const c of dailyCounts(db, fromDayKey, toDayKey)) {
    const service = c.service as ServiceType;
    if (!(service in columnTotals)) continue;
    let row = rowsByOrg.get(c.organisation);
    if (!row) {
      row = { organisation: c.organisation, name: c.organisation, counts: zeroCounts(), total: 0 };
      rowsByOrg.set(c.organisation, row);
    }
    row.counts[service] += c.count;
    row.total += c.count;
    columnTotals[service] += c.count;
    total += c.count;
    const weekKey = weekOfDay.get(c.dayKey);
    if (weekKey !== undefined) weekTotals.set(weekKey, (weekTotals.get(weekKey) ?? 0) + c.count);
  }

  const { start, end } = monthInstants(month);
  const latest = auditOfMonth(db, month);
  return {
    month,
    from: dayLabel(fromDayKey),
    to: dayLabel(toDayKey),
    services: [...SERVICE_TYPES],
    rows: [
      ...organisations.map((o) => rowsByOrg.get(o.code)).filter((r) => r !== undefined),
      ...[...rowsByOrg.values()].filter((r) => !organisations.some((o) => o.code === r.organisation)).sort((a, b) => a.organisation.localeCompare(b.organisation)),
    ],
    columnTotals,
    total,
    weeks: [...weekTotals.entries()].sort((a, b) => a[0] - b[0]).map(([weekKey, count]) => ({ week: isoWeekLabel(weekKey), count })),
    satisfaction: surveySummary(db, fromDayKey, toDayKey),
    audit: { done: latest !== null, latest },
    incidents: incidentsBetween(db, start, end),
    appointments: appointmentsSection(db, start, end, organisations),
  };
}

const AGE_BAND_FR: Record<string, string> = { under25: 'Moins de 25 ans', '25to59': '25 à 59 ans', '60plus': '60 ans et plus' };

/** Quotes a CSV field when needed, and defuses spreadsheet formulas in free text (a commune typed as "=…"). */
function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[;"\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** One line per visit between two Paris days (inclusive, 'YYYY-MM-DD'): UTF-8 with BOM, ';' separators, French headers. */
export function visitsCsv(db: Db, fromDay: string, toDay: string, organisations: readonly OrganisationName[] = []): { filename: string; content: string } {
  const fromDayKey = dayKeyFromLabel(fromDay);
  const toDayKey = dayKeyFromLabel(toDay);
  if (!Number.isInteger(fromDayKey) || !Number.isInteger(toDayKey) || fromDayKey > toDayKey) {
    throw new ExpectedError('INVALID_INPUT', `Période invalide : du ${fromDay} au ${toDay}.`);
  }
  const names = new Map(organisations.map((o) => [o.code, o.name]));
  const lines = ['Date;Heure de début;Durée (min);Organisme;Type de service;Tranche d’âge;Commune;Première visite'];
  const rows = db
    .prepare<[number, number], { organisation: string; service: string; started_at: number; ended_at: number; age_band: string | null; commune: string | null; first_visit: number | null }>(
      `SELECT organisation, service, started_at, ended_at, age_band, commune, first_visit FROM visits
       WHERE day_key BETWEEN ? AND ? ORDER BY started_at, id`,
    )
    .iterate(fromDayKey, toDayKey);
  for (const r of rows) {
    lines.push(
      [
        formatDate(r.started_at, 'fr'),
        formatTime(r.started_at, 'fr'),
        String(Math.max(0, Math.round((r.ended_at - r.started_at) / 60_000))),
        csvField(names.get(r.organisation) ?? r.organisation),
        csvField(SERVICE_LABELS_FR[r.service as ServiceType] ?? r.service),
        r.age_band ? (AGE_BAND_FR[r.age_band] ?? r.age_band) : '',
        csvField(r.commune ?? ''),
        r.first_visit === null ? '' : r.first_visit ? 'oui' : 'non',
      ].join(';'),
    );
  }
  // « Rendez-vous en visio » of the same days, after a blank line (as the hub's dashboard CSV puts its second table).
  const from = parisWallTimeToEpoch(Math.floor(fromDayKey / 10_000), Math.floor(fromDayKey / 100) % 100, fromDayKey % 100, 0, 0);
  const next = new Date(Date.UTC(Math.floor(toDayKey / 10_000), (Math.floor(toDayKey / 100) % 100) - 1, (toDayKey % 100) + 1));
  const to = parisWallTimeToEpoch(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), 0, 0);
  const appointments = appointmentsSection(db, from, to, organisations);
  lines.push(
    '',
    'Rendez-vous en visio',
    ['Organisme', ...APPOINTMENT_COUNT_KEYS.map((k) => APPOINTMENT_COUNT_HEADERS_FR[k])].join(';'),
    ...appointments.rows.map((r) => [csvField(r.name), ...APPOINTMENT_COUNT_KEYS.map((k) => String(r.counts[k]))].join(';')),
    ['Total', ...APPOINTMENT_COUNT_KEYS.map((k) => String(appointments.totals[k]))].join(';'),
  );
  return { filename: `visites_${fromDay}_${toDay}.csv`, content: `\uFEFF${lines.join('\r\n')}\r\n` };
}
