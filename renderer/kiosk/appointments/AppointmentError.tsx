// A booking's failure in French, named by its code (the hub's refusal or the booth's own: hub unreachable, no answer).
import { useTranslation } from 'react-i18next';
import type { AppointmentError as Failure } from './appointmentsStore.js';

export function AppointmentError({ error }: { error: Failure | { code: string } | null }) {
  const { t } = useTranslation();
  if (!error) return null;
  return (
    <p role="alert" className="error" data-code={error.code}>
      {t(`appointments.errors.${error.code}`, { defaultValue: t('appointments.errors.other') })}
    </p>
  );
}
