import type { Server } from 'socket.io';
import type { AppContext } from './app-context.js';
import type { ConversationComponents } from './attach-conversation-core.js';
import type { AuthService } from './auth/auth-service.js';
import { brandingOf } from './branding/branding-service.js';
import type { EmailSender } from './email/email-sender.js';
import { attachStaffFanout } from './realtime/staff-fanout.js';
import { attachStaffNamespace, type StaffNamespace, staffUserRoom } from './realtime/staff-namespace.js';
import { conversationRoom } from './realtime/widget-namespace.js';
import type { ReplyEngine } from './replies/reply-engine.js';
import { ASSIGNMENT_TIMEOUT_JOB, type AssignmentTimeoutJob, STAFF_QUEUE, StaffDesk } from './staff/staff-desk.js';

export interface StaffComponents {
  desk: StaffDesk;
  staff: StaffNamespace;
  close(): void;
}

/**
 * Composition for issue 8 (called by createApp): the staff desk, the `/staff`
 * namespace and its fan-out listener, and the worker of the assignment
 * timer. It talks to visitors through the `/widget` namespace only to say
 * who joined, left or is typing; messages reach them through the core's
 * domain events like every other message.
 */
export function attachStaffDesk(
  ctx: AppContext,
  io: Server,
  deps: { conversation: ConversationComponents; auth: AuthService; email: EmailSender; engine: ReplyEngine },
): StaffComponents {
  const { core, outbound, widget } = deps.conversation;
  let staff: StaffNamespace | undefined;
  const desk = new StaffDesk({
    orm: ctx.db.orm,
    core,
    outbound,
    engine: deps.engine,
    jobs: ctx.jobs,
    email: deps.email,
    branding: brandingOf(ctx),
    logger: ctx.logger,
    minuteMs: ctx.config.raw.STAFF_REPLY_MINUTE_MS,
    // Read at call time: the knowledge module may be attached to the context after the app is built.
    cite: async (clientId, question) => {
      if (!ctx.knowledge) return [];
      const found = await ctx.knowledge.search({ clientId, query: question, k: 3 });
      return found.hits.map((h) => ({
        title: [...new Set([h.source.name, h.source.heading].filter(Boolean))].join(' › '),
        source: 'knowledge',
      }));
    },
    visitor: {
      staffJoined: (id, name) => widget.to(conversationRoom(id)).emit('staff:joined', { name }),
      staffLeft: (id, name) => widget.to(conversationRoom(id)).emit('staff:left', { name }),
      staffTyping: (id, name, typing) => widget.to(conversationRoom(id)).emit('staff:typing', { name, typing }),
      staffRead: (id, upToSeq) => widget.to(conversationRoom(id)).emit('message:read', { upToSeq, by: 'staff' }),
    },
    onAssigned: (_clientId, assigneeId, conversationId, by) =>
      staff?.to(staffUserRoom(assigneeId)).emit('conversation:assigned', { conversationId, by }),
    onMentioned: (_clientId, userIds, conversationId, message, by) =>
      staff?.to(userIds.map(staffUserRoom)).emit('note:mentioned', { conversationId, message, by }),
  });
  staff = attachStaffNamespace(io, {
    orm: ctx.db.orm,
    auth: deps.auth,
    desk,
    logger: ctx.logger,
    visitorTyping: (id, name, typing) => widget.to(conversationRoom(id)).emit('staff:typing', { name, typing }),
    live: deps.conversation.live,
    requestTimeoutMs: ctx.config.realtime.requestTimeoutMs,
  });
  const detach = attachStaffFanout(core.events, staff, ctx.db.orm, ctx.logger, {
    // With the Redis adapter the rooms span processes: this one cannot tell that a room is empty.
    sharedRooms: Boolean(ctx.config.redisUrl),
  });
  void ctx.jobs
    .work<AssignmentTimeoutJob>(STAFF_QUEUE, async (job) => {
      if (job.name === ASSIGNMENT_TIMEOUT_JOB) {
        const outcome = await desk.assignmentTimedOut(job.data);
        ctx.logger.info({ conversationId: job.data.conversationId, outcome }, 'assignment timer');
      }
    })
    .catch((err: unknown) => ctx.logger.error({ err }, 'staff job worker failed to start'));
  return {
    desk,
    staff,
    close() {
      detach();
    },
  };
}
