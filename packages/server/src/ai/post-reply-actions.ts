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
    /** The visitor's language (the reply's), for the slots offered. */
    language?: string;
  }): Promise<{ status: 'booked' | 'pending' | 'not_configured'; appointmentAt?: string }>;
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
    const ref = {
      clientId: context.client.id,
      conversationId: context.conversation.id,
      channel: context.conversation.channel,
      visitorId: context.conversation.visitorId,
    };
    const leadId = context.lead?.id ?? null;
    if (!details) {
      // The structured mode's booking intent: offered slots when the tenant's calendar is connected,
      // otherwise nothing more than the structured reply (it already says the team will confirm).
      const entities = result.metadata.entities;
      if (leadId && entities?.leadIntent === 'booking') {
        // A day or time the structured mode read in the message ("Thursday at 11"): the slots start there,
        // read again from the lead's own words by the booking flow's reader (the same one).
        const requestedTime = entities.dates ? context.trigger.content : undefined;
        await requestBooking(options, { ...ref, leadId }, { language: result.metadata.language, requestedTime }, true);
      }
      return;
    }
    for (const escalation of details.extraEscalations) {
      await core.escalate({ ...escalation, clientId: ref.clientId, conversationId: ref.conversationId });
    }
    const output = details.output;
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
      if (
        leadId &&
        (await requestBooking(options, { ...ref, leadId }, { ...output.booking, language: result.metadata.language }))
      ) {
        return;
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

/**
 * Hands a booking intent to the tenant's booking integration (slots offered
 * in the conversation). True when the integration took it; false when the
 * tenant has none (or it failed), so the caller hands it to staff.
 */
async function requestBooking(
  options: PostReplyOptions,
  ref: {
    clientId: string;
    conversationId: string;
    channel: ReplyContext['conversation']['channel'];
    visitorId: string | null;
    leadId: string;
  },
  wanted: { requestedTime?: string; service?: string; language?: string },
  quiet = false,
): Promise<boolean> {
  const integration = options.bookingFor?.(ref.clientId);
  if (!integration) return false;
  try {
    const outcome = await integration.requestBooking({
      clientId: ref.clientId,
      leadId: ref.leadId,
      conversationId: ref.conversationId,
      requestedTime: wanted.requestedTime,
      service: wanted.service,
      language: wanted.language,
    });
    if (outcome.status === 'not_configured') return false;
    const { language: _language, ...booking } = wanted;
    options.core.events.emit('booking.requested', { ...ref, ...booking, handledBy: 'integration' });
    return true;
  } catch (err) {
    if (!quiet) {
      options.logger.warn({ err, conversationId: ref.conversationId }, 'booking integration failed; handing to staff');
    } else {
      options.logger.warn({ err, conversationId: ref.conversationId }, 'booking integration failed');
    }
    return false;
  }
}
