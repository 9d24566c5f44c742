// Month, week, date and time fields that never use the browser's own pickers (an en-US Chromium shows « mm/dd/yyyy »,
// « December 2026 » and « 02:00 PM » in its native ones): every part is a plain field or list written in the
// language of the catalog, with large targets and a French message when the date does not exist.
import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isoWeekLabel, shiftWeek, weekKeyFromLabel } from '../../shared/time.js';
import { formatMonth, formatWeek, monthName, upperFirst } from '../i18n/format.js';
import { Icon } from './Icon.js';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** 'YYYY-MM' moved by `delta` months. */
export function shiftMonth(month: string, delta: number): string {
  const [y, m] = month.split('-').map(Number);
  const index = (y ?? 1970) * 12 + ((m ?? 1) - 1) + delta;
  return `${Math.floor(index / 12)}-${pad((index % 12) + 1)}`;
}

/** « ‹ Mois précédent · décembre 2026 · Mois suivant › »: a month chosen with two buttons, its name always in words. */
export function MonthStepper({ value, onChange, label }: { value: string; onChange(month: string): void; label: string }) {
  const { t, i18n } = useTranslation();
  return (
    <div className="week-picker month-stepper" role="group" aria-label={label}>
      <button type="button" className="button" onClick={() => onChange(shiftMonth(value, -1))}>
        <Icon name="left" />
        {t('fields.previousMonth')}
      </button>
      <p className="week-picker__label" aria-live="polite" data-testid="month-label" data-month={value}>
        {formatMonth(value, i18n.language)}
      </p>
      <button type="button" className="button" onClick={() => onChange(shiftMonth(value, 1))}>
        {t('fields.nextMonth')}
        <Icon name="right" />
      </button>
    </div>
  );
}

/** The civil day 'YYYY-MM-DD' of a day, month and year typed by a person, or null when that day does not exist. */
export function civilDay(day: string, month: string, year: string): string | null {
  if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year)) return null;
  const d = Number(day);
  const m = Number(month);
  const y = Number(year);
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return `${pad(y, 4)}-${pad(m)}-${pad(d)}`;
}

/**
 * A date as three parts — day, month by name, year — like the forms of the administration (« 01 · décembre · 2026 »).
 * `onChange` receives 'YYYY-MM-DD', or '' while the date is incomplete or does not exist (then a French message says so).
 */
export function DateField({ label, value, onChange, name }: { label: string; value: string; onChange(day: string): void; name?: string }) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const [y, m, d] = value ? value.split('-') : ['', '', ''];
  const [parts, setParts] = useState({ day: d ? String(Number(d)) : '', month: m ? String(Number(m)) : '', year: y ?? '' });
  const update = (next: Partial<typeof parts>) => {
    const all = { ...parts, ...next };
    setParts(all);
    onChange(civilDay(all.day, all.month, all.year) ?? '');
  };
  const complete = parts.day !== '' && parts.month !== '' && parts.year.length === 4;
  const invalid = complete && civilDay(parts.day, parts.month, parts.year) === null;
  return (
    <fieldset className="date-field" data-field={name} aria-describedby={invalid ? `${id}-error` : undefined}>
      <legend>{label}</legend>
      <label className="date-field__part">
        <span>{t('fields.day')}</span>
        <input inputMode="numeric" autoComplete="off" maxLength={2} size={2} value={parts.day} aria-invalid={invalid || undefined} onChange={(e) => update({ day: e.target.value.replace(/\D/g, '') })} />
      </label>
      <label className="date-field__part">
        <span>{t('fields.month')}</span>
        <select value={parts.month} aria-invalid={invalid || undefined} onChange={(e) => update({ month: e.target.value })}>
          <option value="">—</option>
          {Array.from({ length: 12 }, (_, i) => (
            <option key={i + 1} value={String(i + 1)}>
              {monthName(i + 1, i18n.language)}
            </option>
          ))}
        </select>
      </label>
      <label className="date-field__part">
        <span>{t('fields.year')}</span>
        <input inputMode="numeric" autoComplete="off" maxLength={4} size={4} value={parts.year} aria-invalid={invalid || undefined} onChange={(e) => update({ year: e.target.value.replace(/\D/g, '') })} />
      </label>
      {invalid && (
        <p id={`${id}-error`} className="error" role="alert">
          {t('fields.noSuchDay')}
        </p>
      )}
    </fieldset>
  );
}

const HOURS = Array.from({ length: 24 }, (_, h) => pad(h));
const MINUTES = Array.from({ length: 12 }, (_, i) => pad(i * 5));

/** A time of day 'HH:MM' as two lists, hours 00–23 and minutes by five, so it reads « 14 h 00 » in any browser. */
export function TimeField({ labelId, value, onChange, name }: { labelId: string; value: string; onChange(time: string): void; name?: string }) {
  const { t } = useTranslation();
  const [hour = '09', minute = '00'] = value.split(':');
  const minutes = MINUTES.includes(minute) ? MINUTES : [...MINUTES, minute].sort();
  return (
    <span className="time-field" role="group" aria-labelledby={labelId} data-field={name} data-value={`${hour}:${minute}`}>
      <select aria-label={t('fields.hours')} value={hour} onChange={(e) => onChange(`${e.target.value}:${minute}`)}>
        {HOURS.map((h) => (
          <option key={h} value={h}>
            {h}
          </option>
        ))}
      </select>
      <span aria-hidden="true">{t('fields.hourSeparator')}</span>
      <select aria-label={t('fields.minutes')} value={minute} onChange={(e) => onChange(`${hour}:${e.target.value}`)}>
        {minutes.map((mm) => (
          <option key={mm} value={mm}>
            {mm}
          </option>
        ))}
      </select>
    </span>
  );
}

/** How many weeks back a week list offers, the newest first: three years of weekly counts. */
const WEEKS_OFFERED = 157;

/**
 * A week 'YYYY-Www' chosen from a list written in words (« Semaine 48 (du 23 au 29 novembre 2026) »), not the browser's
 * week picker, which follows its own locale (« Week 48, 2026 »). Offers the weeks up to `latest`, and always `value`.
 */
export function WeekSelect({ label, value, latest, onChange, name, className }: { label: string; value: string; latest: string; onChange(week: string): void; name?: string; className?: string }) {
  const { i18n } = useTranslation();
  const weeks = useMemo(() => {
    const newest = weekKeyFromLabel(latest);
    const keys = Array.from({ length: WEEKS_OFFERED }, (_, i) => shiftWeek(newest, -i));
    const chosen = /^\d{4}-W\d{2}$/.test(value) ? weekKeyFromLabel(value) : null;
    if (chosen !== null && !keys.includes(chosen)) keys.push(chosen);
    return keys.sort((a, b) => b - a).map(isoWeekLabel);
  }, [latest, value]);
  return (
    <label className={className ?? 'week-select'}>
      <span>{label}</span>
      <select name={name} value={value} onChange={(e) => onChange(e.target.value)} required>
        {weeks.map((w) => (
          <option key={w} value={w}>
            {upperFirst(formatWeek(w, i18n.language, { withYear: true }))}
          </option>
        ))}
      </select>
    </label>
  );
}
