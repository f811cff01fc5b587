import type { AiMetadata, Attachment, ConversationDto, LeadDto, MessageDto } from '@leaddesk/shared';

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
  /** The reply obligation and its lease (migration 20261202000000); present on rows the store returns. */
  reply_wanted_seq?: number;
  reply_answered_seq?: number;
  reply_wanted_at?: Date | string | null;
  reply_owner?: string | null;
  reply_lease_until?: Date | string | null;
  reply_attempts?: number;
  reply_stream_id?: string | null;
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

export const LEAD_COLUMNS =
  'id, name, email, phone, language, source, qualification, score, temperature, score_evidence, status, appointment_at, assignee_id, crm_id, created_at, updated_at';

export interface LeadRow {
  id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  language: string | null;
  source: LeadDto['source'];
  qualification: LeadDto['qualification'] | string;
  score: number | null;
  temperature: LeadDto['temperature'];
  score_evidence: LeadDto['scoreEvidence'] | string;
  status: LeadDto['status'];
  appointment_at: Date | string | null;
  assignee_id: string | null;
  crm_id: string | null;
  created_at: Date | string;
  updated_at: Date | string;
}

export function leadRowToDto(row: LeadRow): LeadDto {
  const qualification = json(row.qualification) ?? { custom: {} };
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    phone: row.phone,
    language: row.language,
    source: row.source,
    qualification: { ...qualification, custom: qualification.custom ?? {} },
    score: row.score === null ? null : Number(row.score),
    temperature: row.temperature,
    scoreEvidence: json(row.score_evidence) ?? [],
    status: row.status,
    appointmentAt: row.appointment_at ? iso(row.appointment_at) : null,
    assigneeId: row.assignee_id,
    crmId: row.crm_id,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}
