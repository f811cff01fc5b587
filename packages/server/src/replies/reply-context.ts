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
  options: { history?: MessageDto[]; quickReplyId?: string; clock?: () => Date } = {},
): ReplyContext {
  // The message's own time, moved by however far the injected clock is from real time.
  const sent = new Date(trigger.createdAt).getTime();
  const offset = options.clock ? options.clock().getTime() - Date.now() : 0;
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
    now: new Date((Number.isNaN(sent) ? Date.now() : sent) + offset),
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
