import type { AiMetadata, Attachment, ConversationDto, MessageDto } from '@leaddesk/shared';

/**
 * Raw rows of the hot path (sequence numbers and message inserts are plain SQL
 * so that they stay one round trip each) and their DTOs.
 */
export interface ConversationRow {
  id: string;
  client_id: string;
  lead_id: string | null;
  channel: ConversationDto['channel'];
  status: ConversationDto['status'];
  mode: ConversationDto['mode'];
  mode_holder_id: string | null;
  visitor_id: string | null;
  last_seq: number;
  last_message_at: Date | string | null;
  created_at: Date | string;
}

export interface MessageRow {
  id: string;
  client_id: string;
  conversation_id: string;
  seq: number;
  role: MessageDto['role'];
  content: string;
  attachments: Attachment[] | string;
  channel: ConversationDto['channel'];
  external_id: string | null;
  client_message_id: string | null;
  delivery_state: MessageDto['deliveryState'];
  ai: AiMetadata | string | null;
  created_at: Date | string;
}

const iso = (v: Date | string): string => (v instanceof Date ? v.toISOString() : new Date(v).toISOString());
const json = <T>(v: T | string): T => (typeof v === 'string' ? (JSON.parse(v) as T) : v);

export function conversationRowToDto(row: ConversationRow): ConversationDto {
  return {
    id: row.id,
    leadId: row.lead_id,
    channel: row.channel,
    status: row.status,
    mode: row.mode,
    modeHolderId: row.mode_holder_id,
    lastSeq: Number(row.last_seq),
    lastMessageAt: row.last_message_at ? iso(row.last_message_at) : null,
    createdAt: iso(row.created_at),
  };
}

export function messageRowToDto(row: MessageRow): MessageDto {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    seq: Number(row.seq),
    role: row.role,
    content: row.content,
    attachments: json(row.attachments) ?? [],
    deliveryState: row.delivery_state,
    ai: row.ai ? json(row.ai) : null,
    createdAt: iso(row.created_at),
  };
}
