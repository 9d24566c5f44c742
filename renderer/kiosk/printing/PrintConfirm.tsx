// A PDF sent by an agent during a call: the visitor confirms ("Voulez-vous imprimer ce document ?"), then it prints and
// is counted as `documents` for the organisation. Use: const confirm = usePrintConfirm(code); <VisioScreen
// onPrintRequested={confirm.request} />{confirm.dialog}
import { useCallback, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useBridge } from '../../bridge/BridgeContext.js';
import { unwrap } from '../../bridge/index.js';
import { ErrorText } from '../ErrorText.js';
import { toUiError, type UiError } from '../stores/appStore.js';
import { JobProgress } from './PrintScreenParts.js';
import { PrintIcon } from './icons.js';
import { usePrintingStore } from './printingStore.js';

const toBase64 = (bytes: Uint8Array): string => {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
};

export function usePrintConfirm(organisation: string): { request(pdf: Uint8Array, title: string): void; dialog: ReactNode } {
  const bridge = useBridge();
  const { t } = useTranslation();
  const [pending, setPending] = useState<{ pdf: Uint8Array; title: string } | null>(null);
  const [jobId, setJobId] = useState<number | null>(null);
  const [error, setError] = useState<UiError | null>(null);
  const track = usePrintingStore((s) => s.track);
  const request = useCallback((pdf: Uint8Array, title: string) => {
    setJobId(null);
    setError(null);
    setPending({ pdf, title });
  }, []);
  const confirm = async () => {
    if (!pending) return;
    try {
      const job = await unwrap(bridge.printing.printPdf({ title: pending.title.slice(0, 200) || 'Document', organisation, pdfBase64: toBase64(pending.pdf), copies: 1 }));
      track(job);
      setJobId(job.id);
    } catch (cause) {
      setError(toUiError(cause));
    }
  };
  const dialog = pending ? (
    <div className="print-dialog">
      <div role="dialog" aria-modal="true" aria-labelledby="print-confirm-title">
        <h2 id="print-confirm-title">
          <PrintIcon name="print" /> {t('printing.confirmTitle')}
        </h2>
        <p>{pending.title}</p>
        {jobId === null ? (
          <div className="actions">
            <button type="button" className="button button--primary" onClick={() => void confirm()}>
              <PrintIcon name="print" />
              {t('printing.confirmYes')}
            </button>
            <button type="button" className="button" onClick={() => setPending(null)}>
              {t('printing.confirmNo')}
            </button>
          </div>
        ) : (
          <>
            <JobProgress jobId={jobId} />
            <button type="button" className="button" onClick={() => setPending(null)}>
              OK
            </button>
          </>
        )}
        <ErrorText error={error} />
      </div>
    </div>
  ) : null;
  return { request, dialog };
}
