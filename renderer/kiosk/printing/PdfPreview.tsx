// A form's preview: the filled PDF page by page (ui/usePdfPages.ts).
import { useCallback, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { usePdfPages } from '../../ui/usePdfPages.js';

const MAX_PAGES = 10;

export function PdfPreview({ bytes, label }: { bytes: Uint8Array; label: string }) {
  const { t } = useTranslation();
  const holder = useRef<HTMLDivElement>(null);
  const pageLabel = useCallback((n: number, total: number) => t('pdf.page', { n, total }), [t]);
  const { failed } = usePdfPages(holder, bytes, { scale: 1.25, maxPages: MAX_PAGES, pageLabel });

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
