import type { Sql } from '../db/sql.js';
import type { ConversationRef, ReplyLease } from './domain-events.js';
import type { ConversationRow } from './rows.js';

/**
 * The reply obligations of conversations (migration 20261202000000), outside
 * the store: taking over expired leases, renewing held ones, releasing. The
 * store itself records obligations and hands out free leases in the
 * transaction of each message (`ld_store_message`).
 *
 * A lease row with no owner and `reply_lease_until` in the future is a
 * "not before": a reply that failed waits for its backoff.
 */
export interface ClaimedObligation extends ConversationRef {
  lease: ReplyLease;
}

type Db = Pick<Sql, 'query'>;

/**
 * Takes up to `limit` obligations whose lease expired or was released and is
 * due, oldest first. `skip locked`: processes sweeping at once never take the
 * same one, and the store's row lock (a message being stored) is not waited for.
 */
export async function claimDueObligations(
  db: Db,
  owner: string,
  leaseMs: number,
  limit: number,
): Promise<ClaimedObligation[]> {
  if (limit <= 0) return [];
  const rows = await db.query<
    Array<
      Pick<
        ConversationRow,
        'id' | 'client_id' | 'channel' | 'visitor_id' | 'reply_stream_id' | 'reply_attempts' | 'reply_wanted_at'
      > & { old_owner: string | null; old_stream: string | null }
    >
  >(
    `update conversations c set reply_owner = ?, reply_lease_until = now() + make_interval(secs => ?::int / 1000.0),
       reply_attempts = c.reply_attempts + 1, reply_stream_id = gen_random_uuid()
     from (select id, reply_owner as old_owner, reply_stream_id as old_stream from conversations
           where reply_wanted_seq > reply_answered_seq and (reply_lease_until is null or reply_lease_until < now())
           order by reply_wanted_at nulls first limit ? for update skip locked) o
     where c.id = o.id
     returning c.id, c.client_id, c.channel, c.visitor_id, c.reply_stream_id, c.reply_attempts, c.reply_wanted_at,
       o.old_owner, o.old_stream`,
    [owner, leaseMs, limit],
  );
  return rows.map((r) => ({
    clientId: r.client_id,
    conversationId: r.id,
    channel: r.channel,
    visitorId: r.visitor_id,
    lease: {
      acquired: true,
      owner,
      streamId: r.reply_stream_id ?? null,
      // Only a holder that did not release (it died mid-reply) can have left a stream on screen.
      staleStreamId: r.old_owner ? (r.old_stream ?? null) : null,
      attempts: Number(r.reply_attempts ?? 1),
      wantedAt: r.reply_wanted_at ? new Date(r.reply_wanted_at).getTime() : Date.now(),
    },
  }));
}

/** Takes one conversation's obligation if it is open and its lease free or already ours. */
export async function claimObligation(
  db: Db,
  owner: string,
  leaseMs: number,
  ref: ConversationRef,
): Promise<ReplyLease | null> {
  const rows = await db.query<Array<Pick<ConversationRow, 'reply_stream_id' | 'reply_attempts' | 'reply_wanted_at'>>>(
    `update conversations set reply_owner = ?, reply_lease_until = now() + make_interval(secs => ?::int / 1000.0),
       reply_attempts = reply_attempts + 1, reply_stream_id = gen_random_uuid()
     where id = ? and client_id = ? and reply_wanted_seq > reply_answered_seq
       and (reply_owner is null or reply_owner = ? or reply_lease_until < now())
     returning reply_stream_id, reply_attempts, reply_wanted_at`,
    [owner, leaseMs, ref.conversationId, ref.clientId, owner],
  );
  const row = rows[0];
  if (!row) return null;
  return {
    acquired: true,
    owner,
    streamId: row.reply_stream_id ?? null,
    staleStreamId: null,
    attempts: Number(row.reply_attempts ?? 1),
    wantedAt: row.reply_wanted_at ? new Date(row.reply_wanted_at).getTime() : Date.now(),
  };
}

/** Extends every lease this process holds; returns the conversations whose lease it no longer holds. */
export async function renewLeases(
  db: Db,
  owner: string,
  conversationIds: string[],
  leaseMs: number,
): Promise<string[]> {
  if (!conversationIds.length) return [];
  const rows = await db.query<Array<{ id: string }>>(
    `update conversations set reply_lease_until = now() + make_interval(secs => ?::int / 1000.0)
     where id = any(?::uuid[]) and reply_owner = ? returning id`,
    [leaseMs, conversationIds, owner],
  );
  const held = new Set(rows.map((r) => r.id));
  return conversationIds.filter((id) => !held.has(id));
}

/**
 * Gives a lease back without answering: due again at once (shutdown: another
 * process, or this one after restart, answers) or after `retryInMs` (a failure).
 */
export async function releaseLease(
  db: Db,
  owner: string,
  conversationId: string,
  retryInMs: number | null = null,
): Promise<void> {
  await db.query(
    `update conversations set reply_owner = null,
       reply_lease_until = case when ?::int is null then null else now() + make_interval(secs => ?::int / 1000.0) end
     where id = ? and reply_owner = ?`,
    [retryInMs, retryInMs, conversationId, owner],
  );
}

/** Settles the obligation without a reply (the client is paused, the conversation went to a person). */
export async function settleObligation(db: Db, owner: string, conversationId: string): Promise<void> {
  await db.query(
    `update conversations set reply_answered_seq = reply_wanted_seq, reply_owner = null, reply_lease_until = null,
       reply_attempts = 0, reply_stream_id = null
     where id = ? and reply_owner = ?`,
    [conversationId, owner],
  );
}
