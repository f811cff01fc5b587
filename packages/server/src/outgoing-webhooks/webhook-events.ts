import { randomUUID } from 'node:crypto';
import type {
  Channel,
  EscalationPriority,
  EscalationReason,
  LeadDto,
  MessageDto,
  OutgoingWebhookEventType,
} from '@leaddesk/shared';
import type { DomainEventBus } from '../conversation/domain-events.js';

/** One fact for the tenant's endpoints: its type, its body's `data`, and a key that names it once. */
export interface WebhookEvent {
  clientId: string;
  type: OutgoingWebhookEventType;
  /** Derived from the domain event: recording the same fact twice stores it once. */
  dedupKey: string;
  data: Record<string, unknown>;
}

/**
 * The events whose fact is a row of its own (a lead, a transcript message, an
 * escalation): built here for the live path and for the catch-up sweep
 * (catch-up.ts), so both write the same key and the same body.
 */
export function leadCreatedEvent(clientId: string, lead: LeadDto): WebhookEvent {
  return { clientId, type: 'lead.created', dedupKey: `lead.created:${lead.id}`, data: { lead } };
}

/** Null for what never leaves: staff-only notes and system lines. */
export function messageCreatedEvent(
  clientId: string,
  conversationId: string,
  channel: Channel,
  m: MessageDto,
): WebhookEvent | null {
  if (m.role !== 'visitor' && m.role !== 'ai' && m.role !== 'staff') return null;
  return {
    clientId,
    type: 'message.created',
    dedupKey: `message.created:${m.id}`,
    data: {
      conversationId,
      channel,
      message: {
        id: m.id,
        seq: m.seq,
        role: m.role,
        content: m.content,
        attachments: m.attachments,
        createdAt: m.createdAt,
      },
    },
  };
}

export function escalatedEvent(e: {
  clientId: string;
  conversationId: string;
  channel: Channel;
  escalationId: string;
  leadId: string | null;
  reason: EscalationReason;
  priority: EscalationPriority;
  detail: string;
}): WebhookEvent {
  return {
    clientId: e.clientId,
    type: 'conversation.escalated',
    dedupKey: `conversation.escalated:${e.escalationId}`,
    data: {
      conversationId: e.conversationId,
      channel: e.channel,
      escalationId: e.escalationId,
      leadId: e.leadId,
      reason: e.reason,
      priority: e.priority,
      detail: e.detail,
    },
  };
}

/**
 * The mapping from the core's domain events to the events endpoints subscribe
 * to. Design notes:
 * - `lead.created`: `lead.updated` with `created`.
 * - `lead.qualified` and `lead.status_changed`: `lead.status_changed` (the
 *   former when the new status is `qualified`); keyed by the lead's
 *   `updatedAt`, so a lead qualified twice over time is told twice.
 * - `lead.hot`: the AI's `lead.hot` and the lead row turning hot
 *   (`lead.updated` with `becameHot`, the structured mode too); one key per
 *   lead, so the two sources of the same moment give one event.
 * - `booking.*`: `booking.changed` by its `change`.
 * - `conversation.escalated`: `escalation.created`; `conversation.taken_over`:
 *   `conversation.mode_changed` to `human`.
 * - `message.created`: the conversation's transcript only: visitor, AI and
 *   staff messages. Staff-only notes and system lines never leave.
 */
export function listenForWebhookEvents(events: DomainEventBus, record: (event: WebhookEvent) => unknown): () => void {
  const offs = [
    events.on('lead.updated', (e) => {
      const lead = e.lead;
      if (e.created) record(leadCreatedEvent(e.clientId, lead));
      if (e.becameHot) {
        record({
          clientId: e.clientId,
          type: 'lead.hot',
          dedupKey: `lead.hot:${lead.id}`,
          data: {
            leadId: lead.id,
            conversationId: null,
            score: lead.score,
            evidence: lead.scoreEvidence.map((x) => x.reason),
            lead,
          },
        });
      }
    }),
    events.on('lead.hot', (e) =>
      record({
        clientId: e.clientId,
        type: 'lead.hot',
        dedupKey: `lead.hot:${e.leadId}`,
        data: {
          leadId: e.leadId,
          conversationId: e.conversationId,
          channel: e.channel,
          score: e.score,
          evidence: e.evidence,
        },
      }),
    ),
    events.on('lead.status_changed', (e) => {
      const key = `${e.lead.id}:${e.lead.updatedAt}:${e.to}`;
      const data = { lead: e.lead, from: e.from, to: e.to, by: e.by };
      record({ clientId: e.clientId, type: 'lead.status_changed', dedupKey: `lead.status_changed:${key}`, data });
      if (e.to === 'qualified') {
        record({ clientId: e.clientId, type: 'lead.qualified', dedupKey: `lead.qualified:${key}`, data });
      }
    }),
    events.on('booking.changed', (e) => {
      const { clientId, ...booking } = e;
      record({
        clientId,
        type: `booking.${e.change}`,
        dedupKey: `booking.${e.change}:${e.bookingId}:${e.startsAt}`,
        data: booking,
      });
    }),
    events.on('escalation.created', (e) => record(escalatedEvent(e))),
    events.on('conversation.mode_changed', (e) => {
      if (e.mode !== 'human') return;
      record({
        clientId: e.clientId,
        type: 'conversation.taken_over',
        // The mode event names no moment of its own: each takeover is its own event.
        dedupKey: `conversation.taken_over:${e.conversationId}:${randomUUID()}`,
        data: { conversationId: e.conversationId, channel: e.channel, holderId: e.holderId },
      });
    }),
    events.on('message.created', (e) => {
      const event = messageCreatedEvent(e.clientId, e.conversationId, e.channel, e.message);
      if (event) record(event);
    }),
  ];
  return () => {
    for (const off of offs) off();
  };
}
