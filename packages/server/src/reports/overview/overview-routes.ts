import {
  type OverviewDto,
  type OverviewQuery,
  type OverviewRow,
  overviewQuerySchema,
  overviewSchema,
} from '@leaddesk/shared';
import { type Response, Router } from 'express';
import { z } from 'zod';
import { parseInput } from '../../errors/validate.js';
import { route } from '../../http/async-handler.js';
import { requirePermission } from '../../http/authenticate.js';
import { type CsvColumn, sendCsv } from '../../http/csv-response.js';
import type { OpenApiRegistry } from '../../http/openapi.js';
import type { OverviewService } from './overview-service.js';

const columns: CsvColumn<OverviewRow>[] = [
  { header: 'client_id', value: (r) => r.clientId },
  { header: 'name', value: (r) => r.name },
  { header: 'status', value: (r) => r.status },
  { header: 'timezone', value: (r) => r.timezone },
  { header: 'from', value: (r) => r.from },
  { header: 'to', value: (r) => r.to },
  { header: 'leads', value: (r) => r.leads },
  { header: 'hot_leads', value: (r) => r.hotLeads },
  { header: 'qualified', value: (r) => r.qualified },
  { header: 'booked', value: (r) => r.booked },
  { header: 'won', value: (r) => r.won },
  { header: 'average_first_response_seconds', value: (r) => r.averageFirstResponseSeconds },
  { header: 'after_hours_inquiries', value: (r) => r.afterHoursInquiries },
  { header: 'attributed_value', value: (r) => r.attributedValue },
  { header: 'currency', value: (r) => r.currency },
  { header: 'ai_spend', value: (r) => r.aiSpend },
  { header: 'ai_spend_currency', value: (r) => r.aiSpendCurrency },
  { header: 'ai_unpriced_tokens', value: (r) => r.unpricedTokens },
  { header: 'plan_cost', value: (r) => r.planCost },
  { header: 'plan', value: (r) => r.plan },
  { header: 'ai_tokens_this_month', value: (r) => r.tokensUsed },
  { header: 'ai_token_budget', value: (r) => r.tokenBudget },
];

/** Super admins may narrow the overview to one agency's clients (issue 18). */
const adminOverviewQuerySchema = overviewQuerySchema.safeExtend({ agencyId: z.string().uuid().optional() });

/** The overview as a CSV download, one row per client in the requested order (the admin and agency routes). */
export async function sendOverviewCsv(res: Response, query: OverviewQuery, body: OverviewDto): Promise<void> {
  const stamp = query.from && query.to ? `${query.from}-to-${query.to}` : query.period;
  async function* once() {
    yield body.rows;
  }
  await sendCsv(res, `clients-overview-${stamp}.csv`, columns, once());
}

/**
 * `GET /admin/reports/overview` (and `.csv`): every client's figures side by
 * side (or one agency's, `agencyId=`), for super admins only (`clients:manage`,
 * like the clients list): a client's own staff, agency staff and API keys get
 * 403. Agency staff have their own agency's at `/agency/overview` (agency/).
 */
export function overviewRoutes(openapi: OpenApiRegistry, overview: OverviewService): Router {
  const router = Router();
  const manage = requirePermission('clients:manage');
  openapi.add({
    method: 'get',
    path: '/admin/reports/overview',
    summary:
      'Every client side by side for a period (each in its own zone): leads, outcomes, response time, after-hours inquiries, attributed value, AI spend and plan cost; sortable',
    tag: 'admin',
    query: adminOverviewQuerySchema,
    response: overviewSchema,
  });
  router.get(
    '/admin/reports/overview',
    manage,
    route(async (req, res) => {
      const { agencyId, ...query } = parseInput(adminOverviewQuerySchema, req.query, 'query');
      res.json(await overview.overview(query, { agencyId }));
    }),
  );
  openapi.add({
    method: 'get',
    path: '/admin/reports/overview.csv',
    summary: 'The agency overview as CSV: one row per client, in the requested order',
    tag: 'admin',
    query: adminOverviewQuerySchema,
  });
  router.get(
    '/admin/reports/overview.csv',
    manage,
    route(async (req, res) => {
      const { agencyId, ...query } = parseInput(adminOverviewQuerySchema, req.query, 'query');
      await sendOverviewCsv(res, query, await overview.overview(query, { agencyId }));
    }),
  );
  return router;
}
