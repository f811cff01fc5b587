import type { Channel } from '@leaddesk/shared';
import type { ConversationCore } from '../../conversation/conversation-core.js';
import type { IClient } from '../../db/entities/index.js';
import { countryFromLocale, normalizePhone } from '../../leads/normalize-contact.js';
import type { OutboundDelivery } from '../outbound/outbound-delivery.js';
import { storedSettings } from '../settings/channel-settings.js';

export interface MissedCall {
  /** The provider's call id (Twilio: the parent CallSid), one follow-up per call. */
  callId: string;
  /** The lead's number. */
  from: string;
  status: string;
  provider: string;
}

export interface MissedCallResult {
  leadId: string | null;
  conversationId: string;
  followUp: 'whatsapp' | 'sms' | 'none';
  duplicate: boolean;
}

/**
 * A call the business did not answer: the caller becomes (or is matched to) a
 * lead, the missed call is recorded in a conversation on the channel the
 * follow-up goes out on — WhatsApp when the tenant has connected it (an
 * approved template, since the lead has not written), else SMS through
 * Twilio — so the lead's answer continues in that same conversation with the
 * AI. The call id is the message's external id: a callback delivered again,
 * or the status callback and the <Dial> action of the same call, send one
 * follow-up.
 */
export async function handleMissedCall(
  deps: { core: ConversationCore; delivery: OutboundDelivery },
  client: IClient,
  call: MissedCall,
): Promise<MissedCallResult> {
  const settings = storedSettings(client);
  const channel: Channel = settings.whatsapp ? 'whatsapp' : settings.twilio ? 'sms' : 'voice';
  const phone = normalizePhone(call.from, countryFromLocale(client.locale));
  const inbound = await deps.core.receiveInbound({
    client,
    channel,
    contact: {
      phone: phone ?? call.from,
      handles: channel === 'whatsapp' && phone ? { whatsapp: phone.slice(1) } : undefined,
    },
    externalId: `call:${call.callId}`,
    content: `Missed call (${call.status.replace(/-/g, ' ')})`,
    requestReply: false,
  });
  const base = { leadId: inbound.leadId, conversationId: inbound.conversation.id };
  if (inbound.duplicate) return { ...base, followUp: 'none', duplicate: true };
  if (channel === 'voice') return { ...base, followUp: 'none', duplicate: false };

  const message = await deps.core.appendMessage({
    clientId: client.id,
    conversationId: inbound.conversation.id,
    role: 'ai',
    content: `Hi, this is ${client.name}. Sorry we missed your call! How can we help? Just reply to this message.`,
    ai: { provider: 'missed-call', intent: 'missed_call_follow_up' },
  });
  await deps.delivery.enqueue({
    clientId: client.id,
    conversationId: inbound.conversation.id,
    messageId: message.id,
    channel,
    purpose: 'follow_up',
  });
  return { ...base, followUp: channel, duplicate: false };
}
