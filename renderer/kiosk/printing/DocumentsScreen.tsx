// The catalogue of an organisation's leaflets and blank forms: one tap prints, with the number of copies.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DocumentSummary } from '../../../shared/contract/index.js';
import { useBridge } from '../../bridge/BridgeContext.js';
import { unwrap } from '../../bridge/index.js';
import { ErrorText } from '../ErrorText.js';
import { HelpButton } from '../HelpButton.js';
import { BarSlot } from '../../ui/KioskBar.js';
import { toUiError, useAppStore, type UiError } from '../stores/appStore.js';
import { CopiesStepper, JobProgress, PrintingNotice } from './PrintScreenParts.js';
import { PrintIcon } from './icons.js';
import { usePrintingStore } from './printingStore.js';

function DocumentCard({ doc }: { doc: DocumentSummary }) {
  const bridge = useBridge();
  const { t, i18n } = useTranslation();
  const [copies, setCopies] = useState(1);
  const [jobId, setJobId] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<UiError | null>(null);
  const track = usePrintingStore((s) => s.track);
  const en = i18n.language === 'en';
  const print = async () => {
    setBusy(true);
    setError(null);
    try {
      const job = await unwrap(bridge.documents.print({ id: doc.id, copies }));
      track(job);
      setJobId(job.id);
    } catch (cause) {
      setError(toUiError(cause));
    } finally {
      setBusy(false);
    }
  };
  return (
    <li className="print-card" data-doc={doc.id}>
      <h2>
        <PrintIcon name="document" /> {en && doc.titleEn ? doc.titleEn : doc.title}
      </h2>
      <p>
        <small>{t(`documents.kind.${doc.kind}`)}</small> — {en && doc.descriptionEn ? doc.descriptionEn : doc.description}
      </p>
      <div className="actions">
        <CopiesStepper id={`copies-${doc.id}`} value={copies} onChange={setCopies} />
        <button type="button" className="button button--primary" disabled={busy} onClick={() => void print()}>
          <PrintIcon name="print" />
          {t('printing.print')}
        </button>
      </div>
      <JobProgress jobId={jobId} />
      <ErrorText error={error} />
    </li>
  );
}

export function DocumentsScreen({ organisation }: { organisation: string }) {
  const bridge = useBridge();
  const { t } = useTranslation();
  const org = useAppStore((s) => s.organisations.find((o) => o.code === organisation));
  const go = useAppStore((s) => s.go);
  const [docs, setDocs] = useState<DocumentSummary[] | null>(null);
  const [error, setError] = useState<UiError | null>(null);
  useEffect(() => {
    unwrap(bridge.documents.list({ organisation }))
      .then(setDocs)
      .catch((cause: unknown) => setError(toUiError(cause)));
  }, [bridge, organisation]);
  return (
    <main className="screen screen--documents" aria-labelledby="documents-title">
      <BarSlot side="start">
        <button type="button" className="button button--back" onClick={() => go({ name: 'organisation', code: organisation })}>
          <PrintIcon name="back" />
          {t('forms.back')}
        </button>
      </BarSlot>
      <h1 id="documents-title">{t('documents.title', { org: org?.name ?? organisation })}</h1>
      <PrintingNotice />
      <ErrorText error={error} />
      {docs && docs.length === 0 && <p className="lead">{t('documents.none')}</p>}
      {docs && docs.length > 0 && (
        <ul className="print-list" role="list">
          {docs.map((d) => (
            <DocumentCard key={d.id} doc={d} />
          ))}
        </ul>
      )}
      <HelpButton screen={`documents:${organisation}`} />
    </main>
  );
}
