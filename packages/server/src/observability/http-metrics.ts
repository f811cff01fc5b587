import { timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { httpDuration, httpRequests, registry } from './metrics.js';

/**
 * Counts every HTTP request and its latency under the route template that answered it
 * (`/api/v1/leads/:id`), never the path itself: paths carry ids, site keys and tokens.
 */
export function httpMetrics(): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const labels = { method: req.method, route: routeTemplate(req), status: String(res.statusCode) };
      httpRequests.inc(labels);
      httpDuration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
    });
    next();
  };
}

/** The matched route's template; a static mount (`/widget/*`); or `unmatched` for 404s and probes of nonsense. */
export function routeTemplate(req: Request): string {
  const route = (req as { route?: { path?: unknown } }).route;
  if (route && typeof route.path === 'string') return `${req.baseUrl}${route.path}` || '/';
  // express.static and other mounted middleware answer without a route: the mount path is still a template.
  if (req.baseUrl) return `${req.baseUrl}/*`;
  return 'unmatched';
}

export interface MetricsEndpointOptions {
  /** When set, a scrape must send `Authorization: Bearer <token>`. */
  token?: string;
}

/** GET /metrics in Prometheus text format. */
export function metricsEndpoint(options: MetricsEndpointOptions = {}): RequestHandler {
  const expected = options.token ? Buffer.from(`Bearer ${options.token}`) : undefined;
  return async (req, res, next) => {
    if (expected) {
      const given = Buffer.from(req.get('authorization') ?? '');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        res
          .status(401)
          .set('www-authenticate', 'Bearer')
          .json({
            error: { code: 'unauthorized', message: 'metrics need a bearer token' },
          });
        return;
      }
    }
    try {
      const body = await registry.metrics();
      res.set('content-type', registry.contentType).set('cache-control', 'no-store').send(body);
    } catch (err) {
      next(err);
    }
  };
}
