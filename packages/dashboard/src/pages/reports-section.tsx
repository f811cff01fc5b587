import type { ReportPeriod, ReportsDto, ResponseMetricReport, ResponseStat } from '@leaddesk/shared';
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { useLatestRequest } from '../latest-request.js';
import { Card, ErrorNote } from '../ui.js';
import { BarChart } from './bar-chart.js';
import { ExportCsvButton } from './report-csv-button.js';
import { ReportPeriodSelect } from './report-period-select.js';
import { MonthlyEmailSettings } from './reports-monthly-email.js';
import { RoiSection } from './reports-roi.js';
import { ScoringSection } from './reports-scoring.js';
import { ReportTargets } from './reports-targets.js';

const METRIC_LABELS: Record<ResponseMetricReport['metric'], string> = {
  first_response: 'First response (AI or staff)',
  first_response_ai: 'First response by the AI',
  first_response_human: 'First response by staff',
  takeover: 'Takeover after an escalation',
  staff_reply: 'Staff reply',
};

/** "7 s", "2 min 5 s", "1 h 3 min"; "—" without samples. */
export function duration(seconds: number | null): string {
  if (seconds === null) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}`;
  const m = Math.round(s / 60);
  return `${Math.floor(m / 60)} h${m % 60 ? ` ${m % 60} min` : ''}`;
}

const pair = (s: ResponseStat) => (s.count ? `${duration(s.p50Seconds)} / ${duration(s.p90Seconds)}` : '—');

/**
 * Issue 17's reports: the two headlines, the SLA table (p50 / p90 by channel,
 * in and out of business hours, against the tenant's targets) and after-hours
 * inquiries by week. Every figure is defined in docs/reports.md.
 */
export function ReportsSection(props: { canEdit?: boolean } = {}) {
  const [period, setPeriod] = useState<ReportPeriod>('this_month');
  const [data, setData] = useState<ReportsDto | null>(null);
  const [error, setError] = useState<string | null>(null);
  // Bumped after the targets are saved: the report is read again against them.
  const [revision, setRevision] = useState(0);
  const begin = useLatestRequest();
  useEffect(() => {
    setError(null);
    const isLatest = begin();
    api
      .reports(period)
      .then((r) => {
        if (isLatest()) setData(r);
      })
      .catch((e: Error) => {
        if (isLatest()) setError(e.message);
      });
  }, [period, revision]);
  const money = (v: number) =>
    new Intl.NumberFormat(undefined, {
      style: 'currency',
      currency: data?.missedRevenue.currency ?? 'EUR',
      maximumFractionDigits: 0,
    }).format(v);
  return (
    <div class="space-y-4 p-4 md:p-6" data-testid="reports">
      <div class="flex items-center gap-2">
        <h1 class="mr-auto text-xl font-semibold">Reports</h1>
        <ReportPeriodSelect value={period} onChange={setPeriod} label="Report period" />
      </div>
      <ErrorNote error={error} />
      {data && (
        <>
          <p class="text-xs text-slate-500">
            {data.from} – {data.to}, {data.timezone}
          </p>
          <div class="grid gap-3 md:grid-cols-2">
            <div class="rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-200">
              <div class="text-xs font-medium text-slate-500">Response time</div>
              <div class="mt-1 text-2xl font-semibold" data-testid="sla-headline">
                {data.responseTimes.headline}
              </div>
            </div>
            <div class="rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-200">
              <div class="text-xs font-medium text-slate-500">Missed revenue the AI caught</div>
              <div class="mt-1 text-lg font-semibold" data-testid="missed-revenue-headline">
                {data.missedRevenue.headline}
              </div>
              <div class="mt-1 text-xs text-slate-500">
                {data.missedRevenue.booked} booked ({money(data.missedRevenue.bookedValue)}), {data.missedRevenue.won}{' '}
                won ({money(data.missedRevenue.wonValue)})
                {data.missedRevenue.qualifiedWithoutValue > 0 &&
                  ` · ${data.missedRevenue.qualifiedWithoutValue} qualified without a service value`}
              </div>
            </div>
          </div>
          <Card
            title="Response times against target (p50 / p90)"
            actions={<ExportCsvButton path={`/reports/response-times.csv?period=${period}`} name="response-times" />}
          >
            <div class="overflow-x-auto">
              <table class="w-full text-left text-sm" data-testid="sla-table">
                <thead class="text-xs text-slate-500">
                  <tr>
                    <th class="px-3 py-2">Figure</th>
                    <th class="px-3 py-2">Channel</th>
                    <th class="px-3 py-2 text-right">Count</th>
                    <th class="px-3 py-2 text-right">Average</th>
                    <th class="px-3 py-2 text-right">All</th>
                    <th class="px-3 py-2 text-right">In hours</th>
                    <th class="px-3 py-2 text-right">Out of hours</th>
                    <th class="px-3 py-2 text-right">Target</th>
                    <th class="px-3 py-2">p90 on target</th>
                  </tr>
                </thead>
                <tbody>
                  {data.responseTimes.metrics.flatMap((m) =>
                    [{ channel: 'all', ...m }, ...m.byChannel].map((row, i) => (
                      <tr
                        key={`${m.metric}-${row.channel}`}
                        class={i === 0 ? 'border-t border-slate-200 font-medium' : 'text-slate-600'}
                        data-metric={m.metric}
                        data-channel={row.channel}
                      >
                        <td class="px-3 py-1.5">{i === 0 ? METRIC_LABELS[m.metric] : ''}</td>
                        <td class="px-3 py-1.5">{row.channel === 'all' ? 'All channels' : row.channel}</td>
                        <td class="px-3 py-1.5 text-right">{row.all.count}</td>
                        <td class="px-3 py-1.5 text-right">{duration(row.all.averageSeconds)}</td>
                        <td class="px-3 py-1.5 text-right">{pair(row.all)}</td>
                        <td class="px-3 py-1.5 text-right">{pair(row.inHours)}</td>
                        <td class="px-3 py-1.5 text-right">{pair(row.outOfHours)}</td>
                        <td class="px-3 py-1.5 text-right">{duration(m.targetSeconds)}</td>
                        <td class="px-3 py-1.5">
                          {row.meetsTarget === null ? '—' : row.meetsTarget ? '✓ met' : '✗ missed'}
                        </td>
                      </tr>
                    )),
                  )}
                </tbody>
              </table>
            </div>
          </Card>
          <Card
            title="After-hours inquiries by week"
            actions={<ExportCsvButton path={`/reports/missed-revenue.csv?period=${period}`} name="missed-revenue" />}
          >
            <BarChart
              labels={data.missedRevenue.byWeek.map((w) => w.weekStart.slice(5))}
              series={[
                { label: 'Inquiries', color: '#6366f1', data: data.missedRevenue.byWeek.map((w) => w.inquiries) },
                { label: 'Qualified', color: '#10b981', data: data.missedRevenue.byWeek.map((w) => w.qualified) },
                { label: 'Booked', color: '#f59e0b', data: data.missedRevenue.byWeek.map((w) => w.booked) },
                { label: 'Won', color: '#e11d48', data: data.missedRevenue.byWeek.map((w) => w.won) },
              ]}
            />
          </Card>
        </>
      )}
      <RoiSection period={period} revision={revision} />
      <ScoringSection period={period} canEdit={props.canEdit} />
      {props.canEdit && <ReportTargets onSaved={() => setRevision((r) => r + 1)} />}
      {props.canEdit && <MonthlyEmailSettings />}
    </div>
  );
}
