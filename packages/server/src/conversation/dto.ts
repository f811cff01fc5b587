import type { ConversationDto, MessageDto } from '@leaddesk/shared';
import type { IConversation, IMessage } from '../db/entities/index.js';

function refId(ref: unknown): string | null {
  return ref && typeof ref === 'object' && 'id' in ref ? String((ref as { id: string }).id) : null;
}

export function conversationToDto(c: IConversation): ConversationDto {
  return {
    id: c.id,
    leadId: refId(c.lead),
    channel: c.channel,
    status: c.status,
    mode: c.mode,
    modeHolderId: refId(c.modeHolder),
    lastSeq: c.lastSeq,
    lastMessageAt: c.lastMessageAt ? c.lastMessageAt.toISOString() : null,
    createdAt: c.createdAt.toISOString(),
  };
}

export function messageToDto(m: IMessage): MessageDto {
  return {
    id: m.id,
    conversationId: refId(m.conversation) ?? '',
    seq: m.seq,
    role: m.role,
    content: m.content,
    attachments: m.attachments,
    deliveryState: m.deliveryState,
    ai: m.ai ?? null,
    createdAt: m.createdAt.toISOString(),
  };
}
