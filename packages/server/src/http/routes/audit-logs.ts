import { paginationQuerySchema } from '@leaddesk/shared';
import type { FilterQuery } from '@mikro-orm/core';
import { Router } from 'express';
import { z } from 'zod';
import { auditLogToDto } from '../../audit/audit-log.js';
import { AuditLog, type IAuditLog } from '../../db/entities/index.js';
import { parseInput } from '../../errors/validate.js';
import { requireClient, requireEm } from '../api-key-auth.js';
import { route } from '../async-handler.js';
import { requirePermission } from '../authenticate.js';
import type { OpenApiRegistry } from '../openapi.js';

const listAuditQuery = paginationQuerySchema.extend({
  action: z.string().max(100).optional(),
  userId: z.string().uuid().optional(),
});

/** The selected client's audit trail, newest first. */
export function auditLogRoutes(openapi: OpenApiRegistry): Router {
  const router = Router();
  openapi.add({
    method: 'get',
    path: '/audit-logs',
    summary: 'Audit log of auth events and admin actions (who, what, when, from where)',
    tag: 'audit',
    query: listAuditQuery,
  });
  router.get(
    '/audit-logs',
    requirePermission('audit:read'),
    route(async (req, res) => {
      const q = parseInput(listAuditQuery, req.query, 'query');
      const where: FilterQuery<IAuditLog> = { client: requireClient(req).id };
      if (q.action) where.action = q.action;
      if (q.userId) where.user = q.userId;
      const [rows, total] = await requireEm(req).findAndCount(AuditLog, where, {
        orderBy: { createdAt: 'desc', id: 'desc' },
        limit: q.pageSize,
        offset: (q.page - 1) * q.pageSize,
      });
      res.json({ data: rows.map(auditLogToDto), page: q.page, pageSize: q.pageSize, total });
    }),
  );
  return router;
}
