// Renders a PDF page by page onto canvases inside a holder element (pdf.js, worker bundled by Vite), for every PDF view.
import * as pdfjs from 'pdfjs-dist';
import { useEffect, useState, type RefObject } from 'react';

pdfjs.GlobalWorkerOptions.workerSrc = new URL('pdfjs-dist/build/pdf.worker.min.mjs', import.meta.url).toString();

export interface PdfPagesOptions {
  scale: number;
  maxPages: number;
  /** The accessible name of page n of total. */
  pageLabel(n: number, total: number): string;
}

/** Draws the pages into `holder`; returns the document's page count (null until read) and whether it could not be read. */
export function usePdfPages(holder: RefObject<HTMLElement | null>, bytes: Uint8Array, { scale, maxPages, pageLabel }: PdfPagesOptions): { pages: number | null; failed: boolean } {
  const [pages, setPages] = useState<number | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let cancelled = false;
    const target = holder.current;
    // pdf.js takes ownership of the buffer it is given: hand it a copy.
    const task = pdfjs.getDocument({ data: bytes.slice(), isEvalSupported: false });
    task.promise
      .then(async (doc) => {
        if (!cancelled) setPages(doc.numPages);
        for (let n = 1; n <= Math.min(doc.numPages, maxPages) && !cancelled; n++) {
          const page = await doc.getPage(n);
          const viewport = page.getViewport({ scale });
          const canvas = document.createElement('canvas');
          canvas.width = Math.floor(viewport.width);
          canvas.height = Math.floor(viewport.height);
          canvas.setAttribute('role', 'img');
          canvas.setAttribute('aria-label', pageLabel(n, doc.numPages));
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
  }, [holder, bytes, scale, maxPages, pageLabel]);

  return { pages, failed };
}
