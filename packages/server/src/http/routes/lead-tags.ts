import { addLeadTagSchema, leadTagsSchema } from '@leaddesk/shared';
import { Router } from 'express';
import { z } from 'zod';
import type { Sql } from '../../db/sql.js';
import { AppError } from '../../errors/app-error.js';
import { parseInput } from '../../errors/validate.js';
import { addLeadTag, removeLeadTag } from '../../leads/lead-tags.js';
import { requireClient } from '../api-key-auth.js';
import { route } from '../async-handler.js';
import { requirePermission } from '../authenticate.js';
import type { OpenApiRegistry } from '../openapi.js';
import { parseId } from './leads.js';

/** A tag in the path: whatever a rule may have added (up to 50 characters), trimmed. */
const tagParamSchema = z.object({
  tag: z.string().trim().min(1, 'a tag needs at least 1 character').max(50, 'a tag has at most 50 characters'),
});

/**
 * Staff tag leads by hand next to the rules' `add_tag`: adding is idempotent,
 * removing a tag the lead does not carry changes nothing. Both answer the
 * lead's tags now; another tenant's lead is 404. The input is checked before
 * the lead is looked up, so a bad tag is 400 for any id.
 */
export function leadTagRoutes(openapi: OpenApiRegistry, sql: Sql): Router {
  const router = Router();

  openapi.add({
    method: 'post',
    path: '/leads/:id/tags',
    summary: 'Tag a lead (trimmed, 1–40 characters; adding a tag it has changes nothing)',
    tag: 'leads',
    body: addLeadTagSchema,
    response: leadTagsSchema,
  });
  router.post(
    '/leads/:id/tags',
    requirePermission('leads:update'),
    route(async (req, res) => {
      const { tag } = parseInput(addLeadTagSchema, req.body, 'body');
      const tags = await addLeadTag(sql, requireClient(req).id, parseId(req.params.id), tag);
      if (!tags) throw AppError.notFound('lead');
      res.json({ tags });
    }),
  );

  openapi.add({
    method: 'delete',
    path: '/leads/:id/tags/:tag',
    summary: "Remove a tag from a lead (a tag it does not carry: nothing changes); answers the lead's tags",
    tag: 'leads',
    response: leadTagsSchema,
  });
  router.delete(
    '/leads/:id/tags/:tag',
    requirePermission('leads:update'),
    route(async (req, res) => {
      const { tag } = parseInput(tagParamSchema, { tag: req.params.tag }, 'path');
      const tags = await removeLeadTag(sql, requireClient(req).id, parseId(req.params.id), tag);
      if (!tags) throw AppError.notFound('lead');
      res.json({ tags });
    }),
  );

  return router;
}
