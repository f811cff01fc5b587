import {
  type ClientConfig,
  clientConfigSchema,
  type Industry,
  type LeadDto,
  type RuleDto,
  type RuleInput,
} from '@leaddesk/shared';
import type { DomainEventBus } from '../../conversation/domain-events.js';
import { LEAD_COLUMNS, type LeadRow, leadRowToDto } from '../../conversation/rows.js';
import type { Sql } from '../../db/sql.js';
import { countryFromLocale } from '../../leads/normalize-contact.js';
import type { Logger } from '../../logger.js';
import { type Understanding, understand } from '../../understanding/index.js';
import { hoursState, scheduleOf } from '../business-hours/index.js';
import { claimFiring, recordOutcomes } from './firing-log.js';
import type { RuleActions, RuleSubject } from './rule-actions.js';
import { enabledRules, getRule, installDefaultRules } from './rule-store.js';
import type { RuleTimers } from './rule-timers.js';
import { conditionsHold, matchTrigger, type RuleEvent, type RuleFacts, triggerKindsFor } from './rule-triggers.js';

/**
 * Listens to the conversation core's domain events, turns them into rule
 * events, and fires the tenant's matching rules: conditions checked, the
 * firing claimed in the log (once per rule, subject and moment), then the
 * actions run. Events are handled in the process that emitted them; the
 * claim makes the same event seen by two processes fire once.
 */
export interface RulesEngineOptions {
  sql: Sql;
  events: DomainEventBus;
  actions: RuleActions;
  timers: RuleTimers;
  logger: Logger;
  clock: () => Date;
  /** The industry template's rules, installed once per tenant on its first event. */
  defaultRules(industry: Industry): readonly RuleInput[];
}

interface ClientRow {
  id: string;
  name: string;
  industry: Industry;
  timezone: string;
  locale: string;
  config: unknown;
}

interface Scope {
  client: ClientRow;
  config: ClientConfig;
  conversationId: string | null;
  channel: RuleSubject['channel'];
  assigneeId: string | null;
  lead: LeadDto | null;
}

export class RulesEngine {
  private readonly installed = new Set<string>();
  private readonly detach: Array<() => void> = [];

  constructor(private readonly options: RulesEngineOptions) {}

  listen(): void {
    const { events } = this.options;
    const run = (what: string, work: Promise<unknown>) =>
      work.catch((err: unknown) => this.options.logger.error({ err, event: what }, 'automation rules failed'));
    this.detach.push(
      events.on('message.created', (e) => {
        if (e.message.role !== 'visitor') return;
        void run(
          'message.created',
          this.handle(
            e.clientId,
            { conversationId: e.conversationId },
            {
              type: 'visitor_message',
              messageId: e.message.id,
              content: e.message.content,
              channel: e.channel,
            },
          ).then(() => this.options.timers.armSilence(e.clientId, e.conversationId, e.message.id, e.message.seq)),
        );
      }),
      events.on('lead.updated', (e) => {
        if (e.lead.score === null) return;
        void run(
          'lead.updated',
          this.handle(e.clientId, { leadId: e.lead.id }, { type: 'lead_scored', score: e.lead.score }),
        );
      }),
      events.on('lead.status_changed', (e) => {
        void run(
          'lead.status_changed',
          this.handle(
            e.clientId,
            { leadId: e.lead.id },
            {
              type: 'status_changed',
              from: e.from,
              to: e.to,
              at: e.lead.updatedAt,
            },
          ),
        );
      }),
      events.on('booking.changed', (e) => {
        const where = e.conversationId ? { conversationId: e.conversationId } : e.leadId ? { leadId: e.leadId } : null;
        if (!where) return;
        void run(
          'booking.changed',
          this.handle(e.clientId, where, {
            type: 'booking_changed',
            bookingId: e.bookingId,
            change: e.change,
            startsAt: e.startsAt,
          }),
        );
      }),
      events.on('escalation.created', (e) => {
        // An escalation made because nobody replied does not start another wait for a reply.
        if (e.reason === 'no_staff_reply') return;
        void run(
          'escalation.created',
          this.options.timers.armNoReply(e.clientId, e.conversationId, 'escalation', e.escalationId),
        );
      }),
      events.on('conversation.event_recorded', (e) => {
        if (e.event.kind !== 'takeover') return;
        void run(
          'conversation.event_recorded',
          this.options.timers.armNoReply(e.clientId, e.conversationId, 'takeover', e.event.id, e.event.createdAt),
        );
      }),
    );
  }

  close(): void {
    for (const off of this.detach.splice(0)) off();
  }

  /** A timer came due and its re-check held: fires that one rule. */
  async fireDue(
    clientId: string,
    conversationId: string,
    event: Extract<RuleEvent, { type: 'no_staff_reply_due' | 'lead_silent_due' }>,
  ): Promise<number> {
    return this.handle(clientId, { conversationId }, event);
  }

  /** Fires every matching rule for one event; returns how many fired here. */
  async handle(
    clientId: string,
    where: { conversationId?: string; leadId?: string },
    event: RuleEvent,
  ): Promise<number> {
    const { sql } = this.options;
    const client = await this.client(clientId);
    if (!client) return 0;
    await this.ensureDefaults(client);
    const rules = await enabledRules(sql, clientId, triggerKindsFor(event));
    if (!rules.length) return 0;
    const scope = await this.scope(client, where);
    if (!scope) return 0;
    const now = this.options.clock();
    const hoursMode = hoursState(scheduleOf({ timezone: client.timezone, config: scope.config }), now).mode;
    let understood: Understanding | undefined;
    const read = (): Understanding | null => {
      if (event.type !== 'visitor_message') return null;
      understood ??= understand({
        text: event.content,
        now,
        timeZone: client.timezone,
        region: countryFromLocale(client.locale),
        knownLanguage: scope.lead?.language ?? null,
        fallbackLanguage: client.locale.slice(0, 2),
        services: scope.config.services,
        industry: client.industry,
      });
      return understood;
    };
    const facts: RuleFacts = {
      hoursMode,
      channel: scope.channel,
      lead: scope.lead,
      language: () => scope.lead?.language ?? read()?.language ?? null,
      understanding: read,
    };
    let fired = 0;
    for (const rule of rules) {
      const moment = matchTrigger(rule, event, facts);
      if (!moment || !conditionsHold(rule.conditions, facts)) continue;
      if (await this.fire(rule, scope, moment, hoursMode, now)) fired++;
    }
    return fired;
  }

  private async fire(
    rule: RuleDto,
    scope: Scope,
    moment: string,
    hoursMode: RuleSubject['hoursMode'],
    now: Date,
  ): Promise<boolean> {
    const { sql } = this.options;
    const clientId = scope.client.id;
    const subjectKey = scope.lead?.id ?? scope.conversationId ?? 'client';
    const firingId = await claimFiring(sql, clientId, {
      rule,
      trigger: rule.trigger.kind,
      key: `${rule.id}:${subjectKey}:${moment}`,
      leadId: scope.lead?.id ?? null,
      conversationId: scope.conversationId,
      hoursMode,
      firedAt: now,
    });
    if (!firingId) return false;
    const outcomes = await this.options.actions.run(rule, {
      clientId,
      clientName: scope.client.name,
      conversationId: scope.conversationId,
      channel: scope.channel,
      assigneeId: scope.assigneeId,
      lead: scope.lead,
      hoursMode,
    });
    await recordOutcomes(sql, clientId, firingId, outcomes);
    this.options.logger.info({ clientId, ruleId: rule.id, firingId, moment }, 'automation rule fired');
    return true;
  }

  async rule(clientId: string, ruleId: string): Promise<RuleDto | null> {
    return getRule(this.options.sql, clientId, ruleId);
  }

  async client(clientId: string): Promise<ClientRow | null> {
    const rows = await this.options.sql.query<ClientRow[]>(
      'select id, name, industry, timezone, locale, config from clients where id = ?',
      [clientId],
    );
    return rows[0] ?? null;
  }

  async ensureDefaults(client: Pick<ClientRow, 'id' | 'industry'>): Promise<void> {
    if (this.installed.has(client.id)) return;
    await installDefaultRules(this.options.sql, client.id, this.options.defaultRules(client.industry));
    this.installed.add(client.id);
  }

  private async scope(client: ClientRow, where: { conversationId?: string; leadId?: string }): Promise<Scope | null> {
    const { sql } = this.options;
    const conversations = where.conversationId
      ? await sql.query<ConversationPick[]>(
          'select id, channel, assignee_id, lead_id from conversations where id = ? and client_id = ?',
          [where.conversationId, client.id],
        )
      : await sql.query<ConversationPick[]>(
          `select id, channel, assignee_id, lead_id from conversations where lead_id = ? and client_id = ?
           order by last_message_at desc nulls last, created_at desc limit 1`,
          [where.leadId, client.id],
        );
    const conversation = conversations[0];
    const leadId = where.leadId ?? conversation?.lead_id ?? null;
    if (!conversation && !leadId) return null;
    const leads = leadId
      ? await sql.query<LeadRow[]>(`select ${LEAD_COLUMNS} from leads where id = ? and client_id = ?`, [
          leadId,
          client.id,
        ])
      : [];
    const parsed = clientConfigSchema.safeParse(
      typeof client.config === 'string' ? JSON.parse(client.config) : client.config,
    );
    return {
      client,
      config: parsed.success ? parsed.data : clientConfigSchema.parse({}),
      conversationId: conversation?.id ?? null,
      channel: conversation?.channel ?? null,
      assigneeId: conversation?.assignee_id ?? null,
      lead: leads[0] ? leadRowToDto(leads[0]) : null,
    };
  }
}

interface ConversationPick {
  id: string;
  channel: RuleSubject['channel'] & string;
  assignee_id: string | null;
  lead_id: string | null;
}
