import type { ConversionModelStatus, ReportPeriod, ResponseBucket, ScoringReportDto } from '@leaddesk/shared';
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { useLatestRequest } from '../latest-request.js';
import { Button, Card, ErrorNote } from '../ui.js';
import { BarChart } from './bar-chart.js';

const BUCKET_LABELS: Record<ResponseBucket, string> = {
  under_1_min: '< 1 min',
  '1_5_min': '1–5 min',
  '5_30_min': '5–30 min',
  '30_120_min': '30 min–2 h',
  '2_24_h': '2–24 h',
  over_24_h: '≥ 24 h',
  never: 'Not answered',
};

const percent = (v: number | null) => (v === null ? '—' : `${Math.round(v * 100)} %`);

/** The conversion model's status: fitted (with its calibration) or, clearly, the heuristic score. */
function ModelStatus(props: { model: ConversionModelStatus; canRefit: boolean; onRefit: () => Promise<void> }) {
  const m = props.model;
  const cal = m.calibration;
  return (
    <div class="space-y-2 text-sm" data-testid="model-status" data-source={m.source}>
      {m.source === 'model' && cal ? (
        <>
          <p class="font-medium">
            Conversion model fitted {m.fittedAt ? new Date(m.fittedAt).toLocaleString() : ''} on {m.trainingSize} closed
            leads ({m.won} won, {m.lost} lost).
          </p>
          <p class="text-slate-600" data-testid="model-calibration">
            Cross-validated ({cal.folds} folds): AUC {cal.auc === null ? '—' : cal.auc.toFixed(2)}, Brier score{' '}
            {cal.brier.toFixed(3)} (always guessing the won rate: {cal.baselineBrier.toFixed(3)}).
          </p>
          <table class="text-left text-xs">
            <thead class="text-slate-500">
              <tr>
                <th class="pr-4">Predicted</th>
                <th class="pr-4 text-right">Leads</th>
                <th class="pr-4 text-right">Mean predicted</th>
                <th class="text-right">Actually won</th>
              </tr>
            </thead>
            <tbody>
              {cal.bins.map((b) => (
                <tr key={b.from}>
                  <td class="pr-4">
                    {Math.round(b.from * 100)}–{Math.round(b.to * 100)} %
                  </td>
                  <td class="pr-4 text-right">{b.count}</td>
                  <td class="pr-4 text-right">{percent(b.meanPredicted)}</td>
                  <td class="text-right">{percent(b.observedRate)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : (
        <p>
          <span class="rounded bg-amber-100 px-1.5 py-0.5 font-medium text-amber-800">Heuristic</span> Lead pages show
          the lead score, not a fitted probability: {m.reason}
        </p>
      )}
      {props.canRefit && (
        <Button onClick={() => void props.onRefit()} data-testid="refit-model">
          Refit now
        </Button>
      )}
    </div>
  );
}

/**
 * Reports → Lead scoring: leads per week by temperature, the won rate of
 * closed leads by how fast they were first answered, and the tenant's
 * conversion model (or the "heuristic" label). Definitions: docs/reports.md.
 */
export function ScoringSection(props: { period: ReportPeriod; canEdit?: boolean }) {
  const [data, setData] = useState<ScoringReportDto | null>(null);
  const [error, setError] = useState<string | null>(null);
  const begin = useLatestRequest();
  useEffect(() => {
    setError(null);
    const isLatest = begin();
    api
      .reportScoring(props.period)
      .then((r) => {
        if (isLatest()) setData(r);
      })
      .catch((e: Error) => {
        if (isLatest()) setError(e.message);
      });
  }, [props.period]);
  const refit = async () => {
    setError(null);
    try {
      const model = await api.refitConversionModel();
      setData((d) => (d ? { ...d, model } : d));
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <div class="space-y-4" data-testid="scoring">
      <ErrorNote error={error} />
      {data && (
        <>
          <Card title="Lead scoring: new leads by week and temperature">
            <p class="mb-2 text-xs text-slate-500" data-testid="scoring-summary">
              {data.summary.leads} leads: {data.summary.hot} hot, {data.summary.warm} warm, {data.summary.cold} cold,{' '}
              {data.summary.unscored} unscored · {data.summary.qualified} qualified · {data.summary.won} won
            </p>
            <BarChart
              stacked
              labels={data.temperatureByWeek.map((w) => w.weekStart.slice(5))}
              series={[
                { label: 'Hot', color: '#e11d48', data: data.temperatureByWeek.map((w) => w.hot) },
                { label: 'Warm', color: '#f59e0b', data: data.temperatureByWeek.map((w) => w.warm) },
                { label: 'Cold', color: '#3b82f6', data: data.temperatureByWeek.map((w) => w.cold) },
                { label: 'Unscored', color: '#94a3b8', data: data.temperatureByWeek.map((w) => w.unscored) },
              ]}
            />
          </Card>
          <Card title="Won rate by first response time (closed leads)">
            <BarChart
              labels={data.responseEffect.map((b) => BUCKET_LABELS[b.bucket])}
              series={[
                {
                  label: 'Won %',
                  color: '#10b981',
                  data: data.responseEffect.map((b) => (b.wonRate === null ? 0 : Math.round(b.wonRate * 100))),
                },
              ]}
            />
            <table class="mt-2 w-full text-left text-sm" data-testid="response-effect">
              <thead class="text-xs text-slate-500">
                <tr>
                  <th class="px-2 py-1">First response</th>
                  <th class="px-2 py-1 text-right">Closed</th>
                  <th class="px-2 py-1 text-right">Won</th>
                  <th class="px-2 py-1 text-right">Won rate</th>
                </tr>
              </thead>
              <tbody>
                {data.responseEffect.map((b) => (
                  <tr key={b.bucket} data-bucket={b.bucket}>
                    <td class="px-2 py-1">{BUCKET_LABELS[b.bucket]}</td>
                    <td class="px-2 py-1 text-right">{b.closed}</td>
                    <td class="px-2 py-1 text-right">{b.won}</td>
                    <td class="px-2 py-1 text-right">{percent(b.wonRate)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Card>
          <Card title="Conversion probability">
            <ModelStatus model={data.model} canRefit={Boolean(props.canEdit)} onRefit={refit} />
          </Card>
        </>
      )}
    </div>
  );
}
