// The mediator's area: tabs for quick entry, today's list, the weekly grid and the settings; pending help calls on top.
import { AppointmentsTab } from '../appointments/AppointmentsTab.js';
import { useTranslation } from 'react-i18next';
import { formatTime } from '../../i18n/format.js';
import { helpReason } from '../HelpButton.js';
import { Icon } from '../../ui/Icon.js';
import { usePrinterState } from '../printing/PrintScreenParts.js';
import { AuditReminder, AuditTab } from '../evaluation/AuditTab.js';
import { EvaluationSettingsTab } from '../evaluation/EvaluationSettingsTab.js';
import { IncidentsTab } from '../evaluation/IncidentsTab.js';
import { ReportTab } from '../evaluation/ReportTab.js';
import { DevicesTab } from '../printing/DevicesTab.js';
import { QuickRecord } from './QuickRecord.js';
import { SettingsScreen } from './SettingsScreen.js';
import { useAppStore, type MediatorTab } from '../stores/appStore.js';
import { useAppointmentsStore } from '../stores/storesContext.js';
import { TeleserviceLauncher } from '../teleservice/TeleserviceLauncher.js';
import { TodayList } from './TodayList.js';
import { WeeklyGridScreen } from './WeeklyGridScreen.js';

/** The tabs in order, each with the catalog key of its label (each feature names its own tab). */
const TABS: [MediatorTab, string][] = [
  ['quick', 'mediator.tabs.quick'],
  ['today', 'mediator.tabs.today'],
  ['grid', 'mediator.tabs.grid'],
  ['appointments', 'appointments.mediator.tab'],
  ['teleservice', 'teleservice.mediatorTab'],
  ['audit', 'evaluation.tabs.audit'],
  ['incidents', 'evaluation.tabs.incidents'],
  ['report', 'evaluation.tabs.report'],
  ['evaluationSettings', 'evaluation.tabs.evaluationSettings'],
  ['devices', 'printing.tab'],
  ['settings', 'mediator.tabs.settings'],
];

function HelpBanner() {
  const { t, i18n } = useTranslation();
  const help = useAppStore((s) => s.help);
  const acknowledge = useAppStore((s) => s.acknowledgeHelp);
  const organisations = useAppStore((s) => s.organisations);
  if (!help.pending || help.requestedAt === null) return null;
  const time = formatTime(help.requestedAt, i18n.language);
  const reason = helpReason(help.screen, organisations, t);
  return (
    <div className="banner" role="alert">
      <span>{reason ? t('help.pendingForMediator', { reason, time }) : t('help.pendingForMediatorNoReason', { time })}</span>
      <button type="button" className="button button--primary" onClick={() => void acknowledge()}>
        {t('help.acknowledge')}
      </button>
    </div>
  );
}

/** A fresh install has no printer: the visitors are not told (the home stays calm), the mediator is, until one is chosen. */
function NoPrinterNotice({ tab }: { tab: MediatorTab }) {
  const { t } = useTranslation();
  const state = usePrinterState();
  const go = useAppStore((s) => s.go);
  if (tab === 'devices' || !state?.reasons.includes('no-printer')) return null;
  return (
    <div className="banner" role="status" data-testid="no-printer-notice">
      <span>{t('printing.reasons.no-printer.mediator')}</span>
      <button type="button" className="button" onClick={() => go({ name: 'mediator', tab: 'devices' })}>
        {t('printing.chooseNow')}
      </button>
    </div>
  );
}

export function MediatorScreen({ tab }: { tab: MediatorTab }) {
  const { t } = useTranslation();
  const auth = useAppStore((s) => s.auth);
  const go = useAppStore((s) => s.go);
  const lock = useAppStore((s) => s.lock);
  // A hub that takes no appointments (a hub across machines): no « Rendez-vous » tab rather than one that can only fail.
  const appointmentsOffered = useAppointmentsStore((s) => s.offered);
  const tabs = appointmentsOffered ? TABS : TABS.filter(([name]) => name !== 'appointments');

  return (
    <main className="screen screen--mediator" aria-labelledby="mediator-title">
      {/* On top of the scrolling tab: who is signed in, lock, a visitor asking for help, and the tabs. */}
      <div className="mediator-top">
        <header className="mediator-header">
          <h1 id="mediator-title">{t('mediator.title')}</h1>
          {auth.mediator && <span>{t('mediator.signedInAs', { name: auth.mediator.name })}</span>}
          <button type="button" className="button" onClick={() => void lock()}>
            <Icon name="lock" />
            {t('mediator.lock')}
          </button>
        </header>
        <HelpBanner />
        <NoPrinterNotice tab={tab} />
        {tab !== 'audit' && <AuditReminder />}
        <nav aria-label={t('mediator.title')}>
          <ul className="tabs" role="list">
            {tabs.map(([name, label]) => (
              <li key={name}>
                <button
                  type="button"
                  className="button tab"
                  aria-current={tab === name ? 'page' : undefined}
                  onClick={() => go({ name: 'mediator', tab: name })}
                >
                  {t(label)}
                </button>
              </li>
            ))}
          </ul>
        </nav>
      </div>
      <section className="mediator-body">
        {tab === 'quick' && <QuickRecord />}
        {tab === 'today' && <TodayList />}
        {tab === 'grid' && <WeeklyGridScreen />}
        {tab === 'settings' && <SettingsScreen />}
        {tab === 'devices' && <DevicesTab />}
        {tab === 'appointments' && appointmentsOffered && <AppointmentsTab />}
        {tab === 'teleservice' && <TeleserviceLauncher />}
        {tab === 'audit' && <AuditTab />}
        {tab === 'incidents' && <IncidentsTab />}
        {tab === 'report' && <ReportTab />}
        {tab === 'evaluationSettings' && <EvaluationSettingsTab />}
      </section>
    </main>
  );
}
