import type { MessageDto } from '@leaddesk/shared';
import type { ConversationCore } from '../conversation/conversation-core.js';
import type { Logger } from '../logger.js';
import type { ReplyContext, ReplyResult } from '../replies/reply-engine.js';
import { AI_REPLY_DETAILS } from './ai-reply-engine.js';

/** A calendar integration (Cal.com in the integrations issue) that can take a booking request. */
export interface BookingIntegration {
  requestBooking(input: {
    clientId: string;
    leadId: string;
    conversationId: string;
    requestedTime?: string;
    service?: string;
  }): Promise<{ status: 'booked' | 'pending'; appointmentAt?: string }>;
}

export interface PostReplyOptions {
  core: ConversationCore;
  logger: Logger;
  /** Per tenant: the integration configured for this client, if any. */
  bookingFor?: (clientId: string) => BookingIntegration | undefined;
}

/**
 * What happens after an AI reply is stored (the orchestrator has already
 * applied the lead updates and the main escalation): further escalations,
 * the hot-lead event, and a booking intent handed to the booking integration
 * when the tenant has one, otherwise to staff as an escalation.
 */
export function createPostReplyActions(options: PostReplyOptions) {
  const { core } = options;
  return async ({ context, result }: { context: ReplyContext; result: ReplyResult; message: MessageDto }) => {
    const details = AI_REPLY_DETAILS.get(result);
    if (!details) return;
    const ref = {
      clientId: context.client.id,
      conversationId: context.conversation.id,
      channel: context.conversation.channel,
      visitorId: context.conversation.visitorId,
    };
    for (const escalation of details.extraEscalations) {
      await core.escalate({ ...escalation, clientId: ref.clientId, conversationId: ref.conversationId });
    }
    const output = details.output;
    const leadId = context.lead?.id ?? null;
    if (!output) return;
    const becameHot =
      leadId &&
      context.lead?.temperature !== 'hot' &&
      (output.temperature === 'hot' || output.nextAction === 'transfer_hot_lead');
    if (becameHot) {
      core.events.emit('lead.hot', {
        ...ref,
        leadId,
        score: Math.round(output.score),
        evidence: output.evidence.map((e) => e.reason),
      });
    }
    if (output.nextAction === 'book_appointment') {
      const integration = leadId ? options.bookingFor?.(ref.clientId) : undefined;
      if (integration && leadId) {
        try {
          await integration.requestBooking({
            clientId: ref.clientId,
            leadId,
            conversationId: ref.conversationId,
            requestedTime: output.booking?.requestedTime,
            service: output.booking?.service,
          });
          core.events.emit('booking.requested', { ...ref, leadId, ...output.booking, handledBy: 'integration' });
          return;
        } catch (err) {
          options.logger.warn(
            { err, conversationId: ref.conversationId },
            'booking integration failed; handing to staff',
          );
        }
      }
      const wanted = [output.booking?.service, output.booking?.requestedTime].filter(Boolean).join(', ');
      await core.escalate({
        clientId: ref.clientId,
        conversationId: ref.conversationId,
        reason: 'other',
        priority: 'high',
        detail: `Booking requested${wanted ? `: ${wanted}` : ''}`,
      });
      core.events.emit('booking.requested', { ...ref, leadId, ...output.booking, handledBy: 'staff' });
    }
  };
}
