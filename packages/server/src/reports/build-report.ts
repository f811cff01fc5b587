import {
  RESPONSE_METRICS,
  type ReportPeriod,
  type ReportSettings,
  type ReportsDto,
  type ResponseMetric,
  type ResponseStat,
  reportSettingsSchema,
} from '@leaddesk/shared';
import { addDays, localParts } from '../automation/business-hours/index.js';
import { exactPercentile, type Histogram, mergeInto, percentile } from './histogram.js';
import { reportTexts } from './report-text/report-texts.js';

/**
 * Turns grouped figures into the reports' answer. The same code serves the
 * rollup (histograms: percentiles within the documented bound) and the
 * reference computation over raw rows (samples: exact percentiles), so the
 * two can only differ in what they were fed.
 */
export interface ResponseGroup {
  metric: string;
  channel: string;
  inHours: boolean;
  n: number;
  sumSeconds: number;
  histogram: Histogram;
  /** Raw samples (reference computation only): percentiles are then exact. */
  samples?: number[];
}

export interface InquiryGroup {
  /** A local date (or the Monday of its week: only its week is used). */
  day: string;
  inHours: boolean;
  service: string;
  n: number;
  qualified: number;
  booked: number;
  won: number;
}

export interface ReportInput {
  timezone: string;
  /** The tenant's locale: the headlines' language and number formats (report-text/). */
  locale?: string | null;
  from: string;
  to: string;
  period: ReportPeriod | null;
  settings: { reports?: ReportSettings; serviceValues?: Record<string, number> };
  responses: ResponseGroup[];
  inquiries: InquiryGroup[];
  refreshedAt: Date;
}

/** The local dates a named period covers, ending today in the tenant's zone. */
export function periodDates(period: ReportPeriod, timezone: string, now: Date): { from: string; to: string } {
  const today = localParts(timezone, now).date;
  const monthStart = `${today.slice(0, 8)}01`;
  switch (period) {
    case 'last_7_days':
      return { from: addDays(today, -6), to: today };
    case 'last_90_days':
      return { from: addDays(today, -89), to: today };
    case 'this_month':
      return { from: monthStart, to: today };
    case 'last_month': {
      const lastDay = addDays(monthStart, -1);
      return { from: `${lastDay.slice(0, 8)}01`, to: lastDay };
    }
    default:
      return { from: addDays(today, -29), to: today };
  }
}

/** The Monday of a local date's week. */
export function weekStartOf(day: string): string {
  const [y = 0, m = 1, d = 1] = day.split('-').map(Number);
  const weekday = (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7;
  return addDays(day, -weekday);
}

interface Acc {
  n: number;
  sum: number;
  histogram: Histogram;
  samples: number[] | null;
}
const emptyAcc = (): Acc => ({ n: 0, sum: 0, histogram: {}, samples: null });
function add(acc: Acc, g: ResponseGroup): void {
  acc.n += g.n;
  acc.sum += g.sumSeconds;
  mergeInto(acc.histogram, g.histogram);
  if (g.samples) {
    acc.samples ??= [];
    for (const v of g.samples) acc.samples.push(v);
  }
}
const tenth = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);
const hundredth = (v: number | null) => (v === null ? null : Math.round(v * 100) / 100);
function stat(acc: Acc): ResponseStat {
  const pct = (p: number) => (acc.samples ? exactPercentile(acc.samples, p) : percentile(acc.histogram, p));
  return {
    count: acc.n,
    averageSeconds: acc.n ? tenth(acc.sum / acc.n) : null,
    p50Seconds: hundredth(pct(0.5)),
    p90Seconds: hundredth(pct(0.9)),
  };
}

function targetOf(metric: ResponseMetric, s: ReportSettings): number {
  if (metric === 'takeover') return s.takeoverSeconds;
  if (metric === 'staff_reply') return s.staffReplySeconds;
  return s.firstResponseSeconds;
}

export function buildReport(input: ReportInput): ReportsDto {
  const settings = reportSettingsSchema.parse(input.settings.reports ?? {});
  const metrics = RESPONSE_METRICS.map((metric) => {
    const all = emptyAcc();
    const inHours = emptyAcc();
    const out = emptyAcc();
    const channels = new Map<string, { all: Acc; inHours: Acc; out: Acc }>();
    for (const g of input.responses.filter((r) => r.metric === metric)) {
      let c = channels.get(g.channel);
      if (!c) {
        c = { all: emptyAcc(), inHours: emptyAcc(), out: emptyAcc() };
        channels.set(g.channel, c);
      }
      for (const acc of [all, g.inHours ? inHours : out, c.all, g.inHours ? c.inHours : c.out]) add(acc, g);
    }
    const targetSeconds = targetOf(metric, settings);
    const meets = (acc: Acc) => {
      const p90 = stat(acc).p90Seconds;
      return p90 === null ? null : p90 <= targetSeconds;
    };
    return {
      metric,
      targetSeconds,
      all: stat(all),
      inHours: stat(inHours),
      outOfHours: stat(out),
      meetsTarget: meets(all),
      byChannel: [...channels.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([channel, c]) => ({
          channel,
          all: stat(c.all),
          inHours: stat(c.inHours),
          outOfHours: stat(c.out),
          meetsTarget: meets(c.all),
        })),
    };
  });
  const average = metrics[0]?.all.averageSeconds ?? null;

  const values = new Map(Object.entries(input.settings.serviceValues ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  const serviceValue = (service: string) => (service ? values.get(service.toLowerCase()) : undefined);
  const weeks = new Map<string, ReportsDto['missedRevenue']['byWeek'][number]>();
  for (let day = weekStartOf(input.from); day <= input.to; day = addDays(day, 7)) {
    weeks.set(day, { weekStart: day, inquiries: 0, qualified: 0, booked: 0, won: 0, qualifiedValue: 0 });
  }
  const totals = { inquiries: 0, after: 0, qualified: 0, booked: 0, won: 0, qv: 0, bv: 0, wv: 0, noValue: 0 };
  for (const g of input.inquiries) {
    totals.inquiries += g.n;
    if (g.inHours) continue;
    const value = serviceValue(g.service);
    totals.after += g.n;
    totals.qualified += g.qualified;
    totals.booked += g.booked;
    totals.won += g.won;
    totals.qv += g.qualified * (value ?? 0);
    totals.bv += g.booked * (value ?? 0);
    totals.wv += g.won * (value ?? 0);
    if (value === undefined) totals.noValue += g.qualified;
    const week = weeks.get(weekStartOf(g.day));
    if (week) {
      week.inquiries += g.n;
      week.qualified += g.qualified;
      week.booked += g.booked;
      week.won += g.won;
      week.qualifiedValue += g.qualified * (value ?? 0);
    }
  }
  const texts = reportTexts(input.locale);
  return {
    timezone: input.timezone,
    from: input.from,
    to: input.to,
    responseTimes: {
      headline: texts.responseHeadline(average),
      averageSeconds: average,
      metrics,
    },
    missedRevenue: {
      headline: texts.missedRevenueHeadline({
        afterHours: totals.after,
        qualified: totals.qualified,
        value: totals.qv,
        currency: settings.currency,
        period: texts.period(input.period, input.from, input.to),
      }),
      currency: settings.currency,
      inquiries: totals.inquiries,
      afterHoursInquiries: totals.after,
      qualified: totals.qualified,
      booked: totals.booked,
      won: totals.won,
      qualifiedValue: totals.qv,
      bookedValue: totals.bv,
      wonValue: totals.wv,
      qualifiedWithoutValue: totals.noValue,
      byWeek: [...weeks.values()],
    },
    refreshedAt: input.refreshedAt.toISOString(),
  };
}
