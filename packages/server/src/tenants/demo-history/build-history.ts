import { randomUUID } from 'node:crypto';
import type { AiMetadata, Channel, ClientConfig } from '@leaddesk/shared';
import { scoreLead } from '../../replies/structured/scoring.js';
import { isoDay, localDay, seededRandom, zonedInstant } from './clock.js';
import type { DemoScript, StaffKey, Turn } from './types.js';

/** The rows of the demo history, ready to insert (column names as in the database). */
export interface HistoryRows {
  leads: Record<string, unknown>[];
  conversations: Record<string, unknown>[];
  messages: Record<string, unknown>[];
  escalations: Record<string, unknown>[];
  events: Record<string, unknown>[];
  copilot: Record<string, unknown>[];
}

export interface BuildHistoryInput {
  clientId: string;
  clientName: string;
  timezone: string;
  config: ClientConfig;
  staff: Record<StaffKey, string>;
  scripts: DemoScript[];
  now: Date;
  /** @default 13 */
  seed?: number;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;

/**
 * Turns the scripts into rows that keep the schema's promises: `seq` from 1
 * without gaps per conversation, `last_seq` and `last_message_at` equal to
 * the last message, every conversation linked to its lead, escalations and
 * takeovers at the moment they happened, nothing in the future, and no reply
 * left owed (so no worker picks a past conversation up at start).
 */
export function buildHistory(input: BuildHistoryInput): HistoryRows {
  const random = seededRandom(input.seed ?? 13);
  const between = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const rows: HistoryRows = { leads: [], conversations: [], messages: [], escalations: [], events: [], copilot: [] };
  const latest = input.now.getTime() - 2 * MINUTE;

  input.scripts.forEach((script, index) => {
    const day = localDay(input.timezone, input.now, script.daysAgo);
    let start = zonedInstant(input.timezone, day, script.at[0], script.at[1]).getTime() + between(0, 50) * SECOND;

    // Message times: visitors take a minute or few to type, the AI seconds, staff a few minutes.
    const offsets: number[] = [];
    let t = 0;
    script.turns.forEach((turn, i) => {
      if (i > 0)
        t += turn.after !== undefined ? turn.after * MINUTE + between(0, 40) * SECOND : defaultGap(turn, between);
      offsets.push(t);
    });
    const span = offsets.at(-1) ?? 0;
    // A script set today at an hour still to come is moved back so that it ended a little while ago.
    if (start + span > latest) start = latest - span - (index % 7) * 9 * MINUTE;
    const at = (i: number) => new Date(start + (offsets[i] ?? 0));
    const last = at(script.turns.length - 1);

    const conversationId = randomUUID();
    const leadId = randomUUID();
    const visitorId = script.channel === 'web' ? `v_demo_${script.key}` : null;
    const lead = script.lead;
    const qualification = {
      ...lead.qualification,
      ...(lead.timelineInDays !== undefined
        ? { timeline: isoDay(input.timezone, new Date(start + lead.timelineInDays * 86_400_000)) }
        : {}),
      custom: { ...lead.qualification?.custom, ...intentOf(script.turns) },
    };
    const score = scoreLead({ name: lead.name, email: lead.email, phone: lead.phone, qualification }, [], input.config);
    const handles: Record<string, string> = {};
    if (visitorId) handles.web = visitorId;
    if (script.channel === 'whatsapp' && lead.phone) handles.whatsapp = lead.phone.slice(1);
    const lastVisitor = [...script.turns.keys()].filter((i) => script.turns[i]?.role === 'visitor').at(-1) ?? 0;
    let appointmentAt: Date | null = null;
    if (lead.appointment) {
      const appointmentDay = localDay(input.timezone, new Date(start + lead.appointment.inDays * 86_400_000), 0);
      appointmentAt = zonedInstant(input.timezone, appointmentDay, lead.appointment.hour, 0);
    }
    rows.leads.push({
      id: leadId,
      client_id: input.clientId,
      name: lead.name ?? null,
      email: lead.email ?? null,
      phone: lead.phone ?? null,
      handles,
      language: script.language,
      source: script.channel,
      qualification,
      score: score.temperature === 'unscored' ? null : score.score,
      temperature: score.temperature,
      score_evidence: score.evidence,
      status: lead.status,
      appointment_at: appointmentAt,
      assignee_id: lead.assignee ? input.staff[lead.assignee] : null,
      created_at: new Date(start),
      updated_at: last,
      last_contact_at: at(lastVisitor),
    });

    const c = script.conversation ?? {};
    const status = c.status ?? (script.daysAgo > 1 ? 'ended' : 'active');
    const human = c.takeoverAt !== undefined && c.handbackAt === undefined;
    const holder = human ? input.staff[c.holder ?? 'admin'] : null;
    const assignee = c.assignee ? input.staff[c.assignee] : null;
    rows.conversations.push({
      id: conversationId,
      client_id: input.clientId,
      lead_id: leadId,
      channel: script.channel,
      status,
      mode: human ? 'human' : 'ai',
      mode_holder_id: holder,
      assignee_id: assignee,
      assigned_at: assignee ? new Date(start + 60 * SECOND) : null,
      visitor_id: visitorId,
      last_seq: script.turns.length,
      last_message_at: last,
      created_at: new Date(start),
      updated_at: last,
      ended_at: status === 'ended' ? new Date(last.getTime() + 30 * MINUTE) : null,
    });

    const messageIds = script.turns.map(() => randomUUID());
    script.turns.forEach((turn, i) => {
      const inbound = turn.role === 'visitor';
      rows.messages.push({
        id: messageIds[i],
        client_id: input.clientId,
        conversation_id: conversationId,
        seq: i + 1,
        role: turn.role,
        content: turn.text.replaceAll('{business}', input.clientName),
        attachments: [],
        channel: script.channel,
        external_id: inbound ? externalIdOf(script, i) : null,
        client_message_id: inbound && script.channel === 'web' ? `demo_${script.key}_${i}` : null,
        delivery_state: inbound || turn.role === 'note' ? 'sent' : deliveredState(script.channel),
        ai: turn.role === 'ai' ? aiMetadata(turn, script) : null,
        sender_id: turn.role === 'staff' || turn.role === 'note' ? input.staff[turn.by ?? 'admin'] : null,
        created_at: at(i),
      });
    });

    if (assignee) {
      rows.events.push(
        event(input.clientId, conversationId, 'assigned', input.staff.admin, assignee, start + 60 * SECOND),
      );
    }
    if (c.takeoverAt !== undefined) {
      const by = input.staff[c.holder ?? 'admin'];
      rows.events.push(
        event(input.clientId, conversationId, 'takeover', by, null, at(c.takeoverAt).getTime() - 20 * SECOND),
      );
      if (c.handbackAt !== undefined) {
        rows.events.push(
          event(input.clientId, conversationId, 'handback', by, null, at(c.handbackAt).getTime() - 5 * SECOND),
        );
      }
    }

    const e = script.escalation;
    if (e) {
      const raised = at(e.afterTurn).getTime() + 3 * SECOND;
      const resolvedAt = e.resolved ? Math.min(raised + e.resolved.afterMinutes * MINUTE, latest) : null;
      rows.escalations.push({
        id: randomUUID(),
        client_id: input.clientId,
        conversation_id: conversationId,
        lead_id: leadId,
        reason: e.reason,
        priority: e.priority,
        status: e.resolved ? 'resolved' : (e.status ?? 'pending'),
        detail: e.detail,
        resolution: e.resolved?.note ?? null,
        resolved_by_id: e.resolved ? input.staff[e.resolved.by] : null,
        resolved_at: resolvedAt ? new Date(resolvedAt) : null,
        created_at: new Date(raised),
      });
    }

    const staffTurns = [...script.turns.keys()].filter((i) => script.turns[i]?.role === 'staff');
    (script.copilot ?? []).forEach((outcome, k) => {
      const turnIndex = staffTurns[k];
      const sent = outcome !== 'discarded' && turnIndex !== undefined;
      const created = turnIndex !== undefined ? at(turnIndex).getTime() - 40 * SECOND : start;
      rows.copilot.push({
        id: randomUUID(),
        client_id: input.clientId,
        conversation_id: conversationId,
        user_id: holder ?? input.staff.admin,
        draft: turnIndex !== undefined ? draftOf(script.turns[turnIndex]!.text, outcome) : '',
        engine: 'structured',
        outcome,
        message_id: sent ? messageIds[turnIndex] : null,
        created_at: new Date(created),
        resolved_at: new Date(created + 30 * SECOND),
      });
    });
  });
  return rows;
}

function defaultGap(turn: Turn, between: (min: number, max: number) => number): number {
  switch (turn.role) {
    case 'ai':
      return between(2, 7) * SECOND;
    case 'visitor':
      return between(40, 240) * SECOND;
    case 'staff':
      return between(2, 9) * MINUTE;
    case 'note':
      return between(20, 90) * SECOND;
  }
}

function intentOf(turns: Turn[]): Record<string, string> {
  const intent = turns.find((t) => t.role === 'ai' && t.intent && t.intent !== 'missed_call_follow_up')?.intent;
  return intent ? { intent } : {};
}

function aiMetadata(turn: Turn, script: DemoScript): AiMetadata {
  if (turn.intent === 'missed_call_follow_up') return { provider: 'missed-call', intent: turn.intent };
  return {
    provider: 'structured',
    model: 'structured-v1',
    intent: turn.intent ?? 'other',
    language: script.language,
    entities: turn.source ? { source: turn.source } : {},
    inputTokens: 0,
    outputTokens: 0,
  };
}

/** The provider's id of an inbound message, the key that makes delivery idempotent. */
function externalIdOf(script: DemoScript, i: number): string | null {
  const id = `${script.key}-${i}`;
  switch (script.channel) {
    case 'whatsapp':
      return `wamid.demo-${id}`;
    case 'sms':
      return i === 0 && script.turns[0]?.text.startsWith('Missed call') ? `call:CAdemo-${id}` : `SMdemo-${id}`;
    case 'voice':
      return `call:CAdemo-${id}`;
    case 'email':
      return `<demo-${id}@mail.example.com>`;
    case 'web_form':
      return `demo-form-${id}`;
    default:
      return null;
  }
}

function deliveredState(channel: Channel): string {
  return channel === 'whatsapp' ? 'read' : channel === 'sms' || channel === 'email' ? 'delivered' : 'sent';
}

function draftOf(sent: string, outcome: 'sent_as_is' | 'edited' | 'discarded'): string {
  if (outcome === 'sent_as_is') return sent;
  // What the copilot proposed before staff rewrote it: the gist, less personal.
  return sent.replace(/^Hi [A-Z][a-z]+, /, 'Hello, ').replace(/\.$/, '. Let us know if you have any questions.');
}

function event(
  clientId: string,
  conversationId: string,
  kind: 'assigned' | 'takeover' | 'handback',
  actor: string,
  subject: string | null,
  at: number,
): Record<string, unknown> {
  return {
    id: randomUUID(),
    client_id: clientId,
    conversation_id: conversationId,
    kind,
    actor_id: actor,
    subject_id: subject,
    created_at: new Date(at),
  };
}
