// The guide beside the website: where the visitor is, what to do now, back / next, help, and what the site just did.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Icon } from '../../ui/Icon.js';
import { useAppStore } from '../stores/appStore.js';
import { useTeleserviceStore, type OpenSession } from './teleserviceStore.js';
import { TeleserviceError } from './TeleserviceError.js';

function PrintOffer() {
  const { t } = useTranslation();
  const print = useTeleserviceStore((s) => s.print);
  const printDownload = useTeleserviceStore((s) => s.printDownload);
  const dismissPrint = useTeleserviceStore((s) => s.dismissPrint);
  if (!print) return null;
  return (
    <section className="guide-box guide-box--print" aria-labelledby="print-title">
      <h3 id="print-title">
        <Icon name="download" />
        {t('teleservice.downloadReady')}
      </h3>
      {print.state === 'printing' && <p role="status">{t('teleservice.printing')}</p>}
      {print.state === 'sent' && <p role="status">{t('teleservice.printed')}</p>}
      {print.state === 'failed' && <TeleserviceError error={print.error} />}
      <div className="guide-actions">
        {(print.state === 'offered' || print.state === 'failed') && (
          <button type="button" className="button button--primary" onClick={() => void printDownload()}>
            {t('teleservice.print')}
          </button>
        )}
        <button type="button" className="button" onClick={dismissPrint} disabled={print.state === 'printing'}>
          {print.state === 'sent' ? t('teleservice.dismiss') : t('teleservice.noThanks')}
        </button>
      </div>
    </section>
  );
}

function SiteNotice() {
  const { t } = useTranslation();
  const blockedOrigin = useTeleserviceStore((s) => s.blockedOrigin);
  const notice = useTeleserviceStore((s) => s.notice);
  const dismiss = useTeleserviceStore((s) => s.dismissNotice);
  if (blockedOrigin === null && notice === null) return null;
  return (
    <div className="guide-box guide-box--warning" role="alert">
      {blockedOrigin !== null ? (
        <>
          <strong>{t('teleservice.blocked')}</strong>
          <p>{t('teleservice.blockedHint')}</p>
        </>
      ) : (
        notice && <p>{t(`teleservice.notices.${notice}`)}</p>
      )}
      <button type="button" className="button" onClick={dismiss}>
        {t('teleservice.dismiss')}
      </button>
    </div>
  );
}

function HelpRequest({ organisation }: { organisation: string }) {
  const { t } = useTranslation();
  const pending = useAppStore((s) => s.help.pending);
  const requestHelp = useAppStore((s) => s.requestHelp);
  if (pending) {
    return (
      <p className="guide-help guide-help--coming" role="status">
        <Icon name="person" />
        {t('teleservice.helpComing')}
      </p>
    );
  }
  return (
    <button type="button" className="button button--help guide-help" onClick={() => void requestHelp(`teleservice:${organisation}`).catch(() => undefined)}>
      <Icon name="hand" />
      {t('teleservice.needHelp')}
    </button>
  );
}

export function GuidePanel({ session }: { session: OpenSession }) {
  const { t } = useTranslation();
  const goToStep = useTeleserviceStore((s) => s.goToStep);
  const error = useTeleserviceStore((s) => s.error);
  const { guide, stepIndex } = session;
  const step = guide.steps[stepIndex];
  const total = guide.steps.length;
  const [stepsOpen, setStepsOpen] = useState(false);

  return (
    // data-fit-box: the panel must hold its content at every size (the shell tightens until it does).
    <aside className="guide-panel" aria-labelledby="guide-title" data-fit-box="">
      <h2 id="guide-title" className="visually-hidden">
        {t('teleservice.guide')}
      </h2>
      <p id="guide-progress" className="guide-progress">
        {t('teleservice.stepProgress', { current: stepIndex + 1, total })}
      </p>
      <progress className="guide-progressbar" max={total} value={stepIndex + 1} aria-labelledby="guide-progress" />
      <section className="guide-step" aria-live="polite" aria-labelledby="guide-step-title">
        <h3 id="guide-step-title">{step?.title}</h3>
        <p>{step?.text}</p>
      </section>
      <div className="guide-actions">
        <button type="button" className="button" disabled={stepIndex === 0} onClick={() => void goToStep(stepIndex - 1)}>
          <Icon name="left" />
          {t('teleservice.previous')}
        </button>
        <button type="button" className="button button--primary" disabled={stepIndex >= total - 1} onClick={() => void goToStep(stepIndex + 1)}>
          {t('teleservice.next')}
          <Icon name="right" />
        </button>
      </div>
      <SiteNotice />
      <PrintOffer />
      <TeleserviceError error={error} />
      <details className="guide-steps" onToggle={(e) => setStepsOpen(e.currentTarget.open)}>
        <summary>
          <span className="guide-steps__chevron">
            <Icon name="right" size={24} />
          </span>
          {stepsOpen ? t('teleservice.stepsListHide') : t('teleservice.stepsListShow')}
        </summary>
        <ol>
          {guide.steps.map((s, i) => (
            <li key={`${i}-${s.title}`} aria-current={i === stepIndex ? 'step' : undefined}>
              {s.title}
            </li>
          ))}
        </ol>
      </details>
      <HelpRequest organisation={guide.organisation} />
    </aside>
  );
}
