import type { Router } from 'express';
import type { AppContext } from './app-context.js';
import { brandingOf } from './branding/branding-service.js';
import type { SecretBox } from './channels/settings/secret-box.js';
import type { DomainEventBus } from './conversation/domain-events.js';
import { sqlOf } from './db/sql.js';
import type { EmailSender } from './email/email-sender.js';
import type { OpenApiRegistry } from './http/openapi.js';
import { OutgoingWebhooks } from './outgoing-webhooks/outgoing-webhooks.js';
import { WebhookPoster } from './outgoing-webhooks/post-webhook.js';
import { webhookEndpointRoutes } from './outgoing-webhooks/webhook-endpoint-routes.js';

export interface OutgoingWebhookComponents {
  webhooks: OutgoingWebhooks;
  /** Tenant API under `/api/v1` (behind authentication): `/webhook-endpoints`, `/webhook-deliveries`. */
  api: Router;
  /** Starts the delivery worker and the sweep (worker processes). */
  start(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Composition for the outgoing webhooks of issue 15 (not the incoming
 * provider webhooks of `channels/`): every process records the domain events
 * its core emits into the outbox; worker processes deliver them.
 */
export function attachWebhooks(
  ctx: AppContext,
  deps: { events: DomainEventBus; box: SecretBox | null; email: EmailSender; openapi: OpenApiRegistry },
): OutgoingWebhookComponents {
  const env = ctx.config.raw;
  const clock = ctx.clock ?? (() => new Date());
  const sql = sqlOf(ctx.db.orm);
  const allowPrivate = env.OUTGOING_WEBHOOKS_ALLOW_PRIVATE;
  const allowHttp = env.OUTGOING_WEBHOOKS_ALLOW_HTTP;
  if (allowPrivate || allowHttp) {
    ctx.logger.warn(
      { allowPrivate, allowHttp },
      'outgoing webhooks may reach private addresses or plain http (development setting)',
    );
  }
  const poster = new WebhookPoster({ allowPrivate, timeoutMs: env.OUTGOING_WEBHOOKS_TIMEOUT_MS });
  const base = ctx.config.http.publicUrl ?? `http://localhost:${ctx.config.http.port}`;
  const webhooks = new OutgoingWebhooks({
    sql,
    jobs: ctx.jobs,
    box: deps.box,
    poster,
    email: deps.email,
    branding: brandingOf(ctx),
    logger: ctx.logger,
    clock,
    retry: {
      baseMs: env.OUTGOING_WEBHOOKS_RETRY_BASE_MS,
      maxMs: env.OUTGOING_WEBHOOKS_RETRY_MAX_MS,
      windowMs: env.OUTGOING_WEBHOOKS_RETRY_WINDOW_MS,
    },
    timeoutMs: env.OUTGOING_WEBHOOKS_TIMEOUT_MS,
    sweepIntervalMs: env.OUTGOING_WEBHOOKS_SWEEP_INTERVAL_MS,
    // The live path writes within milliseconds; recording early is harmless (one event per key), only wasted work.
    catchUpGraceMs: Math.min(10_000, env.OUTGOING_WEBHOOKS_SWEEP_INTERVAL_MS),
    concurrency: env.OUTGOING_WEBHOOKS_CONCURRENCY,
    dashboardUrl: `${base}/dashboard/settings/integrations`,
  });
  const stopListening = webhooks.listen(deps.events);
  return {
    webhooks,
    api: webhookEndpointRoutes(deps.openapi, { sql, box: deps.box, webhooks, clock, allowHttp, allowPrivate }),
    start: () => webhooks.start(),
    async close() {
      stopListening();
      await webhooks.close();
      poster.close();
    },
  };
}
