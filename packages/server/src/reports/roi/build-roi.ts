import {
  type AiSpendDto,
  type ClientConfig,
  type ReportPeriod,
  ROI_ATTRIBUTION,
  type RoiReportDto,
  reportSettingsSchema,
} from '@leaddesk/shared';
import { addDays } from '../../automation/business-hours/index.js';
import { weekStartOf } from '../build-report.js';
import { serviceOf } from '../raw-samples.js';
import { reportTexts } from '../report-text/report-texts.js';
import type { OutcomeGroup } from './attributed-leads.js';
import { daysBetween, proratedCost } from './plan-cost.js';

export interface RoiInput {
  timezone: string;
  /** The tenant's locale: the headline's language and number formats (report-text/). */
  locale?: string | null;
  from: string;
  to: string;
  period: ReportPeriod | null;
  settings: Pick<ClientConfig, 'reports' | 'serviceValues' | 'services'>;
  inquiries: number;
  outcomes: OutcomeGroup[];
  aiSpend: AiSpendDto;
  /** Who the headline credits: the client's effective product name (white-label). */
  productName: string;
}

/**
 * A service's value as the missed-revenue report reads it: the configured
 * service the lead's interest names (`serviceOf`), its value matched without
 * case; undefined when it has none.
 */
export function serviceValuer(settings: RoiInput['settings']): (interest: string) => number | undefined {
  const values = new Map(Object.entries(settings.serviceValues ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  return (interest) => {
    const service = serviceOf(interest, settings.services ?? []);
    return service ? values.get(service.toLowerCase()) : undefined;
  };
}

export function buildRoi(input: RoiInput): RoiReportDto {
  const settings = reportSettingsSchema.parse(input.settings.reports ?? {});
  const valueOfService = serviceValuer(input.settings);
  const weeks = new Map<string, RoiReportDto['byWeek'][number]>();
  for (let day = weekStartOf(input.from); day <= input.to; day = addDays(day, 7)) {
    weeks.set(day, { weekStart: day, qualified: 0, booked: 0, won: 0, qualifiedValue: 0 });
  }
  const t = { q: 0, b: 0, w: 0, qv: 0, bv: 0, wv: 0, noValue: 0, allQ: 0, allB: 0, allW: 0 };
  for (const g of input.outcomes) {
    t.allQ += g.qualified;
    t.allB += g.booked;
    t.allW += g.won;
    if (!g.attributed) continue;
    const value = valueOfService(g.serviceInterest);
    t.q += g.qualified;
    t.b += g.booked;
    t.w += g.won;
    t.qv += g.qualified * (value ?? 0);
    t.bv += g.booked * (value ?? 0);
    t.wv += g.won * (value ?? 0);
    if (value === undefined) t.noValue += g.qualified;
    const week = weeks.get(g.weekStart);
    if (week) {
      week.qualified += g.qualified;
      week.booked += g.booked;
      week.won += g.won;
      week.qualifiedValue += g.qualified * (value ?? 0);
    }
  }
  const monthly = settings.planMonthlyCost ?? null;
  const planCost = proratedCost(monthly ?? 0, input.from, input.to);
  const texts = reportTexts(input.locale);
  return {
    timezone: input.timezone,
    from: input.from,
    to: input.to,
    days: daysBetween(input.from, input.to),
    currency: settings.currency,
    headline: texts.roiHeadline({
      product: input.productName,
      qualified: t.q,
      value: t.qv,
      currency: settings.currency,
      period: texts.period(input.period, input.from, input.to),
    }),
    attribution: ROI_ATTRIBUTION,
    inquiries: input.inquiries,
    qualified: t.q,
    booked: t.b,
    won: t.w,
    qualifiedValue: t.qv,
    bookedValue: t.bv,
    wonValue: t.wv,
    qualifiedWithoutValue: t.noValue,
    allQualified: t.allQ,
    allBooked: t.allB,
    allWon: t.allW,
    planMonthlyCost: monthly,
    planCost,
    roi: planCost > 0 ? Math.round((t.qv / planCost) * 100) / 100 : null,
    aiSpend: input.aiSpend,
    byWeek: [...weeks.values()],
  };
}
