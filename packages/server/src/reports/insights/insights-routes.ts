import { reportInsightsQuerySchema, reportInsightsSchema } from '@leaddesk/shared';
import { Router } from 'express';
import type { AppContext } from '../../app-context.js';
import { sqlOf } from '../../db/sql.js';
import { parseInput } from '../../errors/validate.js';
import { requireClient } from '../../http/api-key-auth.js';
import { route } from '../../http/async-handler.js';
import { requirePermission } from '../../http/authenticate.js';
import { sendCsv } from '../../http/csv-response.js';
import type { OpenApiRegistry } from '../../http/openapi.js';
import type { ReportService } from '../report-service.js';
import { insightsCsvBatches, insightsCsvColumns } from './insights-csv.js';
import { InsightsService } from './insights-service.js';

/** `GET /reports/insights` and its CSV: same period query and permission as `GET /reports`. */
export function insightsRoutes(
  openapi: OpenApiRegistry,
  ctx: Pick<AppContext, 'db' | 'knowledge' | 'logger'>,
  reports: Pick<ReportService, 'period' | 'fresh'>,
): Router {
  const router = Router();
  // With the knowledge base's embeddings provider configured, questions are grouped by meaning.
  const insights = new InsightsService(sqlOf(ctx.db.orm), reports, ctx.knowledge?.embedder ?? null, ctx.logger);
  openapi.add({
    method: 'get',
    path: '/reports/insights',
    summary:
      'Insights for a period in the tenant’s time zone: best channel, most common questions, booking heat map, funnel and intake drop-off, follow-up steps, A/B prompt variants with 95 % intervals (docs/reports.md)',
    tag: 'analytics',
    query: reportInsightsQuerySchema,
    response: reportInsightsSchema,
  });
  openapi.add({
    method: 'get',
    path: '/reports/insights.csv',
    summary: 'The insights report as CSV, a row per figure (from, to, timezone, section, item, label, metric, value)',
    tag: 'analytics',
    query: reportInsightsQuerySchema,
  });
  router.get(
    '/reports/insights',
    requirePermission('analytics:read'),
    route(async (req, res) => {
      const query = parseInput(reportInsightsQuerySchema, req.query, 'query');
      res.json(await insights.insights(requireClient(req), query));
    }),
  );
  router.get(
    '/reports/insights.csv',
    requirePermission('analytics:read'),
    route(async (req, res) => {
      const query = parseInput(reportInsightsQuerySchema, req.query, 'query');
      // Computed before the first byte: a failure is still a JSON error, not a cut-off file.
      const report = await insights.insights(requireClient(req), query);
      async function* batches() {
        yield* insightsCsvBatches(report);
      }
      await sendCsv(res, `insights-${report.from}-to-${report.to}.csv`, insightsCsvColumns(report), batches());
    }),
  );
  return router;
}
