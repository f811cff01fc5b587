import { Migration } from '@mikro-orm/migrations';

/**
 * Reply obligations that outlive the process.
 *
 * A visitor message that wants a reply marks its conversation (`reply_wanted_seq`)
 * in the transaction that stores it, and, when the conversation's reply lease is
 * free, gives the lease to the storing process (`reply_owner`, `reply_lease_until`):
 * no extra round trip on the hot path. The holder renews the lease while it
 * streams and stores the reply with `p_answers` = the last sequence number its
 * history saw: in the same transaction the obligation is marked answered and the
 * lease released, or kept when more messages arrived meanwhile (the holder then
 * answers them too, with the history complete: one order per conversation
 * across processes). A reply from a process that lost its lease is refused
 * (`lease_lost`), so a reply is stored once however many processes tried.
 * Every process sweeps for obligations whose lease expired (a killed process)
 * or was released (shutdown, failure with backoff: `reply_lease_until` in the
 * future and no owner means "not before") and takes them over.
 *
 * `reply_stream_id` is the id the holder announces in `reply.started`; a
 * process that takes over an expired lease withdraws that stream
 * (`reply.aborted`) so no half reply stays on a visitor's screen.
 *
 * The functions keep their single-round-trip shape (see 065000 and 080000);
 * the new parameters are appended, so the old signatures are dropped first.
 */
export class Migration20261202000000ReplyObligations extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table conversations
  add column reply_wanted_seq int not null default 0,
  add column reply_answered_seq int not null default 0,
  add column reply_wanted_at timestamptz,
  add column reply_owner text,
  add column reply_lease_until timestamptz,
  add column reply_attempts int not null default 0,
  add column reply_stream_id uuid`);
    // The sweep reads only conversations with an open obligation (a handful at any time).
    this.addSql(`create index conversations_reply_due_index on conversations (reply_lease_until)
  where reply_wanted_seq > reply_answered_seq`);
    // Replies stored but not yet handed to their channel (the outbound sweep looks for ones never queued).
    this.addSql(`create index messages_pending_delivery_index on messages (created_at)
  where delivery_state = 'pending' and role = 'ai'`);
    this.addSql('drop function if exists ld_receive_visitor_message(uuid, text, jsonb, jsonb, uuid, text, text, int)');
    this.addSql(
      'drop function if exists ld_store_message(uuid, uuid, text, uuid, text, text, jsonb, text, text, text, jsonb, uuid)',
    );
    this.addSql(`create function ld_store_message(
  p_client uuid, p_conversation uuid, p_require_mode text,
  p_id uuid, p_role text, p_content text, p_attachments jsonb, p_external_id text,
  p_client_message_id text, p_delivery_state text, p_ai jsonb, p_sender uuid,
  p_want_reply boolean, p_reply_owner text, p_lease_ms int, p_answers int
) returns json language plpgsql as $fn$
declare
  c conversations%rowtype;
  m messages%rowtype;
  stale uuid;
  acquired boolean := false;
begin
  select * into c from conversations where id = p_conversation and client_id = p_client for update;
  if not found then
    return json_build_object('outcome', 'no_conversation');
  end if;
  if p_require_mode is not null and c.mode <> p_require_mode then
    return json_build_object('outcome', 'mode_changed');
  end if;
  if p_answers is not null and c.reply_owner is distinct from p_reply_owner then
    -- Another process took this conversation's reply over: its answer is the one that counts.
    return json_build_object('outcome', 'lease_lost');
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
  if p_want_reply and p_role = 'visitor' and c.mode = 'ai' then
    if c.reply_wanted_seq <= c.reply_answered_seq then
      c.reply_wanted_at := now();
      c.reply_attempts := 0;
    end if;
    c.reply_wanted_seq := c.last_seq + 1;
    if p_reply_owner is not null and (c.reply_owner is null or c.reply_lease_until < now()) then
      if c.reply_owner is not null then stale := c.reply_stream_id; end if;
      c.reply_owner := p_reply_owner;
      c.reply_lease_until := now() + make_interval(secs => p_lease_ms / 1000.0);
      c.reply_attempts := c.reply_attempts + 1;
      c.reply_stream_id := gen_random_uuid();
      acquired := true;
    end if;
  elsif p_answers is not null then
    c.reply_answered_seq := greatest(c.reply_answered_seq, p_answers);
    if c.reply_wanted_seq <= c.reply_answered_seq then
      c.reply_owner := null;
      c.reply_lease_until := null;
      c.reply_attempts := 0;
      c.reply_stream_id := null;
    else
      -- Messages arrived while this reply was written: the holder answers them next.
      c.reply_wanted_at := coalesce((select min(created_at) from messages
        where conversation_id = c.id and seq > p_answers and role = 'visitor'), now());
      c.reply_lease_until := now() + make_interval(secs => p_lease_ms / 1000.0);
      c.reply_attempts := 1;
      c.reply_stream_id := gen_random_uuid();
    end if;
  end if;
  update conversations set last_seq = c.last_seq + 1, last_message_at = now(), updated_at = now(),
      reply_wanted_seq = c.reply_wanted_seq, reply_answered_seq = c.reply_answered_seq,
      reply_wanted_at = c.reply_wanted_at, reply_owner = c.reply_owner, reply_lease_until = c.reply_lease_until,
      reply_attempts = c.reply_attempts, reply_stream_id = c.reply_stream_id
    where id = c.id returning * into c;
  insert into messages (id, client_id, conversation_id, seq, role, content, attachments, channel, external_id,
      client_message_id, delivery_state, ai, sender_id, created_at)
    values (p_id, c.client_id, c.id, c.last_seq, p_role, p_content, p_attachments, c.channel, p_external_id,
      p_client_message_id, coalesce(p_delivery_state, case when c.channel = 'web' then 'sent' else 'pending' end),
      p_ai, p_sender, now())
    returning * into m;
  return json_build_object('outcome', 'stored', 'conversation', row_to_json(c), 'message', row_to_json(m),
    'lease', json_build_object('acquired', acquired, 'stale_stream', stale));
end
$fn$`);
    this.addSql(`create function ld_receive_visitor_message(
  p_client uuid, p_visitor text, p_handles jsonb, p_handle_order jsonb,
  p_id uuid, p_content text, p_client_message_id text, p_history int,
  p_reply_owner text, p_lease_ms int
) returns json language plpgsql as $fn$
declare
  c conversations%rowtype;
  l leads%rowtype;
  h jsonb;
  lead_created boolean := false;
  conversation_created boolean := false;
  stored json;
begin
  if not exists (select 1 from clients where id = p_client and status = 'active') then
    return json_build_object('outcome', 'client_paused');
  end if;
  select * into c from conversations
    where client_id = p_client and visitor_id = p_visitor and status <> 'ended' and lead_id is not null
    order by created_at desc limit 1;
  if not found then
    -- The same lock as the application's slow path: one opener per visitor.
    perform pg_advisory_xact_lock(hashtext(p_client::text || ':v:' || p_visitor));
    select * into c from conversations
      where client_id = p_client and visitor_id = p_visitor and status <> 'ended'
      order by created_at desc limit 1;
    if not found or c.lead_id is null then
      -- The lead: by each handle in the caller's order, else a new one.
      for h in select value from jsonb_array_elements(p_handle_order) loop
        -- No LIMIT: the cached generic plan cannot know how selective the handle is (see 080000).
        select * into l from leads where client_id = p_client and handles @> h;
        exit when found;
      end loop;
      if l.id is null then
        insert into leads (id, client_id, handles, source, qualification, score_evidence, created_at, updated_at, last_contact_at)
          values (gen_random_uuid(), p_client, p_handles, 'web', '{"custom": {}}'::jsonb, '[]'::jsonb, now(), now(), now())
          returning * into l;
        lead_created := true;
      else
        update leads set handles = handles || p_handles, last_contact_at = now(), updated_at = now()
          where id = l.id returning * into l;
      end if;
      if c.id is null then
        insert into conversations (id, client_id, lead_id, channel, status, mode, visitor_id, last_seq, created_at, updated_at)
          values (gen_random_uuid(), p_client, l.id, 'web', 'active', 'ai', p_visitor, 0, now(), now())
          returning * into c;
        conversation_created := true;
      else
        update conversations set lead_id = l.id, updated_at = now() where id = c.id returning * into c;
      end if;
    end if;
  end if;
  stored := ld_store_message(p_client, c.id, null, p_id, 'visitor', p_content, '[]'::jsonb, null,
    p_client_message_id, 'delivered', null, null, true, p_reply_owner, p_lease_ms, null);
  return json_build_object('outcome', stored->>'outcome', 'conversation', stored->'conversation',
    'message', stored->'message', 'lead', case when lead_created then row_to_json(l) end,
    'conversation_created', conversation_created, 'lease', stored->'lease',
    'snapshot', case when stored->>'outcome' = 'stored' and stored->'conversation'->>'mode' = 'ai'
      then ld_reply_snapshot(p_client, c.id, p_history) end);
end
$fn$`);
  }

  override async down(): Promise<void> {
    // The previous definitions are in 20261125065000 and 20261125080000; rolling back means re-running them.
    this.addSql(
      'drop function if exists ld_receive_visitor_message(uuid, text, jsonb, jsonb, uuid, text, text, int, text, int)',
    );
    this.addSql(
      'drop function if exists ld_store_message(uuid, uuid, text, uuid, text, text, jsonb, text, text, text, jsonb, uuid, boolean, text, int, int)',
    );
    this.addSql('drop index if exists conversations_reply_due_index');
    this.addSql('drop index if exists messages_pending_delivery_index');
    this.addSql(`alter table conversations drop column reply_wanted_seq, drop column reply_answered_seq,
  drop column reply_wanted_at, drop column reply_owner, drop column reply_lease_until,
  drop column reply_attempts, drop column reply_stream_id`);
  }
}
