// The booking confirmed: organisation, day and time in words, what to bring, the slip to print (its job followed as every
// print: sent, waiting for the printer and why, printed, failed), and how to come back (the home's « Rejoindre »).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useBridge } from '../../bridge/BridgeContext.js';
import { unwrap } from '../../bridge/index.js';
import { formatTime, formatWeekdayDate } from '../../i18n/format.js';
import { ErrorText } from '../ErrorText.js';
import { JobProgress } from '../printing/PrintScreenParts.js';
import { usePrintingStore } from '../printing/printingStore.js';
import { toUiError, useAppStore, type UiError } from '../stores/appStore.js';
import type { AppointmentsState } from './appointmentsStore.js';

export function BookedStep({ organisationName, subjectLabel, booked }: { organisationName: string; subjectLabel: string; booked: NonNullable<AppointmentsState['booked']> }) {
  const { t, i18n } = useTranslation();
  const go = useAppStore((s) => s.go);
  const bridge = useBridge();
  const track = usePrintingStore((s) => s.track);
  const [jobId, setJobId] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<UiError | null>(null);
  const { appointment, bring } = booked;
  const at = appointment.startsAt;

  const print = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      const job = await unwrap(bridge.appointments.printSlip({ organisation: appointment.organisation, startsAt: at, subjectLabel, bring }));
      track(job);
      setJobId(job.id);
    } catch (cause) {
      setError(toUiError(cause));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="appointment__booked">
      <p role="status" className="lead" data-testid="appointment-booked">
        {t('appointments.done.when', { organisation: organisationName, day: formatWeekdayDate(at, i18n.language), time: formatTime(at, i18n.language) })}
      </p>
      {bring.length > 0 && (
        <>
          <h2>{t('appointments.done.bring')}</h2>
          <ul className="appointment__bring">
            {bring.map((item) => (
              <li key={item}>{item}</li>
            ))}
          </ul>
        </>
      )}
      <p>{t('appointments.done.comeBack')}</p>
      <div className="actions">
        <button type="button" className="button button--primary button--large" disabled={busy || jobId !== null} onClick={() => void print()}>
          {t('appointments.done.print')}
        </button>
        <button type="button" className="button button--large" onClick={() => go({ name: 'home' })}>
          {t('appointments.done.home')}
        </button>
      </div>
      <JobProgress jobId={jobId} />
      <ErrorText error={error} />
    </div>
  );
}
