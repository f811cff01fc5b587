import {
  LEAD_TEMPERATURES,
  type LeadTemperature,
  type OutcomeCounts,
  RESPONSE_BUCKETS,
  type ResponseBucket,
  type ScoringReportDto,
} from '@leaddesk/shared';
import { addDays, scheduleOf } from '../../automation/business-hours/index.js';
import type { Sql } from '../../db/sql.js';
import { weekStartOf } from '../build-report.js';
import type { ReportClient } from '../report-rollup.js';
import type { ReportService } from '../report-service.js';
import type { ConversionModels } from './conversion-model.js';

/**
 * The lead scoring report of one tenant and period (docs/reports.md, "Lead
 * scoring report"): leads created per local week by their temperature as it
 * stands now, and the won rate of the period's closed leads by how fast their
 * first conversation was answered and by temperature. Summed from the daily
 * rollup (`report_lead_daily`: the refresh writes each local day's leads by
 * temperature, outcome and, for closed leads, first-response bucket), brought
 * up to date first.
 */
export async function scoringReport(
  sql: Sql,
  models: ConversionModels,
  reports: Pick<ReportService, 'fresh'>,
  client: ReportClient,
  period: { from: string; to: string },
): Promise<ScoringReportDto> {
  const tz = scheduleOf(client).timezone;
  await reports.fresh(client);
  const days = await sql.query<
    Array<{ day: string; temperature: LeadTemperature; n: number; qualified: number; won: number; lost: number }>
  >(
    `select to_char(day, 'YYYY-MM-DD') as day, temperature, sum(n)::int as n,
       (sum(n) filter (where qualified))::int as qualified,
       (sum(n) filter (where outcome = 'closed_won'))::int as won,
       (sum(n) filter (where outcome = 'closed_lost'))::int as lost
     from report_lead_daily where client_id = ? and day between ?::date and ?::date group by 1, 2`,
    [client.id, period.from, period.to],
  );
  const weeks = new Map<string, ScoringReportDto['temperatureByWeek'][number]>();
  for (let day = weekStartOf(period.from); day <= period.to; day = addDays(day, 7)) {
    weeks.set(day, { weekStart: day, hot: 0, warm: 0, cold: 0, unscored: 0 });
  }
  const summary = { leads: 0, hot: 0, warm: 0, cold: 0, unscored: 0, qualified: 0, won: 0, lost: 0 };
  for (const d of days) {
    const week = weeks.get(weekStartOf(d.day));
    if (week) week[d.temperature] += d.n;
    summary.leads += d.n;
    summary[d.temperature] += d.n;
    summary.qualified += d.qualified ?? 0;
    summary.won += d.won ?? 0;
    summary.lost += d.lost ?? 0;
  }
  const closed = await sql.query<
    Array<{ bucket: ResponseBucket; temperature: LeadTemperature; won: boolean; n: number }>
  >(
    `select response_bucket as bucket, temperature, outcome = 'closed_won' as won, sum(n)::int as n
     from report_lead_daily where client_id = ? and day between ?::date and ?::date and outcome <> 'open'
     group by 1, 2, 3`,
    [client.id, period.from, period.to],
  );
  const outcomes = (rows: typeof closed): OutcomeCounts => {
    const total = rows.reduce((s, r) => s + r.n, 0);
    const won = rows.filter((r) => r.won).reduce((s, r) => s + r.n, 0);
    return {
      closed: total,
      won,
      lost: total - won,
      wonRate: total ? Math.round((won / total) * 10_000) / 10_000 : null,
    };
  };
  return {
    timezone: tz,
    from: period.from,
    to: period.to,
    summary,
    temperatureByWeek: [...weeks.values()],
    responseEffect: RESPONSE_BUCKETS.map((bucket) => ({
      bucket,
      ...outcomes(closed.filter((r) => r.bucket === bucket)),
    })),
    byTemperature: LEAD_TEMPERATURES.map((temperature) => ({
      temperature,
      ...outcomes(closed.filter((r) => r.temperature === temperature)),
    })),
    model: await models.status(client.id),
  };
}
