import { reportsQuerySchema, reportsSchema } from '@leaddesk/shared';
import { Router } from 'express';
import { parseInput } from '../errors/validate.js';
import { requireClient } from '../http/api-key-auth.js';
import { route } from '../http/async-handler.js';
import { requirePermission } from '../http/authenticate.js';
import type { OpenApiRegistry } from '../http/openapi.js';
import type { ReportService } from './report-service.js';

/** `GET /reports`: the response-time SLA and missed-revenue reports of the calling tenant. */
export function reportsRoutes(openapi: OpenApiRegistry, reports: ReportService): Router {
  const router = Router();
  openapi.add({
    method: 'get',
    path: '/reports',
    summary:
      'Response-time SLA (p50/p90/average by channel, in and out of business hours, against targets) and missed revenue (after-hours inquiries, their outcomes and value by week), in the tenant’s time zone (docs/reports.md)',
    tag: 'analytics',
    query: reportsQuerySchema,
    response: reportsSchema,
  });
  router.get(
    '/reports',
    requirePermission('analytics:read'),
    route(async (req, res) => {
      const query = parseInput(reportsQuerySchema, req.query, 'query');
      res.json(await reports.report(requireClient(req), query));
    }),
  );
  return router;
}
