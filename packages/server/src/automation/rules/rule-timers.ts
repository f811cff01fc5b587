import { clientConfigSchema, type RuleDto } from '@leaddesk/shared';
import type { Sql } from '../../db/sql.js';
import type { Jobs } from '../../jobs/job-queue.js';
import type { Logger } from '../../logger.js';
import { addBusinessMinutes, hoursState, scheduleOf } from '../business-hours/index.js';
import { enabledRules, getRule } from './rule-store.js';

/**
 * The timed triggers as delayed jobs: "no staff reply within N minutes" of an
 * escalation or takeover, and "lead silent for N hours" after their last
 * message. One job per rule and moment (the job id), so arming twice — two
 * processes, a redelivered event — schedules once; when it runs, the state is
 * re-checked (a staff reply, a newer lead message, a resolved escalation, a
 * disabled rule: nothing fires) before the engine claims the firing.
 */
export const RULES_QUEUE = 'automation-rules';
export const NO_REPLY_JOB = 'rules.no-staff-reply';
export const SILENT_JOB = 'rules.lead-silent';

export interface NoReplyJob {
  clientId: string;
  ruleId: string;
  conversationId: string;
  after: 'escalation' | 'takeover';
  /** The escalation or takeover event id. */
  moment: string;
  /** Database time of the escalation or takeover: a staff message after it answers. */
  since: string;
}

export interface SilentJob {
  clientId: string;
  ruleId: string;
  conversationId: string;
  messageId: string;
  seq: number;
}

export type DueFire = (
  clientId: string,
  conversationId: string,
  event: { type: 'no_staff_reply_due' | 'lead_silent_due'; ruleId: string; moment: string },
) => Promise<number>;

export interface RuleTimersOptions {
  sql: Sql;
  jobs: Jobs;
  logger: Logger;
  clock: () => Date;
  /** Length of one minute (AUTOMATION_MINUTE_MS); tests shorten it. */
  minuteMs: number;
}

export class RuleTimers {
  private fire: DueFire | undefined;

  constructor(private readonly options: RuleTimersOptions) {}

  /** The engine, once built (it arms timers; timers fire through it). */
  bind(fire: DueFire): void {
    this.fire = fire;
  }

  async armNoReply(
    clientId: string,
    conversationId: string,
    after: NoReplyJob['after'],
    moment: string,
    since?: string,
  ): Promise<void> {
    const rules = (await enabledRules(this.options.sql, clientId, ['no_staff_reply'])).filter(
      (r) => r.trigger.kind === 'no_staff_reply' && r.trigger.after.includes(after),
    );
    if (!rules.length) return;
    const at = since ?? (await this.escalationTime(clientId, moment));
    if (!at) return;
    const schedule = await this.schedule(clientId);
    for (const rule of rules) {
      const delayMs = this.delayFor(rule, schedule);
      await this.options.jobs.add<NoReplyJob>(
        RULES_QUEUE,
        NO_REPLY_JOB,
        { clientId, ruleId: rule.id, conversationId, after, moment, since: at },
        { jobId: `rules.nsr.${rule.id}.${moment}`, delayMs },
      );
    }
  }

  async armSilence(clientId: string, conversationId: string, messageId: string, seq: number): Promise<void> {
    const rules = await enabledRules(this.options.sql, clientId, ['lead_silent']);
    for (const rule of rules) {
      if (rule.trigger.kind !== 'lead_silent') continue;
      await this.options.jobs.add<SilentJob>(
        RULES_QUEUE,
        SILENT_JOB,
        { clientId, ruleId: rule.id, conversationId, messageId, seq },
        {
          jobId: `rules.silent.${rule.id}.${messageId}`,
          delayMs: Math.round(rule.trigger.hours * 60 * this.options.minuteMs),
        },
      );
    }
  }

  /** The worker: re-checks, then fires through the engine. */
  async run(name: string, data: NoReplyJob | SilentJob): Promise<string> {
    if (!this.fire) throw new Error('rule timers are not bound to an engine');
    const { sql } = this.options;
    const rule = await getRule(sql, data.clientId, data.ruleId);
    if (!rule?.enabled) return 'rule gone or off';
    if (name === NO_REPLY_JOB) {
      const job = data as NoReplyJob;
      if (rule.trigger.kind !== 'no_staff_reply') return 'rule changed';
      const replied = await sql.query<{ n: number }[]>(
        `select count(*)::int as n from messages where client_id = ? and conversation_id = ? and role = 'staff' and created_at >= ?`,
        [job.clientId, job.conversationId, job.since],
      );
      if ((replied[0]?.n ?? 0) > 0) return 'answered';
      if (job.after === 'escalation') {
        const open = await sql.query<{ status: string }[]>(
          'select status from escalations where id = ? and client_id = ?',
          [job.moment, job.clientId],
        );
        if (open[0]?.status === 'resolved') return 'resolved';
      } else {
        const mode = await sql.query<{ mode: string }[]>(
          'select mode from conversations where id = ? and client_id = ?',
          [job.conversationId, job.clientId],
        );
        if (mode[0]?.mode !== 'human') return 'handed back';
      }
      const fired = await this.fire(job.clientId, job.conversationId, {
        type: 'no_staff_reply_due',
        ruleId: job.ruleId,
        moment: job.moment,
      });
      return fired ? 'fired' : 'not fired';
    }
    const job = data as SilentJob;
    if (rule.trigger.kind !== 'lead_silent') return 'rule changed';
    const newer = await sql.query<{ n: number }[]>(
      `select count(*)::int as n from messages where client_id = ? and conversation_id = ? and role = 'visitor' and seq > ?`,
      [job.clientId, job.conversationId, job.seq],
    );
    if ((newer[0]?.n ?? 0) > 0) return 'lead wrote again';
    const fired = await this.fire(job.clientId, job.conversationId, {
      type: 'lead_silent_due',
      ruleId: job.ruleId,
      moment: job.messageId,
    });
    return fired ? 'fired' : 'not fired';
  }

  /**
   * How long to wait, in real ms: the rule's minutes (its after-hours minutes
   * when closed now), counted in opening time when it asks, from the injected
   * clock's now.
   */
  private delayFor(rule: RuleDto, schedule: ReturnType<typeof scheduleOf>): number {
    if (rule.trigger.kind !== 'no_staff_reply') return 0;
    const now = this.options.clock();
    const state = hoursState(schedule, now);
    const minutes =
      !state.open && rule.trigger.minutesAfterHours ? rule.trigger.minutesAfterHours : rule.trigger.minutes;
    const due = rule.trigger.businessMinutes
      ? addBusinessMinutes(schedule, now, minutes)
      : new Date(now.getTime() + minutes * 60_000);
    return Math.max(0, Math.round(((due.getTime() - now.getTime()) / 60_000) * this.options.minuteMs));
  }

  private async schedule(clientId: string) {
    const rows = await this.options.sql.query<{ timezone: string; config: unknown }[]>(
      'select timezone, config from clients where id = ?',
      [clientId],
    );
    const row = rows[0];
    const raw = typeof row?.config === 'string' ? JSON.parse(row.config) : row?.config;
    const parsed = clientConfigSchema.safeParse(raw ?? {});
    return scheduleOf({
      timezone: row?.timezone ?? 'UTC',
      config: parsed.success ? parsed.data : clientConfigSchema.parse({}),
    });
  }

  private async escalationTime(clientId: string, escalationId: string): Promise<string | null> {
    const rows = await this.options.sql.query<{ created_at: Date | string }[]>(
      'select created_at from escalations where id = ? and client_id = ?',
      [escalationId, clientId],
    );
    return rows[0] ? new Date(rows[0].created_at).toISOString() : null;
  }
}
