import { randomBytes } from 'node:crypto';
import type { Channel, TimelineEvent } from '@leaddesk/shared';
import type { ConversationCore } from '../../conversation/conversation-core.js';
import { insertConversationEvent } from '../../conversation/conversation-events.js';
import type { DomainEventBus } from '../../conversation/domain-events.js';
import { DuplicateMessage } from '../../conversation/store-message.js';
import type { Orm } from '../../db/orm.js';
import { type Sql, sqlOf } from '../../db/sql.js';
import type { Jobs } from '../../jobs/job-queue.js';
import type { Logger } from '../../logger.js';
import type { AutomationClock } from '../sequences/automation-clock.js';
import type { AutomationSettingsStore } from '../sequences/automation-settings.js';
import type { FollowUpDelivery } from '../sequences/follow-up-sequences.js';
import { localized } from '../sequences/follow-up-sequences.js';

export const REVIEW_QUEUE = 'reviews';
export const REVIEW_JOB = 'review.request';
export const REVIEW_PROVIDER = 'review-request';

export interface ReviewJob {
  clientId: string;
  leadId: string;
  trigger: 'appointment' | 'won';
}

export interface ReviewCaptureOptions {
  orm: Orm;
  core: ConversationCore;
  jobs: Jobs;
  settings: AutomationSettingsStore;
  clock: AutomationClock;
  logger: Logger;
  deliver: FollowUpDelivery;
  canDeliver(channel: Channel): boolean;
  /** Where leads click (`<publicUrl>/r/<token>`). */
  publicUrl: string;
}

type Outcome = 'sent' | 'already' | 'disabled' | 'opted_out' | 'not_due' | 'no_conversation' | 'not_eligible';

/**
 * Review capture (issue 14): after a lead's appointment has taken place, or
 * once the lead is closed as won, one message asks for a review through a
 * tracked link (`/r/<token>` redirects to the tenant's review page and
 * counts the click).
 *
 * Never twice to the same lead: the request row's primary key is the lead,
 * the message's external id is `review:<lead>` and the job id is per lead;
 * a retry finds the stored message and delivers that one. Opted-out leads
 * (follow_up_opt_outs) get nothing.
 */
export class ReviewCapture {
  private sweepTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: ReviewCaptureOptions) {}

  private get sql(): Sql {
    return sqlOf(this.options.orm);
  }

  listen(events: DomainEventBus): () => void {
    const offs = [
      events.on('lead.status_changed', async (e) => {
        if (e.to !== 'closed_won') return;
        const s = (await this.options.settings.get(e.clientId)).reviews;
        if (!s.enabled) return;
        const at = new Date(this.options.clock.now().getTime() + s.afterWonMinutes * 60_000);
        await this.schedule({ clientId: e.clientId, leadId: e.lead.id, trigger: 'won' }, at);
      }),
      events.on('booking.changed', async (e) => {
        if (e.change === 'cancelled' || !e.leadId) return;
        const s = (await this.options.settings.get(e.clientId)).reviews;
        if (!s.enabled) return;
        const at = new Date(Date.parse(e.startsAt) + s.afterAppointmentMinutes * 60_000);
        await this.schedule({ clientId: e.clientId, leadId: e.leadId, trigger: 'appointment' }, at);
      }),
    ];
    return () => {
      for (const off of offs) off();
    };
  }

  async startWorkers(sweepMs: number): Promise<void> {
    await this.options.jobs.work<ReviewJob>(REVIEW_QUEUE, async (job) => {
      if (job.name === REVIEW_JOB) await this.request(job.data);
    });
    const tick = () => {
      this.sweepTimer = setTimeout(() => {
        this.sweepAppointments()
          .catch((err: unknown) => this.options.logger.warn({ err }, 'review sweep failed'))
          .finally(() => {
            if (this.sweepTimer) tick();
          });
      }, sweepMs);
      this.sweepTimer.unref();
    };
    tick();
  }

  close(): void {
    if (this.sweepTimer) clearTimeout(this.sweepTimer);
    this.sweepTimer = undefined;
  }

  private async schedule(job: ReviewJob, at: Date, suffix = ''): Promise<void> {
    await this.options.jobs.add(REVIEW_QUEUE, REVIEW_JOB, job, {
      jobId: `review.${job.leadId}${suffix}`,
      delayMs: this.options.clock.delayUntil(at),
      attempts: 5,
    });
  }

  /**
   * Appointments that took place however they were recorded (a booking integration, staff, an import):
   * leads whose `appointment_at` plus the tenant's delay has passed and who were never asked.
   */
  async sweepAppointments(): Promise<number> {
    const tenants = await this.sql.query<{ client_id: string }[]>(
      `select client_id from automation_settings where settings->'reviews'->>'enabled' = 'true'`,
    );
    const now = this.options.clock.now();
    let queued = 0;
    for (const { client_id: clientId } of tenants) {
      const s = (await this.options.settings.get(clientId)).reviews;
      const before = new Date(now.getTime() - s.afterAppointmentMinutes * 60_000);
      const rows = await this.sql.query<{ id: string }[]>(
        `select l.id from leads l
         where l.client_id = ? and l.appointment_at <= ? and l.appointment_at > ?::timestamptz - interval '30 days'
           and not exists (select 1 from review_requests r where r.lead_id = l.id)
         limit 500`,
        [clientId, before, before],
      );
      for (const r of rows) {
        await this.schedule({ clientId, leadId: r.id, trigger: 'appointment' }, now);
        queued++;
      }
    }
    return queued;
  }

  /** One review request for one lead, at most once ever. */
  async request(job: ReviewJob): Promise<Outcome> {
    const { clock } = this.options;
    const settings = (await this.options.settings.get(job.clientId)).reviews;
    if (!settings.enabled || !settings.link) return 'disabled';
    const leads = await this.sql.query<
      {
        status: string;
        appointment_at: Date | string | null;
        language: string | null;
        locale: string;
        opted_out: boolean;
        requested: string | null;
      }[]
    >(
      `select l.status, l.appointment_at, l.language, cl.locale,
         exists (select 1 from follow_up_opt_outs o where o.lead_id = l.id) as opted_out,
         (select status from review_requests r where r.lead_id = l.id) as requested
       from leads l join clients cl on cl.id = l.client_id where l.id = ? and l.client_id = ?`,
      [job.leadId, job.clientId],
    );
    const lead = leads[0];
    if (!lead) return 'not_eligible';
    if (lead.requested === 'sent') return 'already';
    if (lead.opted_out) return 'opted_out';
    if (job.trigger === 'won' && lead.status !== 'closed_won') return 'not_eligible';
    if (job.trigger === 'appointment') {
      if (!lead.appointment_at || lead.status === 'closed_lost' || lead.status === 'disqualified')
        return 'not_eligible';
      const due = new Date(new Date(lead.appointment_at).getTime() + settings.afterAppointmentMinutes * 60_000);
      if (due.getTime() > clock.now().getTime()) {
        // Rescheduled to later since this job was queued.
        await this.schedule(job, due, `.at${due.getTime()}`);
        return 'not_due';
      }
    }
    const conversations = await this.sql.query<{ id: string; channel: Channel }[]>(
      `select id, channel from conversations where client_id = ? and lead_id = ? and channel <> 'voice'
       order by coalesce(last_message_at, created_at) desc limit 5`,
      [job.clientId, job.leadId],
    );
    const conversation = conversations.find((c) => c.channel === 'web' || this.options.canDeliver(c.channel));
    if (!conversation) return 'no_conversation';

    await this.sql.query(
      `insert into review_requests (lead_id, client_id, conversation_id, token, link, trigger)
       values (?, ?, ?, ?, ?, ?) on conflict (lead_id) do nothing`,
      [job.leadId, job.clientId, conversation.id, randomBytes(18).toString('base64url'), settings.link, job.trigger],
    );
    const rows = await this.sql.query<{ token: string; status: string; conversation_id: string | null }[]>(
      'select token, status, conversation_id from review_requests where lead_id = ? and client_id = ?',
      [job.leadId, job.clientId],
    );
    const request = rows[0];
    if (!request || request.status === 'sent') return 'already';
    // A retry keeps the conversation the first attempt chose (its message may already be stored there).
    const target = conversations.find((c) => c.id === request.conversation_id) ?? conversation;
    const url = `${this.options.publicUrl.replace(/\/$/, '')}/r/${request.token}`;
    const content = localized(settings.text, lead.language, lead.locale).replaceAll('{link}', url);
    let messageId: string;
    try {
      const message = await this.options.core.appendMessage({
        clientId: job.clientId,
        conversationId: target.id,
        role: 'ai',
        content,
        ai: { provider: REVIEW_PROVIDER, intent: 'review_request' },
        externalId: `review:${job.leadId}`,
        deliveryState: target.channel === 'web' ? 'sent' : 'pending',
      });
      messageId = message.id;
    } catch (err) {
      if (!(err instanceof DuplicateMessage)) throw err;
      messageId = err.stored.id;
    }
    if (target.channel !== 'web') {
      await this.options.deliver({
        clientId: job.clientId,
        conversationId: target.id,
        messageId,
        channel: target.channel,
      });
    }
    const event = await this.sql.transaction(async (tx) => {
      const marked = await tx.query<{ lead_id: string }[]>(
        `update review_requests set status = 'sent', message_id = ?, sent_at = ? where lead_id = ? and status <> 'sent'
         returning lead_id`,
        [messageId, clock.now(), job.leadId],
      );
      if (!marked[0]) return null;
      return insertConversationEvent(tx, {
        clientId: job.clientId,
        conversationId: target.id,
        kind: 'review_requested',
        actorId: null,
        detail: job.trigger,
      });
    });
    if (event) this.publish(job.clientId, target.id, target.channel, event);
    return 'sent';
  }

  private publish(clientId: string, conversationId: string, channel: Channel, event: TimelineEvent): void {
    this.options.core.events.emit('conversation.event_recorded', {
      clientId,
      conversationId,
      channel,
      visitorId: null,
      event,
    });
  }

  /** Counts a click and answers where to send the visitor; null for an unknown token. */
  async click(token: string): Promise<string | null> {
    if (!/^[\w-]{10,64}$/.test(token)) return null;
    const rows = await this.sql.query<{ link: string }[]>(
      `update review_requests set clicks = clicks + 1, first_clicked_at = coalesce(first_clicked_at, now())
       where token = ? returning link`,
      [token],
    );
    return rows[0]?.link ?? null;
  }
}
