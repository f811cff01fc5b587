import type { ReportsQuery, RoiReportDto } from '@leaddesk/shared';
import { scheduleOf } from '../../automation/business-hours/index.js';
import type { BrandingService } from '../../branding/branding-service.js';
import type { AiPriceTable } from '../../config/ai-prices.js';
import type { Sql } from '../../db/sql.js';
import { dayWindow, type ReportClient } from '../report-rollup.js';
import type { ReportService } from '../report-service.js';
import { aiSpend } from './ai-spend.js';
import { leadCounts, outcomeGroups } from './attributed-leads.js';
import { buildRoi } from './build-roi.js';

export interface RoiServiceOptions {
  sql: Sql;
  /** Whose period rules (named periods, the clock) the ROI report shares. */
  reports: ReportService;
  prices: AiPriceTable;
  /** The client's brand names the product in the headline (docs/white-label.md). */
  branding?: Pick<BrandingService, 'forClient'>;
  /** The product name when no branding service is given (benches). */
  productName?: string;
}

/**
 * The ROI report (docs/reports.md): attributed outcomes and their value
 * against the plan's cost, with the AI spend beside it. Reads indexed rows
 * only: leads of the period, the first answer of each outcome lead's first
 * conversation, and the daily usage rows.
 */
export class RoiService {
  constructor(private readonly options: RoiServiceOptions) {}

  async report(client: ReportClient, query: ReportsQuery): Promise<RoiReportDto> {
    return (await this.figures(client, query)).report;
  }

  /** The report and the period's hot leads (the agency overview's extra column). */
  async figures(client: ReportClient, query: ReportsQuery): Promise<{ report: RoiReportDto; hotLeads: number }> {
    const timezone = scheduleOf(client).timezone;
    const { from, to, period } = this.options.reports.period(client, query);
    const start = dayWindow(timezone, from).start;
    const end = dayWindow(timezone, to).end;
    const sql = this.options.sql;
    const [counts, outcomes, spend, brand] = await Promise.all([
      leadCounts(sql, client.id, start, end),
      outcomeGroups(sql, client.id, timezone, start, end),
      aiSpend(sql, this.options.prices, client.id, from, to),
      this.options.branding?.forClient(client.id),
    ]);
    const report = buildRoi({
      timezone,
      locale: client.locale,
      from,
      to,
      period,
      settings: client.config,
      inquiries: counts.leads,
      outcomes,
      aiSpend: spend,
      productName: brand?.productName ?? this.options.productName ?? 'the service',
    });
    return { report, hotLeads: counts.hot };
  }
}
