import type {
  Channel,
  EscalationPriority,
  EscalationReason,
  LeadDto,
  LeadStatus,
  MessageDto,
  OutgoingWebhookEventType,
} from '@leaddesk/shared';
import type { DomainEventBus, DomainEvents } from '../conversation/domain-events.js';

type StatusChangedBy = DomainEvents['lead.status_changed']['by'];

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
 * The moments (a status change, a lead turning hot, a booking change, a
 * takeover): their keys are built from what the change's own transaction
 * stored (`lead_moments`, `booking_changes`, `conversation_events`), so the
 * catch-up (catch-up-moments.ts) finds one the live path never recorded.
 */
export function statusChangedEvents(
  clientId: string,
  moment: { lead: LeadDto; from: LeadStatus; to: LeadStatus; by: StatusChangedBy; at: string },
): WebhookEvent[] {
  const key = `${moment.lead.id}:${moment.at}:${moment.to}`;
  const data = { lead: moment.lead, from: moment.from, to: moment.to, by: moment.by };
  const events: WebhookEvent[] = [
    { clientId, type: 'lead.status_changed', dedupKey: `lead.status_changed:${key}`, data },
  ];
  if (moment.to === 'qualified') {
    events.push({ clientId, type: 'lead.qualified', dedupKey: `lead.qualified:${key}`, data });
  }
  return events;
}

/** A lead row that turned hot (any mode); the AI's own `lead.hot` shares its key: once per lead. */
export function leadHotEvent(clientId: string, lead: LeadDto): WebhookEvent {
  return {
    clientId,
    type: 'lead.hot',
    dedupKey: `lead.hot:${lead.id}`,
    data: {
      leadId: lead.id,
      conversationId: null,
      score: lead.score,
      evidence: lead.scoreEvidence.map((x) => x.reason),
      lead,
    },
  };
}

export function bookingChangedEvent(e: DomainEvents['booking.changed']): WebhookEvent {
  const { clientId, ...booking } = e;
  return {
    clientId,
    type: `booking.${e.change}`,
    dedupKey: `booking.${e.change}:${e.bookingId}:${e.startsAt}`,
    data: booking,
  };
}

/** One takeover, named by its line in the conversation's staff history. */
export function takenOverEvent(e: {
  clientId: string;
  conversationId: string;
  channel: Channel;
  holderId: string | null;
  historyId: string;
}): WebhookEvent {
  return {
    clientId: e.clientId,
    type: 'conversation.taken_over',
    dedupKey: `conversation.taken_over:${e.historyId}`,
    data: { conversationId: e.conversationId, channel: e.channel, holderId: e.holderId },
  };
}

/**
 * The mapping from the core's domain events to the events endpoints subscribe
 * to. Design notes:
 * - `lead.created`: `lead.updated` with `created`.
 * - `lead.qualified` and `lead.status_changed`: `lead.status_changed` (the
 *   former when the new status is `qualified`); keyed by the lead's
 *   `updatedAt` (the moment's `at` in `lead_moments`), so a lead qualified
 *   twice over time is told twice.
 * - `lead.hot`: the AI's `lead.hot` and the lead row turning hot
 *   (`lead.updated` with `becameHot`, the structured mode too); one key per
 *   lead, so the two sources of the same moment give one event.
 * - `booking.*`: `booking.changed` by its `change`.
 * - `conversation.escalated`: `escalation.created`; `conversation.taken_over`:
 *   the `takeover` line of the staff history (`conversation.event_recorded`).
 * - `message.created`: the conversation's transcript only: visitor, AI and
 *   staff messages. Staff-only notes and system lines never leave.
 */
export function listenForWebhookEvents(events: DomainEventBus, record: (event: WebhookEvent) => unknown): () => void {
  const offs = [
    events.on('lead.updated', (e) => {
      if (e.created) record(leadCreatedEvent(e.clientId, e.lead));
      if (e.becameHot) record(leadHotEvent(e.clientId, e.lead));
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
      for (const event of statusChangedEvents(e.clientId, { ...e, at: e.lead.updatedAt })) record(event);
    }),
    events.on('booking.changed', (e) => record(bookingChangedEvent(e))),
    events.on('escalation.created', (e) => record(escalatedEvent(e))),
    // A takeover is the staff history's `takeover` line (written in the mode change's transaction);
    // the same holder taking over again records none and is not a new takeover.
    events.on('conversation.event_recorded', (e) => {
      if (e.event.kind !== 'takeover') return;
      record(
        takenOverEvent({
          clientId: e.clientId,
          conversationId: e.conversationId,
          channel: e.channel,
          holderId: e.event.actor?.userId ?? null,
          historyId: e.event.id,
        }),
      );
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
