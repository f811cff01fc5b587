import type { MessageDto } from '@leaddesk/shared';
import type { ReplySnapshot } from '../conversation/conversation-core.js';
import type { ReplyContext, ScoringRule } from './reply-engine.js';

/**
 * The engine's view of a conversation, from the core's snapshot. Shared by the
 * orchestrator (replies to the lead) and the copilot (drafts for staff), so
 * both engines see the same context.
 */
export function buildReplyContext(
  snapshot: ReplySnapshot,
  trigger: MessageDto,
  options: { history?: MessageDto[]; quickReplyId?: string } = {},
): ReplyContext {
  const { client, conversation, lead, history, rules, turn } = snapshot;
  return {
    client: {
      id: client.id,
      name: client.name,
      industry: client.industry,
      locale: client.locale,
      timezone: client.timezone,
      config: client.config,
    },
    conversation: { id: conversation.id, channel: conversation.channel, visitorId: snapshot.visitorId },
    lead,
    history: options.history ?? history,
    trigger,
    scoringRules: rules.map((r) => ({
      field: r.field,
      operator: r.operator as ScoringRule['operator'],
      value: r.value,
      points: Number(r.points),
      label: r.label,
    })),
    turn,
    ...(options.quickReplyId !== undefined ? { quickReplyId: options.quickReplyId } : {}),
  };
}
