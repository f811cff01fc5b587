import { agencyAuditPageSchema, agencyAuditQuerySchema } from '@leaddesk/shared';
import type { FilterQuery } from '@mikro-orm/core';
import { type Request, Router } from 'express';
import { auditLogToDto } from '../audit/audit-log.js';
import { AuditLog, type IAuditLog } from '../db/entities/index.js';
import { AppError } from '../errors/app-error.js';
import { parseInput } from '../errors/validate.js';
import { requireEm } from '../http/api-key-auth.js';
import { route } from '../http/async-handler.js';
import { requirePermission } from '../http/authenticate.js';
import type { OpenApiRegistry } from '../http/openapi.js';

/** The cursor: where the previous page ended (created_at, id), opaque to callers. */
function encodeCursor(row: IAuditLog): string {
  return Buffer.from(`${row.createdAt.toISOString()}|${row.id}`).toString('base64url');
}

function decodeCursor(cursor: string): { at: Date; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const date = new Date(at ?? '');
  if (!id || !/^[0-9a-f-]{36}$/i.test(id) || Number.isNaN(date.getTime()))
    throw new AppError('validation_failed', 'invalid query: cursor is not one this API gave');
  return { at: date, id };
}

/**
 * `GET /agency/audit` (issue 18): the audit trail of the caller's agency, its admins only (`agency:manage`,
 * as `audit:read` is a client's admins'). Agency-level entries belong to no client, so no client's
 * `GET /audit-logs` lists them: here are the agency's own (its branding and brand domains, its staff, the
 * clients it created, and a super admin's changes to it). Keyset pagination newest first, so a page never
 * repeats or skips an entry while new ones are written; filters as the client audit log's.
 */
export function agencyAuditRoutes(openapi: OpenApiRegistry, agencyIdOfCaller: (req: Request) => string): Router {
  const router = Router();
  openapi.add({
    method: 'get',
    path: '/agency/audit',
    summary: 'The agency’s audit trail (agency-level actions: branding, domains, staff, clients created), newest first',
    tag: 'agency',
    query: agencyAuditQuerySchema,
    response: agencyAuditPageSchema,
  });
  router.get(
    '/agency/audit',
    requirePermission('agency:manage'),
    route(async (req, res) => {
      const q = parseInput(agencyAuditQuerySchema, req.query, 'query');
      const where: FilterQuery<IAuditLog> = { agency: agencyIdOfCaller(req) };
      if (q.action) where.action = q.action;
      if (q.userId) where.user = q.userId;
      if (q.cursor) {
        const after = decodeCursor(q.cursor);
        where.$or = [{ createdAt: { $lt: after.at } }, { createdAt: after.at, id: { $lt: after.id } }];
      }
      const rows = await requireEm(req).find(AuditLog, where, {
        orderBy: { createdAt: 'desc', id: 'desc' },
        limit: q.limit + 1,
      });
      const page = rows.slice(0, q.limit);
      const last = page.at(-1);
      res.json({
        data: page.map(auditLogToDto),
        nextCursor: rows.length > q.limit && last ? encodeCursor(last) : null,
      });
    }),
  );
  return router;
}
