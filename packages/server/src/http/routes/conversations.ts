import {
  conversationSchema,
  listConversationsQuerySchema,
  listMessagesQuerySchema,
  messageSchema,
  paginated,
} from '@leaddesk/shared';
import type { FilterQuery } from '@mikro-orm/core';
import { Router } from 'express';
import { z } from 'zod';
import { conversationToDto, messageToDto } from '../../conversation/dto.js';
import { Conversation, type IConversation, Message } from '../../db/entities/index.js';
import { AppError } from '../../errors/app-error.js';
import { parseInput } from '../../errors/validate.js';
import { requireClient, requireEm } from '../api-key-auth.js';
import { route } from '../async-handler.js';
import { requirePermission } from '../authenticate.js';
import type { OpenApiRegistry } from '../openapi.js';
import { parseId } from './leads.js';

export function conversationRoutes(openapi: OpenApiRegistry): Router {
  const router = Router();

  openapi.add({
    method: 'get',
    path: '/conversations',
    summary: 'List conversations',
    tag: 'conversations',
    query: listConversationsQuerySchema,
    response: paginated(conversationSchema),
  });
  router.get(
    '/conversations',
    requirePermission('conversations:read'),
    route(async (req, res) => {
      const client = requireClient(req);
      const q = parseInput(listConversationsQuerySchema, req.query, 'query');
      const where: FilterQuery<IConversation> = { client: client.id };
      if (q.status) where.status = q.status;
      if (q.channel) where.channel = q.channel;
      if (q.mode) where.mode = q.mode;
      if (q.leadId) where.lead = q.leadId;
      const [rows, total] = await requireEm(req).findAndCount(Conversation, where, {
        orderBy: { lastMessageAt: 'desc nulls last', id: 'desc' },
        limit: q.pageSize,
        offset: (q.page - 1) * q.pageSize,
      });
      res.json({ data: rows.map(conversationToDto), page: q.page, pageSize: q.pageSize, total });
    }),
  );

  openapi.add({
    method: 'get',
    path: '/conversations/:id',
    summary: 'Get a conversation',
    tag: 'conversations',
    response: conversationSchema,
  });
  router.get(
    '/conversations/:id',
    requirePermission('conversations:read'),
    route(async (req, res) => {
      const conversation = await requireEm(req).findOne(Conversation, {
        id: parseId(req.params.id),
        client: requireClient(req).id,
      });
      if (!conversation) throw AppError.notFound('conversation');
      res.json(conversationToDto(conversation));
    }),
  );

  openapi.add({
    method: 'get',
    path: '/conversations/:id/messages',
    summary: 'Messages of a conversation in sequence order (page with afterSeq)',
    tag: 'conversations',
    query: listMessagesQuerySchema,
    response: z.object({ data: z.array(messageSchema), nextAfterSeq: z.number().int().nullable() }),
  });
  router.get(
    '/conversations/:id/messages',
    requirePermission('conversations:read'),
    route(async (req, res) => {
      const em = requireEm(req);
      const client = requireClient(req);
      const q = parseInput(listMessagesQuerySchema, req.query, 'query');
      const conversation = await em.findOne(Conversation, { id: parseId(req.params.id), client: client.id });
      if (!conversation) throw AppError.notFound('conversation');
      const rows = await em.find(
        Message,
        { conversation: conversation.id, client: client.id, seq: { $gt: q.afterSeq } },
        { orderBy: { seq: 'asc' }, limit: q.limit + 1 },
      );
      const page = rows.slice(0, q.limit);
      res.json({
        data: page.map(messageToDto),
        nextAfterSeq: rows.length > q.limit ? (page.at(-1)?.seq ?? null) : null,
      });
    }),
  );

  return router;
}
