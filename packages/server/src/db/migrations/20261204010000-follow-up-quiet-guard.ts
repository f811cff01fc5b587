import { Migration } from '@mikro-orm/migrations';

/**
 * Follow-ups never cross a lead's reply.
 *
 * A follow-up step checks that the lead has not written since the sequence
 * started, then stores its message; a STOP arriving between the two used to
 * let one more follow-up out. `ld_store_message` gains `p_quiet_since`: the
 * message is stored only if no visitor message came after that sequence
 * number, checked under the conversation's row lock that every message
 * (the lead's included) takes to be stored. The parameter defaults to null so
 * `ld_receive_visitor_message` (16 arguments) keeps resolving to this function;
 * the 16-parameter version is dropped first for that reason.
 */
export class Migration20261204010000FollowUpQuietGuard extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      'drop function if exists ld_store_message(uuid, uuid, text, uuid, text, text, jsonb, text, text, text, jsonb, uuid, boolean, text, int, int)',
    );
    this.addSql(`create function ld_store_message(
  p_client uuid, p_conversation uuid, p_require_mode text,
  p_id uuid, p_role text, p_content text, p_attachments jsonb, p_external_id text,
  p_client_message_id text, p_delivery_state text, p_ai jsonb, p_sender uuid,
  p_want_reply boolean, p_reply_owner text, p_lease_ms int, p_answers int,
  p_quiet_since int default null
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
  if p_quiet_since is not null and exists (select 1 from messages
      where conversation_id = c.id and role = 'visitor' and seq > p_quiet_since) then
    -- The lead wrote after the sender last looked (a reply, STOP): checked under the row lock,
    -- so a message racing this one is either seen here or stored after it.
    return json_build_object('outcome', 'visitor_spoke');
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
  }

  override async down(): Promise<void> {
    // The previous definition is in 20261202000000; rolling back means re-running it.
    this.addSql(
      'drop function if exists ld_store_message(uuid, uuid, text, uuid, text, text, jsonb, text, text, text, jsonb, uuid, boolean, text, int, int, int)',
    );
  }
}
