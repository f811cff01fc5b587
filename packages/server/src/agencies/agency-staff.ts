import type { FilterQuery } from '@mikro-orm/core';
import type { Request } from 'express';
import type { AuthService } from '../auth/auth-service.js';
import { userToDto } from '../auth/auth-service.js';
import type { Config } from '../config/config.js';
import { type IAgency, type IUser, User, UserSession } from '../db/entities/index.js';
import { updateLocked } from '../db/update-locked.js';
import { AppError } from '../errors/app-error.js';
import { parseInput } from '../errors/validate.js';
import { requireEm } from '../http/api-key-auth.js';
import { requestMeta } from '../http/authenticate.js';
import { mergePatch, requirePatchObject } from '../http/merge-patch.js';
import { parseId } from '../http/routes/leads.js';
import {
  invitationBaseUrl,
  inviteSchema,
  listUsersQuery,
  managedUserSchema,
  NOTHING_TO_UPDATE,
} from '../http/routes/users.js';

/**
 * An agency's staff (issue 18): listed, invited and managed like a client's
 * (the same invitation flow and the same schemas), but the accounts carry the
 * agency, never a client. They take no client's seat: they are the reseller's
 * people, not the business's.
 */
export async function listAgencyStaff(req: Request, agencyId: string) {
  const q = parseInput(listUsersQuery, req.query, 'query');
  const where: FilterQuery<IUser> = { agency: agencyId };
  if (q.role) where.role = q.role;
  const [rows, total] = await requireEm(req).findAndCount(User, where, {
    orderBy: { createdAt: 'asc', id: 'asc' },
    limit: q.pageSize,
    offset: (q.page - 1) * q.pageSize,
  });
  return { data: rows.map(userToDto), page: q.page, pageSize: q.pageSize, total };
}

export async function inviteAgencyStaff(req: Request, auth: AuthService, config: Config, agency: IAgency) {
  const body = parseInput(inviteSchema, req.body, 'body');
  const user = await auth.inviteUser(
    requireEm(req),
    {
      agency,
      email: body.email,
      name: body.name,
      role: body.role as IUser['role'],
      invitedBy: req.principal?.userId ?? null,
      baseUrl: invitationBaseUrl(config, req),
    },
    requestMeta(req),
    { kind: req.principal!.kind, userId: req.principal?.userId },
  );
  return userToDto(user);
}

/** A merge patch of `{ role, disabled }` of one of the agency's staff; another agency's is "not found". */
export async function updateAgencyStaff(req: Request, auth: AuthService, agencyId: string) {
  const patch = requirePatchObject(req.body, { emptyMessage: NOTHING_TO_UPDATE });
  const where = { id: parseId(req.params.id), agency: agencyId };
  const updated = await updateLocked(requireEm(req), User, where, async (user, tx) => {
    if (user.id === req.principal?.userId) throw new AppError('forbidden', 'you cannot change your own role or status');
    const current = { role: user.role, disabled: user.disabledAt != null };
    const next = mergePatch(managedUserSchema, current, patch);
    user.role = next.role as IUser['role'];
    user.disabledAt = next.disabled ? (user.disabledAt ?? auth.now()) : null;
    // Disabling ends the member's sessions in the same transaction.
    if (next.disabled)
      await tx.nativeUpdate(UserSession, { user: user.id, revokedAt: null }, { revokedAt: auth.now() });
  });
  if (!updated) throw AppError.notFound('user');
  req.res!.locals.auditMetadata = { agencyId };
  return userToDto(updated.row);
}
