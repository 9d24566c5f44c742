// « Ajouter une borne »: the coordinator names a site and its commune and gets the booth's one-time enrolment code, as
// text (the code, the hub's address, until when) and as a QR code; the booths still waiting can get a new code.
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { EnrolmentCreated, PendingEnrolments } from '../../../shared/enrolment.js';
import { formatDateTime } from '../../i18n/format.js';
import { createEnrolment, fetchPendingEnrolments, renewEnrolment } from './enrolmentApi.js';

export function EnrolBooth({ onCreated, onSignedOut }: { onCreated(): void; onSignedOut(): void }) {
  const { t, i18n } = useTranslation();
  const [name, setName] = useState('');
  const [commune, setCommune] = useState('');
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState<'failed' | 'renewFailed' | null>(null);
  const [shown, setShown] = useState<EnrolmentCreated | null>(null);
  const [pending, setPending] = useState<{ list: PendingEnrolments['pending']; at: number }>({ list: [], at: 0 });

  const loadPending = useCallback(() => {
    void fetchPendingEnrolments().then((r) => {
      if (r.ok) setPending({ list: r.value.pending, at: Date.now() });
    });
  }, []);
  useEffect(loadPending, [loadPending]);

  const show = (r: Awaited<ReturnType<typeof createEnrolment>>, failure: 'failed' | 'renewFailed') => {
    setBusy(false);
    if (!r.ok) {
      if (r.reason === 'signedOut') onSignedOut();
      else setFailed(failure);
      return;
    }
    setShown(r.value);
    loadPending();
    onCreated();
  };

  return (
    <section aria-labelledby="enrol-title" className="enrol">
      <h2 id="enrol-title">{t('enrolment.title')}</h2>
      <p>{t('enrolment.intro')}</p>
      <form
        className="coord-form"
        aria-busy={busy}
        onSubmit={(e) => {
          e.preventDefault();
          setBusy(true);
          setFailed(null);
          void createEnrolment(name, commune).then((r) => {
            show(r, 'failed');
            if (r.ok) {
              setName('');
              setCommune('');
            }
          });
        }}
      >
        <div className="coord-field">
          <label htmlFor="enrol-name">{t('enrolment.name')}</label>
          <input id="enrol-name" required maxLength={80} value={name} onChange={(e) => setName(e.target.value)} />
        </div>
        <div className="coord-field">
          <label htmlFor="enrol-commune">{t('enrolment.commune')}</label>
          <input id="enrol-commune" required maxLength={80} value={commune} onChange={(e) => setCommune(e.target.value)} />
        </div>
        <button type="submit" className="button" disabled={busy}>
          {t('enrolment.create')}
        </button>
      </form>
      {failed && <p role="alert">{t(`enrolment.${failed}`)}</p>}
      {shown && (
        <div className="enrol-code" role="status" data-testid="enrolment">
          <p>{t('enrolment.created', { name: shown.name, commune: shown.commune })}</p>
          <dl>
            <dt>{t('enrolment.codeLabel')}</dt>
            <dd className="enrol-code__code" data-testid="enrolment-code">
              {shown.code}
            </dd>
            <dt>{t('enrolment.hubLabel')}</dt>
            <dd data-testid="enrolment-hub">{shown.hubAddress}</dd>
          </dl>
          <p>{t('enrolment.validUntil', { date: formatDateTime(shown.expiresAt, i18n.language) })}</p>
          <img className="enrol-code__qr" src={shown.qrSvgDataUrl} width={200} height={200} alt={t('enrolment.qrAlt', { hub: shown.hubAddress, code: shown.code })} />
          <p>{t('enrolment.howTo')}</p>
        </div>
      )}
      {pending.list.length > 0 && (
        <>
          <h3>{t('enrolment.pendingTitle')}</h3>
          <ul className="enrol-pending">
            {pending.list.map((p) => (
              <li key={p.boothId}>
                {p.name} ({p.commune}) —{' '}
                {p.expiresAt > pending.at ? t('enrolment.pendingValid', { date: formatDateTime(p.expiresAt, i18n.language) }) : t('enrolment.pendingExpired')}{' '}
                <button
                  type="button"
                  className="button"
                  disabled={busy}
                  onClick={() => {
                    setBusy(true);
                    setFailed(null);
                    void renewEnrolment(p.boothId).then((r) => show(r, 'renewFailed'));
                  }}
                >
                  {t('enrolment.renew', { name: p.name })}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
