// « Prendre rendez-vous »: offered where the visitor cannot talk to an agent now (visio closed, nobody answered).
import { useTranslation } from 'react-i18next';
import { Icon } from '../../ui/Icon.js';
import { useAppStore } from '../stores/appStore.js';
import { useAppointmentsStore } from '../stores/storesContext.js';
import './appointments.css';

/** `compact`: inside a card that already says why (the closed visio's), a normal-height button (still a 48 px target). */
export function BookAppointmentButton({ organisation, from = 'organisation', label, compact = false }: { organisation: string; from?: 'organisation' | 'mediator'; label?: string; compact?: boolean }) {
  const { t } = useTranslation();
  const go = useAppStore((s) => s.go);
  // A kiosk without a hub cannot book: nothing is offered rather than a button that can only fail.
  const available = useAppointmentsStore((s) => s.available);
  if (!available) return null;
  return (
    <button type="button" className={compact ? 'button button--primary book-appointment--compact' : 'button button--primary button--large'} data-testid="book-appointment" onClick={() => go({ name: 'appointment', organisation, from })}>
      <Icon name="calendar" />
      {label ?? t('appointments.take')}
    </button>
  );
}
