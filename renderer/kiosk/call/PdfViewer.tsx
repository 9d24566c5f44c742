// Shows a PDF the agent sent, page by page on canvases (pdf.js), with "print" wired by the lead through onPrintRequested.
import { useCallback, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { CallIcon } from '../../call/ui.js';
import { usePdfPages } from '../../ui/usePdfPages.js';

const MAX_PAGES = 20;

export function PdfViewer({
  name,
  bytes,
  onClose,
  onPrintRequested,
}: {
  name: string;
  bytes: Uint8Array;
  onClose(): void;
  onPrintRequested?: (pdfBytes: Uint8Array, title: string) => void;
}) {
  const { t } = useTranslation();
  const holder = useRef<HTMLDivElement>(null);
  const pageLabel = useCallback((page: number, total: number) => t('call.pdf.page', { page, total }), [t]);
  const { pages, failed } = usePdfPages(holder, bytes, { scale: 1.5, maxPages: MAX_PAGES, pageLabel });

  return (
    <section className="call__pdf" aria-labelledby="call-pdf-title">
      <h2 id="call-pdf-title">{t('call.pdf.title')}</h2>
      <p>{name}</p>
      {failed && (
        <p role="alert" className="error">
          {t('call.pdf.unreadable')}
        </p>
      )}
      <div ref={holder} className="call__pdf-pages" data-pages={pages ?? undefined} role="region" aria-label={name} tabIndex={0} />
      <div className="call__bar">
        {onPrintRequested && (
          <button type="button" className="button button--primary" onClick={() => onPrintRequested(bytes, name)}>
            <CallIcon name="print" />
            {t('call.pdf.print')}
          </button>
        )}
        <button type="button" className="button" onClick={onClose}>
          <CallIcon name="close" />
          {t('call.pdf.close')}
        </button>
      </div>
    </section>
  );
}
