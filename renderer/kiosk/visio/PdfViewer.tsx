// Shows a PDF the agent sent, one page at a time fitted to its area (pdf.js canvases), with « page suivante » when it has
// several, and "print" wired by the lead through onPrintRequested.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CallIcon } from '../../call/CallScreenParts.js';
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
  const [page, setPage] = useState(1);
  const shown = Math.min(pages ?? 1, MAX_PAGES);

  // The pages arrive one by one: only the current one is drawn on screen.
  useEffect(() => {
    const target = holder.current;
    if (!target) return undefined;
    const show = () => {
      for (const canvas of target.querySelectorAll<HTMLCanvasElement>('canvas')) canvas.hidden = Number(canvas.dataset.page) !== page;
    };
    show();
    const added = new MutationObserver(show);
    added.observe(target, { childList: true });
    return () => added.disconnect();
  }, [page]);

  return (
    <section className="call__pdf" aria-labelledby="call-pdf-title">
      <div className="call__pdf-head">
        <h2 id="call-pdf-title">{t('call.pdf.title')}</h2>
        <p className="hint">{name}</p>
      </div>
      {failed && (
        <p role="alert" className="error">
          {t('call.pdf.unreadable')}
        </p>
      )}
      <div ref={holder} className="call__pdf-pages" data-pages={pages ?? undefined} data-page={page} role="region" aria-label={name} />
      <div className="call__bar">
        {shown > 1 && (
          <>
            <button type="button" className="button" disabled={page <= 1} onClick={() => setPage(page - 1)}>
              <CallIcon name="left" />
              {t('call.pdf.previous')}
            </button>
            <span className="call__pdf-count">{t('call.pdf.page', { page, total: pages ?? shown })}</span>
            <button type="button" className="button" disabled={page >= shown} onClick={() => setPage(page + 1)}>
              {t('call.pdf.next')}
              <CallIcon name="right" />
            </button>
          </>
        )}
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
