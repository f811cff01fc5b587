import { randomUUID } from 'node:crypto';
import {
  type AutomationSettings,
  type Channel,
  CONTENT_LANGUAGES,
  type ContentLanguage,
  FOLLOW_UP_CHANNELS,
  FOLLOW_UP_STOP_REASONS,
  type FollowUpChannel,
  type FollowUpRunDto,
  type FollowUpState,
  type FollowUpStep,
  type FollowUpStopReason,
  type LocalizedText,
  type TimelineEvent,
} from '@leaddesk/shared';
import { SERVICE_WINDOW_MS } from '../../channels/whatsapp/whatsapp-adapter.js';
import type { ConversationCore } from '../../conversation/conversation-core.js';
import { insertConversationEvent } from '../../conversation/conversation-events.js';
import type { DomainEventBus } from '../../conversation/domain-events.js';
import { DuplicateMessage, ModeChangedError, VisitorSpokeError } from '../../conversation/store-message.js';
import type { Orm } from '../../db/orm.js';
import { type Sql, sqlOf } from '../../db/sql.js';
import { AppError } from '../../errors/app-error.js';
import type { Jobs } from '../../jobs/job-queue.js';
import type { Logger } from '../../logger.js';
import type { AutomationClock } from './automation-clock.js';
import type { AutomationSettingsStore } from './automation-settings.js';
import { afterQuietHours, inQuietHours } from './local-time.js';
import { optOutWord } from './opt-out-words.js';

export const FOLLOW_UP_QUEUE = 'follow-ups';
export const FOLLOW_UP_STEP_JOB = 'follow-up.step';
/** `ai.provider` of the messages a sequence sends: they never start a sequence themselves. */
export const FOLLOW_UP_PROVIDER = 'follow-up';

export interface FollowUpStepJob {
  clientId: string;
  conversationId: string;
  runId: string;
  step: number;
}

/**
 * The contract the rules engine calls ("start or stop a sequence" actions).
 * `key` names one of the tenant's sequences (`default` when absent).
 */
export interface SequenceControl {
  start(clientId: string, conversationId: string, key?: string): Promise<void>;
  /** `reason` is one of FOLLOW_UP_STOP_REASONS; anything else is recorded as `rule`. */
  stop(clientId: string, conversationId: string, reason: FollowUpStopReason | (string & {})): Promise<void>;
}

/** Sends a stored follow-up on its channel (the channels' OutboundDelivery); null for the widget. */
export type FollowUpDelivery = (input: {
  clientId: string;
  conversationId: string;
  messageId: string;
  channel: Channel;
}) => Promise<void>;

export interface FollowUpSequencesOptions {
  orm: Orm;
  core: ConversationCore;
  jobs: Jobs;
  settings: AutomationSettingsStore;
  clock: AutomationClock;
  logger: Logger;
  deliver: FollowUpDelivery;
  /** Channels with an outbound sender here (the widget delivers through its socket). */
  canDeliver(channel: Channel): boolean;
  /** Whether the tenant has an approved WhatsApp template (needed outside the 24-hour window). */
  hasWhatsAppTemplate(clientId: string): Promise<boolean>;
}

interface RunRow {
  id: string;
  client_id: string;
  conversation_id: string;
  lead_id: string | null;
  key: string;
  channel: Channel;
  trigger_seq: number;
  status: 'active' | 'stopped' | 'completed';
  next_step: number;
  total_steps: number;
  anchor_at: Date | string;
  next_due_at: Date | string | null;
  stopped_reason: FollowUpStopReason | null;
  created_at: Date | string;
}

const RUN_COLUMNS = `id, client_id, conversation_id, lead_id, key, channel, trigger_seq, status, next_step, total_steps,
  anchor_at, next_due_at, stopped_reason, created_at`;

/** Lead statuses after which nobody is chased any more. */
const FINAL_STATUSES = new Set(['appointment_booked', 'closed_won', 'closed_lost', 'disqualified']);

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

/**
 * Follow-up sequences for leads who went silent (issue 14).
 *
 * When we write to a lead (an AI or staff message in AI mode) a run starts:
 * each step is a delayed job whose id is conversation + run + step, due at
 * the step's offset from that message. Any lead message, a takeover, an
 * opt-out word, a booking or a final status stops the run at once; the job
 * checks everything again when it runs, so a stop that happened in another
 * process (or while this one was down) is honoured.
 *
 * Exactly once across processes and restarts: the step's message is stored
 * under the external id `follow-up:<run>:<step>` (unique per tenant and
 * channel), so a retried or duplicated job finds it instead of writing a
 * second one; its delivery job is keyed by the message id; and the run only
 * advances when its `next_step` is still this step. A process that died
 * between advancing and queueing the next step is covered by a sweep of
 * overdue runs.
 */
export class FollowUpSequences implements SequenceControl {
  private sweepTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: FollowUpSequencesOptions) {}

  private get sql(): Sql {
    return sqlOf(this.options.orm);
  }

  /** Subscribes to the domain events that start and stop runs. */
  listen(events: DomainEventBus): () => void {
    const offs = [
      events.on('message.created', async (e) => {
        if (e.message.role === 'visitor') {
          await this.onLeadMessage(e.clientId, e.conversationId, e.channel, e.message.content);
          return;
        }
        if (e.message.role !== 'ai' && e.message.role !== 'staff') return;
        const provider = e.message.ai?.provider;
        // Our own follow-ups, review requests and missed-call openers do not restart the silence.
        if (provider === FOLLOW_UP_PROVIDER || provider === 'review-request') return;
        await this.startSilent(e.clientId, e.conversationId, e.message.id, e.message.seq);
      }),
      events.on('conversation.mode_changed', async (e) => {
        if (e.mode === 'human') await this.stopRuns(e.clientId, e.conversationId, 'takeover');
      }),
      events.on('booking.changed', async (e) => {
        if (e.change === 'cancelled') return;
        if (e.conversationId) await this.stopRuns(e.clientId, e.conversationId, 'booking');
        if (e.leadId) await this.stopForLead(e.clientId, e.leadId, 'booking');
      }),
      events.on('lead.status_changed', async (e) => {
        if (!FINAL_STATUSES.has(e.to)) return;
        await this.stopForLead(e.clientId, e.lead.id, e.to === 'appointment_booked' ? 'booking' : 'closed');
      }),
    ];
    return () => {
      for (const off of offs) off();
    };
  }

  /** Works the step jobs and sweeps for runs whose next job was never queued. */
  async startWorkers(sweepMs: number): Promise<void> {
    await this.options.jobs.work<FollowUpStepJob>(
      FOLLOW_UP_QUEUE,
      async (job) => {
        if (job.name === FOLLOW_UP_STEP_JOB) await this.runStep(job.data);
      },
      { concurrency: 8 },
    );
    const tick = () => {
      this.sweepTimer = setTimeout(() => {
        this.sweepOverdue()
          .catch((err: unknown) => this.options.logger.warn({ err }, 'follow-up sweep failed'))
          .finally(() => {
            if (this.sweepTimer) tick();
          });
      }, sweepMs);
      this.sweepTimer.unref();
    };
    await this.sweepOverdue().catch((err: unknown) => this.options.logger.warn({ err }, 'follow-up sweep failed'));
    tick();
  }

  close(): void {
    if (this.sweepTimer) clearTimeout(this.sweepTimer);
    this.sweepTimer = undefined;
  }

  // ---- SequenceControl -------------------------------------------------------------------------

  async start(clientId: string, conversationId: string, key = 'default'): Promise<void> {
    const settings = await this.options.settings.get(clientId);
    if (!settings.followUps.sequences[key]) {
      throw new AppError('validation_failed', `no follow-up sequence named "${key}"`);
    }
    const rows = await this.sql.query<{ last_seq: number }[]>(
      'select last_seq from conversations where id = ? and client_id = ?',
      [conversationId, clientId],
    );
    const conversation = rows[0];
    if (!conversation) throw AppError.notFound('conversation');
    await this.createRun(settings, clientId, conversationId, {
      key,
      triggerMessageId: null,
      triggerSeq: Number(conversation.last_seq),
    });
  }

  async stop(clientId: string, conversationId: string, reason: string, actorId: string | null = null): Promise<void> {
    await this.stopRuns(clientId, conversationId, stopReasonOf(reason), actorId);
  }

  /** Stops the conversation's active run; true when there was one. */
  async stopRuns(
    clientId: string,
    conversationId: string,
    reason: FollowUpStopReason,
    actorId: string | null = null,
  ): Promise<boolean> {
    const { stopped, events } = await this.sql.transaction(async (tx) => {
      const runs = await tx.query<{ id: string; channel: Channel }[]>(
        `update follow_up_runs set status = 'stopped', stopped_reason = ?, next_due_at = null, updated_at = now()
         where client_id = ? and conversation_id = ? and status = 'active' returning id, channel`,
        [reason, clientId, conversationId],
      );
      const recorded: TimelineEvent[] = [];
      if (runs.length) {
        recorded.push(
          await insertConversationEvent(tx, {
            clientId,
            conversationId,
            kind: 'follow_up_stopped',
            actorId,
            detail: reason,
          }),
        );
      }
      return { stopped: runs.length > 0, events: recorded };
    });
    for (const event of events) await this.publishEvent(clientId, conversationId, event);
    return stopped;
  }

  // ---- Starting and stopping ---------------------------------------------------------------------

  /** Our message (AI or staff, in AI mode) is the last word: the default sequence starts. */
  async startSilent(clientId: string, conversationId: string, messageId: string, seq: number): Promise<void> {
    const settings = await this.options.settings.get(clientId);
    await this.createRun(settings, clientId, conversationId, {
      key: 'default',
      triggerMessageId: messageId,
      triggerSeq: seq,
    });
  }

  private async createRun(
    settings: AutomationSettings,
    clientId: string,
    conversationId: string,
    trigger: { key: string; triggerMessageId: string | null; triggerSeq: number },
  ): Promise<string | null> {
    const follow = settings.followUps;
    const sequence = follow.sequences[trigger.key];
    if (!follow.enabled || !sequence) return null;
    const now = this.options.clock.now();
    const created = await this.sql.transaction(async (tx) => {
      const conv = await tx.query<{ channel: Channel; lead_id: string | null; mode: string; status: string }[]>(
        'select channel, lead_id, mode, status from conversations where id = ? and client_id = ? for update',
        [conversationId, clientId],
      );
      const c = conv[0];
      if (c?.mode !== 'ai' || c.status === 'ended') return null;
      if (!(FOLLOW_UP_CHANNELS as readonly string[]).includes(c.channel)) return null;
      if (!follow.channels.includes(c.channel as FollowUpChannel)) return null;
      if (await this.excluded(tx, clientId, conversationId, c.lead_id)) return null;
      const channel = c.channel as FollowUpChannel;
      const first = sequence.steps[0] as FollowUpStep;
      const due = new Date(now.getTime() + delayOf(first, channel) * 60_000);
      const id = randomUUID();
      const inserted = await tx.query<{ id: string }[]>(
        `insert into follow_up_runs (id, client_id, conversation_id, lead_id, key, channel, trigger_message_id, trigger_seq,
           total_steps, anchor_at, next_due_at)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         on conflict (trigger_message_id) where trigger_message_id is not null do nothing returning id`,
        [
          id,
          clientId,
          conversationId,
          c.lead_id,
          trigger.key,
          channel,
          trigger.triggerMessageId,
          trigger.triggerSeq,
          sequence.steps.length,
          now,
          due,
        ],
      );
      if (!inserted[0]) return null;
      // Our newer message restarts the silence: the older run has nothing left to say.
      await tx.query(
        `update follow_up_runs set status = 'stopped', stopped_reason = 'superseded', next_due_at = null, updated_at = now()
         where client_id = ? and conversation_id = ? and status = 'active' and id <> ?`,
        [clientId, conversationId, id],
      );
      return { id, due };
    });
    if (!created) return null;
    await this.schedule({ clientId, conversationId, runId: created.id, step: 0 }, created.due);
    return created.id;
  }

  private async onLeadMessage(clientId: string, conversationId: string, channel: Channel, content: string) {
    const word = optOutWord(content);
    if (word) await this.recordOptOut(clientId, conversationId, word, channel);
    await this.stopRuns(clientId, conversationId, word ? 'opt_out' : 'reply');
  }

  /**
   * The lead asked for no more automated messages: recorded on the lead (or, for an anonymous visitor, on
   * the conversation), and every run of theirs stopped. Nothing automated is sent to them again.
   */
  async recordOptOut(clientId: string, conversationId: string, word: string, channel: Channel): Promise<void> {
    const rows = await this.sql.query<{ lead_id: string | null }[]>(
      `insert into follow_up_opt_outs (id, client_id, lead_id, conversation_id, word, channel)
       select ?, client_id, lead_id, id, ?, ? from conversations where id = ? and client_id = ?
       on conflict do nothing returning lead_id`,
      [randomUUID(), word.slice(0, 40), channel, conversationId, clientId],
    );
    const leadId = rows[0]?.lead_id;
    if (leadId) await this.stopForLead(clientId, leadId, 'opt_out');
  }

  async stopForLead(clientId: string, leadId: string, reason: FollowUpStopReason): Promise<void> {
    const rows = await this.sql.query<{ conversation_id: string }[]>(
      `select distinct conversation_id from follow_up_runs where client_id = ? and lead_id = ? and status = 'active'`,
      [clientId, leadId],
    );
    for (const r of rows) await this.stopRuns(clientId, r.conversation_id, reason);
  }

  /** Opted out (the lead, or this anonymous conversation), or a lead whose status ends the chase. */
  private async excluded(
    db: Pick<Sql, 'query'>,
    clientId: string,
    conversationId: string,
    leadId: string | null,
  ): Promise<boolean> {
    const rows = await db.query<{ status: string | null; opted_out: boolean }[]>(
      `select (select status from leads where id = ? and client_id = ?) as status,
         exists (select 1 from follow_up_opt_outs o where o.client_id = ?
                   and (o.lead_id = ? or (o.lead_id is null and o.conversation_id = ?))) as opted_out`,
      [leadId, clientId, clientId, leadId, conversationId],
    );
    const r = rows[0];
    return !r || r.opted_out || (r.status !== null && FINAL_STATUSES.has(r.status));
  }

  // ---- Running a step ---------------------------------------------------------------------------

  private jobId(job: FollowUpStepJob): string {
    return `follow-up.${job.conversationId}.${job.runId}.${job.step}`;
  }

  private async schedule(job: FollowUpStepJob, due: Date, suffix = ''): Promise<void> {
    await this.options.jobs.add(FOLLOW_UP_QUEUE, FOLLOW_UP_STEP_JOB, job, {
      jobId: `${this.jobId(job)}${suffix}`,
      delayMs: this.options.clock.delayUntil(due),
      attempts: 5,
    });
  }

  /** Why the run must stop now, read from the database (shared by every process); null to go on. */
  private async stopReason(run: RunRow): Promise<FollowUpStopReason | null> {
    const rows = await this.sql.query<
      {
        mode: string;
        status: string;
        replied: boolean;
        lead_status: string | null;
        opted_out: boolean;
        booked: boolean;
      }[]
    >(
      `select c.mode, c.status,
         exists (select 1 from messages m where m.conversation_id = c.id and m.role = 'visitor' and m.seq > ?) as replied,
         l.status as lead_status,
         exists (select 1 from follow_up_opt_outs o where o.client_id = c.client_id
                   and (o.lead_id = c.lead_id or (o.lead_id is null and o.conversation_id = c.id))) as opted_out,
         coalesce(l.appointment_at > now(), false) as booked
       from conversations c left join leads l on l.id = c.lead_id and l.client_id = c.client_id
       where c.id = ? and c.client_id = ?`,
      [run.trigger_seq, run.conversation_id, run.client_id],
    );
    const c = rows[0];
    if (!c) return 'unreachable';
    if (c.opted_out) return 'opt_out';
    if (c.replied) return 'reply';
    if (c.mode !== 'ai') return 'takeover';
    if (c.lead_status === 'appointment_booked' || c.booked) return 'booking';
    if (c.lead_status && FINAL_STATUSES.has(c.lead_status)) return 'closed';
    if (c.status === 'ended') return 'closed';
    return null;
  }

  /**
   * The lead wrote (or staff took over) since the run started: stop, naming why. The lead's own listener may
   * not have run yet (a step due the moment the lead writes), so an opt-out word among what they wrote is
   * recorded here too (idempotent) and the run stops as an opt-out, not as a reply.
   */
  private async stopAfterLeadWrote(run: RunRow): Promise<void> {
    const written = await this.sql.query<{ content: string }[]>(
      `select content from messages where conversation_id = ? and client_id = ? and role = 'visitor' and seq > ?
       order by seq`,
      [run.conversation_id, run.client_id, run.trigger_seq],
    );
    const word = written.map((m) => optOutWord(m.content)).find((w): w is string => w !== null);
    if (word) await this.recordOptOut(run.client_id, run.conversation_id, word, run.channel as Channel);
    const reason = word ? 'opt_out' : ((await this.stopReason(run)) ?? 'reply');
    await this.stopRuns(run.client_id, run.conversation_id, reason);
  }

  /** One step of one run: checked, sent once, recorded on the timeline, the next one scheduled. */
  async runStep(job: FollowUpStepJob): Promise<'sent' | 'stopped' | 'stale' | 'deferred' | 'skipped'> {
    const { clock } = this.options;
    const runs = await this.sql.query<RunRow[]>(
      `select ${RUN_COLUMNS} from follow_up_runs where id = ? and client_id = ?`,
      [job.runId, job.clientId],
    );
    const run = runs[0];
    if (run?.status !== 'active' || run.next_step !== job.step) return 'stale';

    const reason = await this.stopReason(run);
    if (reason === 'reply') {
      await this.stopAfterLeadWrote(run);
      return 'stopped';
    }
    if (reason) {
      await this.stopRuns(run.client_id, run.conversation_id, reason);
      return 'stopped';
    }
    const settings = await this.options.settings.get(run.client_id);
    const step = settings.followUps.sequences[run.key]?.steps[job.step];
    if (!step) {
      await this.finish(run, 'completed');
      return 'stale';
    }
    const channel = run.channel as FollowUpChannel;
    const now = clock.now();
    const due = new Date(new Date(run.anchor_at).getTime() + delayOf(step, channel) * 60_000);
    if (due.getTime() - now.getTime() > 60_000) {
      // The tenant lengthened the step since it was queued: wait for the new offset.
      await this.postpone(run, job, due);
      return 'deferred';
    }

    const context = await this.context(run);
    if (channel === 'sms' && settings.followUps.smsQuietHours) {
      const allowed = afterQuietHours(context.timezone, settings.followUps.smsQuietHours, now);
      if (allowed.getTime() > now.getTime()) {
        await this.postpone(run, job, allowed);
        return 'deferred';
      }
    }
    if (
      channel === 'whatsapp' &&
      !context.whatsappWindowOpen &&
      !(await this.options.hasWhatsAppTemplate(run.client_id))
    ) {
      // Outside the 24-hour window only an approved template may be sent, and there is none.
      await this.advance(run, job.step, null, 'follow_up_skipped', 'whatsapp_window_closed_no_template');
      return 'skipped';
    }
    if (channel !== 'web' && !this.options.canDeliver(channel)) {
      await this.finish(run, 'unreachable');
      return 'stopped';
    }

    const content = pickText(step, channel, context.language, context.locale);
    let messageId: string;
    try {
      const message = await this.options.core.appendMessage({
        clientId: run.client_id,
        conversationId: run.conversation_id,
        role: 'ai',
        content,
        ai: { provider: FOLLOW_UP_PROVIDER, intent: 'follow_up' },
        externalId: `follow-up:${run.id}:${job.step}`,
        deliveryState: channel === 'web' ? 'sent' : 'pending',
        requireMode: 'ai',
        quietSince: Number(run.trigger_seq),
      });
      messageId = message.id;
    } catch (err) {
      if (err instanceof VisitorSpokeError || err instanceof ModeChangedError) {
        await this.stopAfterLeadWrote(run);
        return 'stopped';
      }
      // A retry (or a second process) of this step: the message is stored already, deliver that one.
      if (!(err instanceof DuplicateMessage)) throw err;
      messageId = err.stored.id;
    }
    if (channel !== 'web') {
      await this.options.deliver({
        clientId: run.client_id,
        conversationId: run.conversation_id,
        messageId,
        channel,
      });
    }
    const via = channel === 'whatsapp' && !context.whatsappWindowOpen ? 'template' : 'text';
    // Held by quiet hours: the steps after it keep their spacing from when it went out, so two steps
    // due in the same night do not both arrive at its end.
    const quiet = channel === 'sms' ? settings.followUps.smsQuietHours : null;
    const held = quiet ? inQuietHours(context.timezone, quiet, due) : false;
    await this.advance(
      run,
      job.step,
      { messageId, via },
      'follow_up_sent',
      `step ${job.step + 1} of ${run.total_steps}`,
      held,
    );
    return 'sent';
  }

  private async postpone(run: RunRow, job: FollowUpStepJob, at: Date): Promise<void> {
    await this.sql.query(
      `update follow_up_runs set next_due_at = ?, updated_at = now() where id = ? and next_step = ? and status = 'active'`,
      [at, run.id, job.step],
    );
    await this.schedule(job, at, `.at${at.getTime()}`);
  }

  /** Marks the step done (once: only while `next_step` is this step) and queues the next one. */
  private async advance(
    run: RunRow,
    step: number,
    sent: { messageId: string; via: string } | null,
    kind: 'follow_up_sent' | 'follow_up_skipped',
    detail: string,
    /** The step went out later than its offset (quiet hours): the next keeps its spacing from now. */
    held = false,
  ): Promise<void> {
    const settings = await this.options.settings.get(run.client_id);
    const steps = settings.followUps.sequences[run.key]?.steps ?? [];
    const next = steps[step + 1];
    const current = steps[step];
    const channel = run.channel as FollowUpChannel;
    let nextDue = next ? new Date(new Date(run.anchor_at).getTime() + delayOf(next, channel) * 60_000) : null;
    if (nextDue && next && current && held) {
      const spacing = Math.max(0, delayOf(next, channel) - delayOf(current, channel)) * 60_000;
      nextDue = new Date(Math.max(nextDue.getTime(), this.options.clock.now().getTime() + spacing));
    }
    const result = await this.sql.transaction(async (tx) => {
      const advanced = await tx.query<{ status: string }[]>(
        `update follow_up_runs set next_step = ?, next_due_at = ?, updated_at = now(),
           status = case when status = 'active' and ? then 'completed' else status end,
           stopped_reason = case when status = 'active' and ? then 'completed' else stopped_reason end
         where id = ? and next_step = ? returning status`,
        [step + 1, nextDue, !next, !next, run.id, step],
      );
      if (!advanced[0]) return null;
      if (sent) {
        await tx.query(
          `insert into follow_up_sends (run_id, step, client_id, conversation_id, message_id, via, sent_at)
           values (?, ?, ?, ?, ?, ?, ?) on conflict do nothing`,
          [run.id, step, run.client_id, run.conversation_id, sent.messageId, sent.via, this.options.clock.now()],
        );
      }
      const event = await insertConversationEvent(tx, {
        clientId: run.client_id,
        conversationId: run.conversation_id,
        kind,
        actorId: null,
        detail,
      });
      return { status: advanced[0].status, event };
    });
    if (!result) return;
    await this.publishEvent(run.client_id, run.conversation_id, result.event);
    if (next && nextDue && result.status === 'active') {
      await this.schedule(
        { clientId: run.client_id, conversationId: run.conversation_id, runId: run.id, step: step + 1 },
        nextDue,
      );
    }
  }

  private async finish(run: RunRow, reason: FollowUpStopReason): Promise<void> {
    await this.sql.query(
      `update follow_up_runs set status = case when ? = 'completed' then 'completed' else 'stopped' end,
         stopped_reason = ?, next_due_at = null, updated_at = now() where id = ? and status = 'active'`,
      [reason, reason, run.id],
    );
  }

  private async context(run: RunRow): Promise<{
    timezone: string;
    locale: string;
    language: string | null;
    whatsappWindowOpen: boolean;
  }> {
    const rows = await this.sql.query<
      { timezone: string; locale: string; language: string | null; last_inbound: Date | string | null }[]
    >(
      `select cl.timezone, cl.locale, l.language,
         (select max(m.created_at) from messages m join conversations c2 on c2.id = m.conversation_id
           where m.client_id = cl.id and c2.lead_id = l.id and m.channel = 'whatsapp' and m.role = 'visitor'
             and (m.external_id is null or m.external_id not like 'call:%')) as last_inbound
       from clients cl left join leads l on l.id = ? and l.client_id = cl.id where cl.id = ?`,
      [run.lead_id, run.client_id],
    );
    const r = rows[0];
    const last = r?.last_inbound ? new Date(r.last_inbound).getTime() : null;
    return {
      timezone: r?.timezone ?? 'UTC',
      locale: r?.locale ?? 'en',
      language: r?.language ?? null,
      // Measured like the WhatsApp adapter measures it (message times are wall-clock times).
      whatsappWindowOpen: last !== null && Date.now() - last < SERVICE_WINDOW_MS,
    };
  }

  private async publishEvent(clientId: string, conversationId: string, event: TimelineEvent): Promise<void> {
    const rows = await this.sql.query<{ channel: Channel; visitor_id: string | null }[]>(
      'select channel, visitor_id from conversations where id = ? and client_id = ?',
      [conversationId, clientId],
    );
    const c = rows[0];
    if (!c) return;
    this.options.core.events.emit('conversation.event_recorded', {
      clientId,
      conversationId,
      channel: c.channel,
      visitorId: c.visitor_id,
      event,
    });
  }

  /** Runs whose step is overdue and did not advance (a process died before queueing it): queued again. */
  async sweepOverdue(limit = 500): Promise<number> {
    const now = this.options.clock.now();
    const rows = await this.sql.query<{ id: string; client_id: string; conversation_id: string; next_step: number }[]>(
      `select id, client_id, conversation_id, next_step from follow_up_runs
       where status = 'active' and next_due_at < ? order by next_due_at limit ?`,
      [new Date(now.getTime() - 60_000 * Math.max(1, this.options.clock.scale)), limit],
    );
    for (const r of rows) {
      await this.schedule(
        { clientId: r.client_id, conversationId: r.conversation_id, runId: r.id, step: r.next_step },
        now,
      );
    }
    return rows.length;
  }

  // ---- Reading ---------------------------------------------------------------------------------

  async state(clientId: string, conversationId: string): Promise<FollowUpState> {
    const conv = await this.sql.query<{ lead_id: string | null }[]>(
      'select lead_id from conversations where id = ? and client_id = ?',
      [conversationId, clientId],
    );
    if (!conv[0]) throw AppError.notFound('conversation');
    const rows = await this.sql.query<RunRow[]>(
      `select ${RUN_COLUMNS} from follow_up_runs where client_id = ? and conversation_id = ?
       order by created_at desc, id limit 1`,
      [clientId, conversationId],
    );
    const run = rows[0];
    const optedOut = await this.sql.query<{ n: number }[]>(
      `select 1 as n from follow_up_opt_outs where client_id = ?
         and (lead_id = ? or (lead_id is null and conversation_id = ?)) limit 1`,
      [clientId, conv[0].lead_id, conversationId],
    );
    return { run: run ? runToDto(run) : null, optedOut: optedOut.length > 0 };
  }
}

function runToDto(r: RunRow): FollowUpRunDto {
  return {
    id: r.id,
    conversationId: r.conversation_id,
    key: r.key,
    status: r.status,
    stepsSent: r.next_step,
    totalSteps: r.total_steps,
    nextDueAt: r.status === 'active' ? iso(r.next_due_at) : null,
    stoppedReason: r.stopped_reason,
    createdAt: iso(r.created_at) as string,
  };
}

function stopReasonOf(reason: string): FollowUpStopReason {
  return (FOLLOW_UP_STOP_REASONS as readonly string[]).includes(reason) ? (reason as FollowUpStopReason) : 'rule';
}

function delayOf(step: FollowUpStep, channel: FollowUpChannel): number {
  return step.channels[channel]?.delayMinutes ?? step.delayMinutes;
}

/** The step's text for the channel, in the lead's language, else the tenant's, else English, else any. */
export function pickText(
  step: FollowUpStep,
  channel: FollowUpChannel,
  language: string | null,
  locale: string,
): string {
  return localized(step.channels[channel]?.text ?? step.text, language, locale);
}

export function localized(text: LocalizedText, language: string | null, locale: string): string {
  const want = [language, locale].map((l) => l?.slice(0, 2).toLowerCase()).filter(Boolean) as string[];
  for (const l of [...want, 'en']) {
    if ((CONTENT_LANGUAGES as readonly string[]).includes(l)) {
      const t = text[l as ContentLanguage];
      if (t) return t;
    }
  }
  return Object.values(text).find(Boolean) ?? '';
}
