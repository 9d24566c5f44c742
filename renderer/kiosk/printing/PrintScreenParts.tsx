// Small parts shared by the printing screens: the visitor's printer notice, the copies stepper, and a job's progress.
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { PrintJob } from '../../../shared/contract/index.js';
import { MediatorAlerted } from '../HelpButton.js';
import { PrintIcon } from './icons.js';
import { usePrintingStore, visitorSentenceKey } from './printingStore.js';
import './printing.css';

/** The printer state, kept current (starts listening to the printing events on first use). */
export function usePrinterState() {
  const ensureStarted = usePrintingStore((s) => s.ensureStarted);
  useEffect(() => ensureStarted(), [ensureStarted]);
  return usePrintingStore((s) => s.state);
}

/**
 * One simple sentence for the visitor when printing is not possible now; nothing when it is. On a screen where the
 * visitor came to print, the mediator is called with the reason and the visitor told so; on the home, the visitor is
 * told what to do instead — and a site where no printer was ever chosen says nothing to visitors (the mediator's space
 * says it).
 */
export function PrintingNotice({ onHome = false }: { onHome?: boolean }) {
  const { t } = useTranslation();
  const state = usePrinterState();
  if (!state || !state.blocked) return null;
  if (onHome && state.reasons.includes('no-printer')) return null;
  return (
    <>
      <p className="printing-notice" role="status" data-testid="printing-notice">
        <PrintIcon name="warning" size={22} />
        {onHome ? `${t(visitorSentenceKey(state.reasons))} ${t('help.printElsewhere')}` : t(visitorSentenceKey(state.reasons))}
      </p>
      {!onHome && <MediatorAlerted place="print" />}
    </>
  );
}

export function CopiesStepper({ value, onChange, id }: { value: number; onChange(v: number): void; id: string }) {
  const { t } = useTranslation();
  return (
    <div className="copies" role="group" aria-labelledby={`${id}-label`}>
      <span id={`${id}-label`}>{t('printing.copies')}</span>
      <button type="button" className="button button--square" aria-label={t('printing.less')} disabled={value <= 1} onClick={() => onChange(Math.max(1, value - 1))}>
        <PrintIcon name="minus" />
      </button>
      <output aria-live="polite" data-testid={`${id}-value`}>
        {value}
      </output>
      <button type="button" className="button button--square" aria-label={t('printing.more')} disabled={value >= 9} onClick={() => onChange(Math.min(9, value + 1))}>
        <PrintIcon name="plus" />
      </button>
    </div>
  );
}

/** What happens to a job the visitor sent: sent, waiting for the printer (and why), printed, or failed. */
export function JobProgress({ jobId }: { jobId: number | null }) {
  const { t } = useTranslation();
  const job = usePrintingStore((s) => (jobId === null ? undefined : s.jobs[jobId]));
  const state = usePrinterState();
  if (jobId === null || !job) return null;
  return (
    <>
      <p role="status" className="lead" data-testid="job-progress" data-state={job.state}>
        {jobSentence(job, state?.blocked ? visitorSentenceKey(state.reasons) : null, t)}
      </p>
      {FAILED.has(job.state) && <MediatorAlerted place="print" />}
    </>
  );
}

const FAILED: ReadonlySet<PrintJob['state']> = new Set(['failed', 'aborted', 'canceled']);

function jobSentence(job: PrintJob, blockedKey: string | null, t: (key: string) => string): string {
  if (job.state === 'completed') return t('printing.printed');
  if (FAILED.has(job.state)) return t('printing.failed');
  if (blockedKey || job.state === 'waiting' || job.state === 'stopped') return `${blockedKey ? t(blockedKey) : ''} ${t('printing.waitingFault')}`.trim();
  return t('printing.printing');
}

export const base64ToBytes = (b64: string): Uint8Array => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
