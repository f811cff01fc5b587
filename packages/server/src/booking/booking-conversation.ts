import type { Channel, LeadDto, QuickReply } from '@leaddesk/shared';
import type { ReplyContext } from '../replies/reply-engine.js';
import { understand } from '../understanding/index.js';
import type { BookingService, Tenant } from './booking-service.js';
import {
  claimOffer,
  closeOffer,
  findBooking,
  findBookingByKey,
  findOffer,
  latestOpenOffer,
  type OfferRow,
  offerSlots,
  upcomingBooking,
} from './booking-store.js';
import { type BookingLanguage, bookingLanguage, bookingTexts } from './booking-texts.js';
import type { CalcomSettings } from './calcom-settings-store.js';
import { readRequestedTime } from './requested-time.js';

/**
 * The booking flow inside a conversation. Two ways in:
 * - `requestBooking` (the BookingIntegration seam of the post-reply actions):
 *   the lead asked for an appointment (the structured mode's booking intent,
 *   or the AI's `record_qualification` call with nextAction
 *   `book_appointment`); after the reply, the next free slots (from the time
 *   asked for, when the AI recorded one) are offered as a message of their own.
 * - `answerTurn` (the reply engine decorator): the lead's message picks an
 *   offered slot (quick reply, or a digit by SMS), or asks to move or cancel
 *   their appointment; the answer is the turn's reply, stored and delivered
 *   like any reply.
 */
export interface TurnAnswer {
  text: string;
  quickReplies: QuickReply[];
  intent: string;
  language: BookingLanguage;
}

/** `booking:<offer id>:<index>` */
const QUICK_REPLY = /^booking:([0-9a-f-]{36}):(\d)$/;
/** A digit answering a numbered list (SMS, email): "2", "2.", " 2) ". */
const DIGIT = /^\s*([1-9])\s*[.)]?\s*$/;
/** An offer younger than this is not repeated when the lead says again that they want to book. */
const OFFER_FRESH_MS = 30 * 60_000;

export class BookingConversation {
  constructor(private readonly service: BookingService) {}

  /** The seam: offer slots after a reply that found a booking intent. */
  async requestBooking(input: {
    clientId: string;
    leadId: string;
    conversationId: string;
    service?: string;
    /** What the lead asked for, in their words ("Thursday afternoon"), from the AI's booking tool call. */
    requestedTime?: string;
    language?: string;
  }): Promise<{ status: 'pending' | 'booked' | 'not_configured' }> {
    const settings = await this.service.settings(input.clientId);
    if (!settings) return { status: 'not_configured' };
    const { sql } = this.service;
    const conversation = await this.service.core.getConversation(input.clientId, input.conversationId);
    if (!conversation || conversation.mode !== 'ai') return { status: 'pending' };
    const open = await latestOpenOffer(sql, input.clientId, input.conversationId);
    if (open && this.service.now().getTime() - new Date(open.created_at).getTime() < OFFER_FRESH_MS) {
      return { status: 'pending' };
    }
    if (await upcomingBooking(sql, input.clientId, input.leadId, this.service.now())) return { status: 'booked' };
    const tenant = await this.service.tenant(input.clientId);
    const lead = await this.service.lead(input.clientId, input.leadId);
    const language = bookingLanguage(input.language, lead?.language, tenant.locale);
    const texts = bookingTexts(language);
    const service = input.service ?? lead?.qualification.serviceInterest ?? null;
    const offer = await this.service.offer({
      settings,
      tenant,
      conversationId: input.conversationId,
      leadId: input.leadId,
      service,
      language,
      requested: readRequestedTime(input.requestedTime, {
        now: this.service.now(),
        timeZone: tenant.timezone,
        language,
      }),
    });
    if (!offer) {
      await this.service.say(input.clientId, input.conversationId, texts.noSlots(settings.bookingWindowDays), {
        intent: 'booking:no_slots',
        language,
      });
      await this.service.core.escalate({
        clientId: input.clientId,
        conversationId: input.conversationId,
        reason: 'other',
        priority: 'high',
        detail: `Booking requested${service ? `: ${service}` : ''}; no free slot on Cal.com`,
      });
      return { status: 'pending' };
    }
    const message = this.service.offerMessage(offer, tenant, conversation.channel, texts.offer(service));
    await this.service.say(input.clientId, input.conversationId, message.text, {
      quickReplies: message.quickReplies,
      intent: 'booking:offer',
      language,
    });
    return { status: 'pending' };
  }

  /** A turn the booking flow answers itself, or null for the reply engine. */
  async answerTurn(context: ReplyContext): Promise<TurnAnswer | null> {
    const clientId = context.client.id;
    const conversationId = context.conversation.id;
    const text = context.trigger.content;
    const byQuickReply = context.quickReplyId ? QUICK_REPLY.exec(context.quickReplyId) : null;
    const byDigit = !byQuickReply && context.conversation.channel !== 'web' ? DIGIT.exec(text) : null;
    const lead = context.lead;
    // Cheap checks first: most turns are not about an appointment.
    if (!byQuickReply && !byDigit && !lead?.appointmentAt) return null;
    const settings = await this.service.settings(clientId);
    if (!settings) return null;
    const { sql } = this.service;

    let offer: OfferRow | null = null;
    let index = -1;
    if (byQuickReply) {
      offer = await findOffer(sql, clientId, conversationId, byQuickReply[1] as string);
      index = Number(byQuickReply[2]);
    } else if (byDigit) {
      offer = await latestOpenOffer(sql, clientId, conversationId);
      index = Number(byDigit[1]) - 1;
      if (!offer) return null;
    }
    const tenant = await this.service.tenant(clientId);
    const language = bookingLanguage(lead?.language, offer?.language, context.client.locale);
    if (offer)
      return this.choose({ settings, tenant, offer, index, lead, channel: context.conversation.channel, language });
    if (!lead) return null;

    // "Can I move my appointment?" / "I need to cancel": about the lead's next booking.
    const u = understand({
      text,
      now: context.now ?? this.service.now(),
      timeZone: tenant.timezone,
      knownLanguage: lead.language,
      fallbackLanguage: context.client.locale,
      services: context.client.config.services ?? [],
      industry: context.client.industry,
    });
    if (u.intent !== 'reschedule' && u.intent !== 'cancellation') return null;
    const booked = await upcomingBooking(sql, clientId, lead.id, this.service.now());
    if (!booked) return null;
    const lang = bookingLanguage(u.language, lead.language, context.client.locale);
    const texts = bookingTexts(lang);
    if (u.intent === 'cancellation') {
      const row = await this.service.cancel(settings, booked, 'lead');
      return {
        text: texts.cancelled(this.service.when(row, tenant, lang)),
        quickReplies: [],
        intent: 'booking:cancelled',
        language: lang,
      };
    }
    const next = await this.service.offer({
      settings,
      tenant,
      conversationId,
      leadId: lead.id,
      service: booked.service,
      language: lang,
      bookingId: booked.id,
      excluding: [new Date(booked.starts_at).toISOString()],
    });
    if (!next) {
      return {
        text: texts.noSlots(settings.bookingWindowDays),
        quickReplies: [],
        intent: 'booking:no_slots',
        language: lang,
      };
    }
    return {
      ...this.service.offerMessage(next, tenant, context.conversation.channel, texts.rescheduleOffer),
      intent: 'booking:offer',
      language: lang,
    };
  }

  /** The lead picked slot `index` of `offer`. */
  private async choose(input: {
    settings: CalcomSettings;
    tenant: Tenant;
    offer: OfferRow;
    index: number;
    lead: LeadDto | null;
    channel: Channel;
    language: BookingLanguage;
  }): Promise<TurnAnswer> {
    const { settings, tenant, offer, lead, language } = input;
    const texts = bookingTexts(language);
    const service = this.service;
    const slot = offerSlots(offer)[input.index];
    const answer = (text: string, intent: string, quickReplies: QuickReply[] = []): TurnAnswer => ({
      text,
      quickReplies,
      intent,
      language,
    });
    const reoffer = async (leadIn: string, excluding: string[]) => {
      const next = await service.offer({
        settings,
        tenant,
        conversationId: offer.conversation_id,
        leadId: offer.lead_id,
        service: offer.service,
        language,
        bookingId: offer.booking_id,
        excluding,
      });
      if (!next) return answer(texts.noSlots(settings.bookingWindowDays), 'booking:no_slots');
      const m = service.offerMessage(next, tenant, input.channel, leadIn);
      return answer(m.text, 'booking:offer', m.quickReplies);
    };

    if (offer.status !== 'open' || !slot) {
      // A second tap on the same choice: the booking it made, said again.
      const made = offer.booking_id ? null : await findBookingByKey(service.sql, tenant.id, `offer:${offer.id}`);
      if (made?.status === 'booked') {
        return answer(texts.confirmed(service.when(made, tenant, language), made.service), 'booking:confirmed');
      }
      return reoffer(texts.expired, []);
    }
    if (!lead || (!lead.email && !lead.phone)) return answer(texts.needContact, 'booking:need_contact');
    // Exactly one process takes the offer (two taps, two processes, a retried reply).
    if (!(await claimOffer(service.sql, tenant.id, offer.id))) {
      const made = await findBookingByKey(service.sql, tenant.id, `offer:${offer.id}`);
      if (made?.status === 'booked') {
        return answer(texts.confirmed(service.when(made, tenant, language), made.service), 'booking:confirmed');
      }
      return reoffer(texts.expired, []);
    }

    if (offer.booking_id) {
      const current = await findBooking(service.sql, tenant.id, offer.booking_id);
      if (!current || current.status !== 'booked') return reoffer(texts.expired, []);
      const moved = await service.move(settings, current, slot.start, 'lead');
      if (moved.kind === 'moved') {
        return answer(texts.rescheduled(service.when(moved.row, tenant, language)), 'booking:rescheduled');
      }
      if (moved.kind === 'taken') return reoffer(texts.taken, [slot.start]);
      return answer(texts.failed, 'booking:failed');
    }

    const outcome = await service.book({
      settings,
      tenant,
      requestKey: `offer:${offer.id}`,
      lead,
      conversationId: offer.conversation_id,
      service: offer.service,
      start: slot.start,
      end: slot.end,
      by: 'lead',
      language,
    });
    if (outcome.kind === 'booked' || outcome.kind === 'duplicate') {
      return answer(
        texts.confirmed(service.when(outcome.row, tenant, language), outcome.row.service),
        'booking:confirmed',
      );
    }
    if (outcome.kind === 'taken') return reoffer(texts.taken, [slot.start]);
    await closeOffer(service.sql, tenant.id, offer.id);
    await service.core.escalate({
      clientId: tenant.id,
      conversationId: offer.conversation_id,
      reason: 'other',
      priority: 'high',
      detail: `Booking failed on Cal.com (${outcome.message.slice(0, 200)}); the lead chose ${slot.start}`,
    });
    return answer(texts.failed, 'booking:failed');
  }
}
