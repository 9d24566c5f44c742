// Visio appointments per organisation — pris, honorés, non honorés, annulés — with their totals: the kiosk's month report
// and the coordinator's « Rendez-vous » view (beside ServiceCountTable, the services' grid).
import { APPOINTMENT_COUNT_KEYS, type AppointmentCounts } from '../../shared/appointmentCounts.js';

export interface AppointmentCountTableProps {
  className: string;
  caption: string;
  /** data-* attributes of the table (the month shown), read by tests and styles. */
  data?: Record<`data-${string}`, string>;
  rows: readonly { organisation: string; name: string; counts: AppointmentCounts }[];
  totals: AppointmentCounts;
  organisationLabel: string;
  totalLabel: string;
  /** The column's heading, from the caller's catalog. */
  columnLabel(key: keyof AppointmentCounts): string;
}

export function AppointmentCountTable({ className, caption, data = {}, rows, totals, organisationLabel, totalLabel, columnLabel }: AppointmentCountTableProps) {
  return (
    <table className={className} {...data}>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{organisationLabel}</th>
          {APPOINTMENT_COUNT_KEYS.map((k) => (
            <th scope="col" key={k}>
              {columnLabel(k)}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.organisation} data-org={r.organisation}>
            <th scope="row">{r.name}</th>
            {APPOINTMENT_COUNT_KEYS.map((k) => (
              <td key={k} data-count={k}>
                {r.counts[k]}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr data-org="total">
          <th scope="row">{totalLabel}</th>
          {APPOINTMENT_COUNT_KEYS.map((k) => (
            <td key={k} data-count={k}>
              {totals[k]}
            </td>
          ))}
        </tr>
      </tfoot>
    </table>
  );
}
