import {
  type LeadDto,
  type LeadStatus,
  leadSchema,
  listLeadsQuerySchema,
  paginated,
  updateLeadStatusSchema,
} from '@leaddesk/shared';
import type { FilterQuery } from '@mikro-orm/core';
import { Router } from 'express';
import type { DomainEventBus } from '../../conversation/domain-events.js';
import { type ILead, Lead } from '../../db/entities/index.js';
import type { Sql } from '../../db/sql.js';
import { updateLocked } from '../../db/update-locked.js';
import { AppError } from '../../errors/app-error.js';
import { parseInput } from '../../errors/validate.js';
import { changeLeadStatus, getLead, leadToDto } from '../../leads/lead-service.js';
import { leadIdsWithTag, tagsOfLeads } from '../../leads/lead-tags.js';
import { recordLeadView } from '../../privacy/record-lead-view.js';
import { ConversionModels } from '../../reports/scoring/conversion-model.js';
import { requireClient, requireEm } from '../api-key-auth.js';
import { route } from '../async-handler.js';
import { requestMeta, requirePermission } from '../authenticate.js';
import type { OpenApiRegistry } from '../openapi.js';

export function leadRoutes(openapi: OpenApiRegistry, sql: Sql, events?: DomainEventBus): Router {
  const router = Router();
  const models = new ConversionModels(sql);
  /** The REST representation carries the leads' tags (events and the socket do not). */
  const withTags = async (clientId: string, leads: ILead[]): Promise<LeadDto[]> => {
    const tags = await tagsOfLeads(
      sql,
      clientId,
      leads.map((l) => l.id),
    );
    return leads.map((l) => ({ ...leadToDto(l), tags: tags.get(l.id) ?? [] }));
  };

  openapi.add({
    method: 'get',
    path: '/leads',
    summary: 'List leads',
    tag: 'leads',
    query: listLeadsQuerySchema,
    response: paginated(leadSchema),
  });
  router.get(
    '/leads',
    requirePermission('leads:read'),
    route(async (req, res) => {
      const client = requireClient(req);
      const q = parseInput(listLeadsQuerySchema, req.query, 'query');
      const where: FilterQuery<ILead> = { client: client.id };
      if (q.status) where.status = q.status;
      if (q.temperature) where.temperature = q.temperature;
      if (q.source) where.source = q.source;
      if (q.minScore !== undefined) where.score = { $gte: q.minScore };
      if (q.tag) where.id = { $in: await leadIdsWithTag(sql, client.id, q.tag) };
      if (q.from || q.to) {
        where.createdAt = {
          ...(q.from ? { $gte: new Date(`${q.from}T00:00:00Z`) } : {}),
          ...(q.to ? { $lt: new Date(Date.parse(`${q.to}T00:00:00Z`) + 86_400_000) } : {}),
        };
      }
      if (q.q) {
        const like = `%${q.q.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
        where.$or = [{ name: { $ilike: like } }, { email: { $ilike: like } }, { phone: { $ilike: like } }];
      }
      const [rows, total] = await requireEm(req).findAndCount(Lead, where, {
        orderBy: { createdAt: 'desc', id: 'desc' },
        limit: q.pageSize,
        offset: (q.page - 1) * q.pageSize,
      });
      res.json({ data: await withTags(client.id, rows), page: q.page, pageSize: q.pageSize, total });
    }),
  );

  openapi.add({ method: 'get', path: '/leads/:id', summary: 'Get a lead', tag: 'leads', response: leadSchema });
  router.get(
    '/leads/:id',
    requirePermission('leads:read'),
    route(async (req, res) => {
      const client = requireClient(req);
      const lead = await getLead(requireEm(req), client, parseId(req.params.id));
      const principal = req.principal;
      if (principal) {
        // Access audit (docs/privacy.md): who opened the lead, once an hour per caller. Not a reason to refuse.
        const meta = requestMeta(req);
        await recordLeadView(sql, {
          clientId: client.id,
          leadId: lead.id,
          actor: principal.kind,
          userId: principal.userId ?? null,
          ip: meta.ip,
          userAgent: meta.userAgent,
        }).catch((err: Error) => req.log?.error({ err: { message: err.message } }, 'lead view audit failed'));
      }
      // The chance it is won: the tenant's own model, or the score labelled heuristic (docs/reports.md).
      const conversion = (await models.estimate(client, lead.id)) ?? undefined;
      res.json({ ...(await withTags(client.id, [lead]))[0], conversion });
    }),
  );

  openapi.add({
    method: 'patch',
    path: '/leads/:id/status',
    summary: 'Change a lead status (only allowed transitions)',
    tag: 'leads',
    body: updateLeadStatusSchema,
    response: leadSchema,
  });
  router.patch(
    '/leads/:id/status',
    requirePermission('leads:update'),
    route(async (req, res) => {
      const body = parseInput(updateLeadStatusSchema, req.body, 'body');
      // The transition is checked against the status as committed now (row lock), not a stale copy.
      const where = { id: parseId(req.params.id), client: requireClient(req).id };
      let from: LeadStatus | null = null;
      const updated = await updateLocked(requireEm(req), Lead, where, (lead, tx) => {
        from = lead.status as LeadStatus;
        return changeLeadStatus(tx, lead, body.status);
      });
      if (!updated) throw AppError.notFound('lead');
      const lead = leadToDto(updated.row);
      const [withTagsNow] = await withTags(requireClient(req).id, [updated.row]);
      // Emitted after the row lock's transaction committed (updateLocked returns then).
      if (from && from !== lead.status) {
        events?.emit('lead.status_changed', {
          clientId: requireClient(req).id,
          lead,
          from,
          to: lead.status,
          by: 'staff',
        });
      }
      res.json(withTagsNow);
    }),
  );

  return router;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A malformed id is treated like a missing one: 404, so ids reveal nothing. */
export function parseId(raw: unknown): string {
  if (typeof raw === 'string' && UUID_RE.test(raw)) return raw.toLowerCase();
  return '00000000-0000-0000-0000-000000000000';
}
