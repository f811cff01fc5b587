import type { Router } from 'express';
import { Router as createRouter } from 'express';
import { Redis } from 'ioredis';
import type { AppContext } from './app-context.js';
import type { ConversationComponents } from './attach-conversation-core.js';
import { brandingOf } from './branding/branding-service.js';
import type { SecretBox } from './channels/settings/secret-box.js';
import {
  ERASE_CONTACT_JOB,
  type EraseContactJob,
  enqueueHubSpotErase,
  hubspotEraseHandler,
} from './crm/hubspot/hubspot-erase.js';
import { createHubSpotRateLimiter } from './crm/hubspot/hubspot-rate-limit.js';
import { hubspotRoutes } from './crm/hubspot/hubspot-routes.js';
import { CRM_QUEUE, HubSpotSync, PREPARE_JOB, SWEEP_JOB, SYNC_LEAD_JOB } from './crm/hubspot/hubspot-sync.js';
import {
  APPLY_WEBHOOK_JOB,
  type ApplyWebhookJob,
  applyHubSpotEvent,
  hubspotWebhookRoutes,
} from './crm/hubspot/hubspot-webhooks.js';
import { sqlOf } from './db/sql.js';
import type { OpenApiRegistry } from './http/openapi.js';

export interface CrmComponents {
  hubspot: HubSpotSync;
  /** `/crm/hubspot…` and `/leads/:id/crm…`, mounted behind authentication. */
  api: Router;
  /** `POST /webhooks/hubspot`. */
  webhooks: Router;
  /**
   * An erased lead's CRM records (ids as the sync stored them) are archived by a job; false when the tenant
   * has no CRM connected.
   */
  eraseLead(
    clientId: string,
    leadId: string,
    known: { contactIds: string[]; dealIds: string[]; noteIds: string[] },
  ): Promise<boolean>;
  /** The sync workers and the periodic sweep (worker processes). */
  start(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Composition for the CRM sync (issue 15, HubSpot per tenant): lead changes
 * (`lead.updated`, `lead.status_changed`) become sync jobs in any process;
 * worker processes push them to HubSpot within the tenant's rate budget
 * (shared through Redis) and apply HubSpot's signed webhooks back.
 */
export function attachCrm(
  ctx: AppContext,
  deps: { conversation: ConversationComponents; openapi: OpenApiRegistry; box: SecretBox | null },
): CrmComponents {
  const { config, logger, jobs } = ctx;
  const env = config.raw;
  const sql = sqlOf(ctx.db.orm);
  let redis: Redis | undefined;
  if (config.redisUrl) {
    redis = new Redis(config.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2000 });
    redis.on('error', () => {});
  }
  const limiter = createHubSpotRateLimiter({
    perTenGiven: env.HUBSPOT_RATE_PER_10S,
    redis,
    keyPrefix: config.rateLimit.redisPrefix,
  });
  const publicUrl = config.http.publicUrl ?? `http://localhost:${config.http.port}`;
  const hubspot = new HubSpotSync({
    sql,
    box: deps.box,
    jobs,
    logger,
    limiter,
    baseUrl: env.HUBSPOT_BASE_URL,
    publicUrl,
    branding: brandingOf(ctx),
    delayMs: env.HUBSPOT_SYNC_DELAY_MS,
    leaseMs: env.HUBSPOT_SYNC_LEASE_MS,
    sweepMs: env.HUBSPOT_SYNC_SWEEP_MS,
    timeoutMs: env.HUBSPOT_REQUEST_TIMEOUT_MS,
  });
  const events = deps.conversation.core.events;
  const request = (clientId: string, leadId: string) => hubspot.request(clientId, leadId);
  const unsubscribe = [
    events.on('lead.updated', (e) => request(e.clientId, e.lead.id)),
    events.on('lead.status_changed', (e) => request(e.clientId, e.lead.id)),
  ];

  const api = createRouter();
  api.use(hubspotRoutes(deps.openapi, { sql, box: deps.box, sync: hubspot, publicUrl: config.http.publicUrl }));
  const webhooks = hubspotWebhookRoutes({
    sync: hubspot,
    jobs,
    publicUrl: config.http.publicUrl,
    bodyLimit: config.http.bodyLimit,
    now: ctx.clock ?? (() => new Date()),
  });
  const apply = applyHubSpotEvent({ orm: ctx.db.orm, sync: hubspot, events, logger });
  const erase = hubspotEraseHandler({
    sync: hubspot,
    jobs,
    logger,
    secondPassDelayMs: env.HUBSPOT_SYNC_LEASE_MS + env.HUBSPOT_SYNC_DELAY_MS,
  });

  let sweeper: NodeJS.Timeout | undefined;
  return {
    hubspot,
    api,
    webhooks,
    async eraseLead(clientId, leadId, known) {
      if (!(await hubspot.connection(clientId))) return false;
      await enqueueHubSpotErase(jobs, { clientId, leadId, ...known, pass: 1 });
      return true;
    },
    async start() {
      logger.info('HubSpot sync: per tenant (Settings → Integrations); tenants without a connection are skipped');
      await jobs.work<unknown>(
        CRM_QUEUE,
        async (job) => {
          if (job.name === SYNC_LEAD_JOB) return hubspot.handle(job as Parameters<HubSpotSync['handle']>[0]);
          if (job.name === APPLY_WEBHOOK_JOB) return apply(job.data as ApplyWebhookJob);
          if (job.name === ERASE_CONTACT_JOB) return erase(job.data as EraseContactJob);
          if (job.name === PREPARE_JOB) return hubspot.handlePrepare((job.data as { clientId: string }).clientId);
          if (job.name === SWEEP_JOB) {
            await hubspot.sweep((job.data as { clientId: string }).clientId);
            return;
          }
        },
        { concurrency: 4 },
      );
      const sweep = () => hubspot.sweep().catch((err: unknown) => logger.warn({ err }, 'HubSpot sync sweep failed'));
      void sweep();
      sweeper = setInterval(sweep, env.HUBSPOT_SYNC_SWEEP_MS);
      sweeper.unref();
    },
    async close() {
      if (sweeper) clearInterval(sweeper);
      for (const off of unsubscribe) off();
      redis?.disconnect();
    },
  };
}
