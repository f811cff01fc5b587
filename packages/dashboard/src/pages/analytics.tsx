import type { AnalyticsDto } from '@leaddesk/shared';
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { useLatestRequest } from '../latest-request.js';
import { lazyPage } from '../lazy-page.js';
import type { AppState } from '../main.js';
import { Card, ErrorNote } from '../ui.js';
import { BarChart } from './bar-chart.js';
import { Stat } from './escalations.js';
import { ReportsSection } from './reports-section.js';

/** Its own chunk: fetched the first time the Insights tab opens. */
const InsightsSection = lazyPage(() => import('./insights-section.js').then((m) => m.InsightsSection));

/** Tabs: the overview (`GET /analytics`), the reports (`GET /reports`) and the insights (`GET /reports/insights`). */
export function AnalyticsPage({ state }: { state: AppState }) {
  const [tab, setTab] = useState<'overview' | 'reports' | 'insights'>('overview');
  const tabClass = (on: boolean) =>
    `rounded-md px-3 py-1.5 text-sm font-medium ${on ? 'bg-slate-900 text-white' : 'text-slate-600 hover:bg-slate-100'}`;
  return (
    <div>
      <div class="flex gap-2 px-4 pt-4 md:px-6" role="tablist" aria-label="Analytics sections">
        <button
          type="button"
          role="tab"
          aria-selected={tab === 'overview'}
          class={tabClass(tab === 'overview')}
          onClick={() => setTab('overview')}
        >
          Overview
        </button>
        <button
          type="button"
          role="tab"
          aria-selected={tab === 'reports'}
          class={tabClass(tab === 'reports')}
          onClick={() => setTab('reports')}
        >
          Reports
        </button>
        <button
          type="button"
          role="tab"
          aria-selected={tab === 'insights'}
          class={tabClass(tab === 'insights')}
          onClick={() => setTab('insights')}
          onMouseEnter={() => InsightsSection.preload()}
        >
          Insights
        </button>
      </div>
      {tab === 'overview' && <AnalyticsOverview />}
      {tab === 'reports' && <ReportsSection canEdit={state.allowed('client:update')} />}
      {tab === 'insights' && <InsightsSection />}
    </div>
  );
}

/** KPI cards and charts (Chart.js) from `GET /analytics`. */
function AnalyticsOverview() {
  const [days, setDays] = useState(30);
  const [data, setData] = useState<AnalyticsDto | null>(null);
  const [error, setError] = useState<string | null>(null);
  const begin = useLatestRequest();
  useEffect(() => {
    const isLatest = begin();
    api
      .analytics(days)
      .then((r) => {
        if (isLatest()) setData(r);
      })
      .catch((e: Error) => {
        if (isLatest()) setError(e.message);
      });
  }, [days]);
  const k = data?.kpis;
  return (
    <div class="space-y-4 p-4 md:p-6">
      <div class="flex items-center gap-2">
        <h1 class="mr-auto text-xl font-semibold">Analytics</h1>
        <select
          class="rounded-md px-2 py-1 text-sm ring-1 ring-slate-300"
          value={days}
          onChange={(e) => setDays(Number(e.currentTarget.value))}
          aria-label="Period"
        >
          <option value={7}>Last 7 days</option>
          <option value={30}>Last 30 days</option>
          <option value={90}>Last 90 days</option>
        </select>
      </div>
      <ErrorNote error={error} />
      {k && data && (
        <>
          <div class="grid grid-cols-2 gap-3 md:grid-cols-4 xl:grid-cols-7">
            <Stat label="Leads" value={k.leads} />
            <Stat label="Hot leads" value={k.hotLeads} />
            <Stat label="Appointments" value={k.appointments} />
            <Stat label="Active chats" value={k.activeChats} />
            <Stat label="Escalations" value={k.escalations} />
            <Stat label="Qualification rate" value={`${Math.round(k.qualificationRate * 100)}%`} />
            <Stat
              label="Avg. first response"
              value={k.avgFirstResponseSeconds === null ? '—' : `${k.avgFirstResponseSeconds} s`}
            />
          </div>
          <div class="grid gap-4 lg:grid-cols-2">
            <Card title="Leads by day">
              <BarChart
                labels={data.leadsByDay.map((d) => d.day.slice(5))}
                stacked
                series={[
                  { label: 'Hot', color: '#e11d48', data: data.leadsByDay.map((d) => d.hot) },
                  { label: 'Warm', color: '#f97316', data: data.leadsByDay.map((d) => d.warm) },
                  { label: 'Cold', color: '#3b82f6', data: data.leadsByDay.map((d) => d.cold) },
                ]}
              />
            </Card>
            <Card title="Leads by channel">
              <BarChart
                labels={data.byChannel.map((c) => c.channel)}
                series={[{ label: 'Leads', color: '#6366f1', data: data.byChannel.map((c) => c.leads) }]}
              />
            </Card>
            <Card title="Score distribution">
              <BarChart
                labels={data.scoreDistribution.map((b) => b.bucket)}
                series={[{ label: 'Leads', color: '#0ea5e9', data: data.scoreDistribution.map((b) => b.leads) }]}
              />
            </Card>
            <Card title="After hours: what the AI caught">
              <div class="grid grid-cols-2 gap-3">
                <Stat label="Conversations outside business hours" value={data.afterHours.conversations} />
                <Stat
                  label="Of which hot leads"
                  value={data.afterHours.hotLeads}
                  hint="missed revenue without the AI"
                />
                <Stat label="Suggestions sent as is" value={data.copilot.sentAsIs} />
                <Stat
                  label="Suggestions edited / discarded"
                  value={`${data.copilot.edited} / ${data.copilot.discarded}`}
                />
              </div>
            </Card>
          </div>
        </>
      )}
    </div>
  );
}
