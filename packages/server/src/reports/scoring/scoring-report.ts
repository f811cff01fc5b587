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
import { dayWindow, type ReportClient } from '../report-rollup.js';
import type { ConversionModels } from './conversion-model.js';
import { closedLeadsCreated, type LeadFacts } from './lead-facts.js';

/** Upper bounds (seconds, exclusive) of the answered buckets, in RESPONSE_BUCKETS order. */
const BUCKET_LIMITS: Array<[ResponseBucket, number]> = [
  ['under_1_min', 60],
  ['1_5_min', 300],
  ['5_30_min', 1800],
  ['30_120_min', 7200],
  ['2_24_h', 86_400],
  ['over_24_h', Number.POSITIVE_INFINITY],
];

export function bucketOf(seconds: number | null): ResponseBucket {
  if (seconds === null) return 'never';
  return (BUCKET_LIMITS.find(([, limit]) => seconds < limit) as [ResponseBucket, number])[0];
}

function outcomes(leads: LeadFacts[]): OutcomeCounts {
  const won = leads.filter((l) => l.status === 'closed_won').length;
  const closed = leads.length;
  return { closed, won, lost: closed - won, wonRate: closed ? Math.round((won / closed) * 10_000) / 10_000 : null };
}

const QUALIFIED = `('qualified', 'appointment_booked', 'handed_off', 'closed_won')`;

/**
 * The lead scoring report of one tenant and period (docs/reports.md, "Lead
 * scoring report"): leads created per local week by their temperature as it
 * stands now, and the won rate of the period's closed leads by how fast their
 * first conversation was answered and by temperature. Read from the leads
 * (the `(client_id, created_at)` index), grouped by local day in SQL.
 */
export async function scoringReport(
  sql: Sql,
  models: ConversionModels,
  client: ReportClient,
  period: { from: string; to: string },
): Promise<ScoringReportDto> {
  const tz = scheduleOf(client).timezone;
  const start = dayWindow(tz, period.from).start;
  const end = dayWindow(tz, period.to).end;
  const days = await sql.query<
    Array<{ day: string; temperature: LeadTemperature; n: number; qualified: number; won: number; lost: number }>
  >(
    `select to_char(created_at at time zone ?, 'YYYY-MM-DD') as day, temperature, count(*)::int as n,
       (count(*) filter (where status in ${QUALIFIED}))::int as qualified,
       (count(*) filter (where status = 'closed_won'))::int as won,
       (count(*) filter (where status = 'closed_lost'))::int as lost
     from leads where client_id = ? and created_at >= ? and created_at < ? group by 1, 2`,
    [tz, client.id, start, end],
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
    summary.qualified += d.qualified;
    summary.won += d.won;
    summary.lost += d.lost;
  }
  const closed = await closedLeadsCreated(sql, client.id, start, end);
  return {
    timezone: tz,
    from: period.from,
    to: period.to,
    summary,
    temperatureByWeek: [...weeks.values()],
    responseEffect: RESPONSE_BUCKETS.map((bucket) => ({
      bucket,
      ...outcomes(closed.filter((l) => bucketOf(l.firstResponseSeconds) === bucket)),
    })),
    byTemperature: LEAD_TEMPERATURES.map((temperature) => ({
      temperature,
      ...outcomes(closed.filter((l) => l.temperature === temperature)),
    })),
    model: await models.status(client.id),
  };
}
