// « Révoquer » for one booth, asked twice: the question names the booth and says what follows, focus goes to the answer.
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BoothRow } from '../../../shared/fleet.js';
import { revokeBooth } from './boothsApi.js';

export function RevokeControl({ row, onRevoked, onSignedOut }: { row: Pick<BoothRow, 'id' | 'name'>; onRevoked: (name: string) => void; onSignedOut: () => void }) {
  const { t } = useTranslation();
  const [step, setStep] = useState<'idle' | 'confirming' | 'sending'>('idle');
  const [failed, setFailed] = useState(false);
  const confirm = useRef<HTMLButtonElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const wasConfirming = useRef(false);
  useEffect(() => {
    if (step === 'confirming') confirm.current?.focus();
    // Back from the question without revoking: focus returns where it was.
    else if (step === 'idle' && wasConfirming.current) opener.current?.focus();
    wasConfirming.current = step === 'confirming';
  }, [step]);

  const revoke = () => {
    setStep('sending');
    void revokeBooth(row.id).then((r) => {
      if (r.ok) return onRevoked(row.name);
      if (r.reason === 'signedOut') return onSignedOut();
      setFailed(true);
      setStep('confirming');
    });
  };

  if (step === 'idle') {
    return (
      <button ref={opener} type="button" className="button button--small" aria-label={t('coordinator.booths.revokeOf', { name: row.name })} onClick={() => setStep('confirming')}>
        {t('coordinator.booths.revoke')}
      </button>
    );
  }
  const questionId = `revoke-question-${row.id}`;
  return (
    <div role="group" className="booth-revoke" aria-labelledby={questionId} onKeyDown={(e) => e.key === 'Escape' && setStep('idle')}>
      <p id={questionId}>{t('coordinator.booths.revokeQuestion', { name: row.name })}</p>
      {failed && <p role="alert">{t('coordinator.booths.revokeFailed')}</p>}
      <button ref={confirm} type="button" className="button button--danger button--small" disabled={step === 'sending'} onClick={revoke}>
        {t('coordinator.booths.revokeConfirm')}
      </button>
      <button type="button" className="button button--small" disabled={step === 'sending'} onClick={() => setStep('idle')}>
        {t('coordinator.booths.revokeCancel')}
      </button>
    </div>
  );
}
