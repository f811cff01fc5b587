import type {
  AiMetadata,
  AiStatus,
  Channel,
  EscalationPriority,
  EscalationReason,
  LeadDto,
  MessageDto,
  QuickReply,
} from '@leaddesk/shared';
import type { LeadPatch } from '../conversation/conversation-core.js';
import type { ReplySnapshot, TurnFacts } from '../conversation/reply-snapshot.js';

/**
 * The contract every reply engine implements: the structured mode (offline,
 * no AI key) today, the Anthropic and OpenAI-compatible engines in the AI
 * issue. The orchestrator owns everything around it (status, streaming to the
 * room, human-mode checks, storing, applying lead updates and escalations), so
 * an engine only turns a conversation into a stream of events.
 *
 * Provider-agnostic by design: no SDK type crosses this interface.
 */

/** A tenant's scoring rule (row of `qualification_rules`). */
export interface ScoringRule {
  field: string;
  operator: 'equals' | 'contains' | 'exists' | 'gte' | 'lte' | 'in';
  value: unknown;
  points: number;
  label: string;
}

/** Everything an engine may read. Built once per reply by the orchestrator. */
export interface ReplyContext {
  client: Omit<ReplySnapshot['client'], 'status'>;
  conversation: { id: string; channel: Channel; visitorId: string | null };
  lead: LeadDto | null;
  /** Oldest first, notes excluded; the last one is the message being answered. */
  history: MessageDto[];
  trigger: MessageDto;
  /**
   * When the trigger was sent, on the server's clock (`AppContext.clock`):
   * relative dates ("tomorrow") resolve against it, so tests and the eval can
   * set the time. Absent in hand-built contexts: the trigger's `createdAt`.
   */
  now?: Date;
  scoringRules: ScoringRule[];
  /** Per-turn facts read with the context: rolling summary, prompt variant, budget, knowledge-base languages. */
  turn?: TurnFacts | null;
  quickReplyId?: string;
}

/** What an engine yields while it works. */
export type ReplyEvent =
  /** Shown to the visitor as the AI status line ("looking up", "typing"). */
  | { type: 'status'; status: Exclude<AiStatus, 'idle'> }
  /** A piece of the reply text, in order. */
  | { type: 'delta'; text: string }
  /** Last event: the reply's metadata. The full text is the concatenated deltas. */
  | { type: 'done'; result: ReplyResult };

export interface ReplyResult {
  quickReplies: QuickReply[];
  /** Applied to the lead by the orchestrator (contact fills gaps, status moves by allowed transitions). */
  leadUpdates?: LeadPatch;
  escalation?: { reason: EscalationReason; priority: EscalationPriority; detail: string };
  /** Recorded on the stored message (`ai` column). */
  metadata: AiMetadata;
}

export interface ReplyEngine {
  /** Recorded as `ai.provider` on stored messages. */
  readonly name: string;
  /**
   * Streams one reply. Must stop promptly when `signal` aborts (the
   * conversation went to a human, or the server is shutting down). Throwing
   * makes the orchestrator fall back (AI issue) or abort the reply.
   */
  reply(context: ReplyContext, signal: AbortSignal): AsyncIterable<ReplyEvent>;
}
