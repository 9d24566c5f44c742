// The printer part of the devices tab: its state in plain French, a test page, the printer choice, and its queue.
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PrinterSummary, PrintJob } from '../../../shared/contract/index.js';
import { useBridge } from '../../bridge/BridgeContext.js';
import { unwrap } from '../../bridge/index.js';
import { ErrorText } from '../ErrorText.js';
import { toUiError, type UiError } from '../stores/appStore.js';
import { usePrinterState } from './PrintScreenParts.js';
import { PrintIcon } from './icons.js';
import { PrintQueue } from './PrintQueue.js';
import { usePrintingStore } from './printingStore.js';

export function PrinterPanel() {
  const { t } = useTranslation();
  const state = usePrinterState();
  const eventJobs = usePrintingStore((s) => s.jobs);
  const [jobs, setJobs] = useState<PrintJob[]>([]);
  const [printers, setPrinters] = useState<PrinterSummary[] | null>(null);
  const [error, setError] = useState<UiError | null>(null);
  const relais = useBridge();

  const loadJobs = useCallback(() => {
    unwrap(relais.printing.jobs({}))
      .then(setJobs)
      .catch((cause: unknown) => setError(toUiError(cause)));
  }, [relais]);
  useEffect(() => loadJobs(), [loadJobs, eventJobs]);

  const act = (p: Promise<unknown>) => {
    setError(null);
    p.then(loadJobs).catch((cause: unknown) => setError(toUiError(cause)));
  };

  return (
    <section aria-labelledby="printer-title" data-testid="printer-panel">
      <h2 id="printer-title">
        <PrintIcon name="print" /> {t('printing.printerTitle')}
      </h2>
      <p>
        {state?.printer ? t('printing.printer', { name: state.printer }) : t('printing.noPrinter')}
        {state && ` — ${t(`printing.status.${state.status}`)}`}
      </p>
      <div role="status" aria-live="polite" data-testid="printer-reasons" data-reasons={state?.reasons.join(' ') ?? ''}>
        {state && state.reasons.length === 0 && <p>{t('printing.ready')}</p>}
        {state && state.reasons.length > 0 && (
          <ul className="printer-reasons">
            {state.reasons.map((r) => (
              <li key={r}>
                <PrintIcon name="warning" size={20} /> {t(`printing.reasons.${r}.mediator`)}
              </li>
            ))}
          </ul>
        )}
        {state?.message && <p><small>{t('printing.details', { message: state.message })}</small></p>}
      </div>
      <div className="actions">
        <button type="button" className="button" onClick={() => act(unwrap(relais.printing.testPage({})))}>
          <PrintIcon name="print" />
          {t('printing.testPage')}
        </button>
        <button type="button" className="button" onClick={() => act(unwrap(relais.printing.printers({})).then(setPrinters))}>
          {t('printing.choosePrinter')}
        </button>
      </div>
      {printers && (
        <ul className="print-list" role="list" aria-label={t('printing.choosePrinter')}>
          {printers.map((p) => (
            <li key={p.name}>
              <button
                type="button"
                className="button"
                aria-current={p.name === state?.printer ? 'true' : undefined}
                onClick={() => act(unwrap(relais.printing.selectPrinter({ name: p.name })).then(() => setPrinters(null)))}
              >
                {t('printing.choose')} : {p.name} {p.info ? `(${p.info})` : ''} — {t(`printing.status.${p.status}`)}
              </button>
            </li>
          ))}
        </ul>
      )}
      <ErrorText error={error} />
      <PrintQueue jobs={jobs} onRetry={(id) => act(unwrap(relais.printing.retry({ id })))} onCancel={(id) => act(unwrap(relais.printing.cancel({ id })))} />
    </section>
  );
}

