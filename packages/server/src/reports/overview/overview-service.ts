import {
  type OverviewDto,
  type OverviewQuery,
  type OverviewRow,
  PLAN_TOKEN_BUDGETS,
  type Plan,
  type ReportsQuery,
} from '@leaddesk/shared';
import type { Sql } from '../../db/sql.js';
import { monthKey } from '../../tenants/tenant-service.js';
import type { ReportClient } from '../report-rollup.js';
import type { ReportService } from '../report-service.js';
import type { RoiService } from '../roi/roi-service.js';

export interface OverviewServiceOptions {
  sql: Sql;
  reports: ReportService;
  roi: RoiService;
  /** Clients computed at once (each takes a few queries on the pool). @default 4 */
  concurrency?: number;
}

type OverviewClient = ReportClient & {
  name: string;
  status: string;
  plan: string;
  usage_month: string | null;
  tokens_used_month: string | number;
};

/** Whose clients: every client (super admins), or one agency's (issue 18). */
export interface OverviewScope {
  agencyId?: string;
}

/**
 * The agency view (docs/reports.md): every client side by side for one
 * period, each computed in its own zone by the same code as its own reports
 * (the SLA and missed-revenue rollup, the ROI report), then sorted. Super
 * admins see every client; agency staff their own agency's (`scope`).
 */
export class OverviewService {
  constructor(private readonly options: OverviewServiceOptions) {}

  async overview(query: OverviewQuery, scope: OverviewScope = {}): Promise<OverviewDto> {
    const columns = 'id, name, status, timezone, locale, config, plan, usage_month, tokens_used_month';
    const clients = scope.agencyId
      ? await this.options.sql.query<OverviewClient[]>(
          `select ${columns} from clients where agency_id = ? order by name, id`,
          [scope.agencyId],
        )
      : await this.options.sql.query<OverviewClient[]>(`select ${columns} from clients order by name, id`);
    const period: ReportsQuery = { period: query.period, from: query.from, to: query.to };
    const rows: OverviewRow[] = new Array(clients.length);
    let next = 0;
    const worker = async () => {
      while (next < clients.length) {
        const i = next++;
        rows[i] = await this.row(clients[i] as OverviewClient, period);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.options.concurrency ?? 4, clients.length) }, worker));
    return {
      period: query.from && query.to ? null : query.period,
      sort: query.sort,
      order: query.order,
      rows: sortRows(rows, query.sort, query.order),
    };
  }

  private async row(client: OverviewClient, query: ReportsQuery): Promise<OverviewRow> {
    const [sla, roi] = await Promise.all([
      this.options.reports.report(client, query),
      this.options.roi.figures(client, query),
    ]);
    const r = roi.report;
    // This month's tokens, as the budget counts them (the counter restarts with the month).
    const tokensUsed = client.usage_month === monthKey() ? Number(client.tokens_used_month) : 0;
    const tokenBudget = PLAN_TOKEN_BUDGETS[client.plan as Plan] ?? PLAN_TOKEN_BUDGETS.starter;
    return {
      clientId: client.id,
      name: client.name,
      status: client.status,
      timezone: sla.timezone,
      from: sla.from,
      to: sla.to,
      currency: r.currency,
      leads: r.inquiries,
      hotLeads: roi.hotLeads,
      qualified: r.allQualified,
      booked: r.allBooked,
      won: r.allWon,
      averageFirstResponseSeconds: sla.responseTimes.averageSeconds,
      afterHoursInquiries: sla.missedRevenue.afterHoursInquiries,
      attributedValue: r.qualifiedValue,
      aiSpend: r.aiSpend.cost,
      aiSpendCurrency: r.aiSpend.currency,
      unpricedTokens: r.aiSpend.unpricedTokens,
      planCost: r.planCost,
      plan: client.plan,
      tokensUsed,
      tokenBudget,
      budgetUsed: tokenBudget ? tokensUsed / tokenBudget : 1,
    };
  }
}

/** By one column; a missing figure (no response yet) sorts last either way; ties by name, then id. */
export function sortRows(
  rows: OverviewRow[],
  sort: OverviewQuery['sort'],
  order: OverviewQuery['order'],
): OverviewRow[] {
  const sign = order === 'desc' ? -1 : 1;
  const byName = (a: OverviewRow, b: OverviewRow) =>
    a.name.localeCompare(b.name) || a.clientId.localeCompare(b.clientId);
  return [...rows].sort((a, b) => {
    if (sort === 'name') return sign * byName(a, b);
    const x = a[sort];
    const y = b[sort];
    if (x === null || y === null) return x === y ? byName(a, b) : x === null ? 1 : -1;
    return sign * (x - y) || byName(a, b);
  });
}
