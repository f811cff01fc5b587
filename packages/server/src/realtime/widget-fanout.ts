import type { ConversationRef, DomainEventBus } from '../conversation/domain-events.js';
import { visitorView } from './visitor-view.js';
import { conversationRoom, visitorRoom, type WidgetNamespace } from './widget-namespace.js';

/**
 * The realtime listener for visitors: turns domain events into `/widget`
 * events for the conversation's room and its visitor's room (a socket in both
 * gets each event once). With the Redis adapter the rooms span processes.
 * It decides the recipients: internal notes never reach a visitor.
 */
export function attachWidgetFanout(bus: DomainEventBus, nsp: WidgetNamespace): () => void {
  const to = (ref: ConversationRef) => {
    const rooms = [conversationRoom(ref.conversationId)];
    if (ref.visitorId) rooms.push(visitorRoom(ref.clientId, ref.visitorId));
    return nsp.to(rooms);
  };
  const offs = [
    bus.on('message.created', (e) => {
      if (e.message.role === 'note') return;
      to(e).emit('message:created', {
        message: visitorView(e.message),
        ...(e.quickReplies ? { quickReplies: e.quickReplies } : {}),
      });
    }),
    bus.on('reply.started', (e) =>
      to(e).emit('reply:started', { messageId: e.messageId, conversationId: e.conversationId }),
    ),
    bus.on('reply.delta', (e) => to(e).emit('reply:delta', { messageId: e.messageId, index: e.index, text: e.text })),
    bus.on('reply.ended', (e) =>
      to(e).emit('reply:ended', {
        messageId: e.messageId,
        message: visitorView(e.message),
        quickReplies: e.quickReplies,
      }),
    ),
    bus.on('reply.aborted', (e) =>
      to(e).emit('reply:aborted', { messageId: e.messageId, conversationId: e.conversationId, reason: e.reason }),
    ),
    bus.on('ai.status', (e) => to(e).emit('ai:status', { conversationId: e.conversationId, status: e.status })),
    bus.on('conversation.mode_changed', (e) =>
      to(e).emit('conversation:mode', { conversationId: e.conversationId, mode: e.mode }),
    ),
  ];
  return () => {
    for (const off of offs) off();
  };
}
