import {
  agencyClientSchema,
  agencyClientsQuerySchema,
  agencySchema,
  overviewQuerySchema,
  overviewSchema,
} from '@leaddesk/shared';
import type { FilterQuery } from '@mikro-orm/core';
import { type Request, Router } from 'express';
import type { AuthService } from '../auth/auth-service.js';
import type { Config } from '../config/config.js';
import { Client, type IClient } from '../db/entities/index.js';
import { AppError } from '../errors/app-error.js';
import { parseInput } from '../errors/validate.js';
import { requireEm } from '../http/api-key-auth.js';
import { route } from '../http/async-handler.js';
import { audited, requirePermission } from '../http/authenticate.js';
import type { OpenApiRegistry } from '../http/openapi.js';
import { createClientSchema } from '../http/routes/admin-clients.js';
import { inviteSchema, managedUserSchema } from '../http/routes/users.js';
import type { KnowledgeService } from '../knowledge/knowledge-service.js';
import { type OverviewService, sendOverviewCsv } from '../reports/overview/index.js';
import { starterIngestOf } from '../tenants/starter-knowledge/index.js';
import { clientToDto, createClient } from '../tenants/tenant-service.js';
import { agencyAuditRoutes } from './agency-audit.js';
import { agencyClientToDto, agencyToDto, findAgency } from './agency-service.js';
import { inviteAgencyStaff, listAgencyStaff, updateAgencyStaff } from './agency-staff.js';

/** The caller's agency: `assertPermission` has made sure there is one for every `agency:*` action. */
function agencyIdOfCaller(req: Request): string {
  const id = req.principal?.agencyId;
  if (!id) throw new AppError('forbidden', 'this account belongs to no agency');
  return id;
}

/**
 * `/agency…`: agency staff (issue 18) on their own agency, never on one named
 * in the request: the agency, its clients (the switcher), a new client from an
 * industry template, the side-by-side overview and its CSV, and the agency's
 * staff. Client staff, API keys and super admins get 403 (super admins use
 * `/admin/agencies…`).
 */
export function agencyRoutes(
  openapi: OpenApiRegistry,
  deps: { auth: AuthService; config: Config; overview: OverviewService; knowledge?: KnowledgeService },
): Router {
  const router = Router();
  const ingest = deps.knowledge ? starterIngestOf(deps.knowledge) : undefined;

  openapi.add({
    method: 'get',
    path: '/agency',
    summary: 'The caller’s agency',
    tag: 'agency',
    response: agencySchema,
  });
  router.get(
    '/agency',
    requirePermission('agency:read'),
    route(async (req, res) => {
      const em = requireEm(req);
      res.json(await agencyToDto(em, await findAgency(em, agencyIdOfCaller(req))));
    }),
  );

  openapi.add({
    method: 'get',
    path: '/agency/clients',
    summary: 'The agency’s clients, by name (the client switcher: select one with X-Client-Id)',
    tag: 'agency',
    query: agencyClientsQuerySchema,
  });
  router.get(
    '/agency/clients',
    requirePermission('agency:read'),
    route(async (req, res) => {
      const q = parseInput(agencyClientsQuerySchema, req.query, 'query');
      const where: FilterQuery<IClient> = { agency: agencyIdOfCaller(req) };
      if (q.status) where.status = q.status;
      if (q.q) {
        const like = `%${q.q.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
        where.$or = [{ name: { $ilike: like } }, { slug: { $ilike: like } }];
      }
      const rows = await requireEm(req).find(Client, where, { orderBy: { name: 'asc', id: 'asc' } });
      res.json({ data: rows.map((c) => agencyClientSchema.parse(agencyClientToDto(c))) });
    }),
  );

  openapi.add({
    method: 'post',
    path: '/agency/clients',
    summary: 'A new client of the agency from an industry template, on a plan (the API key is shown once)',
    tag: 'agency',
    body: createClientSchema,
    status: 201,
  });
  router.post(
    '/agency/clients',
    requirePermission('agency:manage'),
    audited('clients.created', {
      target: (req) => req.res?.locals.createdClientId as string | undefined,
      clientIsTarget: true,
    }),
    route(async (req, res) => {
      const body = parseInput(createClientSchema, req.body, 'body');
      const agencyId = agencyIdOfCaller(req);
      const { client, apiKey, starterKnowledge } = await createClient(
        requireEm(req),
        { ...body, agencyId },
        { ingest },
      );
      res.locals.createdClientId = client.id;
      res.locals.auditMetadata = { agencyId };
      res.status(201).json({ client: clientToDto(client), apiKey, starterKnowledge });
    }),
  );

  openapi.add({
    method: 'get',
    path: '/agency/overview',
    summary:
      'The agency’s clients side by side for a period: leads, hot leads, response time, AI usage against the plan budget, plan; sortable',
    tag: 'agency',
    query: overviewQuerySchema,
    response: overviewSchema,
  });
  router.get(
    '/agency/overview',
    requirePermission('agency:reports'),
    route(async (req, res) => {
      const query = parseInput(overviewQuerySchema, req.query, 'query');
      res.json(await deps.overview.overview(query, { agencyId: agencyIdOfCaller(req) }));
    }),
  );
  openapi.add({
    method: 'get',
    path: '/agency/overview.csv',
    summary: 'The agency overview as CSV: one row per client of the agency, in the requested order',
    tag: 'agency',
    query: overviewQuerySchema,
  });
  router.get(
    '/agency/overview.csv',
    requirePermission('agency:reports'),
    route(async (req, res) => {
      const query = parseInput(overviewQuerySchema, req.query, 'query');
      await sendOverviewCsv(res, query, await deps.overview.overview(query, { agencyId: agencyIdOfCaller(req) }));
    }),
  );

  openapi.add({ method: 'get', path: '/agency/users', summary: 'The agency’s staff', tag: 'agency' });
  router.get(
    '/agency/users',
    requirePermission('agency:manage'),
    route(async (req, res) => {
      res.json(await listAgencyStaff(req, agencyIdOfCaller(req)));
    }),
  );

  openapi.add({
    method: 'post',
    path: '/agency/users/invitations',
    summary: 'Invite a member of the agency’s staff by email (they act, with this role, for any of its clients)',
    tag: 'agency',
    body: inviteSchema,
    status: 201,
  });
  router.post(
    '/agency/users/invitations',
    requirePermission('agency:manage'),
    route(async (req, res) => {
      const em = requireEm(req);
      res
        .status(201)
        .json(await inviteAgencyStaff(req, deps.auth, deps.config, await findAgency(em, agencyIdOfCaller(req))));
    }),
  );

  openapi.add({
    method: 'patch',
    path: '/agency/users/:id',
    summary: 'Change an agency staff member’s role or disable them (disabling ends their sessions)',
    tag: 'agency',
    body: managedUserSchema,
    mergePatch: true,
  });
  router.patch(
    '/agency/users/:id',
    requirePermission('agency:manage'),
    audited('users.updated', { target: (req) => req.params.id as string, agencyLevel: true }),
    route(async (req, res) => {
      res.json(await updateAgencyStaff(req, deps.auth, agencyIdOfCaller(req)));
    }),
  );

  router.use(agencyAuditRoutes(openapi, agencyIdOfCaller));

  return router;
}
