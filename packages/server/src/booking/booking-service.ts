import { randomUUID } from 'node:crypto';
import type { BookingSlot, Channel, LeadDto, MessageDto, QuickReply } from '@leaddesk/shared';
import type { SecretBox } from '../channels/settings/secret-box.js';
import type { ConversationCore } from '../conversation/conversation-core.js';
import type { OutboundRegistry } from '../conversation/outbound.js';
import { LEAD_COLUMNS, type LeadRow, leadRowToDto } from '../conversation/rows.js';
import { Client, Lead } from '../db/entities/index.js';
import type { Orm } from '../db/orm.js';
import { type Sql, sqlOf } from '../db/sql.js';
import { AppError } from '../errors/app-error.js';
import type { Logger } from '../logger.js';
import {
  type BookingRow,
  bookingRowToDto,
  findBookingByKey,
  insertOffer,
  insertPendingBooking,
  type OfferRow,
  offerSlots,
  setLeadAppointment,
  updateBooking,
} from './booking-store.js';
import { type BookingLanguage, bookingLanguage, bookingTexts, longWhen, slotLabel } from './booking-texts.js';
import { CalcomClient, CalcomError } from './calcom/calcom-client.js';
import { type CalcomSettings, eventTypeFor, loadCalcomSettings } from './calcom-settings-store.js';
import { fromRequestedTime, type RequestedTime } from './requested-time.js';

/**
 * Appointment booking with a tenant's Cal.com account: slots offered in the
 * conversation, the lead's choice booked once, moves and cancellations, and
 * the lead, the conversation and the `booking.changed` event kept in step.
 *
 * Never a double booking: a booking request is a row first, unique per
 * request key (`offer:<offer id>` for a choice in the conversation, the
 * caller's key for staff), and only the caller that inserted it talks to
 * Cal.com; an offer is claimed by one caller (`status = 'used'`).
 */
export interface BookingServiceOptions {
  orm: Orm;
  box: SecretBox | null;
  calcomBaseUrl: string;
  logger: Logger;
  clock: () => Date;
  /** Called after every committed booking change (reminders listen). */
  onChanged?: (row: BookingRow) => Promise<void>;
}

export interface Tenant {
  id: string;
  name: string;
  timezone: string;
  locale: string;
  status: string;
}

export type Actor = 'lead' | 'staff' | 'calendar';

export type BookOutcome =
  | { kind: 'booked'; row: BookingRow }
  | { kind: 'duplicate'; row: BookingRow }
  | { kind: 'taken' }
  | { kind: 'failed'; message: string };

/** How many slots a conversation offers at once (WhatsApp shows up to three buttons). */
const OFFERED = 3;

export class BookingService {
  readonly sql: Sql;
  private parts: { core: ConversationCore; outbound: OutboundRegistry } | undefined;

  constructor(readonly options: BookingServiceOptions) {
    this.sql = sqlOf(options.orm);
  }

  /** The conversation core and outbound senders, built after this service (attachConversationCore). */
  bind(parts: { core: ConversationCore; outbound: OutboundRegistry }): void {
    this.parts = parts;
  }

  get core(): ConversationCore {
    if (!this.parts) throw new Error('booking service used before the conversation core was bound');
    return this.parts.core;
  }

  get outbound(): OutboundRegistry {
    if (!this.parts) throw new Error('booking service used before the conversation core was bound');
    return this.parts.outbound;
  }

  now(): Date {
    return this.options.clock();
  }

  settings(clientId: string): Promise<CalcomSettings | null> {
    return loadCalcomSettings(this.sql, clientId, this.options.box);
  }

  calendar(settings: Pick<CalcomSettings, 'apiKey'>): CalcomClient {
    return new CalcomClient({ baseUrl: this.options.calcomBaseUrl, apiKey: settings.apiKey });
  }

  async tenant(clientId: string): Promise<Tenant> {
    const rows = await this.sql.query<Tenant[]>('select id, name, timezone, locale, status from clients where id = ?', [
      clientId,
    ]);
    if (!rows[0]) throw AppError.notFound('client');
    return rows[0];
  }

  async lead(clientId: string, leadId: string): Promise<LeadDto | null> {
    const rows = await this.sql.query<LeadRow[]>(`select ${LEAD_COLUMNS} from leads where client_id = ? and id = ?`, [
      clientId,
      leadId,
    ]);
    return rows[0] ? leadRowToDto(rows[0]) : null;
  }

  /**
   * The next free slots of the service's event type in the tenant's time zone,
   * from now + buffer to the end of the booking window, without `excluding`;
   * from the `requested` time on when some are that late.
   */
  async freeSlots(
    settings: CalcomSettings,
    tenant: Tenant,
    service: string | null,
    excluding: string[] = [],
    limit = OFFERED,
    requested?: RequestedTime | null,
  ): Promise<BookingSlot[]> {
    const earliest = this.now().getTime() + settings.bufferMinutes * 60_000;
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    const slots = await this.calendar(settings).slots({
      eventTypeId: eventTypeFor(settings, service),
      start: day(earliest),
      end: day(this.now().getTime() + settings.bookingWindowDays * 86_400_000),
      timeZone: tenant.timezone,
    });
    const skip = new Set(excluding.map((s) => Date.parse(s)));
    const free = slots
      .filter((s) => Date.parse(s.start) >= earliest && !skip.has(Date.parse(s.start)))
      .map((s) => ({ start: s.start, end: s.end ?? null }));
    return fromRequestedTime(free, requested, tenant.timezone).slice(0, limit);
  }

  /** Stores an offer of the next slots for a conversation; null when none are free. */
  async offer(input: {
    settings: CalcomSettings;
    tenant: Tenant;
    conversationId: string;
    leadId: string | null;
    service: string | null;
    language: BookingLanguage;
    bookingId?: string | null;
    excluding?: string[];
    /** The time the lead asked for: the offer starts there when slots are free from then on. */
    requested?: RequestedTime | null;
  }): Promise<OfferRow | null> {
    const slots = await this.freeSlots(
      input.settings,
      input.tenant,
      input.service,
      input.excluding,
      OFFERED,
      input.requested,
    );
    if (!slots.length) return null;
    return insertOffer(this.sql, {
      id: randomUUID(),
      client_id: input.tenant.id,
      conversation_id: input.conversationId,
      lead_id: input.leadId,
      booking_id: input.bookingId ?? null,
      service: input.service,
      event_type_id: eventTypeFor(input.settings, input.service),
      slots,
      language: input.language,
    });
  }

  /**
   * What the lead sees for an offer: the lead-in, then the slots as quick
   * replies (WhatsApp renders them as buttons, the widget as chips); channels
   * without buttons (SMS, email) get a numbered list to answer with a digit.
   */
  offerMessage(
    offer: OfferRow,
    tenant: Tenant,
    channel: Channel,
    leadIn: string,
  ): { text: string; quickReplies: QuickReply[] } {
    const language = bookingLanguage(offer.language);
    const slots = offerSlots(offer);
    const quickReplies = slots.map((s, i) => ({
      id: `booking:${offer.id}:${i}`,
      label: slotLabel(s.start, tenant.timezone, language),
    }));
    if (channel === 'web' || channel === 'whatsapp') return { text: leadIn, quickReplies };
    const list = quickReplies.map((q, i) => `${i + 1}. ${q.label}`).join('\n');
    return { text: `${leadIn}\n${list}\n${bookingTexts(language).pickNumber(slots.length)}`, quickReplies: [] };
  }

  /**
   * Books a slot once per request key: the row is inserted first (the unique
   * key refuses a second request), then Cal.com is asked; the result is
   * committed with the lead's appointment, then announced.
   */
  async book(input: {
    settings: CalcomSettings;
    tenant: Tenant;
    requestKey: string;
    lead: LeadDto;
    conversationId: string | null;
    service: string | null;
    start: string;
    end: string | null;
    by: Actor;
    language: BookingLanguage;
  }): Promise<BookOutcome> {
    const { settings, tenant, lead } = input;
    const eventTypeId = eventTypeFor(settings, input.service);
    const pending = await insertPendingBooking(this.sql, {
      id: randomUUID(),
      clientId: tenant.id,
      leadId: lead.id,
      conversationId: input.conversationId,
      requestKey: input.requestKey,
      eventTypeId,
      service: input.service,
      startsAt: input.start,
      endsAt: input.end,
      createdBy: input.by,
      language: input.language,
    });
    if (!pending) {
      const existing = await findBookingByKey(this.sql, tenant.id, input.requestKey);
      if (existing) return { kind: 'duplicate', row: existing };
      return { kind: 'failed', message: 'booking request not stored' };
    }
    let created: Awaited<ReturnType<CalcomClient['createBooking']>>;
    try {
      created = await this.calendar(settings).createBooking({
        start: new Date(input.start).toISOString(),
        eventTypeId,
        attendee: {
          name: lead.name ?? lead.email?.split('@')[0] ?? lead.phone ?? 'Guest',
          ...(lead.email ? { email: lead.email } : {}),
          timeZone: tenant.timezone,
          ...(lead.phone ? { phoneNumber: lead.phone } : {}),
          language: input.language,
        },
        metadata: {
          leaddeskBookingId: pending.id,
          leaddeskLeadId: lead.id,
          ...(input.conversationId ? { leaddeskConversationId: input.conversationId } : {}),
        },
      });
    } catch (err) {
      await updateBooking(this.sql, tenant.id, pending.id, { status: 'failed' }, 'pending');
      if (err instanceof CalcomError && err.slotUnavailable) return { kind: 'taken' };
      this.options.logger.warn({ err, clientId: tenant.id, bookingId: pending.id }, 'Cal.com booking failed');
      return { kind: 'failed', message: (err as Error).message };
    }
    const row = await this.commitChangeIf(
      tenant.id,
      pending.id,
      'created',
      input.by,
      {
        status: 'booked',
        calendar_uid: created.uid,
        startsAt: created.start ?? input.start,
        endsAt: created.end ?? input.end,
      },
      'pending',
    );
    // Settled meanwhile by Cal.com's own webhook: the same booking, announced once.
    if (!row)
      return { kind: 'duplicate', row: (await findBookingByKey(this.sql, tenant.id, input.requestKey)) as BookingRow };
    return { kind: 'booked', row };
  }

  /** Moves a booked appointment on Cal.com (a new uid there), then here. */
  async move(
    settings: CalcomSettings,
    row: BookingRow,
    start: string,
    by: Actor,
  ): Promise<{ kind: 'moved'; row: BookingRow } | { kind: 'taken' } | { kind: 'failed'; message: string }> {
    if (row.status !== 'booked' || !row.calendar_uid) {
      throw new AppError('invalid_transition', 'only a booked appointment can be moved');
    }
    let moved: Awaited<ReturnType<CalcomClient['reschedule']>>;
    try {
      moved = await this.calendar(settings).reschedule(row.calendar_uid, {
        start: new Date(start).toISOString(),
        reschedulingReason: by === 'lead' ? 'Asked by the lead in the conversation' : 'Moved by staff',
      });
    } catch (err) {
      if (err instanceof CalcomError && err.slotUnavailable) return { kind: 'taken' };
      this.options.logger.warn({ err, clientId: row.client_id, bookingId: row.id }, 'Cal.com reschedule failed');
      return { kind: 'failed', message: (err as Error).message };
    }
    const updated = await this.commitChange(row.client_id, row.id, 'rescheduled', by, {
      calendar_uid: moved.uid ?? row.calendar_uid,
      startsAt: moved.start ?? start,
      endsAt: moved.end ?? null,
    });
    return { kind: 'moved', row: updated };
  }

  async cancel(settings: CalcomSettings, row: BookingRow, by: Actor, reason?: string): Promise<BookingRow> {
    if (row.status !== 'booked') throw new AppError('invalid_transition', 'only a booked appointment can be cancelled');
    if (row.calendar_uid) {
      try {
        await this.calendar(settings).cancel(row.calendar_uid, {
          cancellationReason:
            reason ?? (by === 'lead' ? 'Cancelled by the lead in the conversation' : 'Cancelled by staff'),
        });
      } catch (err) {
        throw new AppError('service_unavailable', `Cal.com refused the cancellation: ${(err as Error).message}`);
      }
    }
    return this.commitChange(row.client_id, row.id, 'cancelled', by, { status: 'cancelled' });
  }

  /**
   * One committed change: the booking row and the lead's appointment in one
   * transaction, then (after commit) the lead events and `booking.changed`.
   */
  async commitChange(
    clientId: string,
    bookingId: string,
    change: 'created' | 'rescheduled' | 'cancelled',
    by: Actor,
    set: Parameters<typeof updateBooking>[3],
  ): Promise<BookingRow> {
    const row = await this.commitChangeIf(clientId, bookingId, change, by, set);
    if (!row) throw new Error('booking not found');
    return row;
  }

  /**
   * One committed change: the booking row and the lead's appointment in one
   * transaction, then (after commit) the lead events and `booking.changed`.
   * With `onlyIf`, nothing happens (null) unless the row has that status: a
   * pending booking is settled once, by the request that made it or by the
   * calendar's webhook when that request died after Cal.com booked.
   */
  async commitChangeIf(
    clientId: string,
    bookingId: string,
    change: 'created' | 'rescheduled' | 'cancelled',
    by: Actor,
    set: Parameters<typeof updateBooking>[3],
    onlyIf?: BookingRow['status'],
  ): Promise<BookingRow | null> {
    const done = await this.sql.transaction(async (tx) => {
      const row = await updateBooking(tx, clientId, bookingId, set, onlyIf);
      if (!row) return null;
      // The moment itself, in the change's transaction: the webhook outbox's catch-up announces it
      // if this process dies before the outbox row is written (outgoing-webhooks/catch-up.ts).
      await tx.query(
        'insert into booking_changes (client_id, booking_id, change, by, starts_at, ends_at) values (?, ?, ?, ?, ?, ?)',
        [clientId, row.id, change, by, row.starts_at, row.ends_at],
      );
      const lead = row.lead_id
        ? await setLeadAppointment(
            tx,
            clientId,
            row.lead_id,
            row.status === 'booked'
              ? new Date(row.starts_at).toISOString()
              : await nextAppointment(tx, clientId, row.lead_id),
          )
        : null;
      return { row, lead };
    });
    if (!done) return null;
    const { row, lead } = done;
    this.announce(row, change, by, lead);
    await this.options
      .onChanged?.(row)
      .catch((err: unknown) =>
        this.options.logger.error({ err, bookingId: row.id }, 'booking follow-up not scheduled'),
      );
    return row;
  }

  announce(
    row: BookingRow,
    change: 'created' | 'rescheduled' | 'cancelled',
    by: Actor,
    lead: Awaited<ReturnType<typeof setLeadAppointment>>,
  ): void {
    const events = this.core.events;
    if (lead) {
      events.emit('lead.updated', { clientId: row.client_id, lead: lead.lead, created: false });
      if (lead.from !== lead.lead.status) {
        events.emit('lead.status_changed', {
          clientId: row.client_id,
          lead: lead.lead,
          from: lead.from,
          to: lead.lead.status,
          by: 'integration',
        });
      }
    }
    const dto = bookingRowToDto(row);
    events.emit('booking.changed', {
      clientId: row.client_id,
      leadId: row.lead_id,
      conversationId: row.conversation_id,
      bookingId: row.id,
      change,
      startsAt: dto.startsAt,
      endsAt: dto.endsAt,
      service: row.service,
      by,
    });
  }

  /**
   * A message from the business outside a reply (an offer after an AI reply,
   * a confirmation of a staff booking, a reminder): stored, shown on the
   * socket, and delivered on the lead's channel.
   */
  async say(
    clientId: string,
    conversationId: string,
    content: string,
    extra: { quickReplies?: QuickReply[]; intent: string; language: string },
  ): Promise<MessageDto> {
    const message = await this.core.appendMessage({
      clientId,
      conversationId,
      role: 'ai',
      content,
      ai: {
        provider: 'booking',
        intent: extra.intent,
        language: extra.language,
        ...(extra.quickReplies?.length ? { quickReplies: extra.quickReplies } : {}),
      },
    });
    await this.deliver(clientId, conversationId, message);
    return message;
  }

  /** A staff-only line in the conversation (a calendar change whoever made it). */
  async note(clientId: string, conversationId: string, content: string): Promise<void> {
    await this.core.appendMessage({ clientId, conversationId, role: 'note', content });
  }

  async deliver(clientId: string, conversationId: string, message: MessageDto): Promise<void> {
    const conversation = await this.core.getConversation(clientId, conversationId);
    if (!conversation || conversation.channel === 'web') return;
    const sender = this.outbound.get(conversation.channel);
    if (!sender) return;
    const em = this.options.orm.em.fork();
    const client = await em.findOneOrFail(Client, { id: clientId });
    const lead = conversation.leadId ? await em.findOne(Lead, { id: conversation.leadId, client: clientId }) : null;
    await sender.send({ client, lead, conversationId, message });
  }

  /** The lead's most recent conversation (where staff bookings are confirmed). */
  async latestConversation(clientId: string, leadId: string): Promise<string | null> {
    const rows = await this.sql.query<Array<{ id: string }>>(
      `select id from conversations where client_id = ? and lead_id = ?
       order by last_message_at desc nulls last, created_at desc limit 1`,
      [clientId, leadId],
    );
    return rows[0]?.id ?? null;
  }

  when(row: Pick<BookingRow, 'starts_at'>, tenant: Tenant, language: BookingLanguage): string {
    return longWhen(new Date(row.starts_at).toISOString(), tenant.timezone, language);
  }
}

/** After a cancellation, the lead's appointment is its next booked one, if any. */
async function nextAppointment(db: Pick<Sql, 'query'>, clientId: string, leadId: string): Promise<string | null> {
  const rows = await db.query<Array<{ starts_at: Date | string }>>(
    `select starts_at from bookings where client_id = ? and lead_id = ? and status = 'booked' and starts_at > now()
     order by starts_at limit 1`,
    [clientId, leadId],
  );
  return rows[0] ? new Date(rows[0].starts_at).toISOString() : null;
}

export { bookingLanguage, bookingTexts };
