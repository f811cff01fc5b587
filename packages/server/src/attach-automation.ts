import { randomUUID } from 'node:crypto';
import type { Router } from 'express';
import type { AppContext } from './app-context.js';
import type { ChannelComponents } from './attach-channels.js';
import type { ConversationComponents } from './attach-conversation-core.js';
import type { StaffComponents } from './attach-staff-desk.js';
import { attachAfterHoursTasks } from './automation/business-hours/after-hours-tasks.js';
import { RuleActions } from './automation/rules/rule-actions.js';
import { ruleRoutes } from './automation/rules/rule-routes.js';
import { type NoReplyJob, RULES_QUEUE, RuleTimers, type SilentJob } from './automation/rules/rule-timers.js';
import { RulesEngine } from './automation/rules/rules-engine.js';
import type { SequenceControl } from './automation/rules/sequence-control.js';
import { brandingOf } from './branding/branding-service.js';
import { Client, type ILead } from './db/entities/index.js';
import { sqlOf } from './db/sql.js';
import type { EmailSender } from './email/email-sender.js';
import type { OpenApiRegistry } from './http/openapi.js';
import { staffClientRoom, staffUserRoom } from './realtime/staff-namespace.js';
import { defaultRulesFor } from './tenants/industry-templates.js';

export interface AutomationComponents {
  engine: RulesEngine;
  timers: RuleTimers;
  /** `/automation/*` under `/api/v1`, behind authentication. */
  api: Router;
  /** Starts the rules' timer worker (worker processes). */
  start(): Promise<void>;
  close(): void;
}

/**
 * Composition for issue 14's rules and business hours: the rules engine on
 * the core's domain events, its timers on the job queue, the after-hours
 * call-back tasks, and the REST routes. Follow-up sequences arrive through
 * `sequences` (attach-followups.ts implements them).
 */
export function attachAutomation(
  ctx: AppContext,
  openapi: OpenApiRegistry,
  deps: {
    conversation: ConversationComponents;
    staff: StaffComponents;
    channels: ChannelComponents;
    email: EmailSender;
    sequences: SequenceControl;
  },
): AutomationComponents {
  const sql = sqlOf(ctx.db.orm);
  const clock = () => (ctx.clock ?? (() => new Date()))();
  const { core, outbound } = deps.conversation;
  const nsp = deps.staff.staff;
  const actions = new RuleActions({
    sql,
    orm: ctx.db.orm,
    core,
    outbound,
    email: deps.email,
    branding: brandingOf(ctx),
    sequences: deps.sequences,
    logger: ctx.logger,
    notifyDesktop(userIds, notification) {
      if (userIds.length) nsp.to(userIds.map(staffUserRoom)).emit('automation:notified', notification);
    },
    async onlineStaff(clientId) {
      // Across processes through the adapter; this process's sockets alone if another does not answer.
      const sockets = await nsp
        .in(staffClientRoom(clientId))
        .fetchSockets()
        .catch(() => nsp.local.in(staffClientRoom(clientId)).fetchSockets());
      return [...new Set(sockets.map((s) => s.data.userId))];
    },
    async onCall(clientId, via, number, text) {
      const client = await ctx.db.orm.em.fork().findOneOrFail(Client, { id: clientId });
      // The on-call person as a recipient of the client's own channel (no lead row behind it).
      const recipient = { id: randomUUID(), phone: number, handles: {} } as unknown as ILead;
      const adapter = via === 'sms' ? deps.channels.sms : deps.channels.whatsapp;
      await adapter.deliver(
        {
          client,
          lead: recipient,
          conversationId: randomUUID(),
          message: {
            id: randomUUID(),
            conversationId: randomUUID(),
            seq: 0,
            role: 'system',
            content: text,
            attachments: [],
            deliveryState: 'pending',
            ai: null,
            createdAt: clock().toISOString(),
          },
          sentParts: [],
          purpose: 'reply',
        },
        async () => {},
      );
    },
  });
  const timers = new RuleTimers({
    sql,
    jobs: ctx.jobs,
    logger: ctx.logger,
    clock,
    minuteMs: ctx.config.raw.AUTOMATION_MINUTE_MS,
  });
  const engine = new RulesEngine({
    sql,
    events: core.events,
    actions,
    timers,
    logger: ctx.logger,
    clock,
    defaultRules: defaultRulesFor,
  });
  timers.bind((clientId, conversationId, event) => engine.fireDue(clientId, conversationId, event));
  engine.listen();
  const detachTasks = attachAfterHoursTasks({ sql, events: core.events, logger: ctx.logger, clock });
  return {
    engine,
    timers,
    api: ruleRoutes(openapi, { sql, engine, clock }),
    async start() {
      await ctx.jobs.work<NoReplyJob | SilentJob>(RULES_QUEUE, async (job) => {
        const outcome = await timers.run(job.name, job.data);
        ctx.logger.info({ job: job.name, ruleId: job.data.ruleId, outcome }, 'automation timer');
      });
    },
    close() {
      engine.close();
      detachTasks();
    },
  };
}
