// "Imprimer la grille": the weekly grid as an A4 landscape PDF, sent to the site's printer.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useBridge } from '../../bridge/BridgeContext.js';
import { unwrap } from '../../bridge/index.js';
import { ErrorText } from '../ErrorText.js';
import { toUiError, type UiError } from '../stores/appStore.js';
import { PrintIcon } from './icons.js';
import { usePrintingStore } from './printingStore.js';

export function GridPrintButton({ week }: { week: string }) {
  const bridge = useBridge();
  const { t } = useTranslation();
  const [sent, setSent] = useState<number | null>(null);
  const [error, setError] = useState<UiError | null>(null);
  const track = usePrintingStore((s) => s.track);
  return (
    <>
      <button
        type="button"
        className="button"
        onClick={() => {
          setError(null);
          unwrap(bridge.grid.print({ week }))
            .then((job) => {
              track(job);
              setSent(job.id);
            })
            .catch((cause: unknown) => setError(toUiError(cause)));
        }}
      >
        <PrintIcon name="print" />
        {t('printing.printGrid')}
      </button>
      {sent !== null && (
        <p role="status" data-job={sent}>
          {t('printing.gridSent')}
        </p>
      )}
      <ErrorText error={error} />
    </>
  );
}
