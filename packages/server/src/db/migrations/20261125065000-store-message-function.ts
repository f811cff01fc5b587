import { Migration } from '@mikro-orm/migrations';

/**
 * `ld_store_message`: stores one message of a conversation in a single round
 * trip, gapless and idempotent, with no client-side transaction.
 *
 * Why a function: storing a message needs the conversation's row lock, an
 * idempotency check that sees writers who committed while we waited for that
 * lock, the next sequence number and the insert. One SQL statement cannot see
 * those late commits (its snapshot is taken before it waits); a client-side
 * transaction can, but costs three round trips (BEGIN, statement, COMMIT) on
 * every chat message. In PL/pgSQL each statement takes a fresh snapshot, so
 * after `select ... for update` returns, the duplicate check sees everything
 * committed before it, and the whole call commits or rolls back as one.
 *
 * The conversation is given by id, or (widget fast path) found as the
 * visitor's open conversation that already has a lead. Outcomes:
 * `stored`, `duplicate` (the message already stored), `no_conversation`,
 * `mode_changed` (p_require_mode no longer holds), `client_paused`.
 */
export class Migration20261125065000StoreMessageFunction extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create or replace function ld_store_message(
  p_client uuid, p_conversation uuid, p_visitor text, p_require_mode text, p_require_active boolean,
  p_id uuid, p_role text, p_content text, p_attachments jsonb, p_external_id text,
  p_client_message_id text, p_delivery_state text, p_ai jsonb, p_sender uuid
) returns json language plpgsql as $fn$
declare
  c conversations%rowtype;
  m messages%rowtype;
begin
  if p_require_active and not exists (select 1 from clients where id = p_client and status = 'active') then
    return json_build_object('outcome', 'client_paused');
  end if;
  if p_conversation is not null then
    select * into c from conversations where id = p_conversation and client_id = p_client for update;
  else
    select * into c from conversations
      where client_id = p_client and visitor_id = p_visitor and status <> 'ended' and lead_id is not null
      order by created_at desc limit 1 for update;
  end if;
  if not found then
    return json_build_object('outcome', 'no_conversation');
  end if;
  if p_require_mode is not null and c.mode <> p_require_mode then
    return json_build_object('outcome', 'mode_changed');
  end if;
  if p_client_message_id is not null then
    select * into m from messages where conversation_id = c.id and client_message_id = p_client_message_id;
    if found then
      return json_build_object('outcome', 'duplicate', 'conversation', row_to_json(c), 'message', row_to_json(m));
    end if;
  end if;
  if p_external_id is not null then
    select * into m from messages where client_id = p_client and channel = c.channel and external_id = p_external_id;
    if found then
      return json_build_object('outcome', 'duplicate',
        'conversation', (select row_to_json(x) from conversations x where x.id = m.conversation_id),
        'message', row_to_json(m));
    end if;
  end if;
  update conversations set last_seq = last_seq + 1, last_message_at = now(), updated_at = now()
    where id = c.id returning * into c;
  insert into messages (id, client_id, conversation_id, seq, role, content, attachments, channel, external_id,
      client_message_id, delivery_state, ai, sender_id, created_at)
    values (p_id, c.client_id, c.id, c.last_seq, p_role, p_content, p_attachments, c.channel, p_external_id,
      p_client_message_id, coalesce(p_delivery_state, case when c.channel = 'web' then 'sent' else 'pending' end),
      p_ai, p_sender, now())
    returning * into m;
  return json_build_object('outcome', 'stored', 'conversation', row_to_json(c), 'message', row_to_json(m));
end
$fn$`);
  }

  override async down(): Promise<void> {
    this.addSql('drop function if exists ld_store_message');
  }
}
