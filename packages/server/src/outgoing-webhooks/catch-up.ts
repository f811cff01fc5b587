import type { Channel, EscalationPriority, EscalationReason } from '@leaddesk/shared';
import { LEAD_COLUMNS, type LeadRow, leadRowToDto, type MessageRow, messageRowToDto } from '../conversation/rows.js';
import type { Sql } from '../db/sql.js';
import { type CatchUpWindow, missedMomentsOf } from './catch-up-moments.js';

export type { CatchUpWindow };

import { escalatedEvent, leadCreatedEvent, messageCreatedEvent, type WebhookEvent } from './webhook-events.js';

/**
 * The outbox's catch-up: the core emits its events after its transaction
 * commits, and the outbox row is written then, so a process that dies (or a
 * database write that fails) between the two would lose the event. The facts
 * behind most events are rows of their own (a lead, a transcript message, an
 * escalation): the sweep looks for such rows of the last day with no outbox
 * row under the key the live path would have used, and records them from the
 * row. Recording is idempotent per key, so a live path that is merely slow and
 * the sweep never make two events; rows older than the endpoint itself are
 * not sent (an endpoint hears of what happens after it was connected).
 *
 * `lead.status_changed`, `lead.hot`, `booking.*` and takeovers are moments,
 * not rows: their transactions store the moment (catch-up-moments.ts).
 */

const SUBSCRIBED = (type: string, createdAt: string) =>
  `exists (select 1 from outgoing_webhook_endpoints e where e.client_id = x.client_id and e.enabled
     and '${type}' = any(e.events) and e.created_at <= ${createdAt})`;
const MISSING = (key: string) =>
  `not exists (select 1 from outgoing_webhook_events o where o.client_id = x.client_id and o.dedup_key = ${key})`;

/** The events the live path did not record, tenant by tenant (each query on the tenant's own index). */
export async function missedEvents(sql: Pick<Sql, 'query'>, w: CatchUpWindow): Promise<WebhookEvent[]> {
  const tenants = await sql.query<{ client_id: string }[]>(
    'select distinct client_id from outgoing_webhook_endpoints where enabled',
  );
  const events: WebhookEvent[] = [];
  for (const t of tenants) {
    events.push(...(await missedEventsOf(sql, t.client_id, w)), ...(await missedMomentsOf(sql, t.client_id, w)));
  }
  return events;
}

async function missedEventsOf(sql: Pick<Sql, 'query'>, clientId: string, w: CatchUpWindow): Promise<WebhookEvent[]> {
  const args = [clientId, w.since, w.until, w.limit];
  const leads = await sql.query<(LeadRow & { client_id: string })[]>(
    `select x.client_id, ${LEAD_COLUMNS.split(', ')
      .map((c) => `x.${c}`)
      .join(', ')} from leads x
      where x.client_id = ? and x.created_at > ? and x.created_at <= ?
        and ${SUBSCRIBED('lead.created', 'x.created_at')} and ${MISSING(`'lead.created:' || x.id`)}
      order by x.created_at limit ?`,
    args,
  );
  const messages = await sql.query<MessageRow[]>(
    `select x.* from messages x
      where x.client_id = ? and x.created_at > ? and x.created_at <= ? and x.role in ('visitor', 'ai', 'staff')
        and ${SUBSCRIBED('message.created', 'x.created_at')} and ${MISSING(`'message.created:' || x.id`)}
      order by x.created_at limit ?`,
    args,
  );
  const escalations = await sql.query<
    {
      id: string;
      client_id: string;
      conversation_id: string;
      lead_id: string | null;
      reason: EscalationReason;
      priority: EscalationPriority;
      detail: string;
      channel: Channel;
    }[]
  >(
    `select x.id, x.client_id, x.conversation_id, x.lead_id, x.reason, x.priority, x.detail, c.channel
       from escalations x join conversations c on c.id = x.conversation_id and c.client_id = x.client_id
      where x.client_id = ? and x.created_at > ? and x.created_at <= ?
        and ${SUBSCRIBED('conversation.escalated', 'x.created_at')}
        and ${MISSING(`'conversation.escalated:' || x.id`)}
      order by x.created_at limit ?`,
    args,
  );
  const events: WebhookEvent[] = [];
  for (const row of leads) events.push(leadCreatedEvent(row.client_id, leadRowToDto(row)));
  for (const row of messages) {
    const event = messageCreatedEvent(row.client_id, row.conversation_id, row.channel, messageRowToDto(row));
    if (event) events.push(event);
  }
  for (const e of escalations) {
    events.push(
      escalatedEvent({
        clientId: e.client_id,
        conversationId: e.conversation_id,
        channel: e.channel,
        escalationId: e.id,
        leadId: e.lead_id,
        reason: e.reason,
        priority: e.priority,
        detail: e.detail,
      }),
    );
  }
  return events;
}
