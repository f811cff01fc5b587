import { publicResponseTimeSchema, reportsQuerySchema, reportsSchema } from '@leaddesk/shared';
import { Router } from 'express';
import { z } from 'zod';
import { AppError } from '../errors/app-error.js';
import { parseInput } from '../errors/validate.js';
import { requireClient, requireEm } from '../http/api-key-auth.js';
import { route } from '../http/async-handler.js';
import { requirePermission } from '../http/authenticate.js';
import type { OpenApiRegistry } from '../http/openapi.js';
import { chatPausedError, findClientBySiteKey } from '../tenants/tenant-service.js';
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

const siteKeyQuery = z.object({ siteKey: z.string().min(3).max(64) });
/** How long a published figure is reused (per process, and by the visitor's browser and any CDN). */
const PUBLIC_TTL_MS = 5 * 60_000;

/**
 * `GET /widget/response-time?siteKey=`: "Average response time: 7 s" over the
 * last 30 days, for a badge on the tenant's own site. Public and keyed by the
 * public site key like the widget's config, so only what a tenant chose to
 * publish (`config.reports.publishResponseTime`) is ever answered; otherwise
 * 404. Cached for five minutes: a busy site costs one report read per process.
 */
export function publicResponseTimeRoutes(openapi: OpenApiRegistry, reports: ReportService): Router {
  const router = Router();
  const cache = new Map<string, { at: number; body: z.infer<typeof publicResponseTimeSchema> }>();
  openapi.add({
    method: 'get',
    path: '/widget/response-time',
    summary: "The tenant's published average first response time over the last 30 days (opt-in)",
    tag: 'widget',
    auth: 'none',
    query: siteKeyQuery,
    response: publicResponseTimeSchema,
  });
  router.get(
    '/widget/response-time',
    route(async (req, res) => {
      const { siteKey } = parseInput(siteKeyQuery, req.query, 'query');
      const client = await findClientBySiteKey(requireEm(req), siteKey);
      if (!client) throw new AppError('invalid_site_key', 'unknown site key');
      if (client.status !== 'active') throw chatPausedError();
      if (!client.config.reports?.publishResponseTime) {
        throw new AppError('not_found', 'this business does not publish its response time');
      }
      const hit = cache.get(client.id);
      let body = hit && Date.now() - hit.at < PUBLIC_TTL_MS ? hit.body : null;
      if (!body) {
        const report = await reports.report(client, { period: 'last_30_days' });
        const first = report.responseTimes.metrics.find((m) => m.metric === 'first_response');
        body = {
          headline: report.responseTimes.headline,
          averageSeconds: report.responseTimes.averageSeconds,
          count: first?.all.count ?? 0,
          from: report.from,
          to: report.to,
        };
        cache.set(client.id, { at: Date.now(), body });
      }
      res.setHeader('cache-control', `public, max-age=${PUBLIC_TTL_MS / 1000}`);
      res.json(body);
    }),
  );
  return router;
}
