// The department's dashboard for the coordinator: sign-in, the grid of services per site and week with totals, a bar
// chart of the department's weeks, totals per organisation and type, the CSV export and a printable grid; the booths with
// a problem at the top, and the « Bornes » view (renderer/coordinator/booths/).
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isoWeekLabel, weekKeyOf } from '../../shared/time.js';
import { formatDateTimeShort, formatWeek, formatWeekShort, upperFirst } from '../i18n/format.js';
import { BarChart } from '../ui/BarChart.js';
import { WeekSelect } from '../ui/DateFields.js';
import { AppointmentsView } from './appointments/AppointmentsView.js';
import { BoothAlerts } from './booths/BoothAlerts.js';
import { BoothsView } from './booths/BoothsView.js';
import { ConfigView } from './config/ConfigView.js';
import { useBooths } from './booths/useBooths.js';
import { coordinatorApi as api } from './coordinatorApi.js';
import { LoginForm } from './LoginForm.js';
import { UpdatesView } from './updates/UpdatesView.js';

export const SERVICE_CODES = ['info', 'documents', 'visio', 'teleservice', 'internet'] as const;
type ServiceCode = (typeof SERVICE_CODES)[number];

export interface DashboardData {
  fromWeek: string;
  toWeek: string;
  weeks: string[];
  sites: { siteId: string; siteName: string; cells: (number | null)[]; total: number; lastReceivedAt: number }[];
  weekTotals: number[];
  total: number;
  organisations: { organisation: string; counts: Record<ServiceCode, number>; total: number }[];
  serviceTotals: Record<ServiceCode, number>;
}

/** The dashboard's views; the hub says which it serves (those its stores hold: a node started without one serves fewer). */
const VIEWS = ['counts', 'booths', 'appointments', 'updates', 'config'] as const;
type View = (typeof VIEWS)[number];
type Session = { state: 'checking' } | { state: 'signedOut' } | { state: 'signedIn'; login: string; views: readonly View[]; enrol: boolean };


/** `enrol`: booths can be created from the « Bornes » view (the hub serves enrolment). */
export function Dashboard({ login, onSignedOut, views = VIEWS, enrol = true }: { login: string; onSignedOut: () => void; views?: readonly View[]; enrol?: boolean }) {
  const { t, i18n } = useTranslation();
  const [data, setData] = useState<DashboardData | null>(null);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [error, setError] = useState('');
  const [view, setView] = useState<'counts' | 'booths' | 'troubledBooths' | 'appointments' | 'updates' | 'config'>('counts');
  const booths = useBooths(onSignedOut, undefined, views.includes('booths'));

  const load = useCallback(
    (range?: { from: string; to: string }) => {
      const query = range ? `?from=${encodeURIComponent(range.from)}&to=${encodeURIComponent(range.to)}` : '';
      api(`dashboard${query}`)
        .then(async (r) => {
          if (r.status === 401) return onSignedOut();
          if (!r.ok) return setError(t('coordinator.failed'));
          const d = (await r.json()) as DashboardData;
          setData(d);
          setFrom(d.fromWeek);
          setTo(d.toWeek);
          setError('');
        })
        .catch(() => setError(t('coordinator.failed')));
    },
    [onSignedOut, t],
  );
  useEffect(() => load(), [load]);

  const signOut = () => {
    void api('logout', { method: 'POST' }).finally(onSignedOut);
  };
  const fmt = (epochMs: number) => formatDateTimeShort(epochMs, i18n.language);
  // The weeks offered end with this week, or with the range shown if the hub's clock is ahead of this machine's.
  const [thisWeek] = useState(() => isoWeekLabel(weekKeyOf(Date.now())));
  const latest = data && data.toWeek > thisWeek ? data.toWeek : thisWeek;

  return (
    <main className="coord" aria-labelledby="coord-title">
      <header className="coord-header">
        <h1 id="coord-title">{t('coordinator.title')}</h1>
        <span className="no-print">{login}</span>
        <button type="button" className="button no-print" onClick={() => void i18n.changeLanguage(i18n.language === 'en' ? 'fr' : 'en')} lang={i18n.language === 'en' ? 'fr' : 'en'}>
          {i18n.language === 'en' ? 'Français' : 'English'}
        </button>
        <button type="button" className="button no-print" onClick={signOut}>
          {t('coordinator.signOut')}
        </button>
      </header>
      {views.includes('booths') && <BoothAlerts data={booths.data} alerts={booths.alerts} onShowBooths={() => setView('troubledBooths')} />}
      {views.length > 1 && (
        <nav className="coord-views no-print" aria-label={t('coordinator.views.label')}>
          {views.map((v) => (
            <button key={v} type="button" className="button" aria-pressed={view === v || (v === 'booths' && view === 'troubledBooths')} onClick={() => setView(v)}>
              {v === 'config' ? t('fleetConfig.editor.view') : t(`coordinator.views.${v}`)}
            </button>
          ))}
        </nav>
      )}
      {view === 'updates' && <UpdatesView onSignedOut={onSignedOut} />}
      {(view === 'booths' || view === 'troubledBooths') && <BoothsView key={view} {...booths} onSignedOut={onSignedOut} initialFilter={view === 'troubledBooths' ? 'problem' : 'all'} enrol={enrol} configs={views.includes('config')} />}
      {view === 'appointments' && <AppointmentsView onSignedOut={onSignedOut} />}
      {view === 'config' && <ConfigView onSignedOut={onSignedOut} />}
      <form
        hidden={view !== 'counts'}
        className="coord-range no-print"
        onSubmit={(e) => {
          e.preventDefault();
          load({ from, to });
        }}
      >
        {data && (
          <>
            <WeekSelect className="coord-field" label={t('coordinator.from')} name="from" value={from} latest={latest} onChange={setFrom} />
            <WeekSelect className="coord-field" label={t('coordinator.to')} name="to" value={to} latest={latest} onChange={setTo} />
          </>
        )}
        <button type="submit" className="button button--primary">
          {t('coordinator.show')}
        </button>
        {data && (
          <a className="button" href={`/coordinator/api/dashboard.csv?from=${encodeURIComponent(data.fromWeek)}&to=${encodeURIComponent(data.toWeek)}`} download>
            {t('coordinator.csv')}
          </a>
        )}
        <button type="button" className="button" onClick={() => window.print()}>
          {t('coordinator.print')}
        </button>
      </form>
      <p className="error" role="alert" hidden={view !== 'counts'}>
        {error}
      </p>
      {data && view === 'counts' && (
        <>
          <section aria-labelledby="grid-title">
            <h2 id="grid-title">{t('coordinator.gridTitle')}</h2>
            {data.sites.length === 0 && <p>{t('coordinator.noSites')}</p>}
            <div className="coord-scroll" tabIndex={0} role="region" aria-labelledby="grid-title">
              <table className="table coord-grid" data-from={data.fromWeek} data-to={data.toWeek}>
                <caption>{t('coordinator.gridCaption', { from: formatWeek(data.fromWeek, i18n.language, { withYear: true }), to: formatWeek(data.toWeek, i18n.language, { withYear: true }) })}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('coordinator.site')}</th>
                    {data.weeks.map((w) => (
                      <th scope="col" key={w} data-week={w} title={upperFirst(formatWeek(w, i18n.language, { withYear: true }))}>
                        {upperFirst(formatWeekShort(w, i18n.language))}
                      </th>
                    ))}
                    <th scope="col">{t('coordinator.total')}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.sites.map((s) => (
                    <tr key={s.siteId} data-site={s.siteName}>
                      <th scope="row" title={t('coordinator.lastReceived', { date: fmt(s.lastReceivedAt) })}>
                        {s.siteName}
                      </th>
                      {s.cells.map((c, i) => (
                        <td key={data.weeks[i]} data-week={data.weeks[i]} className={c === null ? 'empty' : undefined}>
                          {c === null ? <span aria-label={t('coordinator.noData')}>–</span> : c}
                        </td>
                      ))}
                      <td data-week="total">{s.total}</td>
                    </tr>
                  ))}
                </tbody>
                <tfoot>
                  <tr data-site="total">
                    <th scope="row">{t('coordinator.total')}</th>
                    {data.weekTotals.map((n, i) => (
                      <td key={data.weeks[i]} data-week={data.weeks[i]}>
                        {n}
                      </td>
                    ))}
                    <td data-week="total">{data.total}</td>
                  </tr>
                </tfoot>
              </table>
            </div>
          </section>
          <section aria-labelledby="chart-title">
            <h2 id="chart-title">{t('coordinator.chartTitle')}</h2>
            <BarChart
              title={t('coordinator.chartTitle')}
              bars={data.weeks.map((w, i) => ({ label: formatWeekShort(w, i18n.language), value: data.weekTotals[i] ?? 0, week: w }))}
              barLabel={(b) => t('coordinator.chartBar', { week: formatWeek(b.week ?? b.label, i18n.language), count: b.value })}
            />
          </section>
          <section aria-labelledby="org-title">
            <h2 id="org-title">{t('coordinator.orgTitle')}</h2>
            {/* Scrolls on its own where the page is narrow (a zoomed browser), as the grid above: the page never does. */}
            <div className="coord-scroll" tabIndex={0} role="region" aria-labelledby="org-title">
              <table className="table coord-grid">
                <thead>
                  <tr>
                    <th scope="col">{t('coordinator.organisation')}</th>
                    {SERVICE_CODES.map((s) => (
                      <th scope="col" key={s}>
                        {t(`coordinator.services.${s}`)}
                      </th>
                    ))}
                    <th scope="col">{t('coordinator.total')}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.organisations.map((o) => (
                    <tr key={o.organisation} data-org={o.organisation}>
                      <th scope="row">{o.organisation}</th>
                      {SERVICE_CODES.map((s) => (
                        <td key={s}>{o.counts[s] ?? 0}</td>
                      ))}
                      <td>{o.total}</td>
                    </tr>
                  ))}
                </tbody>
                <tfoot>
                  <tr>
                    <th scope="row">{t('coordinator.total')}</th>
                    {SERVICE_CODES.map((s) => (
                      <td key={s}>{data.serviceTotals[s] ?? 0}</td>
                    ))}
                    <td>{data.total}</td>
                  </tr>
                </tfoot>
              </table>
            </div>
          </section>
        </>
      )}
    </main>
  );
}

/** The views the hub lists that this page knows, the counts always (a hub that lists none: every view, as before). */
function viewsOf(listed: unknown): readonly View[] {
  if (!Array.isArray(listed)) return VIEWS;
  return VIEWS.filter((v) => v === 'counts' || listed.includes(v));
}
/** Whether the hub creates booths (its list has 'enrol'; a hub that lists nothing: yes, as before). */
const enrolOf = (listed: unknown): boolean => !Array.isArray(listed) || listed.includes('enrol');

export function CoordinatorApp() {
  const [session, setSession] = useState<Session>({ state: 'checking' });
  const check = useCallback(() => {
    api('session')
      .then(async (r) => {
        if (!r.ok) return setSession({ state: 'signedOut' });
        const s = (await r.json()) as { login: string; views?: unknown };
        setSession({ state: 'signedIn', login: s.login, views: viewsOf(s.views), enrol: enrolOf(s.views) });
      })
      .catch(() => setSession({ state: 'signedOut' }));
  }, []);
  useEffect(check, [check]);
  const signedOut = useCallback(() => setSession({ state: 'signedOut' }), []);
  if (session.state === 'checking') return null;
  // Signed in: the answer says which views this hub serves.
  if (session.state === 'signedOut') return <LoginForm onSignedIn={(login, views) => setSession({ state: 'signedIn', login, views: viewsOf(views), enrol: enrolOf(views) })} />;
  return <Dashboard login={session.login} views={session.views} enrol={session.enrol} onSignedOut={signedOut} />;
}
