/**
 * Observability: Prometheus metrics (/metrics), OpenTelemetry traces and Sentry error
 * reports (set up by instrument.ts before the app loads). docs/deploy.md lists the metrics.
 *
 * app.ts calls three functions, in order of the middleware chain: `httpObservability` first
 * (counts every request, serves /metrics), `observeComponents` once the components exist,
 * and `reportUnexpectedErrors` just before the error handler. The reply path and the provider
 * chain call the hooks of metrics.ts (a module with no imports of the app, so no cycles).
 */
import type { Router } from 'express';
import express from 'express';
import type { Server } from 'socket.io';
import type { AppContext } from '../app-context.js';
import type { DomainEventBus } from '../conversation/domain-events.js';
import { httpMetrics, metricsEndpoint } from './http-metrics.js';
import { messagesStored } from './metrics.js';
import { queueStatsReader } from './queue-stats.js';
import { observeRuntime } from './runtime-gauges.js';
import { observeSockets } from './socket-metrics.js';

export { reportUnexpectedErrors } from './error-reporting.js';

/** Request metrics and GET /metrics, unless METRICS_ENABLED=false. */
export function httpObservability(ctx: AppContext): Router {
  const router = express.Router();
  if (!ctx.config.raw.METRICS_ENABLED) return router;
  router.get('/metrics', metricsEndpoint({ token: ctx.config.raw.METRICS_TOKEN }));
  router.use(httpMetrics());
  return router;
}

export interface ObservedComponents {
  io: Server;
  events: DomainEventBus;
}

/** Sockets, stored messages, job queues and the database pool. Returns the function that stops observing. */
export function observeComponents(ctx: AppContext, parts: ObservedComponents): () => Promise<void> {
  if (!ctx.config.raw.METRICS_ENABLED) return async () => {};
  observeSockets(parts.io);
  const off = parts.events.on('message.created', ({ channel, message }) => {
    messagesStored.inc({ channel, role: message.role });
  });
  const stopRuntime = observeRuntime(ctx.db, queueStatsReader(ctx.config, ctx.db, ctx.jobs.kind));
  return async () => {
    off();
    await stopRuntime();
  };
}
