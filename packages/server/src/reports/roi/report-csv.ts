import type { ReportsDto, ResponseStat, RoiReportDto } from '@leaddesk/shared';
import type { CsvColumn } from '../../http/csv-response.js';

/**
 * The reports as CSV (docs/reports.md lists the columns): the same figures as
 * the JSON answers, one row per figure and channel (response times), per week
 * plus a total (missed revenue) or per figure (ROI). Every row repeats the
 * period, so files from several periods can be pasted into one sheet.
 */

export interface ResponseTimeRow {
  from: string;
  to: string;
  timezone: string;
  metric: string;
  channel: string;
  targetSeconds: number;
  all: ResponseStat;
  inHours: ResponseStat;
  outOfHours: ResponseStat;
  meetsTarget: boolean | null;
}

const statColumns = (prefix: string, pick: (r: ResponseTimeRow) => ResponseStat): CsvColumn<ResponseTimeRow>[] => [
  { header: `${prefix}count`, value: (r) => pick(r).count },
  { header: `${prefix}average_seconds`, value: (r) => pick(r).averageSeconds },
  { header: `${prefix}p50_seconds`, value: (r) => pick(r).p50Seconds },
  { header: `${prefix}p90_seconds`, value: (r) => pick(r).p90Seconds },
];

export const responseTimeColumns: CsvColumn<ResponseTimeRow>[] = [
  { header: 'from', value: (r) => r.from },
  { header: 'to', value: (r) => r.to },
  { header: 'timezone', value: (r) => r.timezone },
  { header: 'metric', value: (r) => r.metric },
  { header: 'channel', value: (r) => r.channel },
  ...statColumns('', (r) => r.all),
  ...statColumns('in_hours_', (r) => r.inHours),
  ...statColumns('out_of_hours_', (r) => r.outOfHours),
  { header: 'target_seconds', value: (r) => r.targetSeconds },
  { header: 'meets_target', value: (r) => (r.meetsTarget === null ? '' : String(r.meetsTarget)) },
];

/** One row per figure for all channels (`channel` = all), then one per channel. */
export function responseTimeRows(report: ReportsDto): ResponseTimeRow[] {
  const base = { from: report.from, to: report.to, timezone: report.timezone };
  return report.responseTimes.metrics.flatMap((m) => [
    { ...base, ...m, channel: 'all' },
    ...m.byChannel.map((c) => ({ ...base, metric: m.metric, targetSeconds: m.targetSeconds, ...c })),
  ]);
}

export interface MissedRevenueRow {
  from: string;
  to: string;
  timezone: string;
  currency: string;
  /** The week's Monday, or `total`. */
  week: string;
  afterHoursInquiries: number;
  qualified: number;
  booked: number;
  won: number;
  qualifiedValue: number;
}

export const missedRevenueColumns: CsvColumn<MissedRevenueRow>[] = [
  { header: 'from', value: (r) => r.from },
  { header: 'to', value: (r) => r.to },
  { header: 'timezone', value: (r) => r.timezone },
  { header: 'week_start', value: (r) => r.week },
  { header: 'after_hours_inquiries', value: (r) => r.afterHoursInquiries },
  { header: 'qualified', value: (r) => r.qualified },
  { header: 'booked', value: (r) => r.booked },
  { header: 'won', value: (r) => r.won },
  { header: 'qualified_value', value: (r) => r.qualifiedValue },
  { header: 'currency', value: (r) => r.currency },
];

export function missedRevenueRows(report: ReportsDto): MissedRevenueRow[] {
  const m = report.missedRevenue;
  const base = { from: report.from, to: report.to, timezone: report.timezone, currency: m.currency };
  return [
    ...m.byWeek.map((w) => ({
      ...base,
      week: w.weekStart,
      afterHoursInquiries: w.inquiries,
      qualified: w.qualified,
      booked: w.booked,
      won: w.won,
      qualifiedValue: w.qualifiedValue,
    })),
    {
      ...base,
      week: 'total',
      afterHoursInquiries: m.afterHoursInquiries,
      qualified: m.qualified,
      booked: m.booked,
      won: m.won,
      qualifiedValue: m.qualifiedValue,
    },
  ];
}

export interface RoiRow {
  from: string;
  to: string;
  timezone: string;
  figure: string;
  /** The model, for the per-model AI rows. */
  model: string;
  value: number | null;
  /** A currency code, `tokens`, `leads`, `ratio` or `days`. */
  unit: string;
}

export const roiColumns: CsvColumn<RoiRow>[] = [
  { header: 'from', value: (r) => r.from },
  { header: 'to', value: (r) => r.to },
  { header: 'timezone', value: (r) => r.timezone },
  { header: 'figure', value: (r) => r.figure },
  { header: 'model', value: (r) => r.model },
  { header: 'value', value: (r) => r.value },
  { header: 'unit', value: (r) => r.unit },
];

export function roiRows(report: RoiReportDto): RoiRow[] {
  const base = { from: report.from, to: report.to, timezone: report.timezone, model: '' };
  const money = report.currency;
  const ai = report.aiSpend;
  const figures: Array<[string, number | null, string]> = [
    ['days', report.days, 'days'],
    ['inquiries', report.inquiries, 'leads'],
    ['attributed_qualified', report.qualified, 'leads'],
    ['attributed_booked', report.booked, 'leads'],
    ['attributed_won', report.won, 'leads'],
    ['attributed_qualified_value', report.qualifiedValue, money],
    ['attributed_booked_value', report.bookedValue, money],
    ['attributed_won_value', report.wonValue, money],
    ['attributed_qualified_without_value', report.qualifiedWithoutValue, 'leads'],
    ['all_qualified', report.allQualified, 'leads'],
    ['all_booked', report.allBooked, 'leads'],
    ['all_won', report.allWon, 'leads'],
    ['plan_monthly_cost', report.planMonthlyCost, money],
    ['plan_cost', report.planCost, money],
    ['roi', report.roi, 'ratio'],
    ['ai_spend', ai.cost, ai.currency],
    ['ai_tokens', ai.tokens, 'tokens'],
    ['ai_unpriced_tokens', ai.unpricedTokens, 'tokens'],
  ];
  return [
    ...figures.map(([figure, value, unit]) => ({ ...base, figure, value, unit })),
    ...ai.byModel.flatMap((m) => [
      {
        ...base,
        figure: 'ai_model_tokens',
        model: m.model,
        value: m.inputTokens + m.outputTokens + m.cacheReadTokens + m.cacheWriteTokens,
        unit: 'tokens',
      },
      {
        ...base,
        figure: 'ai_model_spend',
        model: m.model,
        value: m.cost,
        unit: m.cost === null ? 'unpriced' : ai.currency,
      },
    ]),
  ];
}
