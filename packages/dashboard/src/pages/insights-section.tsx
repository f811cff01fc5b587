import type { ReportInsightsDto, ReportPeriod } from '@leaddesk/shared';
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { downloadFile } from '../download.js';
import { useLatestRequest } from '../latest-request.js';
import { Card, ErrorNote } from '../ui.js';
import { BarChart } from './bar-chart.js';
import { ReportPeriodSelect } from './report-period-select.js';

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const HOURS = Array.from({ length: 24 }, (_, h) => h);

/** "30 %"; "—" when there is nothing to divide by. */
const pct = (rate: number | null | undefined) =>
  rate === null || rate === undefined ? '—' : `${Math.round(rate * 100)} %`;

/**
 * Analytics → Insights (`GET /reports/insights`): the best channel, the most
 * common questions, the booking heat map, the funnel with the intake
 * questions leads stop at, follow-up steps and the A/B prompt variants.
 * Every figure is defined in docs/reports.md ("Insights").
 */
export function InsightsSection() {
  const [period, setPeriod] = useState<ReportPeriod>('this_month');
  const [data, setData] = useState<ReportInsightsDto | null>(null);
  const [error, setError] = useState<string | null>(null);
  const begin = useLatestRequest();
  useEffect(() => {
    setError(null);
    const isLatest = begin();
    api
      .insights(period)
      .then((r) => {
        if (isLatest()) setData(r);
      })
      .catch((e: Error) => {
        if (isLatest()) setError(e.message);
      });
  }, [period]);
  return (
    <div class="space-y-4 p-4 md:p-6" data-testid="insights">
      <div class="flex items-center gap-2">
        <h1 class="mr-auto text-xl font-semibold">Insights</h1>
        <ReportPeriodSelect value={period} onChange={setPeriod} label="Insights period" />
        <button
          type="button"
          class="rounded-md px-3 py-1 text-sm ring-1 ring-slate-300 hover:bg-slate-50"
          onClick={() =>
            downloadFile(`/reports/insights.csv?period=${period}`).catch((e: Error) => setError(e.message))
          }
        >
          Download CSV
        </button>
      </div>
      <ErrorNote error={error} />
      {data && <Insights data={data} />}
    </div>
  );
}

function Insights({ data }: { data: ReportInsightsDto }) {
  const channels = data.channels.byChannel;
  return (
    <>
      <p class="text-xs text-slate-500">
        {data.from} – {data.to}, {data.timezone}
      </p>
      <div class="grid gap-4 lg:grid-cols-2">
        <Card title="Best channel">
          <div class="p-4">
            <div class="text-lg font-semibold" data-testid="best-channel">
              {data.channels.best ?? 'Not enough leads yet'}
            </div>
            <div class="text-xs text-slate-500">{data.channels.reason}</div>
            <BarChart
              labels={channels.map((c) => `${c.channel} (${c.leads})`)}
              series={[
                { label: 'Qualified %', color: '#10b981', data: channels.map((c) => pctNumber(c.qualificationRate)) },
                { label: 'Booked %', color: '#f59e0b', data: channels.map((c) => pctNumber(c.bookingRate)) },
              ]}
            />
          </div>
        </Card>
        <Card title="Funnel">
          <div class="p-4">
            <BarChart
              labels={data.funnel.steps.map((s) => s.step)}
              series={[{ label: 'Leads', color: '#6366f1', data: data.funnel.steps.map((s) => s.count) }]}
            />
            <table class="mt-2 w-full text-sm" data-testid="funnel-table">
              <tbody>
                {data.funnel.steps.map((s) => (
                  <tr key={s.step} data-step={s.step}>
                    <td class="py-0.5">{s.step}</td>
                    <td class="py-0.5 text-right">{s.count}</td>
                    <td class="py-0.5 text-right text-slate-500">
                      {s.step === 'new' ? '' : `−${s.dropOff} (${pct(s.dropOffRate)})`}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </Card>
      </div>
      <Card title="When visitors want appointments (requests by local day and hour)">
        <HeatMap cells={data.bookingHeatMap.cells} />
      </Card>
      <div class="grid gap-4 lg:grid-cols-2">
        <Card title="Most common questions">
          <Table
            testId="question-clusters"
            head={['Question', 'Asked', 'Languages', 'Knowledge base']}
            rows={data.questions.clusters.map((c) => [
              c.representative,
              c.count,
              c.languages.join(', '),
              c.answered ? 'answered' : `${c.unanswered} unanswered`,
            ])}
          />
          <p class="px-4 pb-3 text-xs text-slate-500">
            {data.questions.questions} questions in {data.questions.messagesRead} visitor messages
            {data.questions.sampled ? ' (some rarely asked wordings counted, not grouped)' : ''};{' '}
            {data.questions.method === 'embeddings'
              ? 'grouped by meaning, across languages.'
              : 'grouped by their words, so one question in two languages shows twice.'}
          </p>
        </Card>
        <Card title="Where leads stop answering">
          <Table
            testId="intake-stops"
            head={['Intake question', 'Asked', 'Answered', 'Stopped here']}
            rows={data.funnel.intake.questions.map((q) => [q.question, q.asked, q.answered, q.stoppedHere])}
          />
        </Card>
        <Card title="Follow-up steps">
          <Table
            testId="follow-up-steps"
            head={['Step', 'Sent', 'Replies', 'Bookings']}
            rows={data.followUps.map((f) => [
              `${f.sequence} · ${f.step}`,
              f.sent,
              `${f.replies} (${pct(f.replyRate)})`,
              `${f.bookings} (${pct(f.bookingRate)})`,
            ])}
          />
        </Card>
        <Card title="Prompt variants (95 % intervals)">
          <Table
            testId="prompt-variants"
            head={['Variant', 'Conversations', 'Qualified', 'Hot leads']}
            rows={data.promptVariants.variants.map((v) => [
              v.variant,
              v.conversations,
              interval(v.qualificationRate),
              interval(v.hotLeadRate),
            ])}
          />
        </Card>
      </div>
    </>
  );
}

const pctNumber = (rate: number | null) => Math.round((rate ?? 0) * 1000) / 10;
const interval = (r: { rate: number; low: number; high: number } | null) =>
  r ? `${pct(r.rate)} (${pct(r.low)}–${pct(r.high)})` : '—';

function Table(props: { testId: string; head: string[]; rows: Array<Array<string | number>> }) {
  if (props.rows.length === 0) return <p class="p-4 text-sm text-slate-500">Nothing in this period.</p>;
  return (
    <table class="w-full text-left text-sm" data-testid={props.testId}>
      <thead class="text-xs text-slate-500">
        <tr>
          {props.head.map((h, i) => (
            <th key={h} class={`px-4 py-2 ${i > 0 ? 'text-right' : ''}`}>
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {props.rows.map((row, r) => (
          <tr key={r} class="border-t border-slate-100">
            {row.map((cell, i) => (
              <td key={i} class={`px-4 py-1.5 ${i > 0 ? 'text-right' : ''}`}>
                {cell}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A weekday × hour grid, each cell as dark as its share of the busiest cell's requests. */
function HeatMap({ cells }: { cells: ReportInsightsDto['bookingHeatMap']['cells'] }) {
  const byKey = new Map(cells.map((c) => [`${c.weekday}-${c.hour}`, c]));
  const max = Math.max(1, ...cells.map((c) => c.requested));
  return (
    <div class="overflow-x-auto p-4">
      <table class="border-separate border-spacing-0.5 text-[10px]" data-testid="booking-heatmap">
        <thead>
          <tr>
            <th />
            {HOURS.map((h) => (
              <th key={h} class="w-6 font-normal text-slate-400">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {WEEKDAYS.map((day, d) => (
            <tr key={day}>
              <th class="pr-1 text-right font-normal text-slate-500">{day}</th>
              {HOURS.map((h) => {
                const cell = byKey.get(`${d + 1}-${h}`);
                const requested = cell?.requested ?? 0;
                return (
                  <td
                    key={h}
                    class="h-5 w-6 rounded-sm text-center"
                    data-weekday={d + 1}
                    data-hour={h}
                    data-requested={requested}
                    title={`${day} ${String(h).padStart(2, '0')}:00 — ${requested} requested, ${cell?.booked ?? 0} booked`}
                    style={{
                      background: requested ? `rgba(79, 70, 229, ${0.15 + 0.85 * (requested / max)})` : '#f1f5f9',
                      color: requested / max > 0.5 ? 'white' : '#334155',
                    }}
                  >
                    {requested || ''}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
