import type { ReportPeriod } from '@leaddesk/shared';

const PERIODS: Array<[ReportPeriod, string]> = [
  ['this_month', 'This month'],
  ['last_month', 'Last month'],
  ['last_7_days', 'Last 7 days'],
  ['last_30_days', 'Last 30 days'],
  ['last_90_days', 'Last 90 days'],
];

/** The named periods every report offers (docs/reports.md), as one select. */
export function ReportPeriodSelect(props: {
  value: ReportPeriod;
  onChange: (period: ReportPeriod) => void;
  label: string;
  class?: string;
}) {
  return (
    <select
      class={props.class ?? 'rounded-md px-2 py-1 text-sm ring-1 ring-slate-300'}
      value={props.value}
      aria-label={props.label}
      onChange={(e) => props.onChange(e.currentTarget.value as ReportPeriod)}
    >
      {PERIODS.map(([value, label]) => (
        <option key={value} value={value}>
          {label}
        </option>
      ))}
    </select>
  );
}
