// Services rendered per organisation and type of service, with row and column totals: the weekly grid and the month report.
import { useTranslation } from 'react-i18next';
import type { ServiceType } from '../../shared/domain.js';

export interface ServiceCountTableProps {
  className: string;
  caption: string;
  /** data-* attributes of the table (the week or month shown), read by tests and styles. */
  data: Record<`data-${string}`, string>;
  services: readonly ServiceType[];
  rows: readonly { organisation: string; name: string; counts: Partial<Record<ServiceType, number>>; total: number }[];
  columnTotals: Partial<Record<ServiceType, number>>;
  total: number;
  organisationLabel: string;
  totalLabel: string;
}

export function ServiceCountTable({ className, caption, data, services, rows, columnTotals, total, organisationLabel, totalLabel }: ServiceCountTableProps) {
  const { t } = useTranslation();
  return (
    <table className={className} {...data}>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{organisationLabel}</th>
          {services.map((s) => (
            <th scope="col" key={s}>
              {t(`services.${s}`)}
            </th>
          ))}
          <th scope="col">{totalLabel}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.organisation} data-org={row.organisation}>
            <th scope="row">{row.name}</th>
            {services.map((s) => (
              <td key={s} data-service={s}>
                {row.counts[s] ?? 0}
              </td>
            ))}
            <td data-service="total">{row.total}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr data-org="total">
          <th scope="row">{totalLabel}</th>
          {services.map((s) => (
            <td key={s} data-service={s}>
              {columnTotals[s] ?? 0}
            </td>
          ))}
          <td data-service="total">{total}</td>
        </tr>
      </tfoot>
    </table>
  );
}
