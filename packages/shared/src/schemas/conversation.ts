import { z } from 'zod';
import { CHANNELS, CONVERSATION_MODES, CONVERSATION_STATUSES, DELIVERY_STATES, MESSAGE_ROLES } from '../enums.js';
import { paginationQuerySchema } from './common.js';

export const conversationSchema = z.object({
  id: z.string().uuid(),
  leadId: z.string().uuid().nullable(),
  channel: z.enum(CHANNELS),
  status: z.enum(CONVERSATION_STATUSES),
  mode: z.enum(CONVERSATION_MODES),
  modeHolderId: z.string().uuid().nullable(),
  lastSeq: z.number().int(),
  lastMessageAt: z.string().nullable(),
  createdAt: z.string(),
});
export type ConversationDto = z.infer<typeof conversationSchema>;

export const listConversationsQuerySchema = paginationQuerySchema.extend({
  status: z.enum(CONVERSATION_STATUSES).optional(),
  channel: z.enum(CHANNELS).optional(),
  mode: z.enum(CONVERSATION_MODES).optional(),
  leadId: z.string().uuid().optional(),
});

export const attachmentSchema = z.object({
  kind: z.enum(['image', 'document', 'audio', 'video', 'location', 'contact', 'file']),
  url: z.string().optional(),
  mediaId: z.string().optional(),
  mimeType: z.string().optional(),
  name: z.string().optional(),
  meta: z.record(z.string(), z.unknown()).optional(),
});
export type Attachment = z.infer<typeof attachmentSchema>;

export const aiMetadataSchema = z.object({
  model: z.string().optional(),
  provider: z.string().optional(),
  inputTokens: z.number().int().optional(),
  outputTokens: z.number().int().optional(),
  cacheReadTokens: z.number().int().optional(),
  cacheWriteTokens: z.number().int().optional(),
  confidence: z.number().min(0).max(1).optional(),
  processingMs: z.number().optional(),
  intent: z.string().optional(),
  sentiment: z.string().optional(),
  language: z.string().optional(),
  entities: z.record(z.string(), z.unknown()).optional(),
  /** Quick-reply chips offered with this message (kept so a replay can show them again). */
  quickReplies: z.array(z.object({ id: z.string(), label: z.string() })).optional(),
});
export type AiMetadata = z.infer<typeof aiMetadataSchema>;

export const messageSchema = z.object({
  id: z.string().uuid(),
  conversationId: z.string().uuid(),
  seq: z.number().int(),
  role: z.enum(MESSAGE_ROLES),
  content: z.string(),
  attachments: z.array(attachmentSchema),
  deliveryState: z.enum(DELIVERY_STATES),
  ai: aiMetadataSchema.nullable(),
  createdAt: z.string(),
});
export type MessageDto = z.infer<typeof messageSchema>;

export const listMessagesQuerySchema = z.object({
  afterSeq: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
