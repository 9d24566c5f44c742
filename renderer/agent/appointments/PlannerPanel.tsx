// The planner's part of the « Rendez-vous » view: publish slots (one day, or every week on chosen days) from a start and
// end time cut into slots of a length, with the number of agents per slot and the booths; the published series, each
// removable after a confirmation (booked appointments are told by the hub to their booth and agent).
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import { formatDay } from '../../i18n/format.js';
import type { AgentAppointmentsStore, SeriesSummary } from './agentAppointmentsStore.js';
import { describeSeries, seriesFromForm, WEEKDAYS, type SlotForm, type SlotFormField, type SlotFormError, type Weekday } from './slotForm.js';

/** Monday 1 January 2024: weekday names in the console's language from Intl. */
const MONDAY = Date.UTC(2024, 0, 1);
const weekdayName = (d: Weekday, lang: string, style: 'long' = 'long'): string =>
  new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'fr-FR', { weekday: style, timeZone: 'UTC' }).format(MONDAY + WEEKDAYS.indexOf(d) * 86_400_000);

const EMPTY_FORM: SlotForm = { kind: 'weekly', date: '', weekdays: [], start: '09:00', end: '12:00', lengthMin: '30', capacity: '1', from: '', to: '', booths: 'all', boothIds: [], agents: '' };

export function PlannerPanel({ store }: { store: AgentAppointmentsStore }) {
  const { t, i18n } = useTranslation();
  const s = useStore(store);
  const [form, setForm] = useState<SlotForm>(EMPTY_FORM);
  const [error, setError] = useState<{ error: SlotFormError; field: SlotFormField } | null>(null);
  const change = (patch: Partial<SlotForm>) => {
    setForm((f) => ({ ...f, ...patch }));
    setError(null);
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    // Only booths still in the hub's list are sent (one ticked before a reload may have been revoked since).
    const listed = new Set(store.getState().booths.map((b) => b.id));
    const r = seriesFromForm({ ...form, boothIds: form.boothIds.filter((id) => listed.has(id)) });
    if (!r.ok) {
      setError(r);
      // A refused group of booths: its first box takes the focus (the legend and the error are read with it).
      const target = document.getElementById(FIELD_IDS[r.field]);
      ((target instanceof HTMLFieldSetElement ? target.querySelector('input') : null) ?? target)?.focus();
      return;
    }
    store.getState().publish(r.specs);
  };
  const invalid = (field: SlotFormField) => (error?.field === field ? { 'aria-invalid': true, 'aria-describedby': 'planner-error' } : {});
  const lang = i18n.language;
  const refusal = s.refusal;
  return (
    <section aria-labelledby="agent-planner-title" className="agent-planner">
      <h2 id="agent-planner-title">{t('agentAppointments.planner.title')}</h2>
      <form onSubmit={submit} noValidate>
        <fieldset>
          <legend>{t('agentAppointments.planner.kind.legend')}</legend>
          {(['once', 'weekly'] as const).map((k) => (
            <label key={k} className="checkbox">
              <input type="radio" name="planner-kind" checked={form.kind === k} onChange={() => change({ kind: k })} />
              {t(`agentAppointments.planner.kind.${k}`)}
            </label>
          ))}
        </fieldset>
        {form.kind === 'once' ? (
          <Field id="planner-date" label={t('agentAppointments.planner.date')}>
            <input id="planner-date" type="date" value={form.date} onChange={(e) => change({ date: e.target.value })} {...invalid('date')} />
          </Field>
        ) : (
          <>
            <fieldset {...invalid('weekdays')}>
              <legend>{t('agentAppointments.planner.weekdays')}</legend>
              {WEEKDAYS.map((d) => (
                <label key={d} className="checkbox">
                  <input
                    id={`planner-day-${d}`}
                    type="checkbox"
                    checked={form.weekdays.includes(d)}
                    onChange={(e) => change({ weekdays: e.target.checked ? [...form.weekdays, d] : form.weekdays.filter((x) => x !== d) })}
                  />
                  {weekdayName(d, lang)}
                </label>
              ))}
            </fieldset>
            <Field id="planner-from" label={t('agentAppointments.planner.from')}>
              <input id="planner-from" type="date" value={form.from} onChange={(e) => change({ from: e.target.value })} {...invalid('from')} />
            </Field>
            <Field id="planner-to" label={t('agentAppointments.planner.to')}>
              <input id="planner-to" type="date" value={form.to} onChange={(e) => change({ to: e.target.value })} {...invalid('to')} />
            </Field>
          </>
        )}
        <Field id="planner-start" label={t('agentAppointments.planner.start')}>
          <input id="planner-start" type="time" value={form.start} onChange={(e) => change({ start: e.target.value })} {...invalid('start')} />
        </Field>
        <Field id="planner-end" label={t('agentAppointments.planner.end')}>
          <input id="planner-end" type="time" value={form.end} onChange={(e) => change({ end: e.target.value })} {...invalid('end')} />
        </Field>
        <Field id="planner-length" label={t('agentAppointments.planner.length')}>
          <input id="planner-length" inputMode="numeric" value={form.lengthMin} onChange={(e) => change({ lengthMin: e.target.value })} {...invalid('lengthMin')} />
        </Field>
        <Field id="planner-capacity" label={t('agentAppointments.planner.capacity')}>
          <input id="planner-capacity" inputMode="numeric" value={form.capacity} onChange={(e) => change({ capacity: e.target.value })} {...invalid('capacity')} />
        </Field>
        <fieldset>
          <legend>{t('agentAppointments.planner.booths.legend')}</legend>
          {(['all', 'some'] as const).map((b) => (
            <label key={b} className="checkbox">
              <input type="radio" name="planner-booths" checked={form.booths === b} onChange={() => change({ booths: b })} />
              {t(`agentAppointments.planner.booths.${b}`)}
            </label>
          ))}
          {form.booths === 'some' && <BoothChoices store={store} chosen={form.boothIds} onChange={(boothIds) => change({ boothIds })} invalid={error?.field === 'booths'} />}
        </fieldset>
        <div className="agent-planner__field agent-planner__wide">
          <label htmlFor="planner-agents">{t('agentAppointments.planner.agents')}</label>
          <input id="planner-agents" value={form.agents} aria-describedby="planner-agents-hint" onChange={(e) => change({ agents: e.target.value })} {...invalid('agents')} />
          <span id="planner-agents-hint">{t('agentAppointments.planner.agentsHint')}</span>
        </div>
        <div className="agent-planner__wide agent-appointments__bar">
          <button type="submit" className="button button--primary" disabled={s.busy !== null || !s.connected}>
            {s.busy === 'publishing' ? t('agentAppointments.planner.publishing') : t('agentAppointments.planner.publish')}
          </button>
        </div>
      </form>
      <div role="alert" id="planner-error">
        {error && <p className="error">{t(`agentAppointments.planner.errors.${error.error}`)}</p>}
        {refusal && <p className="error">{t(`agentAppointments.planner.refused.${refusal in REFUSALS ? refusal : 'other'}`)}</p>}
      </div>
      <div role="status" aria-live="polite" data-testid="planner-outcome">
        {s.published && (
          <>
            <p>{t('agentAppointments.planner.published', { count: s.published.slots })}</p>
            {s.published.skipped.holidays + s.published.skipped.closures + s.published.skipped.past > 0 && <p>{t('agentAppointments.planner.skipped', s.published.skipped)}</p>}
            {s.published.shifted && <p>{t('agentAppointments.planner.shifted')}</p>}
            {s.published.truncated && <p>{t('agentAppointments.planner.truncated')}</p>}
          </>
        )}
        {s.closed && (
          <>
            <p>{t('agentAppointments.planner.closed', { count: s.closed.slots })}</p>
            {s.closed.affected > 0 && <p>{t('agentAppointments.planner.affected', { count: s.closed.affected })}</p>}
          </>
        )}
      </div>
      <h3>{t('agentAppointments.planner.series')}</h3>
      {s.series.length === 0 ? <p>{t('agentAppointments.planner.noSeries')}</p> : <SeriesList store={store} series={s.series} />}
      {s.closures.length > 0 && (
        <>
          <h3>{t('agentAppointments.planner.closures')}</h3>
          <ul>
            {s.closures.map((c) => (
              <li key={`${c.from}-${c.to}`}>
                {t('agentAppointments.planner.closure', { from: formatDay(c.from, lang), to: formatDay(c.to, lang) })}
                {c.reason ? ` — ${c.reason}` : ''}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

/** Where the focus goes when a field is refused. */
const FIELD_IDS: Record<SlotFormField, string> = {
  date: 'planner-date',
  weekdays: 'planner-day-MO',
  start: 'planner-start',
  end: 'planner-end',
  lengthMin: 'planner-length',
  capacity: 'planner-capacity',
  from: 'planner-from',
  to: 'planner-to',
  booths: 'planner-booths-choice',
  agents: 'planner-agents',
};

const REFUSALS: Record<string, true> = { BAD_RULE: true, BAD_START: true, BAD_TIME_ZONE: true, BAD_DAYS: true, UNKNOWN_AGENT: true, UNKNOWN_SERIES: true, NO_SLOT: true, NO_ANSWER: true };

/**
 * The department's booths as checkboxes (from slots.booths), in a fieldset of their own; when refused, the fieldset is
 * focused and described by the error. Loading and a failed list are said, with a way to ask again.
 */
function BoothChoices({ store, chosen, onChange, invalid }: { store: AgentAppointmentsStore; chosen: number[]; onChange: (ids: number[]) => void; invalid: boolean }) {
  const { t } = useTranslation();
  const booths = useStore(store, (s) => s.booths);
  const state = useStore(store, (s) => s.boothsState);
  return (
    <fieldset id="planner-booths-choice" tabIndex={-1} className="agent-planner__booths" {...(invalid ? { 'aria-invalid': true, 'aria-describedby': 'planner-error' } : {})}>
      <legend>{t('agentAppointments.boothChoice.legend')}</legend>
      {state === 'asking' && <p role="status">{t('agentAppointments.boothChoice.loading')}</p>}
      {state === 'failed' && (
        <div className="agent-appointments__bar">
          <p>{t('agentAppointments.boothChoice.failed')}</p>
          <button type="button" className="button" onClick={() => store.getState().askBooths()}>
            {t('agentAppointments.boothChoice.retry')}
          </button>
        </div>
      )}
      {state === 'ready' && booths.length === 0 && <p>{t('agentAppointments.boothChoice.none')}</p>}
      {booths.map((b) => (
        <label key={b.id} className="checkbox">
          <input
            type="checkbox"
            data-booth={b.id}
            checked={chosen.includes(b.id)}
            onChange={(e) => onChange(e.target.checked ? [...chosen, b.id] : chosen.filter((id) => id !== b.id))}
          />
          {b.commune ? t('agentAppointments.boothChoice.siteCommune', { site: b.siteName, commune: b.commune, id: b.id }) : t('agentAppointments.boothChoice.site', { site: b.siteName, id: b.id })}
        </label>
      ))}
    </fieldset>
  );
}

function Field({ id, label, children }: { id: string; label: string; children: React.ReactNode }) {
  return (
    <div className="agent-planner__field">
      <label htmlFor={id}>{label}</label>
      {children}
    </div>
  );
}

function useSeriesText(): (s: SeriesSummary) => string {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const times = (list: string[]) => (list.length <= 3 ? list.join(', ') : `${list[0] ?? ''} … ${list.at(-1) ?? ''}`);
  return (s) => {
    const w = describeSeries(s.start, s.rule);
    if (w.kind === 'once') return t('agentAppointments.planner.seriesOnce', { day: formatDay(w.day, lang), time: times(w.times) });
    if (w.kind === 'rule') return t('agentAppointments.planner.seriesRule', { rule: w.rule, from: formatDay(w.from, lang) });
    const days = new Intl.ListFormat(lang === 'en' ? 'en-GB' : 'fr-FR', { type: 'conjunction' }).format(w.weekdays.map((d) => weekdayName(d, lang)));
    return t('agentAppointments.planner.seriesWeekly', { days, times: times(w.times), from: formatDay(w.from, lang) }) + (w.to ? t('agentAppointments.planner.seriesUntil', { to: formatDay(w.to, lang) }) : '');
  };
}

function SeriesList({ store, series }: { store: AgentAppointmentsStore; series: SeriesSummary[] }) {
  const { t } = useTranslation();
  const busy = useStore(store, (s) => s.busy);
  const text = useSeriesText();
  const [asked, setAsked] = useState<number | null>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (asked !== null) confirmRef.current?.focus();
  }, [asked]);
  /** The question closed without removing: the focus goes back to the series' « Retirer ». */
  const keep = (id: number) => {
    setAsked(null);
    requestAnimationFrame(() => document.getElementById(`series-remove-${id}`)?.focus());
  };
  return (
    <ul className="agent-planner__series">
      {series.map((s) => {
        const what = text(s);
        return (
          <li key={s.id} data-series={s.id}>
            <strong>{what}</strong>
            <span>{t('agentAppointments.planner.seriesDetail', { length: s.lengthMin, capacity: s.capacity, upcoming: s.upcoming, booked: s.booked })}</span>
            <span>{s.booths ? t('agentAppointments.planner.seriesBooths', { booths: s.booths.join(', ') }) : t('agentAppointments.planner.seriesAllBooths')}</span>
            {s.agents.length > 0 && <span>{t('agentAppointments.planner.seriesAgents', { agents: s.agents.join(', ') })}</span>}
            {asked === s.id ? (
              <div role="group" aria-labelledby={`series-confirm-${s.id}`} className="agent-appointments__bar" onKeyDown={(e) => e.key === 'Escape' && keep(s.id)}>
                <p id={`series-confirm-${s.id}`}>{t('agentAppointments.planner.confirmClose', { booked: s.booked })}</p>
                <button
                  ref={confirmRef}
                  type="button"
                  className="button button--danger"
                  disabled={busy !== null}
                  onClick={() => {
                    store.getState().closeSeries(s.id);
                    setAsked(null);
                  }}
                >
                  {t('agentAppointments.planner.confirm')}
                </button>
                <button type="button" className="button" onClick={() => keep(s.id)}>
                  {t('agentAppointments.planner.keep')}
                </button>
              </div>
            ) : (
              <div className="agent-appointments__bar">
                <button type="button" id={`series-remove-${s.id}`} className="button" aria-label={t('agentAppointments.planner.closeLabel', { what })} disabled={busy !== null} onClick={() => setAsked(s.id)}>
                  {t('agentAppointments.planner.close')}
                </button>
              </div>
            )}
          </li>
        );
      })}
    </ul>
  );
}
