import { type ReportsQuery, reportsQuerySchema, roiReportSchema } from '@leaddesk/shared';
import { type Request, type Response, Router } from 'express';
import { parseInput } from '../../errors/validate.js';
import { requireClient } from '../../http/api-key-auth.js';
import { route } from '../../http/async-handler.js';
import { requirePermission } from '../../http/authenticate.js';
import { sendCsv } from '../../http/csv-response.js';
import type { OpenApiRegistry } from '../../http/openapi.js';
import type { ReportService } from '../report-service.js';
import {
  missedRevenueColumns,
  missedRevenueRows,
  responseTimeColumns,
  responseTimeRows,
  roiColumns,
  roiRows,
} from './report-csv.js';
import type { RoiService } from './roi-service.js';

async function* once<T>(rows: T[]): AsyncIterable<T[]> {
  yield rows;
}

/**
 * `GET /reports/roi` and each report as CSV (`/reports/response-times.csv`,
 * `/reports/missed-revenue.csv`, `/reports/roi.csv`): the calling tenant's,
 * for the same period query as `GET /reports`, with the same permission.
 */
export function roiReportRoutes(openapi: OpenApiRegistry, reports: ReportService, roi: RoiService): Router {
  const router = Router();
  const read = requirePermission('analytics:read');
  const fileName = (name: string, slug: string, q: { from: string; to: string }) =>
    `${name}-${slug}-${q.from}-to-${q.to}.csv`;

  openapi.add({
    method: 'get',
    path: '/reports/roi',
    summary:
      'ROI: leads whose first answer came from the AI, their outcomes and value, against the plan’s cost prorated to the period, with the AI spend (docs/reports.md)',
    tag: 'analytics',
    query: reportsQuerySchema,
    response: roiReportSchema,
  });
  router.get(
    '/reports/roi',
    read,
    route(async (req, res) => {
      const query: ReportsQuery = parseInput(reportsQuerySchema, req.query, 'query');
      res.json(await roi.report(requireClient(req), query));
    }),
  );

  const csv: Array<{ path: string; summary: string; send: (req: Request, res: Response) => Promise<void> }> = [
    {
      path: '/reports/response-times.csv',
      summary: 'The response-time SLA report as CSV: one row per figure and channel',
      send: async (req, res) => {
        const client = requireClient(req);
        const report = await reports.report(client, parseInput(reportsQuerySchema, req.query, 'query'));
        await sendCsv(
          res,
          fileName('response-times', client.slug, report),
          responseTimeColumns,
          once(responseTimeRows(report)),
        );
      },
    },
    {
      path: '/reports/missed-revenue.csv',
      summary: 'The missed-revenue report as CSV: one row per week and a total',
      send: async (req, res) => {
        const client = requireClient(req);
        const report = await reports.report(client, parseInput(reportsQuerySchema, req.query, 'query'));
        await sendCsv(
          res,
          fileName('missed-revenue', client.slug, report),
          missedRevenueColumns,
          once(missedRevenueRows(report)),
        );
      },
    },
    {
      path: '/reports/roi.csv',
      summary: 'The ROI report as CSV: one row per figure, and per AI model',
      send: async (req, res) => {
        const client = requireClient(req);
        const report = await roi.report(client, parseInput(reportsQuerySchema, req.query, 'query'));
        await sendCsv(res, fileName('roi', client.slug, report), roiColumns, once(roiRows(report)));
      },
    },
  ];
  for (const c of csv) {
    openapi.add({ method: 'get', path: c.path, summary: c.summary, tag: 'analytics', query: reportsQuerySchema });
    router.get(
      c.path,
      read,
      route((req, res) => c.send(req, res)),
    );
  }
  return router;
}
