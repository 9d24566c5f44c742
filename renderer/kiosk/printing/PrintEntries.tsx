// The visitor's two entries on an organisation's page: forms to fill in, documents to print (when it has any).
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useBridge } from '../../bridge/BridgeContext.js';
import { unwrap } from '../../bridge/index.js';
import { useAppStore } from '../stores/appStore.js';
import { PrintIcon } from './icons.js';
import './printing.css';

export function PrintEntries({ organisation }: { organisation: string }) {
  const bridge = useBridge();
  const { t } = useTranslation();
  const go = useAppStore((s) => s.go);
  const [counts, setCounts] = useState<{ forms: number; documents: number } | null>(null);
  useEffect(() => {
    Promise.all([unwrap(bridge.forms.list({ organisation })), unwrap(bridge.documents.list({ organisation }))])
      .then(([forms, documents]) => setCounts({ forms: forms.length, documents: documents.length }))
      .catch(() => setCounts(null));
  }, [bridge, organisation]);
  if (!counts || (counts.forms === 0 && counts.documents === 0)) return null;
  return (
    <div className="print-entries">
      {counts.forms > 0 && (
        <button type="button" className="button print-entry" onClick={() => go({ name: 'forms', organisation })}>
          <PrintIcon name="form" size={40} />
          <span>
            {t('forms.entry')}
            <small>{t('forms.entryHint')}</small>
          </span>
        </button>
      )}
      {counts.documents > 0 && (
        <button type="button" className="button print-entry" onClick={() => go({ name: 'documents', organisation })}>
          <PrintIcon name="document" size={40} />
          <span>
            {t('documents.entry')}
            <small>{t('documents.entryHint')}</small>
          </span>
        </button>
      )}
    </div>
  );
}
