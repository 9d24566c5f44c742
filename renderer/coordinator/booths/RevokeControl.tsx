// The question « Révoquer la borne … ? » for one booth, shown in its row once « Révoquer » is pressed: it names the booth
// and says what follows; focus goes to the answer, and Échap or « Annuler » closes it.
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BoothRow } from '../../../shared/fleet.js';
import { revokeBooth } from './boothsApi.js';

export interface RevokeQuestionProps {
  row: Pick<BoothRow, 'id' | 'name'>;
  onRevoked: (name: string) => void;
  onSignedOut: () => void;
  onCancel: (id: number) => void;
}

export function RevokeQuestion({ row, onRevoked, onSignedOut, onCancel }: RevokeQuestionProps) {
  const { t } = useTranslation();
  const [sending, setSending] = useState(false);
  const [failed, setFailed] = useState(false);
  const confirm = useRef<HTMLButtonElement>(null);
  useEffect(() => confirm.current?.focus(), []);

  const revoke = () => {
    setSending(true);
    void revokeBooth(row.id).then((r) => {
      if (r.ok) return onRevoked(row.name);
      if (r.reason === 'signedOut') return onSignedOut();
      setFailed(true);
      setSending(false);
    });
  };

  const questionId = `revoke-question-${row.id}`;
  return (
    <div role="group" className="booth-revoke" aria-labelledby={questionId} onKeyDown={(e) => e.key === 'Escape' && onCancel(row.id)}>
      <p id={questionId}>{t('coordinator.booths.revokeQuestion', { name: row.name })}</p>
      {failed && <p role="alert">{t('coordinator.booths.revokeFailed')}</p>}
      <button ref={confirm} type="button" className="button button--danger button--small" disabled={sending} onClick={revoke}>
        {t('coordinator.booths.revokeConfirm')}
      </button>
      <button type="button" className="button button--small" disabled={sending} onClick={() => onCancel(row.id)}>
        {t('coordinator.booths.revokeCancel')}
      </button>
    </div>
  );
}
