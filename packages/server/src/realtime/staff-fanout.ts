import type { StaffMessageDto } from '@leaddesk/shared';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { DomainEventBus } from '../conversation/domain-events.js';
import type { Orm } from '../db/orm.js';
import type { Logger } from '../logger.js';
import { getStaffConversation } from '../staff/staff-queries.js';
import { type StaffNamespace, staffClientRoom, staffConversationRoom } from './staff-namespace.js';

/**
 * The realtime listener for staff: domain events → `/staff` rooms. Events go
 * only to the room of the event's own client (every event carries
 * `clientId`), so one tenant's staff never see another's. Inbox facts
 * (messages, conversations, leads, escalations) go to the client room; what
 * only matters with a conversation open (streaming, AI status, visitor
 * typing) goes to that conversation's room.
 *
 * With rooms in this process only (no Redis adapter), an event for a room
 * nobody is in is dropped before it is encoded, and before the query that
 * would build it: at night most tenants have no staff online, and every
 * streamed delta used to be encoded for an empty room. Staff who connect later
 * load the current state over REST.
 */
export function attachStaffFanout(
  bus: DomainEventBus,
  nsp: StaffNamespace,
  orm: Orm,
  logger: Logger,
  options: { sharedRooms: boolean },
): () => void {
  const em = () => orm.em.fork() as EntityManager;
  const watched = (name: string) => options.sharedRooms || (nsp.adapter.rooms.get(name)?.size ?? 0) > 0;
  const clientWatched = (clientId: string) => watched(staffClientRoom(clientId));
  const convWatched = (conversationId: string) => watched(staffConversationRoom(conversationId));
  // A broadcast to nobody: neither encoded nor sent.
  const nobody = { emit: () => true } as unknown as ReturnType<StaffNamespace['to']>;
  const room = (clientId: string) => (clientWatched(clientId) ? nsp.to(staffClientRoom(clientId)) : nobody);
  const conv = (conversationId: string) =>
    convWatched(conversationId) ? nsp.to(staffConversationRoom(conversationId)) : nobody;
  const withSender = async (message: StaffMessageDto | Omit<StaffMessageDto, 'sender'>): Promise<StaffMessageDto> => {
    if (message.role !== 'staff' && message.role !== 'note') return { ...message, sender: null };
    const rows = await em().execute<{ id: string; name: string }[]>(
      'select u.id, u.name from messages m join users u on u.id = m.sender_id where m.id = ?',
      [message.id],
    );
    return { ...message, sender: rows[0] ? { userId: rows[0].id, name: rows[0].name } : null };
  };
  const offs = [
    bus.on('message.created', async (e) => {
      if (!clientWatched(e.clientId)) return;
      room(e.clientId).emit('message:created', { message: await withSender(e.message) });
    }),
    bus.on('conversation.updated', async (e) => {
      if (!clientWatched(e.clientId)) return;
      const conversation = await getStaffConversation(em(), e.clientId, e.conversationId);
      if (conversation) room(e.clientId).emit('conversation:updated', { conversation, changes: e.changes });
    }),
    bus.on('lead.updated', (e) =>
      room(e.clientId).emit('lead:updated', { lead: e.lead, created: e.created, becameHot: e.becameHot ?? false }),
    ),
    bus.on('escalation.created', (e) =>
      room(e.clientId).emit('escalation:created', {
        escalationId: e.escalationId,
        conversationId: e.conversationId,
        leadId: e.leadId,
        reason: e.reason,
        priority: e.priority,
        detail: e.detail,
      }),
    ),
    // Staff-only history: to the client room (every open timeline of the conversation shows it).
    // The widget fan-out has no listener for it: a visitor never receives these.
    bus.on('conversation.event_recorded', (e) =>
      room(e.clientId).emit('conversation:event_recorded', { event: e.event }),
    ),
    bus.on('reply.started', (e) =>
      conv(e.conversationId).emit('reply:started', { messageId: e.messageId, conversationId: e.conversationId }),
    ),
    bus.on('reply.delta', (e) =>
      conv(e.conversationId).emit('reply:delta', {
        messageId: e.messageId,
        conversationId: e.conversationId,
        index: e.index,
        text: e.text,
      }),
    ),
    bus.on('reply.ended', (e) =>
      conv(e.conversationId).emit('reply:ended', {
        messageId: e.messageId,
        conversationId: e.conversationId,
        message: e.message,
        quickReplies: e.quickReplies,
      }),
    ),
    bus.on('reply.aborted', (e) =>
      conv(e.conversationId).emit('reply:aborted', {
        messageId: e.messageId,
        conversationId: e.conversationId,
        reason: e.reason,
      }),
    ),
    bus.on('ai.status', (e) =>
      conv(e.conversationId).emit('ai:status', { conversationId: e.conversationId, status: e.status }),
    ),
    bus.on('visitor.typing', (e) =>
      conv(e.conversationId).emit('visitor:typing', { conversationId: e.conversationId, typing: e.typing }),
    ),
  ];
  logger.debug('staff fan-out attached');
  return () => {
    for (const off of offs) off();
  };
}
