import { canTransitionLead, type LeadStatus } from '@leaddesk/shared';
import express, { Router } from 'express';
import { z } from 'zod';
import { findClientBySlugOrId } from '../../channels/find-client.js';
import type { DomainEventBus } from '../../conversation/domain-events.js';
import { Lead, User } from '../../db/entities/index.js';
import type { Orm } from '../../db/orm.js';
import { updateLocked } from '../../db/update-locked.js';
import { AppError } from '../../errors/app-error.js';
import { requireEm } from '../../http/api-key-auth.js';
import { route } from '../../http/async-handler.js';
import type { Jobs } from '../../jobs/job-queue.js';
import { leadToDto } from '../../leads/lead-service.js';
import type { Logger } from '../../logger.js';
import { statusForStage } from './hubspot-connection.js';
import { CRM_QUEUE, type HubSpotSync } from './hubspot-sync.js';
import { verifyHubSpotV3 } from './verify-hubspot-signature.js';

export const APPLY_WEBHOOK_JOB = 'hubspot.apply-webhook';

/** One event of HubSpot's webhook batch (a JSON array), as far as we read it. */
const hubspotEventSchema = z.object({
  eventId: z.union([z.number(), z.string()]).transform(String),
  portalId: z.union([z.number(), z.string()]).transform(String).optional(),
  occurredAt: z.number().optional(),
  subscriptionType: z.string().max(100),
  objectId: z.union([z.number(), z.string()]).transform(String),
  propertyName: z.string().max(100).optional(),
  propertyValue: z.string().max(1000).nullable().optional(),
  changeSource: z.string().max(100).optional(),
});
const hubspotBatchSchema = z.array(z.looseObject({})).max(1000);
export type HubSpotEvent = z.infer<typeof hubspotEventSchema>;

export interface ApplyWebhookJob {
  clientId: string;
  event: HubSpotEvent;
}

const WATCHED = new Set(['dealstage', 'hubspot_owner_id']);

export interface HubSpotWebhookOptions {
  sync: HubSpotSync;
  jobs: Jobs;
  publicUrl?: string;
  bodyLimit: string;
  now: () => Date;
}

/**
 * `POST /webhooks/hubspot?client=<slug>`: HubSpot's deal events for one
 * tenant. The v3 signature is checked on the raw body with the tenant's app
 * client secret before anything is parsed (bad: 401, nothing stored); the
 * events we act on (a deal's stage or owner) become jobs keyed by HubSpot's
 * event id, so a redelivery is applied once, and HubSpot gets its 200 fast.
 */
export function hubspotWebhookRoutes(options: HubSpotWebhookOptions): Router {
  const router = Router();
  router.post(
    '/webhooks/hubspot',
    express.raw({ type: () => true, limit: options.bodyLimit }),
    route(async (req, res) => {
      const raw = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
      const ref = typeof req.query.client === 'string' ? req.query.client : undefined;
      const client = await findClientBySlugOrId(requireEm(req), ref);
      if (!client) throw new AppError('invalid_signature', 'unknown client in webhook URL');
      const connection = await options.sync.connection(client.id);
      if (!connection?.clientSecret) {
        throw new AppError('invalid_signature', 'no HubSpot client secret configured to verify this webhook');
      }
      // The URL HubSpot called: behind a proxy PUBLIC_URL says what it was.
      const base = options.publicUrl ?? `${req.protocol}://${req.get('host')}`;
      const verdict = verifyHubSpotV3({
        secret: connection.clientSecret,
        method: req.method,
        uri: `${base}${req.originalUrl}`,
        body: raw,
        signature: req.get('x-hubspot-signature-v3'),
        timestamp: req.get('x-hubspot-request-timestamp'),
        now: options.now().getTime(),
      });
      if (!verdict.ok) throw new AppError('invalid_signature', verdict.reason);

      let batch: unknown;
      try {
        batch = JSON.parse(raw);
      } catch {
        throw new AppError('validation_failed', 'invalid body: not JSON');
      }
      const parsed = hubspotBatchSchema.safeParse(batch);
      if (!parsed.success) throw new AppError('validation_failed', 'invalid body: expected an array of events');
      let queued = 0;
      for (const item of parsed.data) {
        const event = hubspotEventSchema.safeParse(item);
        if (!event.success) continue;
        const e = event.data;
        if (e.subscriptionType !== 'deal.propertyChange' || !e.propertyName || !WATCHED.has(e.propertyName)) continue;
        if (connection.portalId && e.portalId && e.portalId !== connection.portalId) continue;
        await options.jobs.add<ApplyWebhookJob>(
          CRM_QUEUE,
          APPLY_WEBHOOK_JOB,
          { clientId: client.id, event: e },
          { jobId: `hubspot-event-${client.id}-${e.eventId}`, attempts: 5 },
        );
        queued++;
      }
      res.json({ received: parsed.data.length, queued });
    }),
  );
  return router;
}

/**
 * Applies a deal's stage or owner change to its lead: the stage mapped back to
 * a status (when the lifecycle allows the move), the owner to the staff
 * member with the owner's email. What HubSpot now holds is recorded as
 * pushed, so the sync these changes trigger finds nothing to send back.
 */
export function applyHubSpotEvent(deps: { orm: Orm; sync: HubSpotSync; events: DomainEventBus; logger: Logger }) {
  return async ({ clientId, event }: ApplyWebhookJob): Promise<void> => {
    const { sync, logger } = deps;
    const row = await sync.store.findByDeal(clientId, event.objectId);
    if (!row) {
      logger.debug({ clientId, dealId: event.objectId }, 'HubSpot event for a deal Lead Desk did not create');
      return;
    }
    const connection = await sync.connection(clientId);
    if (!connection) return;
    const value = event.propertyValue ?? '';
    let assigneeId: string | null | undefined;
    if (event.propertyName === 'hubspot_owner_id') {
      assigneeId = null;
      if (value) {
        const owner = await sync.clientFor(connection).getOwner(value);
        const users = owner?.email
          ? await deps.orm.em
              .fork()
              .getConnection()
              .execute<Array<{ id: string }>>(
                'select id from users where client_id = ? and lower(email) = lower(?) limit 1',
                [clientId, owner.email],
              )
          : [];
        assigneeId = users[0]?.id;
        if (!assigneeId) {
          logger.info(
            { clientId, ownerId: value },
            'HubSpot owner has no staff account with that email: assignee kept',
          );
        }
      }
    }
    const seen: { from: LeadStatus | null; changed: boolean } = { from: null, changed: false };
    const updated = await updateLocked(deps.orm.em.fork(), Lead, { id: row.lead_id, client: clientId }, (lead, tx) => {
      const from = lead.status as LeadStatus;
      seen.from = from;
      if (event.propertyName === 'dealstage') {
        const to = statusForStage(connection.stages, value, from);
        if (to && to !== from) {
          if (canTransitionLead(from, to)) {
            lead.status = to;
            seen.changed = true;
          } else logger.info({ clientId, leadId: lead.id, from, to }, 'HubSpot stage change not allowed for the lead');
        }
      }
      const current = (lead.assignee as { id: string } | null | undefined)?.id ?? null;
      if (assigneeId !== undefined && assigneeId !== current) {
        lead.assignee = assigneeId ? tx.getReference(User, assigneeId) : null;
        seen.changed = true;
      }
      return tx.flush();
    });
    await sync.store.heard(clientId, row.lead_id, { [event.propertyName as string]: value });
    if (!updated || !seen.changed) return;
    const dto = leadToDto(updated.row);
    if (seen.from && seen.from !== dto.status) {
      deps.events.emit('lead.status_changed', {
        clientId,
        lead: dto,
        from: seen.from,
        to: dto.status,
        by: 'integration',
      });
    }
    deps.events.emit('lead.updated', { clientId, lead: dto, created: false });
  };
}
