import { randomUUID } from 'node:crypto';
import type { AiMetadata, Attachment, ConversationMode, DeliveryState, MessageRole } from '@leaddesk/shared';
import type { Sql } from '../db/sql.js';
import { AppError } from '../errors/app-error.js';
import type { ReplyLease } from './domain-events.js';
import type { ConversationRow, MessageRow } from './rows.js';

/**
 * Storing one message: the `ld_store_message` function (migrations 065000 and
 * 20261202000000) in one round trip — the conversation's row lock, the
 * idempotency check, the next sequence number, the insert, and the reply
 * obligation and lease. Used by the conversation core for every message.
 */

type Db = Pick<Sql, 'query'>;

/** Thrown by appendMessage when `requireMode` no longer holds. */
export class ModeChangedError extends Error {
  override name = 'ModeChangedError';
}

/** Thrown by appendMessage when its idempotency key was already used: carries the stored copy. */
export class DuplicateMessage extends Error {
  override name = 'DuplicateMessage';
  constructor(
    readonly stored: MessageRow,
    readonly conversation: ConversationRow,
  ) {
    super('message already stored');
  }
}

/** What `ld_store_message` says of the reply lease after a visitor message. */
export interface LeaseOutcome {
  acquired: boolean;
  stale_stream: string | null;
}

type StoreOutcome =
  | { outcome: 'stored' | 'duplicate'; message: MessageRow; conversation: ConversationRow; lease?: LeaseOutcome }
  | { outcome: 'no_conversation' | 'mode_changed' | 'lease_lost' | 'visitor_spoke' };

/**
 * Who answers the replies this process's stores ask for: the reply
 * orchestrator registers itself (`owner` is null while it shuts down, so new
 * messages are left to other processes or to this one after restart).
 */
export interface ReplyLeaseHolder {
  owner(): string | null;
  /** How long a lease lasts unless renewed. */
  readonly leaseMs: number;
}

/** Thrown by appendMessage with `quietSince` when the lead wrote after that sequence number. */
export class VisitorSpokeError extends Error {
  override name = 'VisitorSpokeError';
}

/** Thrown when storing a reply whose conversation's lease another process took over. */
export class LeaseLostError extends Error {
  override name = 'LeaseLostError';
}

export interface StoreMessageInput {
  id?: string;
  clientId: string;
  conversationId: string;
  role: MessageRole;
  content: string;
  attachments: Attachment[];
  ai?: AiMetadata | null;
  senderId?: string | null;
  externalId: string | null;
  clientMessageId: string | null;
  /** Default: `sent` on web conversations, `pending` on channels that deliver later. */
  deliveryState?: DeliveryState;
  requireMode?: ConversationMode;
  /** A visitor message that wants a reply: recorded as the conversation's obligation (and its lease taken if free). */
  wantReply?: boolean;
  /** A reply written under this process's lease: answers everything up to this sequence number. */
  answersSeq?: number;
  /** Store only if no visitor message came after this sequence number (a follow-up the lead's reply cancels). */
  quietSince?: number;
}

export interface StoredMessage {
  message: MessageRow;
  conversation: ConversationRow;
  lease?: LeaseOutcome;
}

/**
 * Stores a message with the next sequence number. Throws `DuplicateMessage`
 * (with the stored copy) when the idempotency key was already used,
 * `ModeChangedError` when `requireMode` no longer holds, `LeaseLostError` when
 * a reply's lease was taken over.
 */
export async function storeMessage(
  db: Db,
  leases: ReplyLeaseHolder | null,
  m: StoreMessageInput,
): Promise<StoredMessage> {
  const rows = await db.query<Array<{ result: StoreOutcome }>>(
    'select ld_store_message(?::uuid, ?::uuid, ?, ?::uuid, ?, ?, ?::jsonb, ?, ?, ?, ?::jsonb, ?::uuid, ?, ?, ?::int, ?::int, ?::int) as result',
    [
      m.clientId,
      m.conversationId,
      m.requireMode ?? null,
      m.id ?? randomUUID(),
      m.role,
      m.content,
      JSON.stringify(m.attachments),
      m.externalId,
      m.clientMessageId,
      m.deliveryState ?? null,
      m.ai ? JSON.stringify(m.ai) : null,
      m.senderId ?? null,
      m.wantReply === true,
      leases?.owner() ?? null,
      leases?.leaseMs ?? 0,
      m.answersSeq ?? null,
      m.quietSince ?? null,
    ],
  );
  const result = rows[0]?.result;
  switch (result?.outcome) {
    case 'stored':
      return { message: result.message, conversation: result.conversation, lease: result.lease };
    case 'duplicate':
      throw new DuplicateMessage(result.message, result.conversation);
    case 'mode_changed':
      throw new ModeChangedError(`conversation is no longer in ${m.requireMode} mode`);
    case 'lease_lost':
      throw new LeaseLostError('another process answers this conversation now');
    case 'visitor_spoke':
      throw new VisitorSpokeError('the lead wrote after this message was decided');
    default:
      throw AppError.notFound('conversation');
  }
}

export function leaseOf(row: ConversationRow, stored: LeaseOutcome | undefined): ReplyLease {
  return {
    acquired: stored?.acquired === true,
    owner: row.reply_owner ?? null,
    streamId: row.reply_stream_id ?? null,
    staleStreamId: stored?.stale_stream ?? null,
    attempts: Number(row.reply_attempts ?? 0),
    wantedAt: row.reply_wanted_at ? new Date(row.reply_wanted_at).getTime() : Date.now(),
  };
}
