import type {
  AiStatus,
  Channel,
  ConversationDto,
  ConversationMode,
  DeliveryState,
  EscalationPriority,
  EscalationReason,
  LeadDto,
  LeadStatus,
  MessageDto,
  QuickReply,
  TimelineEvent,
} from '@leaddesk/shared';
import type { Logger } from '../logger.js';
import type { ReplySnapshot } from './reply-snapshot.js';

/**
 * Facts the conversation core (and the reply orchestrator) publish. Every
 * event carries `clientId`, so a listener can never fan one tenant's event out
 * to another tenant's room by accident. Listeners decide the recipients: notes
 * (`message.role === 'note'`) never reach a visitor.
 *
 * Design note: events are emitted after the transaction that produced them has
 * committed, so a listener that reads the database sees the change.
 */
export interface ConversationRef {
  clientId: string;
  conversationId: string;
  channel: Channel;
  /** The widget visitor behind a web conversation, for the visitor's room. */
  visitorId: string | null;
}

/**
 * A conversation's reply obligation and lease, as the transaction that stored
 * a message left them (migration 20261202000000). `acquired`: this process
 * now holds the lease and must answer; otherwise `owner` holds it (or nobody,
 * and a sweep will take it).
 */
export interface ReplyLease {
  acquired: boolean;
  owner: string | null;
  /** The id the holder's reply will stream and be stored under. */
  streamId: string | null;
  /** A stream of a holder that died: to withdraw before answering. */
  staleStreamId: string | null;
  /** Replies started for this obligation (1 on the first). */
  attempts: number;
  /** When the oldest unanswered message arrived (epoch ms). */
  wantedAt: number;
}

export interface DomainEvents {
  'message.created': ConversationRef & { message: MessageDto; quickReplies?: QuickReply[] };
  'conversation.updated': ConversationRef & {
    conversation: ConversationDto;
    /** What changed: `created`, `mode`, `status`, `lead`, `assignee`. */
    changes: string[];
  };
  'lead.updated': { clientId: string; lead: LeadDto; created: boolean; becameHot?: boolean };
  /** A visitor message that wants an AI (or structured) reply. */
  'reply.requested': ConversationRef & {
    messageId: string;
    seq: number;
    quickReplyId?: string;
    /** Read with the message when the store could (one round trip less before the reply starts). */
    snapshot?: ReplySnapshot;
    /** The conversation's reply lease as the store left it (see ReplyLease). */
    lease?: ReplyLease;
  };
  'reply.started': ConversationRef & { messageId: string };
  'reply.delta': ConversationRef & { messageId: string; index: number; text: string };
  'reply.ended': ConversationRef & { messageId: string; message: MessageDto; quickReplies: QuickReply[] };
  'reply.aborted': ConversationRef & { messageId: string; reason: 'human_mode' | 'failed' | 'shutdown' };
  'ai.status': ConversationRef & { status: AiStatus };
  'escalation.created': ConversationRef & {
    escalationId: string;
    leadId: string | null;
    reason: EscalationReason;
    priority: EscalationPriority;
    detail: string;
  };
  /** A lead turned hot in an AI conversation (AI pipeline): staff should call now. */
  'lead.hot': ConversationRef & { leadId: string; score: number; evidence: string[] };
  /** The lead wants an appointment: handed to the booking integration, or to staff without one. */
  'booking.requested': ConversationRef & {
    leadId: string | null;
    requestedTime?: string;
    service?: string;
    handledBy: 'integration' | 'staff';
  };
  /**
   * A lead's status moved (staff on the lead page, the AI's qualification, a
   * rule or an integration). Rules, outgoing webhooks and CRM sync listen.
   */
  'lead.status_changed': {
    clientId: string;
    lead: LeadDto;
    from: LeadStatus;
    to: LeadStatus;
    by: 'staff' | 'ai' | 'rule' | 'integration' | 'system';
  };
  /**
   * A booking made, moved or cancelled, whoever did it (the lead in the
   * conversation, staff on the lead page, or the calendar's own webhook).
   * Emitted by the booking integration after its transaction commits.
   */
  'booking.changed': {
    clientId: string;
    leadId: string | null;
    conversationId: string | null;
    bookingId: string;
    change: 'created' | 'rescheduled' | 'cancelled';
    /** ISO start of the booking (the new start when rescheduled). */
    startsAt: string;
    endsAt: string | null;
    service: string | null;
    by: 'lead' | 'staff' | 'calendar';
  };
  'conversation.mode_changed': ConversationRef & { mode: ConversationMode; holderId: string | null };
  /** A staff-only history line (takeover, hand-back, assignment): staff listeners only, never a visitor. */
  'conversation.event_recorded': ConversationRef & { event: TimelineEvent };
  'visitor.typing': ConversationRef & { typing: boolean };
  'visitor.read': ConversationRef & { upToSeq: number };
  /** A channel reported progress on an outbound message (sent, delivered, read, failed with the error). */
  'message.delivery_updated': ConversationRef & {
    messageId: string;
    deliveryState: DeliveryState;
    error: { code?: string | number; message: string } | null;
  };
}

export type DomainEventName = keyof DomainEvents;
export type DomainListener<K extends DomainEventName> = (payload: DomainEvents[K]) => unknown;

/**
 * A small typed, in-process event bus. Listeners run in registration order;
 * a failing listener is logged and never stops the others or the emitter.
 * Cross-process fan-out is the realtime layer's job (Socket.IO Redis adapter).
 */
export class DomainEventBus {
  private readonly listeners = new Map<DomainEventName, Array<DomainListener<DomainEventName>>>();

  constructor(private readonly logger?: Logger) {}

  on<K extends DomainEventName>(event: K, listener: DomainListener<K>): () => void {
    const list = this.listeners.get(event) ?? [];
    list.push(listener as DomainListener<DomainEventName>);
    this.listeners.set(event, list);
    return () => {
      const current = this.listeners.get(event);
      if (current)
        this.listeners.set(
          event,
          current.filter((l) => l !== listener),
        );
    };
  }

  emit<K extends DomainEventName>(event: K, payload: DomainEvents[K]): void {
    for (const listener of this.listeners.get(event) ?? []) {
      try {
        const result = listener(payload);
        if (result instanceof Promise) result.catch((err: unknown) => this.report(event, err));
      } catch (err) {
        this.report(event, err);
      }
    }
  }

  private report(event: string, err: unknown): void {
    this.logger?.error({ err, event }, 'domain event listener failed');
  }
}
