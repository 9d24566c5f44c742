// Shows a PDF the agent sent, page by page on canvases (pdf.js), with "print" wired by the lead through onPrintRequested.
import * as pdfjs from 'pdfjs-dist';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CallIcon } from '../../call/ui.js';

pdfjs.GlobalWorkerOptions.workerSrc = new URL('pdfjs-dist/build/pdf.worker.min.mjs', import.meta.url).toString();

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
  const [pages, setPages] = useState<number | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let cancelled = false;
    const target = holder.current;
    // pdf.js takes ownership of the buffer it is given: hand it a copy.
    const task = pdfjs.getDocument({ data: bytes.slice(), isEvalSupported: false });
    task.promise
      .then(async (doc) => {
        const count = Math.min(doc.numPages, MAX_PAGES);
        if (!cancelled) setPages(doc.numPages);
        for (let n = 1; n <= count && !cancelled; n++) {
          const page = await doc.getPage(n);
          const viewport = page.getViewport({ scale: 1.5 });
          const canvas = document.createElement('canvas');
          canvas.width = Math.floor(viewport.width);
          canvas.height = Math.floor(viewport.height);
          canvas.setAttribute('role', 'img');
          canvas.setAttribute('aria-label', t('call.pdf.page', { page: n, total: doc.numPages }));
          canvas.dataset.page = String(n);
          await page.render({ canvas, viewport }).promise;
          if (!cancelled) target?.appendChild(canvas);
        }
        if (!cancelled) target?.setAttribute('data-rendered', 'true');
      })
      .catch(() => {
        if (!cancelled) setFailed(true);
      });
    return () => {
      cancelled = true;
      void task.destroy();
      target?.replaceChildren();
      target?.removeAttribute('data-rendered');
    };
  }, [bytes, t]);

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
