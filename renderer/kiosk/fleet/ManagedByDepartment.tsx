// What the mediator sees of a department-managed setting: read-only, marked « Géré par le département », with the
// version and when it was applied (the settings screens show this instead of their form).
import { useTranslation } from 'react-i18next';
import type { FleetConfigState, Organisation } from '../../../shared/contract/index.js';
import { formatDateTime } from '../../../shared/format.js';

export function ManagedNote({ state, id }: { state: FleetConfigState; id?: string }) {
  const { t, i18n } = useTranslation();
  return (
    <p className="managed-note" role="note" {...(id ? { id } : {})}>
      <strong className="managed-badge">{t('fleetConfig.managed')}</strong>{' '}
      {state.version !== null && state.appliedAt !== null ? t('fleetConfig.managedSince', { version: state.version, date: formatDateTime(state.appliedAt, i18n.language) }) : null}{' '}
      {t('fleetConfig.managedHint')}
    </p>
  );
}

/** The organisations and their visio hours as the department set them, read-only. */
export function ManagedOrganisations({ organisations, state }: { organisations: readonly Organisation[]; state: FleetConfigState }) {
  const { t } = useTranslation();
  return (
    <div className="settings-block" data-testid="managed-organisations">
      <ManagedNote state={state} />
      <ul className="managed-organisations">
        {organisations.map((o) => (
          <li key={o.code}>
            <h4>{o.name}</h4>
            <p>{o.active ? t('fleetConfig.active') : t('fleetConfig.inactive')}</p>
            {o.correspondent && <p>{t('fleetConfig.correspondent', { name: o.correspondent })}</p>}
            <p>
              {o.openingHours.length === 0
                ? t('fleetConfig.noHours')
                : [...o.openingHours]
                    .sort((a, b) => a.weekday - b.weekday || a.from.localeCompare(b.from))
                    .map((s) => `${t(`weekdays.${s.weekday}`)} ${s.from}–${s.to}`)
                    .join(', ')}
            </p>
          </li>
        ))}
      </ul>
    </div>
  );
}
