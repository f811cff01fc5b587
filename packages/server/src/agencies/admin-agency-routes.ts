import { agencySchema, createAgencySchema, managedAgencySchema, paginationQuerySchema } from '@leaddesk/shared';
import { Router } from 'express';
import type { AuthService } from '../auth/auth-service.js';
import type { Config } from '../config/config.js';
import { Agency, Client } from '../db/entities/index.js';
import { updateLocked } from '../db/update-locked.js';
import { AppError } from '../errors/app-error.js';
import { parseInput } from '../errors/validate.js';
import { requireEm } from '../http/api-key-auth.js';
import { route } from '../http/async-handler.js';
import { audited, requirePermission } from '../http/authenticate.js';
import { mergePatch, requirePatchObject } from '../http/merge-patch.js';
import type { OpenApiRegistry } from '../http/openapi.js';
import { parseId } from '../http/routes/leads.js';
import { inviteSchema } from '../http/routes/users.js';
import { agencyClientToDto, agencyToDto, assertSlugFree, createAgency, findAgency } from './agency-service.js';
import { inviteAgencyStaff, listAgencyStaff } from './agency-staff.js';

/**
 * `/admin/agencies…`: super admins (`clients:manage`) create, list, read and
 * rename agencies and invite an agency's first staff. Clients move in and out
 * of an agency with `PATCH /admin/clients/:id { agencyId }`.
 */
export function adminAgencyRoutes(openapi: OpenApiRegistry, deps: { auth: AuthService; config: Config }): Router {
  const router = Router();
  const manage = requirePermission('clients:manage');

  openapi.add({
    method: 'get',
    path: '/admin/agencies',
    summary: 'All agencies',
    tag: 'admin',
    query: paginationQuerySchema,
  });
  router.get(
    '/admin/agencies',
    manage,
    route(async (req, res) => {
      const q = parseInput(paginationQuerySchema, req.query, 'query');
      const em = requireEm(req);
      const [rows, total] = await em.findAndCount(
        Agency,
        {},
        { orderBy: { name: 'asc', id: 'asc' }, limit: q.pageSize, offset: (q.page - 1) * q.pageSize },
      );
      const data = await Promise.all(rows.map((a) => agencyToDto(em, a)));
      res.json({ data, page: q.page, pageSize: q.pageSize, total });
    }),
  );

  openapi.add({
    method: 'post',
    path: '/admin/agencies',
    summary: 'Create an agency (a reseller that owns clients)',
    tag: 'admin',
    body: createAgencySchema,
    response: agencySchema,
    status: 201,
  });
  router.post(
    '/admin/agencies',
    manage,
    audited('agencies.created', {
      target: (req) => req.res?.locals.createdAgencyId as string | undefined,
      agencyLevel: true,
    }),
    route(async (req, res) => {
      const body = parseInput(createAgencySchema, req.body, 'body');
      const em = requireEm(req);
      const agency = await createAgency(em, body);
      res.locals.createdAgencyId = agency.id;
      res.locals.auditMetadata = { agencyId: agency.id, slug: agency.slug };
      res.status(201).json(await agencyToDto(em, agency));
    }),
  );

  openapi.add({
    method: 'get',
    path: '/admin/agencies/:id',
    summary: 'An agency with its clients',
    tag: 'admin',
  });
  router.get(
    '/admin/agencies/:id',
    manage,
    route(async (req, res) => {
      const em = requireEm(req);
      const agency = await findAgency(em, String(req.params.id));
      const clients = await em.find(Client, { agency: agency.id }, { orderBy: { name: 'asc', id: 'asc' } });
      res.json({ ...(await agencyToDto(em, agency)), clientList: clients.map(agencyClientToDto) });
    }),
  );

  openapi.add({
    method: 'patch',
    path: '/admin/agencies/:id',
    summary: 'Rename an agency or change its slug (JSON Merge Patch)',
    tag: 'admin',
    body: managedAgencySchema,
    mergePatch: true,
  });
  router.patch(
    '/admin/agencies/:id',
    manage,
    audited('agencies.updated', { agencyLevel: true }),
    route(async (req, res) => {
      const patch = requirePatchObject(req.body, { emptyMessage: 'send name and/or slug' });
      const em = requireEm(req);
      const updated = await updateLocked(em, Agency, { id: parseId(req.params.id) }, async (agency, tx) => {
        const next = mergePatch(managedAgencySchema, { name: agency.name, slug: agency.slug }, patch);
        if (next.slug !== agency.slug) await assertSlugFree(tx, next.slug, agency.id);
        res.locals.auditMetadata = { agencyId: agency.id, from: { name: agency.name, slug: agency.slug }, to: next };
        agency.name = next.name;
        agency.slug = next.slug;
      });
      if (!updated) throw AppError.notFound('agency');
      res.json(await agencyToDto(em, updated.row));
    }),
  );

  openapi.add({ method: 'get', path: '/admin/agencies/:id/users', summary: 'An agency’s staff', tag: 'admin' });
  router.get(
    '/admin/agencies/:id/users',
    manage,
    route(async (req, res) => {
      const agency = await findAgency(requireEm(req), String(req.params.id));
      res.json(await listAgencyStaff(req, agency.id));
    }),
  );

  openapi.add({
    method: 'post',
    path: '/admin/agencies/:id/invitations',
    summary: 'Invite a member of an agency’s staff by email (its first admin, typically)',
    tag: 'admin',
    body: inviteSchema,
    status: 201,
  });
  router.post(
    '/admin/agencies/:id/invitations',
    manage,
    route(async (req, res) => {
      const agency = await findAgency(requireEm(req), String(req.params.id));
      res.status(201).json(await inviteAgencyStaff(req, deps.auth, deps.config, agency));
    }),
  );

  return router;
}
