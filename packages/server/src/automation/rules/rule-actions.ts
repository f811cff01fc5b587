import type {
  Channel,
  EscalationReason,
  HoursMode,
  LeadDto,
  RuleAction,
  RuleActionOutcome,
  RuleDto,
  RuleTriggerKind,
} from '@leaddesk/shared';
import type { BrandingService } from '../../branding/branding-service.js';
import { brandedEmail } from '../../branding/email-branding.js';
import type { ConversationCore } from '../../conversation/conversation-core.js';
import type { OutboundRegistry } from '../../conversation/outbound.js';
import { Client, Lead } from '../../db/entities/index.js';
import type { Orm } from '../../db/orm.js';
import type { Sql } from '../../db/sql.js';
import type { EmailSender } from '../../email/email-sender.js';
import type { Logger } from '../../logger.js';
import type { SequenceControl } from './sequence-control.js';

/**
 * Carries out a rule's actions for one firing, each on its own: a failing
 * action is recorded as failed and the next one still runs. Every query
 * names the firing's client.
 */
export interface RuleSubject {
  clientId: string;
  clientName: string;
  conversationId: string | null;
  channel: Channel | null;
  assigneeId: string | null;
  lead: LeadDto | null;
  hoursMode: HoursMode;
}

export interface StaffNotification {
  ruleId: string;
  ruleName: string;
  conversationId: string | null;
  leadId: string | null;
  text: string;
}

export interface RuleActionDeps {
  sql: Sql;
  orm: Orm;
  core: ConversationCore;
  outbound: OutboundRegistry;
  email: EmailSender;
  /** Emails go out in the client's brand (docs/white-label.md). */
  branding: BrandingService;
  sequences: SequenceControl;
  logger: Logger;
  /** Desktop notification to these staff members' sockets (every process, through the adapter). */
  notifyDesktop(userIds: string[], notification: StaffNotification): void;
  /** Staff of the client with the dashboard open now, on any process. */
  onlineStaff(clientId: string): Promise<string[]>;
  /** A text to the on-call number over SMS or WhatsApp, with the client's own channel credentials. */
  onCall(clientId: string, via: 'sms' | 'whatsapp', number: string, text: string): Promise<void>;
}

const ESCALATION_REASON: Partial<Record<RuleTriggerKind, EscalationReason>> = {
  no_staff_reply: 'no_staff_reply',
  keyword: 'keyword',
  urgency_detected: 'urgent',
  score_crossed: 'hot_lead',
};

interface StaffRow {
  id: string;
  name: string;
  email: string;
  role: string;
}

export class RuleActions {
  constructor(private readonly deps: RuleActionDeps) {}

  async run(rule: RuleDto, subject: RuleSubject): Promise<RuleActionOutcome[]> {
    const outcomes: RuleActionOutcome[] = [];
    for (const action of rule.actions) {
      try {
        const detail = await this.one(rule, action, subject);
        outcomes.push(
          detail.startsWith('skipped: ')
            ? { type: action.type, outcome: 'skipped', detail: detail.slice(9) }
            : { type: action.type, outcome: 'done', detail },
        );
      } catch (err) {
        this.deps.logger.warn({ err, ruleId: rule.id, action: action.type }, 'rule action failed');
        outcomes.push({ type: action.type, outcome: 'failed', detail: (err as Error).message.slice(0, 300) });
      }
    }
    return outcomes;
  }

  private async one(rule: RuleDto, action: RuleAction, s: RuleSubject): Promise<string> {
    const { core } = this.deps;
    switch (action.type) {
      case 'notify_staff':
        return this.notify(rule, action, s);
      case 'escalate': {
        if (!s.conversationId) return 'skipped: no conversation';
        const { created } = await core.escalate({
          clientId: s.clientId,
          conversationId: s.conversationId,
          reason: ESCALATION_REASON[rule.trigger.kind] ?? 'other',
          priority: action.priority,
          detail: `Rule "${rule.name}" (${s.hoursMode.replace('_', ' ')})`,
        });
        return created ? `escalated (${action.priority})` : 'skipped: already escalated';
      }
      case 'assign': {
        if (!s.conversationId) return 'skipped: no conversation';
        const staff = await this.staff(s.clientId);
        let assignee: StaffRow | undefined;
        if (action.strategy === 'user') {
          assignee = staff.find((m) => m.id === action.userId);
          if (!assignee) return 'skipped: that person is not an active member';
        } else {
          assignee = await this.nextOnline(s.clientId, staff);
          if (!assignee) return 'skipped: nobody online';
        }
        await core.assign({
          clientId: s.clientId,
          conversationId: s.conversationId,
          assigneeId: assignee.id,
          actorId: null,
        });
        return `assigned to ${assignee.name}`;
      }
      case 'send_message': {
        if (!s.conversationId || !s.channel) return 'skipped: no conversation';
        const message = await core.appendMessage({
          clientId: s.clientId,
          conversationId: s.conversationId,
          role: 'ai',
          content: action.text,
          ai: { provider: 'rule', intent: `rule:${rule.id}` },
        });
        // The widget gets it from the room; other channels from their sender (WhatsApp: template outside 24 h).
        if (s.channel !== 'web') {
          const sender = this.deps.outbound.get(s.channel);
          if (!sender) return `stored; no sender for ${s.channel}`;
          const em = this.deps.orm.em.fork();
          const client = await em.findOneOrFail(Client, { id: s.clientId });
          const lead = s.lead ? await em.findOne(Lead, { id: s.lead.id, client: s.clientId }) : null;
          await sender.send({ client, lead, conversationId: s.conversationId, message });
        }
        return `sent on ${s.channel}`;
      }
      case 'start_sequence':
        if (!s.conversationId) return 'skipped: no conversation';
        await this.deps.sequences.start(s.clientId, s.conversationId, action.key);
        return `sequence ${action.key ?? 'default'} started`;
      case 'stop_sequence':
        if (!s.conversationId) return 'skipped: no conversation';
        await this.deps.sequences.stop(s.clientId, s.conversationId, action.reason);
        return 'sequence stopped';
      case 'set_status': {
        if (!s.lead) return 'skipped: no lead';
        const lead = await core.updateLead(s.clientId, s.lead.id, { status: action.status }, { by: 'rule' });
        if (!lead) return 'skipped: lead gone';
        return lead.status === action.status
          ? `status ${lead.status}`
          : `skipped: cannot move ${lead.status} to ${action.status}`;
      }
      case 'add_tag': {
        if (!s.lead) return 'skipped: no lead';
        await this.deps.sql.query(
          `insert into lead_tags (client_id, lead_id, tag) select ?, id, ? from leads where id = ? and client_id = ?
           on conflict do nothing`,
          [s.clientId, action.tag, s.lead.id, s.clientId],
        );
        return `tagged ${action.tag}`;
      }
    }
  }

  private async notify(
    rule: RuleDto,
    action: Extract<RuleAction, { type: 'notify_staff' }>,
    s: RuleSubject,
  ): Promise<string> {
    const who = s.lead?.name ?? s.lead?.email ?? s.lead?.phone ?? 'A lead';
    const text = [`${rule.name}: ${who}`, action.message].filter(Boolean).join(' — ');
    const staff = await this.staff(s.clientId);
    const recipients =
      action.to === 'assignee'
        ? staff.filter((m) => m.id === s.assigneeId)
        : action.to === 'all_staff'
          ? staff.filter((m) => m.role !== 'viewer')
          : staff.filter((m) => m.role === 'admin' || m.role === 'manager');
    const done: string[] = [];
    const failed: string[] = [];
    for (const via of action.via) {
      try {
        if (via === 'desktop') {
          this.deps.notifyDesktop(
            recipients.map((r) => r.id),
            {
              ruleId: rule.id,
              ruleName: rule.name,
              conversationId: s.conversationId,
              leadId: s.lead?.id ?? null,
              text,
            },
          );
          done.push(`desktop to ${recipients.length}`);
        } else if (via === 'email') {
          const link = s.conversationId ? `\n\nOpen the conversation: /dashboard/inbox/${s.conversationId}` : '';
          for (const r of recipients) {
            await this.deps.email.send(
              await brandedEmail(this.deps.branding, s.clientId, {
                to: r.email,
                subject: `[${s.clientName}] ${rule.name}`,
                text: `${text}\n(${s.hoursMode.replace('_', ' ')})${link}\n`,
              }),
            );
          }
          done.push(`email to ${recipients.length}`);
        } else if (action.onCallNumber) {
          await this.deps.onCall(s.clientId, via, action.onCallNumber, `[${s.clientName}] ${text}`);
          done.push(`${via} to on-call`);
        }
      } catch (err) {
        failed.push(`${via}: ${(err as Error).message}`);
      }
    }
    if (failed.length && !done.length) throw new Error(failed.join('; '));
    return [...done, ...failed.map((f) => `failed ${f}`)].join(', ');
  }

  private async staff(clientId: string): Promise<StaffRow[]> {
    return this.deps.sql.query<StaffRow[]>(
      'select id, name, email, role from users where client_id = ? and disabled_at is null order by name, id',
      [clientId],
    );
  }

  /**
   * Round robin among the staff online: the one after whoever was assigned
   * last in this client (by id order, wrapping), so consecutive firings on
   * any process spread the work.
   */
  private async nextOnline(clientId: string, staff: StaffRow[]): Promise<StaffRow | undefined> {
    const online = new Set(await this.deps.onlineStaff(clientId));
    const candidates = staff
      .filter((m) => online.has(m.id) && m.role !== 'viewer')
      .sort((a, b) => (a.id < b.id ? -1 : 1));
    if (!candidates.length) return undefined;
    const last = await this.deps.sql.query<{ assignee_id: string }[]>(
      `select assignee_id from conversations where client_id = ? and assignee_id is not null and assigned_at is not null
       order by assigned_at desc limit 1`,
      [clientId],
    );
    const lastId = last[0]?.assignee_id;
    return candidates.find((c) => lastId !== undefined && c.id > lastId) ?? candidates[0];
  }
}
