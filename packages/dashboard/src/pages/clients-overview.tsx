import type { OverviewDto, OverviewRow, OverviewSort, ReportPeriod } from '@leaddesk/shared';
import { useEffect, useState } from 'preact/hooks';
import { reportsApi } from '../api.js';
import { useLatestRequest } from '../latest-request.js';
import { Card, ErrorNote, inputClass } from '../ui.js';
import { ExportCsvButton } from './report-csv-button.js';
import { ReportPeriodSelect } from './report-period-select.js';

/** "7 s", "2 min 5 s", "1 h 3 min" as on the Reports tab (not imported from it: that would pull Chart.js in here). */
function duration(seconds: number | null): string {
  if (seconds === null) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}`;
  const m = Math.round(s / 60);
  return `${Math.floor(m / 60)} h${m % 60 ? ` ${m % 60} min` : ''}`;
}

const money = (v: number, currency: string) =>
  new Intl.NumberFormat(undefined, { style: 'currency', currency, maximumFractionDigits: 0 }).format(v);

/** The columns, each sortable on the server (`sort=`); the names are the API's sort keys. */
const COLUMNS: Array<{ key: OverviewSort; label: string; show: (r: OverviewRow) => string }> = [
  { key: 'name', label: 'Client', show: (r) => r.name },
  { key: 'leads', label: 'Leads', show: (r) => String(r.leads) },
  { key: 'hotLeads', label: 'Hot', show: (r) => String(r.hotLeads) },
  { key: 'qualified', label: 'Qualified', show: (r) => String(r.qualified) },
  { key: 'booked', label: 'Booked', show: (r) => String(r.booked) },
  { key: 'won', label: 'Won', show: (r) => String(r.won) },
  {
    key: 'averageFirstResponseSeconds',
    label: 'Avg first response',
    show: (r) => duration(r.averageFirstResponseSeconds),
  },
  { key: 'afterHoursInquiries', label: 'After hours', show: (r) => String(r.afterHoursInquiries) },
  { key: 'attributedValue', label: 'Attributed value', show: (r) => money(r.attributedValue, r.currency) },
  {
    key: 'aiSpend',
    label: 'AI spend',
    show: (r) =>
      `${new Intl.NumberFormat(undefined, { style: 'currency', currency: r.aiSpendCurrency }).format(r.aiSpend)}${r.unpricedTokens ? ' + unpriced' : ''}`,
  },
  { key: 'planCost', label: 'Plan cost', show: (r) => money(r.planCost, r.currency) },
  {
    key: 'budgetUsed',
    label: 'AI budget used',
    show: (r) => `${Math.round(r.budgetUsed * 100)}% of ${r.plan} (${r.tokensUsed.toLocaleString()} tokens)`,
  },
];

/**
 * Every client's reports side by side (docs/reports.md, agency overview), each
 * in its own time zone, sorted on the server by the column clicked (again: the
 * other way), with the same table as CSV: all clients for super admins
 * (`platform`), the agency's own for agency staff (`agency`, issue 18).
 */
export function AgencyOverview({ scope = 'platform' }: { scope?: 'platform' | 'agency' }) {
  const [period, setPeriod] = useState<ReportPeriod>('this_month');
  const [sort, setSort] = useState<OverviewSort>('name');
  const [order, setOrder] = useState<'asc' | 'desc'>('asc');
  const [data, setData] = useState<OverviewDto | null>(null);
  const [error, setError] = useState<string | null>(null);
  const begin = useLatestRequest();
  useEffect(() => {
    setError(null);
    const isLatest = begin();
    reportsApi
      .overview({ period, sort, order }, scope)
      .then((r) => {
        if (isLatest()) setData(r);
      })
      .catch((e: Error) => {
        if (isLatest()) setError(e.message);
      });
  }, [period, sort, order, scope]);
  const sortBy = (key: OverviewSort) => {
    if (key === sort) setOrder(order === 'asc' ? 'desc' : 'asc');
    else {
      setSort(key);
      setOrder(key === 'name' ? 'asc' : 'desc');
    }
  };
  return (
    <Card
      title="Agency overview"
      actions={
        <>
          <ReportPeriodSelect
            value={period}
            onChange={setPeriod}
            label="Overview period"
            class={`${inputClass} w-36`}
          />
          <ExportCsvButton
            path={`${scope === 'agency' ? '/agency/overview.csv' : '/admin/reports/overview.csv'}?period=${period}&sort=${sort}&order=${order}`}
            name="overview"
          />
        </>
      }
    >
      <ErrorNote error={error} />
      <div class="-m-4 overflow-x-auto">
        <table class="min-w-full text-sm" data-testid="agency-overview">
          <thead class="bg-slate-50 text-left text-xs text-slate-500">
            <tr>
              {COLUMNS.map((c) => (
                <th
                  key={c.key}
                  class="px-3 py-2"
                  aria-sort={c.key === sort ? (order === 'asc' ? 'ascending' : 'descending') : 'none'}
                >
                  <button type="button" class="font-medium hover:text-slate-800" onClick={() => sortBy(c.key)}>
                    {c.label}
                    {c.key === sort ? (order === 'asc' ? ' ▲' : ' ▼') : ''}
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody class="divide-y divide-slate-100">
            {data?.rows.map((r) => (
              <tr key={r.clientId} data-client={r.name} title={`${r.from} – ${r.to}, ${r.timezone}`}>
                {COLUMNS.map((c) => (
                  <td key={c.key} class={c.key === 'name' ? 'px-3 py-1.5 font-medium' : 'px-3 py-1.5 text-right'}>
                    {c.show(r)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Card>
  );
}
