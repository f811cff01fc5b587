import { Migration } from '@mikro-orm/migrations';

/**
 * The visitor's lead lookup in `ld_receive_visitor_message` without `LIMIT 1`.
 * PL/pgSQL caches a generic plan per session; for `handles @> $h` it cannot
 * estimate the selectivity, and with the LIMIT it chose a sequential scan of
 * the whole `leads` table (every tenant's leads) for every first message. The
 * AI bench on a database with 6,000 leads measured that lookup at ~6 ms. Without
 * the LIMIT the plan uses the `leads_handles_gin` index whatever the table size.
 * The rest of the function is unchanged.
 */
export class Migration20261125080000VisitorLeadLookup extends Migration {
  override async up(): Promise<void> {
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
        -- No LIMIT: the cached generic plan cannot know how selective the handle is, and with a
        -- LIMIT it chose a scan of every lead of every tenant; SELECT INTO keeps the first row anyway.
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
    // The previous definition is the one in 20261125065000-store-message-function.ts.
  }
}
