import { paginationQuerySchema, ROLES } from '@leaddesk/shared';
import type { FilterQuery } from '@mikro-orm/core';
import { type Request, Router } from 'express';
import { z } from 'zod';
import { type AuthService, userToDto } from '../../auth/auth-service.js';
import type { Config } from '../../config/config.js';
import { type IUser, User, UserSession } from '../../db/entities/index.js';
import { updateLocked } from '../../db/update-locked.js';
import { AppError } from '../../errors/app-error.js';
import { parseInput } from '../../errors/validate.js';
import { requireSeat } from '../../plans/seats.js';
import { requireClient, requireEm } from '../api-key-auth.js';
import { route } from '../async-handler.js';
import { audited, requestMeta, requirePermission } from '../authenticate.js';
import { mergePatch, requirePatchObject } from '../merge-patch.js';
import type { OpenApiRegistry } from '../openapi.js';
import { parseId } from './leads.js';

const CLIENT_ROLES = ROLES.filter((r) => r !== 'super_admin') as [string, ...string[]];

export const listUsersQuery = paginationQuerySchema.extend({ role: z.enum(ROLES).optional() });
export const inviteSchema = z.object({
  email: z.string().trim().min(3).max(254).email(),
  name: z.string().trim().min(1).max(200).optional(),
  role: z.enum(CLIENT_ROLES),
});
/** What an admin manages of a staff member, whole; `PATCH /users/:id` is a merge patch of it. */
export const managedUserSchema = z.object({ role: z.enum(CLIENT_ROLES), disabled: z.boolean() });
export const NOTHING_TO_UPDATE = 'send role and/or disabled';

/** Where invitation links point: PUBLIC_URL, or (outside production) the host the request came to. */
export function invitationBaseUrl(config: Config, req: Request): string {
  if (config.http.publicUrl) return config.http.publicUrl;
  if (config.isProduction) throw new AppError('service_unavailable', 'PUBLIC_URL must be set to send invitations');
  return `${req.protocol}://${req.get('host')}`;
}

/** A client's staff: list, invite by email, change role, disable. Always within the selected client. */
export function userRoutes(openapi: OpenApiRegistry, auth: AuthService, config: Config): Router {
  const router = Router();

  openapi.add({ method: 'get', path: '/users', summary: "The client's staff", tag: 'users', query: listUsersQuery });
  router.get(
    '/users',
    requirePermission('users:read'),
    route(async (req, res) => {
      const q = parseInput(listUsersQuery, req.query, 'query');
      const where: FilterQuery<IUser> = { client: requireClient(req).id };
      if (q.role) where.role = q.role;
      const [rows, total] = await requireEm(req).findAndCount(User, where, {
        orderBy: { createdAt: 'asc', id: 'asc' },
        limit: q.pageSize,
        offset: (q.page - 1) * q.pageSize,
      });
      res.json({ data: rows.map(userToDto), page: q.page, pageSize: q.pageSize, total });
    }),
  );

  openapi.add({
    method: 'post',
    path: '/users/invitations',
    summary: 'Invite a staff member by email (single-use link, expires)',
    tag: 'users',
    body: inviteSchema,
    status: 201,
  });
  router.post(
    '/users/invitations',
    requirePermission('users:invite'),
    route(async (req, res) => {
      const body = parseInput(inviteSchema, req.body, 'body');
      const base = invitationBaseUrl(config, req);
      const client = requireClient(req);
      const user = await auth.inviteUser(
        requireEm(req),
        {
          client,
          email: body.email,
          name: body.name,
          role: body.role as IUser['role'],
          invitedBy: req.principal?.userId ?? null,
          baseUrl: base,
        },
        requestMeta(req),
        { kind: req.principal!.kind, userId: req.principal?.userId },
        // The seat is counted and the member created in one transaction, under the tenant's row lock.
        (tx) => requireSeat(tx, config, client.id),
      );
      res.status(201).json(userToDto(user));
    }),
  );

  openapi.add({
    method: 'patch',
    path: '/users/:id',
    summary: 'Change a staff member’s role or disable them (disabling ends their sessions)',
    tag: 'users',
    body: managedUserSchema,
    mergePatch: true,
  });
  router.patch(
    '/users/:id',
    requirePermission('users:manage'),
    audited('users.updated'),
    route(async (req, res) => {
      const patch = requirePatchObject(req.body, { emptyMessage: NOTHING_TO_UPDATE });
      const em = requireEm(req);
      const where = { id: parseId(req.params.id), client: requireClient(req).id };
      const updated = await updateLocked(em, User, where, async (user, tx) => {
        if (user.id === req.principal?.userId)
          throw new AppError('forbidden', 'you cannot change your own role or status');
        const current = { role: user.role, disabled: user.disabledAt != null };
        const next = mergePatch(managedUserSchema, current, patch);
        if (current.disabled && !next.disabled) {
          await requireSeat(tx, config, requireClient(req).id, { userId: user.id });
        }
        user.role = next.role as IUser['role'];
        user.disabledAt = next.disabled ? (user.disabledAt ?? auth.now()) : null;
        // Disabling ends the member's sessions in the same transaction.
        if (next.disabled) {
          await tx.nativeUpdate(UserSession, { user: user.id, revokedAt: null }, { revokedAt: auth.now() });
        }
      });
      if (!updated) throw AppError.notFound('user');
      res.json(userToDto(updated.row));
    }),
  );

  return router;
}
