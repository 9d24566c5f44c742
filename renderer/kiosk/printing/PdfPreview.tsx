// A PDF shown page by page on canvases (pdf.js), for a form's preview. The worker is bundled by Vite.
import * as pdfjs from 'pdfjs-dist';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

pdfjs.GlobalWorkerOptions.workerSrc = new URL('pdfjs-dist/build/pdf.worker.min.mjs', import.meta.url).toString();

const MAX_PAGES = 10;

export function PdfPreview({ bytes, label }: { bytes: Uint8Array; label: string }) {
  const { t } = useTranslation();
  const holder = useRef<HTMLDivElement>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let cancelled = false;
    const target = holder.current;
    const task = pdfjs.getDocument({ data: bytes.slice(), isEvalSupported: false });
    task.promise
      .then(async (doc) => {
        for (let n = 1; n <= Math.min(doc.numPages, MAX_PAGES) && !cancelled; n++) {
          const page = await doc.getPage(n);
          const viewport = page.getViewport({ scale: 1.25 });
          const canvas = document.createElement('canvas');
          canvas.width = Math.floor(viewport.width);
          canvas.height = Math.floor(viewport.height);
          canvas.setAttribute('role', 'img');
          canvas.setAttribute('aria-label', t('pdf.page', { n, total: doc.numPages }));
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
    <div className="pdf-preview">
      {failed && (
        <p role="alert" className="error">
          {t('pdf.error')}
        </p>
      )}
      <div ref={holder} role="region" aria-label={label} tabIndex={0} data-testid="pdf-preview" />
    </div>
  );
}
