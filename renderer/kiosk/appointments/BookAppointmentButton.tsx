// « Prendre rendez-vous »: offered where the visitor cannot talk to an agent now (visio closed, nobody answered).
import { useTranslation } from 'react-i18next';
import { Icon } from '../../ui/Icon.js';
import { useAppStore } from '../stores/appStore.js';

export function BookAppointmentButton({ organisation, from = 'organisation', label }: { organisation: string; from?: 'organisation' | 'mediator'; label?: string }) {
  const { t } = useTranslation();
  const go = useAppStore((s) => s.go);
  return (
    <button type="button" className="button button--primary button--large" data-testid="book-appointment" onClick={() => go({ name: 'appointment', organisation, from })}>
      <Icon name="calendar" />
      {label ?? t('appointments.take')}
    </button>
  );
}
