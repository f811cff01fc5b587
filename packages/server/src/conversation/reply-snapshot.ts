import type { ClientConfig, ConversationDto, LeadDto, MessageDto, Plan } from '@leaddesk/shared';
import {
  type ConversationRow,
  conversationRowToDto,
  type LeadRow,
  leadRowToDto,
  type MessageRow,
  messageRowToDto,
} from './rows.js';

/** Messages of history a reply snapshot carries (and the orchestrator's default). */
export const REPLY_HISTORY_LIMIT = 30;

/**
 * Per-turn facts a reply engine may use beyond the conversation itself: the
 * rolling summary and prompt variant, the tenant's budget columns and the
 * languages of its knowledge bases.
 */
export interface TurnFacts {
  summary: string | null;
  summary_seq: number;
  prompt_variant: string | null;
  plan: Plan;
  usage_month: string;
  tokens_used_month: string | number;
  soft: string | number | null;
  budget_step: string;
  budget_step_month: string;
  kb_languages: string[];
}

/** Everything a reply needs, read in one query (`ld_reply_snapshot`). */
export interface ReplySnapshot {
  client: {
    id: string;
    name: string;
    industry: string;
    locale: string;
    timezone: string;
    status: string;
    config: ClientConfig;
  };
  conversation: ConversationDto;
  visitorId: string | null;
  lead: LeadDto | null;
  history: MessageDto[];
  rules: Array<{ field: string; operator: string; value: unknown; points: number; label: string }>;
  turn: TurnFacts | null;
}

/** `ld_reply_snapshot`'s JSON. */
export interface ReplySnapshotRow {
  client: ReplySnapshot['client'] | null;
  conversation: ConversationRow | null;
  lead: LeadRow | null;
  history: MessageRow[];
  rules: ReplySnapshot['rules'];
  turn: TurnFacts | null;
}

export function toReplySnapshot(row: ReplySnapshotRow | null | undefined): ReplySnapshot | null {
  if (!row?.client || !row.conversation) return null;
  return {
    client: row.client,
    conversation: conversationRowToDto(row.conversation),
    visitorId: row.conversation.visitor_id,
    lead: row.lead ? leadRowToDto(row.lead) : null,
    history: row.history.map(messageRowToDto),
    rules: row.rules,
    turn: row.turn,
  };
}
