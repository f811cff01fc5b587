import type { Jobs } from '../jobs/job-queue.js';
import type { Logger } from '../logger.js';
import type { BookingService } from './booking-service.js';
import { type BookingRow, findBooking } from './booking-store.js';
import { bookingLanguage, bookingTexts } from './booking-texts.js';

/**
 * The reminder the day before, on the lead's channel: a delayed job per
 * booking and start time (`booking.reminder.<id>.<start>`), so a booking
 * moved gets a new job and the old one finds the start changed and does
 * nothing; a cancelled booking's job does nothing either.
 */
export const BOOKING_QUEUE = 'booking';
export const REMINDER_JOB = 'booking.reminder';
const DAY_MS = 86_400_000;

export interface ReminderData {
  clientId: string;
  bookingId: string;
  /** The start the reminder was scheduled for (ISO). */
  startsAt: string;
}

export function reminderJobId(bookingId: string, startsAt: string): string {
  return `booking.reminder.${bookingId}.${Date.parse(startsAt)}`;
}

export class BookingReminders {
  constructor(
    private readonly service: BookingService,
    private readonly jobs: Jobs,
    private readonly logger: Logger,
  ) {}

  /** After every committed change: a booked appointment more than a day away gets its reminder. */
  async schedule(row: BookingRow): Promise<void> {
    if (row.status !== 'booked' || !row.conversation_id) return;
    const startsAt = new Date(row.starts_at).toISOString();
    const delayMs = Date.parse(startsAt) - DAY_MS - this.service.now().getTime();
    if (delayMs <= 0) return;
    await this.jobs.add<ReminderData>(
      BOOKING_QUEUE,
      REMINDER_JOB,
      { clientId: row.client_id, bookingId: row.id, startsAt },
      { jobId: reminderJobId(row.id, startsAt), delayMs, attempts: 5 },
    );
  }

  /** Sends the reminder if the booking still stands at the time it was scheduled for. */
  async send(data: ReminderData): Promise<'sent' | 'stale'> {
    const row = await findBooking(this.service.sql, data.clientId, data.bookingId);
    if (
      !row ||
      row.status !== 'booked' ||
      new Date(row.starts_at).toISOString() !== data.startsAt ||
      !row.conversation_id
    ) {
      return 'stale';
    }
    const tenant = await this.service.tenant(data.clientId);
    const lead = row.lead_id ? await this.service.lead(data.clientId, row.lead_id) : null;
    const language = bookingLanguage(row.language, lead?.language, tenant.locale);
    await this.service.say(
      data.clientId,
      row.conversation_id,
      bookingTexts(language).reminder(this.service.when(row, tenant, language)),
      { intent: 'booking:reminder', language },
    );
    return 'sent';
  }

  start(): Promise<void> {
    return this.jobs.work<ReminderData>(BOOKING_QUEUE, async (job) => {
      if (job.name !== REMINDER_JOB) return;
      const outcome = await this.send(job.data);
      this.logger.debug({ bookingId: job.data.bookingId, outcome }, 'booking reminder');
    });
  }
}
