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
 * Outcomes: `stored`, `duplicate` (the message already stored),
 * `no_conversation`, `mode_changed` (p_require_mode no longer holds).
 *
 * `ld_receive_visitor_message`: a widget visitor's message in one round trip,
 * first message included: finds or opens the visitor's conversation (and its
 * lead, by the visitor's handles, in the caller's order), under the same
 * advisory lock as the application's general path, then stores the message
 * with `ld_store_message`. A visitor who gives contact details (email, phone,
 * name) takes the general path, which deduplicates leads by them. When the
 * conversation is in AI mode it also returns the reply snapshot, read in the
 * same transaction, so the reply can start without another round trip.
 *
 * `ld_reply_snapshot`: everything a reply needs (client profile and
 * configuration, conversation, lead, recent history without notes, scoring
 * rules, and the turn facts: summary, prompt variant, budget columns,
 * knowledge-base languages). Its column lists follow conversation/rows.ts.
 */
export class Migration20261125065000StoreMessageFunction extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create or replace function ld_reply_snapshot(p_client uuid, p_conversation uuid, p_history int)
returns json language plpgsql stable as $fn$
begin
-- PL/pgSQL rather than SQL: it keeps the plan for the session (a SQL function is planned at every call).
return json_build_object(
  'client', (select row_to_json(x) from (
    select id, name, industry, locale, timezone, status, config from clients where id = p_client) x),
  'conversation', (select row_to_json(x) from (
    select id, client_id, lead_id, channel, status, mode, mode_holder_id, visitor_id, last_seq, last_message_at, created_at
    from conversations where id = p_conversation and client_id = p_client) x),
  'lead', (select row_to_json(x) from (
    select id, name, email, phone, language, source, qualification, score, temperature, score_evidence, status,
      appointment_at, assignee_id, crm_id, created_at, updated_at
    from leads where client_id = p_client
      and id = (select lead_id from conversations where id = p_conversation and client_id = p_client)) x),
  'history', (select coalesce(json_agg(x order by x.seq), '[]'::json) from (
    select id, client_id, conversation_id, seq, role, content, attachments, channel, external_id, client_message_id,
      delivery_state, ai, created_at
    from messages where client_id = p_client and conversation_id = p_conversation and role <> 'note'
    order by seq desc limit p_history) x),
  'rules', (select coalesce(json_agg(x order by x.position), '[]'::json) from (
    select field, operator, value, points, label, position from qualification_rules where client_id = p_client) x),
  'turn', (select row_to_json(x) from (
    select v.summary, v.summary_seq, v.prompt_variant, c.plan, c.usage_month, c.tokens_used_month,
      c.config->'budgetSoftThreshold' as soft, c.budget_step, c.budget_step_month,
      array(select distinct language from knowledge_bases k where k.client_id = c.id) as kb_languages
    from conversations v join clients c on c.id = v.client_id
    where v.id = p_conversation and v.client_id = p_client) x));
end
$fn$`);
    this.addSql(`create or replace function ld_store_message(
  p_client uuid, p_conversation uuid, p_require_mode text,
  p_id uuid, p_role text, p_content text, p_attachments jsonb, p_external_id text,
  p_client_message_id text, p_delivery_state text, p_ai jsonb, p_sender uuid
) returns json language plpgsql as $fn$
declare
  c conversations%rowtype;
  m messages%rowtype;
begin
  select * into c from conversations where id = p_conversation and client_id = p_client for update;
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

    // The widget visitor's message, whatever their state: one round trip.
    this.addSql(`create or replace function ld_receive_visitor_message(
  p_client uuid, p_visitor text, p_handles jsonb, p_handle_order jsonb,
  p_id uuid, p_content text, p_client_message_id text, p_history int
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
        select * into l from leads where client_id = p_client and handles @> h limit 1;
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
    p_client_message_id, 'delivered', null, null);
  return json_build_object('outcome', stored->>'outcome', 'conversation', stored->'conversation',
    'message', stored->'message', 'lead', case when lead_created then row_to_json(l) end,
    'conversation_created', conversation_created,
    'snapshot', case when stored->>'outcome' = 'stored' and stored->'conversation'->>'mode' = 'ai'
      then ld_reply_snapshot(p_client, c.id, p_history) end);
end
$fn$`);
  }

  override async down(): Promise<void> {
    this.addSql('drop function if exists ld_receive_visitor_message');
    this.addSql('drop function if exists ld_store_message');
    this.addSql('drop function if exists ld_reply_snapshot');
  }
}
