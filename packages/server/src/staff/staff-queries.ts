import type { StaffConversationDto, StaffMember, StaffMessageDto, TimelineEscalation } from '@leaddesk/shared';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type MessageRow, messageRowToDto } from '../conversation/rows.js';

/**
 * Reads for the staff desk: conversations with their lead, holder, assignee
 * and last message (one query), and messages with their author. Every query
 * is scoped by `client_id`.
 */

interface StaffConversationRow {
  id: string;
  lead_id: string | null;
  lead_name: string | null;
  lead_score: number | null;
  lead_temperature: string | null;
  channel: StaffConversationDto['channel'];
  status: StaffConversationDto['status'];
  mode: StaffConversationDto['mode'];
  holder_id: string | null;
  holder_name: string | null;
  assignee_id: string | null;
  assignee_name: string | null;
  last_seq: number;
  last_message_at: Date | string | null;
  last_message: string | null;
  created_at: Date | string;
}

const iso = (v: Date | string): string => (v instanceof Date ? v.toISOString() : new Date(v).toISOString());

const SELECT = `select c.id, c.lead_id, l.name as lead_name, l.score as lead_score, l.temperature as lead_temperature,
    c.channel, c.status, c.mode, c.mode_holder_id as holder_id, h.name as holder_name,
    c.assignee_id, a.name as assignee_name, c.last_seq, c.last_message_at, c.created_at,
    (select m.content from messages m where m.conversation_id = c.id and m.role <> 'note' order by m.seq desc limit 1) as last_message
  from conversations c
  left join leads l on l.id = c.lead_id
  left join users h on h.id = c.mode_holder_id
  left join users a on a.id = c.assignee_id`;

function toDto(r: StaffConversationRow): StaffConversationDto {
  return {
    id: r.id,
    leadId: r.lead_id,
    leadName: r.lead_name,
    leadScore: r.lead_score === null ? null : Number(r.lead_score),
    leadTemperature: r.lead_temperature,
    channel: r.channel,
    status: r.status,
    mode: r.mode,
    holder: r.holder_id ? { userId: r.holder_id, name: r.holder_name ?? '' } : null,
    assignee: r.assignee_id ? { userId: r.assignee_id, name: r.assignee_name ?? '' } : null,
    lastSeq: Number(r.last_seq),
    lastMessageAt: r.last_message_at ? iso(r.last_message_at) : null,
    lastMessage: r.last_message,
    createdAt: iso(r.created_at),
  };
}

export async function getStaffConversation(
  em: EntityManager,
  clientId: string,
  conversationId: string,
): Promise<StaffConversationDto | null> {
  const rows = await em.execute<StaffConversationRow[]>(`${SELECT} where c.id = ? and c.client_id = ?`, [
    conversationId,
    clientId,
  ]);
  return rows[0] ? toDto(rows[0]) : null;
}

export interface InboxQuery {
  filter: 'all' | 'mine' | 'active' | 'escalated' | 'human' | 'ended';
  channel?: string;
  minScore?: number;
  q?: string;
  page: number;
  pageSize: number;
}

export async function listInbox(
  em: EntityManager,
  clientId: string,
  userId: string | undefined,
  query: InboxQuery,
): Promise<{ data: StaffConversationDto[]; total: number }> {
  const where = ['c.client_id = ?'];
  const params: unknown[] = [clientId];
  switch (query.filter) {
    case 'mine':
      where.push('(c.assignee_id = ? or c.mode_holder_id = ?)');
      params.push(userId ?? null, userId ?? null);
      break;
    case 'active':
    case 'escalated':
    case 'ended':
      where.push('c.status = ?');
      params.push(query.filter);
      break;
    case 'human':
      where.push(`c.mode = 'human'`);
      break;
  }
  if (query.channel) {
    where.push('c.channel = ?');
    params.push(query.channel);
  }
  if (query.minScore !== undefined) {
    where.push('l.score >= ?');
    params.push(query.minScore);
  }
  if (query.q) {
    const like = `%${query.q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    where.push(
      `(l.name ilike ? or l.email ilike ? or l.phone ilike ? or exists (select 1 from messages s where s.conversation_id = c.id and s.role <> 'note' and s.content ilike ?))`,
    );
    params.push(like, like, like, like);
  }
  const whereSql = where.join(' and ');
  const rows = await em.execute<StaffConversationRow[]>(
    `${SELECT} where ${whereSql} order by c.last_message_at desc nulls last, c.id desc limit ? offset ?`,
    [...params, query.pageSize, (query.page - 1) * query.pageSize],
  );
  const count = await em.execute<{ n: string | number }[]>(
    `select count(*) as n from conversations c left join leads l on l.id = c.lead_id where ${whereSql}`,
    params,
  );
  return { data: rows.map(toDto), total: Number(count[0]?.n ?? 0) };
}

export async function staffMessages(
  em: EntityManager,
  clientId: string,
  conversationId: string,
  limit = 500,
  only?: { clientMessageId: string },
): Promise<StaffMessageDto[]> {
  const rows = await em.execute<Array<MessageRow & { sender_id: string | null; sender_name: string | null }>>(
    `select * from (select m.id, m.client_id, m.conversation_id, m.seq, m.role, m.content, m.attachments, m.channel,
        m.external_id, m.client_message_id, m.delivery_state, m.ai, m.created_at, m.sender_id, u.name as sender_name
      from messages m left join users u on u.id = m.sender_id
      where m.client_id = ? and m.conversation_id = ? ${only ? 'and m.client_message_id = ?' : ''}
      order by m.seq desc limit ?) x order by seq asc`,
    [clientId, conversationId, ...(only ? [only.clientMessageId] : []), limit],
  );
  return rows.map((r) => ({
    ...messageRowToDto(r),
    sender: r.sender_id ? { userId: r.sender_id, name: r.sender_name ?? '' } : null,
  }));
}

export async function staffOfClient(
  em: EntityManager,
  clientId: string,
): Promise<Array<StaffMember & { email: string; role: string }>> {
  const rows = await em.execute<Array<{ id: string; name: string; email: string; role: string }>>(
    'select id, name, email, role from users where client_id = ? and disabled_at is null order by name',
    [clientId],
  );
  return rows.map((r) => ({ userId: r.id, name: r.name, email: r.email, role: r.role }));
}

export async function conversationEscalations(
  em: EntityManager,
  clientId: string,
  conversationId: string,
): Promise<TimelineEscalation[]> {
  const rows = await em.execute<
    Array<{
      id: string;
      reason: TimelineEscalation['reason'];
      priority: TimelineEscalation['priority'];
      status: string;
      detail: string;
      created_at: Date | string;
      resolved_at: Date | string | null;
    }>
  >(
    `select id, reason, priority, status, detail, created_at, resolved_at from escalations
     where client_id = ? and conversation_id = ? order by created_at asc limit 100`,
    [clientId, conversationId],
  );
  return rows.map((r) => ({
    id: r.id,
    reason: r.reason,
    priority: r.priority,
    status: r.status,
    detail: r.detail,
    createdAt: iso(r.created_at),
    resolvedAt: r.resolved_at ? iso(r.resolved_at) : null,
  }));
}
