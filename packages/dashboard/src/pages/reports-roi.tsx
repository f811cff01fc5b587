import type { ReportPeriod, RoiReportDto } from '@leaddesk/shared';
import { useEffect, useState } from 'preact/hooks';
import { reportsApi } from '../api.js';
import { brand } from '../brand.js';
import { useLatestRequest } from '../latest-request.js';
import { Card, ErrorNote } from '../ui.js';
import { BarChart } from './bar-chart.js';
import { ExportCsvButton } from './report-csv-button.js';

const figure = (label: string, value: string, testId: string, hint?: string) => (
  <div class="rounded-lg bg-slate-50 p-3">
    <div class="text-xs text-slate-500">{label}</div>
    <div class="text-lg font-semibold" data-testid={testId}>
      {value}
    </div>
    {hint && <div class="text-xs text-slate-500">{hint}</div>}
  </div>
);

/**
 * The ROI report (docs/reports.md): what the product brought in the period —
 * leads whose first answer came from the AI, by outcome and value — against
 * the plan's cost for the period, with the AI spend beside it.
 */
export function RoiSection(props: { period: ReportPeriod; revision: number }) {
  const [data, setData] = useState<RoiReportDto | null>(null);
  const [error, setError] = useState<string | null>(null);
  const begin = useLatestRequest();
  useEffect(() => {
    setError(null);
    const isLatest = begin();
    reportsApi
      .roi(props.period)
      .then((r) => {
        if (isLatest()) setData(r);
      })
      .catch((e: Error) => {
        if (isLatest()) setError(e.message);
      });
  }, [props.period, props.revision]);
  if (error) return <ErrorNote error={error} />;
  if (!data) return null;
  const money = (v: number, currency = data.currency) =>
    new Intl.NumberFormat(undefined, { style: 'currency', currency, maximumFractionDigits: 0 }).format(v);
  const ai = data.aiSpend;
  return (
    <Card
      title={`Return on ${brand.productName}`}
      actions={<ExportCsvButton path={`/reports/roi.csv?period=${props.period}`} name="roi" />}
    >
      <div class="space-y-3" data-testid="roi">
        <p class="text-lg font-semibold" data-testid="roi-headline">
          {data.headline}
        </p>
        <div class="grid gap-2 md:grid-cols-4">
          {figure(
            'Qualified (first answered by the AI)',
            `${data.qualified} of ${data.allQualified}`,
            'roi-qualified',
            money(data.qualifiedValue),
          )}
          {figure('Booked', String(data.booked), 'roi-booked', money(data.bookedValue))}
          {figure('Won', String(data.won), 'roi-won', money(data.wonValue))}
          {figure(
            'Return on the plan',
            data.roi === null ? '—' : `${data.roi}×`,
            'roi-ratio',
            data.planMonthlyCost === null
              ? 'Set the plan cost below'
              : `Plan ${money(data.planCost)} for ${data.days} days`,
          )}
        </div>
        <p class="text-xs text-slate-500" data-testid="roi-ai-spend">
          AI spend: {new Intl.NumberFormat(undefined, { style: 'currency', currency: ai.currency }).format(ai.cost)} for{' '}
          {ai.tokens.toLocaleString()} tokens
          {ai.unpricedTokens > 0 &&
            ` · ${ai.unpricedTokens.toLocaleString()} tokens without a price (${ai.unpricedModels.join(', ')})`}
          {data.qualifiedWithoutValue > 0 && ` · ${data.qualifiedWithoutValue} qualified without a service value`}
        </p>
        <BarChart
          labels={data.byWeek.map((w) => w.weekStart.slice(5))}
          series={[
            {
              label: `Qualified value (${data.currency})`,
              color: '#10b981',
              data: data.byWeek.map((w) => w.qualifiedValue),
            },
          ]}
        />
      </div>
    </Card>
  );
}
