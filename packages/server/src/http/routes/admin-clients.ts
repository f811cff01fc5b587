import { CLIENT_STATUSES, INDUSTRIES, PLANS, paginationQuerySchema } from '@leaddesk/shared';
import type { FilterQuery } from '@mikro-orm/core';
import { Router } from 'express';
import { z } from 'zod';
import { storedSettings } from '../../channels/settings/channel-settings.js';
import type { Config } from '../../config/config.js';
import { Agency, Client, type IClient } from '../../db/entities/index.js';
import { updateLocked } from '../../db/update-locked.js';
import { AppError } from '../../errors/app-error.js';
import { parseInput } from '../../errors/validate.js';
import type { KnowledgeService } from '../../knowledge/knowledge-service.js';
import { connectedChannels, limitsOf, overPlan } from '../../plans/plan-limits.js';
import { seatsInUse } from '../../plans/seats.js';
import { starterIngestOf } from '../../tenants/starter-knowledge/index.js';
import { agencyIdOfClient, clientToDto, createClient, setClientStatus } from '../../tenants/tenant-service.js';
import { requireEm } from '../api-key-auth.js';
import { route } from '../async-handler.js';
import { audited, requirePermission } from '../authenticate.js';
import { mergePatch, requirePatchObject } from '../merge-patch.js';
import type { OpenApiRegistry } from '../openapi.js';
import { parseId } from './leads.js';

const listClientsQuery = paginationQuerySchema.extend({
  status: z.enum(CLIENT_STATUSES).optional(),
  q: z.string().max(100).optional(),
});
export const createClientSchema = z.object({
  name: z.string().trim().min(1).max(200),
  industry: z.enum(INDUSTRIES).default('other'),
  slug: z.string().max(80).optional(),
  timezone: z.string().max(64).optional(),
  locale: z.string().min(2).max(16).optional(),
  plan: z.enum(PLANS).optional(),
  allowedOrigins: z.array(z.string().min(1).max(300)).max(50).optional(),
  /** The industry's starter knowledge bases (prices, hours, policies in six languages); false for an empty start. */
  starterKnowledge: z.boolean().default(true),
});
/** What a super admin manages of a client, whole; `PATCH /admin/clients/:id` is a merge patch of it. */
const managedClientSchema = z.object({
  status: z.enum(CLIENT_STATUSES),
  plan: z.enum(PLANS),
  /** The agency reselling the client (issue 18), or null: moving it changes which agency's staff may select it. */
  agencyId: z.string().uuid().nullish(),
});
const NOTHING_TO_UPDATE = 'send status, plan and/or agencyId';

/** Super-admin management of every client, through the tenant service. */
export function adminClientRoutes(
  openapi: OpenApiRegistry,
  config: Pick<Config, 'plans'>,
  knowledge?: KnowledgeService,
): Router {
  const router = Router();
  const ingest = knowledge ? starterIngestOf(knowledge) : undefined;
  const manage = requirePermission('clients:manage');

  openapi.add({ method: 'get', path: '/admin/clients', summary: 'All clients', tag: 'admin', query: listClientsQuery });
  router.get(
    '/admin/clients',
    manage,
    route(async (req, res) => {
      const q = parseInput(listClientsQuery, req.query, 'query');
      const where: FilterQuery<IClient> = {};
      if (q.status) where.status = q.status;
      if (q.q) {
        const like = `%${q.q.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
        where.$or = [{ name: { $ilike: like } }, { slug: { $ilike: like } }];
      }
      const [rows, total] = await requireEm(req).findAndCount(Client, where, {
        orderBy: { createdAt: 'desc', id: 'desc' },
        limit: q.pageSize,
        offset: (q.page - 1) * q.pageSize,
      });
      res.json({ data: rows.map(clientToDto), page: q.page, pageSize: q.pageSize, total });
    }),
  );

  openapi.add({
    method: 'post',
    path: '/admin/clients',
    summary: 'Create a client from an industry template (the API key is shown once)',
    tag: 'admin',
    body: createClientSchema,
    status: 201,
  });
  router.post(
    '/admin/clients',
    manage,
    audited('clients.created', {
      target: (req) => req.res?.locals.createdClientId as string | undefined,
      clientIsTarget: true,
    }),
    route(async (req, res) => {
      const body = parseInput(createClientSchema, req.body, 'body');
      const { client, apiKey, starterKnowledge } = await createClient(requireEm(req), body, { ingest });
      res.locals.createdClientId = client.id;
      res.status(201).json({ client: clientToDto(client), apiKey, starterKnowledge });
    }),
  );

  openapi.add({
    method: 'patch',
    path: '/admin/clients/:id',
    summary: 'Pause or activate a client, change its plan, or move it into or out of an agency (JSON Merge Patch)',
    tag: 'admin',
    body: managedClientSchema,
    mergePatch: true,
  });
  router.patch(
    '/admin/clients/:id',
    manage,
    audited('clients.updated', { clientIsTarget: true }),
    route(async (req, res) => {
      const patch = requirePatchObject(req.body, { emptyMessage: NOTHING_TO_UPDATE });
      const updated = await updateLocked(requireEm(req), Client, { id: parseId(req.params.id) }, async (client, tx) => {
        const agencyId = agencyIdOfClient(client);
        const next = mergePatch(managedClientSchema, { status: client.status, plan: client.plan, agencyId }, patch);
        // `null` removes the member (a merge patch): out of any agency.
        const nextAgencyId = next.agencyId ?? null;
        if (nextAgencyId !== agencyId) {
          if (nextAgencyId && !(await tx.count(Agency, { id: nextAgencyId }))) {
            throw new AppError('validation_failed', 'agencyId: no such agency', [
              { path: 'agencyId', message: 'no such agency' },
            ]);
          }
          client.agency = nextAgencyId ? tx.getReference(Agency, nextAgencyId) : null;
          res.locals.auditMetadata = { agencyId: { from: agencyId, to: nextAgencyId } };
        }
        if (next.plan !== client.plan) {
          // Under the tenant's row lock, which every new seat takes too: no invitation slips in between.
          const usage = {
            seats: await seatsInUse(tx, client.id),
            channels: connectedChannels(storedSettings(client)),
          };
          const reasons = overPlan(limitsOf(config, next.plan), usage);
          if (reasons.length) {
            throw new AppError('conflict', `cannot move to the ${next.plan} plan: ${reasons.join('; ')}`);
          }
        }
        client.plan = next.plan;
        if (next.status !== client.status) await setClientStatus(tx, client, next.status);
      });
      if (!updated) throw AppError.notFound('client');
      res.json(clientToDto(updated.row));
    }),
  );

  return router;
}
