import { randomUUID } from 'node:crypto';
import type {
  ConversationOpened,
  MessageDto,
  Role,
  StaffConversationDto,
  StaffMember,
  StaffMessageDto,
  SuggestionDraft,
} from '@leaddesk/shared';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { BrandingService } from '../branding/branding-service.js';
import { brandedEmail } from '../branding/email-branding.js';
import type { ConversationCore } from '../conversation/conversation-core.js';
import { listConversationEvents } from '../conversation/conversation-events.js';
import type { OutboundRegistry } from '../conversation/outbound.js';
import { Client, Lead } from '../db/entities/index.js';
import type { Orm } from '../db/orm.js';
import type { EmailSender } from '../email/email-sender.js';
import { AppError } from '../errors/app-error.js';
import type { Jobs } from '../jobs/job-queue.js';
import type { Logger } from '../logger.js';
import type { ReplyEngine } from '../replies/reply-engine.js';
import { draftSuggestion } from './copilot.js';
import { conversationEscalations, getStaffConversation, staffMessages, staffOfClient } from './staff-queries.js';

/** Who acts: a signed-in staff member, for their client. */
export interface StaffActor {
  userId: string;
  name: string;
  role: Role;
  clientId: string;
}

/** What the desk tells the visitor's side (the `/widget` namespace). */
export interface VisitorNotifier {
  staffJoined(conversationId: string, name: string): void;
  staffLeft(conversationId: string, name: string): void;
  staffTyping(conversationId: string, name: string, typing: boolean): void;
  /** Read receipt: staff have seen everything up to `upToSeq`. */
  staffRead(conversationId: string, upToSeq: number): void;
}

export interface StaffDeskOptions {
  orm: Orm;
  core: ConversationCore;
  outbound: OutboundRegistry;
  engine: ReplyEngine;
  jobs: Jobs;
  email: EmailSender;
  /** Emails go out in the client's brand (docs/white-label.md). */
  branding: BrandingService;
  logger: Logger;
  visitor: VisitorNotifier;
  /** Knowledge-base citations for copilot drafts (the knowledge module's search), when it is configured. */
  cite?: (clientId: string, question: string) => Promise<Array<{ title: string; source: string }>>;
  /** Length of one "minute" of `noStaffReplyMinutes` (tests shorten it). @default 60000 */
  minuteMs?: number;
  onAssigned(clientId: string, assigneeId: string, conversationId: string, by: StaffMember): void;
  onMentioned(
    clientId: string,
    userIds: string[],
    conversationId: string,
    message: StaffMessageDto,
    by: StaffMember,
  ): void;
}

export const STAFF_QUEUE = 'staff';
export const ASSIGNMENT_TIMEOUT_JOB = 'conversation.assignment-timeout';

export interface AssignmentTimeoutJob {
  clientId: string;
  conversationId: string;
  assigneeId: string;
  assignedAt: string;
}

/**
 * The staff desk: what a staff member does to a conversation (take over, hand
 * back, send, write notes, assign, ask the copilot), independent of the
 * transport. The `/staff` namespace checks the policy table, then calls here;
 * the rules that depend on the conversation's state (only the holder sends)
 * live here.
 */
export class StaffDesk {
  constructor(private readonly options: StaffDeskOptions) {}

  private em(): EntityManager {
    return this.options.orm.em.fork() as EntityManager;
  }

  async conversation(actor: StaffActor, conversationId: string): Promise<StaffConversationDto> {
    const found = await getStaffConversation(this.em(), actor.clientId, conversationId);
    if (!found) throw AppError.notFound('conversation');
    return found;
  }

  async open(actor: StaffActor, conversationId: string): Promise<Omit<ConversationOpened, 'presence' | 'streaming'>> {
    const conversation = await this.conversation(actor, conversationId);
    const [messages, escalations, events] = await Promise.all([
      staffMessages(this.em(), actor.clientId, conversationId),
      conversationEscalations(this.em(), actor.clientId, conversationId),
      listConversationEvents(this.em(), actor.clientId, conversationId),
    ]);
    if (conversation.lastSeq > 0) this.options.visitor.staffRead(conversationId, conversation.lastSeq);
    return { conversation, messages, escalations, events };
  }

  /**
   * Human mode held by the actor: the AI stops at once (also mid-stream), the
   * visitor sees "<name> joined" and the staff timeline records "<name> took
   * over" (not again when the holder takes over twice).
   */
  async takeover(actor: StaffActor, conversationId: string): Promise<StaffConversationDto> {
    const before = await this.conversation(actor, conversationId);
    if (before.status === 'ended') throw new AppError('conflict', 'this conversation has ended');
    const already = before.mode === 'human' && before.holder?.userId === actor.userId;
    await this.options.core.setMode(
      actor.clientId,
      conversationId,
      'human',
      actor.userId,
      already ? {} : { actorId: actor.userId },
    );
    if (before.holder?.userId !== actor.userId) this.options.visitor.staffJoined(conversationId, actor.name);
    return this.conversation(actor, conversationId);
  }

  /** Back to the AI; the visitor sees "<name> left" and the staff timeline "Handed back to AI". */
  async handback(actor: StaffActor, conversationId: string): Promise<StaffConversationDto> {
    const before = await this.conversation(actor, conversationId);
    if (before.mode !== 'human') return before;
    await this.options.core.setMode(actor.clientId, conversationId, 'ai', null, { actorId: actor.userId });
    this.options.visitor.staffLeft(conversationId, before.holder?.name ?? actor.name);
    return this.conversation(actor, conversationId);
  }

  /** Only the member holding the conversation sends; others must take over explicitly. */
  async send(
    actor: StaffActor,
    input: { conversationId: string; clientMessageId: string; content: string; suggestionId?: string },
  ): Promise<{ message: StaffMessageDto; duplicate: boolean }> {
    const em = this.em();
    const existing = await this.byClientMessageId(em, actor.clientId, input.conversationId, input.clientMessageId);
    if (existing) return { message: existing, duplicate: true };
    const conversation = await this.conversation(actor, input.conversationId);
    if (conversation.mode !== 'human' || conversation.holder?.userId !== actor.userId) {
      throw new AppError(
        'conflict',
        conversation.mode === 'human'
          ? `${conversation.holder?.name ?? 'another teammate'} holds this conversation: take over to reply`
          : 'take over the conversation before replying',
      );
    }
    let stored: Awaited<ReturnType<ConversationCore['appendMessage']>>;
    try {
      stored = await this.options.core.appendMessage({
        clientId: actor.clientId,
        conversationId: input.conversationId,
        role: 'staff',
        content: input.content,
        senderId: actor.userId,
        clientMessageId: input.clientMessageId,
        requireMode: 'human',
      });
    } catch (err) {
      // A concurrent retry with the same id won the unique index.
      const again = await this.byClientMessageId(em, actor.clientId, input.conversationId, input.clientMessageId);
      if (again) return { message: again, duplicate: true };
      throw err;
    }
    const message: StaffMessageDto = { ...stored, sender: { userId: actor.userId, name: actor.name } };
    if (input.suggestionId) await this.recordOutcome(actor, input.suggestionId, input.content, message.id);
    await this.deliver(actor.clientId, conversation, stored);
    return { message, duplicate: false };
  }

  /** Internal notes never reach the lead (the widget fan-out and outbound senders skip them). */
  async note(
    actor: StaffActor,
    input: { conversationId: string; content: string },
  ): Promise<{ message: StaffMessageDto; mentioned: StaffMember[] }> {
    await this.conversation(actor, input.conversationId);
    const stored = await this.options.core.appendMessage({
      clientId: actor.clientId,
      conversationId: input.conversationId,
      role: 'note',
      content: input.content,
      senderId: actor.userId,
    });
    const message: StaffMessageDto = { ...stored, sender: { userId: actor.userId, name: actor.name } };
    const mentioned = await this.mentions(actor, input.content);
    if (mentioned.length) {
      this.options.onMentioned(
        actor.clientId,
        mentioned.map((m) => m.userId),
        input.conversationId,
        message,
        { userId: actor.userId, name: actor.name },
      );
    }
    return { message, mentioned };
  }

  /** Assigns to a teammate (or nobody); without their reply in `noStaffReplyMinutes` the conversation escalates. */
  async assign(actor: StaffActor, conversationId: string, assigneeId: string | null): Promise<StaffConversationDto> {
    const em = this.em();
    await this.conversation(actor, conversationId);
    if (assigneeId) {
      const staff = await staffOfClient(em, actor.clientId);
      if (!staff.some((s) => s.userId === assigneeId)) {
        throw new AppError('validation_failed', 'the assignee is not an active member of this client', [
          { path: 'assigneeId', message: 'not a member of this client' },
        ]);
      }
    }
    const { assignedAt } = await this.options.core.assign({
      clientId: actor.clientId,
      conversationId,
      assigneeId,
      actorId: actor.userId,
    });
    const conversation = await this.conversation(actor, conversationId);
    if (assigneeId && assignedAt) {
      const at = assignedAt;
      const client = await em.findOneOrFail(Client, { id: actor.clientId });
      const minutes = client.config.escalation.noStaffReplyMinutes;
      await this.options.jobs.add<AssignmentTimeoutJob>(
        STAFF_QUEUE,
        ASSIGNMENT_TIMEOUT_JOB,
        { clientId: actor.clientId, conversationId, assigneeId, assignedAt: at },
        { jobId: `assign-${conversationId}-${Date.parse(at)}`, delayMs: minutes * (this.options.minuteMs ?? 60_000) },
      );
      if (assigneeId !== actor.userId) {
        this.options.onAssigned(actor.clientId, assigneeId, conversationId, { userId: actor.userId, name: actor.name });
      }
    }
    return conversation;
  }

  /**
   * The assignment timer fired: escalate unless the assignment changed or the
   * assignee has written to the lead since. Idempotent (escalate opens one
   * pending escalation per reason).
   */
  async assignmentTimedOut(job: AssignmentTimeoutJob): Promise<'escalated' | 'answered' | 'stale'> {
    const em = this.em();
    const rows = await em.execute<
      Array<{ assignee_id: string | null; assigned_at: Date | string | null; status: string }>
    >('select assignee_id, assigned_at, status from conversations where id = ? and client_id = ?', [
      job.conversationId,
      job.clientId,
    ]);
    const row = rows[0];
    if (
      !row ||
      row.status === 'ended' ||
      row.assignee_id !== job.assigneeId ||
      !row.assigned_at ||
      new Date(row.assigned_at).getTime() !== Date.parse(job.assignedAt)
    ) {
      return 'stale';
    }
    const replied = await em.execute<{ n: string | number }[]>(
      `select count(*) as n from messages where client_id = ? and conversation_id = ? and role = 'staff' and sender_id = ? and created_at >= ?`,
      [job.clientId, job.conversationId, job.assigneeId, job.assignedAt],
    );
    if (Number(replied[0]?.n ?? 0) > 0) return 'answered';
    const staff = await staffOfClient(em, job.clientId);
    const assignee = staff.find((s) => s.userId === job.assigneeId);
    const client = await em.findOneOrFail(Client, { id: job.clientId });
    const minutes = client.config.escalation.noStaffReplyMinutes;
    const detail = `${assignee?.name ?? 'The assignee'} did not reply within ${minutes} minute${minutes === 1 ? '' : 's'} of being assigned`;
    const { created } = await this.options.core.escalate({
      clientId: job.clientId,
      conversationId: job.conversationId,
      reason: 'no_staff_reply',
      priority: 'high',
      detail,
    });
    if (created) await this.escalationEmail(client.id, client.name, job.conversationId, detail, staff, job.assigneeId);
    return 'escalated';
  }

  /** Streams a draft reply (not stored in the conversation; recorded as a suggestion). */
  async suggest(
    actor: StaffActor,
    conversationId: string,
    onDelta: (text: string, suggestionId: string) => void,
    signal?: AbortSignal,
  ): Promise<SuggestionDraft> {
    await this.conversation(actor, conversationId);
    const id = randomUUID();
    const draft = await draftSuggestion(this.options.core, this.options.engine, {
      clientId: actor.clientId,
      conversationId,
      onDelta: (text) => onDelta(text, id),
      signal,
      cite: this.options.cite,
    });
    await this.em().execute(
      `insert into copilot_suggestions (id, client_id, conversation_id, user_id, draft, engine, outcome, created_at)
       values (?, ?, ?, ?, ?, ?, 'pending', now())`,
      [id, actor.clientId, conversationId, actor.userId, draft.text, this.options.engine.name],
    );
    return { suggestionId: id, draft: draft.text, citations: draft.citations };
  }

  async discard(actor: StaffActor, suggestionId: string): Promise<void> {
    const rows = await this.em().execute<{ id: string }[]>(
      `update copilot_suggestions set outcome = 'discarded', resolved_at = now()
       where id = ? and client_id = ? and outcome = 'pending' returning id`,
      [suggestionId, actor.clientId],
    );
    if (!rows[0]) throw AppError.notFound('pending suggestion');
  }

  private async recordOutcome(actor: StaffActor, suggestionId: string, sent: string, messageId: string) {
    const normalize = (s: string) => s.replace(/\s+/g, ' ').trim();
    const rows = await this.em().execute<{ draft: string }[]>(
      `select draft from copilot_suggestions where id = ? and client_id = ? and outcome = 'pending'`,
      [suggestionId, actor.clientId],
    );
    const draft = rows[0]?.draft;
    if (draft === undefined) return;
    await this.em().execute(
      `update copilot_suggestions set outcome = ?, message_id = ?, resolved_at = now() where id = ? and client_id = ?`,
      [normalize(draft) === normalize(sent) ? 'sent_as_is' : 'edited', messageId, suggestionId, actor.clientId],
    );
  }

  /** Staff messages go out on the lead's channel: the widget room by fan-out, other channels by their sender. */
  private async deliver(clientId: string, conversation: StaffConversationDto, message: MessageDto) {
    if (conversation.channel === 'web') return;
    const sender = this.options.outbound.get(conversation.channel);
    if (!sender) {
      this.options.logger.warn(
        { clientId, channel: conversation.channel },
        'no outbound sender for this channel: staff message stored only',
      );
      return;
    }
    const em = this.em();
    const client = await em.findOneOrFail(Client, { id: clientId });
    const lead = conversation.leadId ? await em.findOne(Lead, { id: conversation.leadId, client: clientId }) : null;
    try {
      await sender.send({ client, lead, conversationId: conversation.id, message });
    } catch (err) {
      this.options.logger.error({ err, clientId, conversationId: conversation.id }, 'staff message delivery failed');
    }
  }

  private async mentions(actor: StaffActor, content: string): Promise<StaffMember[]> {
    const handles = [...content.matchAll(/(?:^|\s)@([\p{L}\p{N}._+-]+(?:@[\w.-]+)?)/gu)].map((m) =>
      (m[1] ?? '').toLowerCase().replace(/[.,;:!?]+$/, ''),
    );
    if (!handles.length) return [];
    const staff = await staffOfClient(this.em(), actor.clientId);
    const firstName = (name: string) => (name.split(/\s+/)[0] ?? '').toLowerCase();
    const compact = (name: string) => name.replace(/\s+/g, '').toLowerCase();
    return staff
      .filter((s) =>
        handles.some((h) => h === s.email.toLowerCase() || h === firstName(s.name) || h === compact(s.name)),
      )
      .map((s) => ({ userId: s.userId, name: s.name }));
  }

  private async byClientMessageId(
    em: EntityManager,
    clientId: string,
    conversationId: string,
    clientMessageId: string,
  ) {
    const [found] = await staffMessages(em, clientId, conversationId, 1, { clientMessageId });
    return found ?? null;
  }

  /**
   * Tells the assignee the conversation went to the team. Admins and managers
   * get the general escalation alert from the email channel's staff alerts
   * (every `escalation.created`), so they are not mailed twice.
   */
  private async escalationEmail(
    clientId: string,
    clientName: string,
    conversationId: string,
    detail: string,
    staff: Array<StaffMember & { email: string; role: string }>,
    assigneeId: string,
  ) {
    const assignee = staff.find((s) => s.userId === assigneeId);
    if (!assignee) return;
    try {
      await this.options.email.send(
        await brandedEmail(this.options.branding, clientId, {
          to: assignee.email,
          subject: `[${clientName}] Conversation escalated: no staff reply`,
          text: `${detail}, so it was escalated to the team.\n\nOpen the conversation in the dashboard: /dashboard/inbox/${conversationId}\n`,
        }),
      );
    } catch (err) {
      this.options.logger.error({ err, conversationId }, 'escalation email failed');
    }
  }
}
