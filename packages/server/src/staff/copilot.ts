import type { ConversationCore } from '../conversation/conversation-core.js';
import { AppError } from '../errors/app-error.js';
import { buildReplyContext } from '../replies/reply-context.js';
import type { ReplyEngine } from '../replies/reply-engine.js';

export interface DraftInput {
  clientId: string;
  conversationId: string;
  onDelta(text: string): void;
  signal?: AbortSignal;
  /** Knowledge-base passages for the visitor's question (the knowledge module's search), shown as citations. */
  cite?: (clientId: string, question: string) => Promise<Array<{ title: string; source: string }>>;
}

export interface Draft {
  text: string;
  citations: Array<{ title: string; source: string }>;
}

/**
 * "Suggest reply": runs the conversation's reply engine (the AI engine when
 * configured, else the structured engine) on the conversation as it stands,
 * for the latest visitor message, and streams the text. Nothing is stored in
 * the conversation and the lead is not updated: it is a draft for staff.
 */
export async function draftSuggestion(core: ConversationCore, engine: ReplyEngine, input: DraftInput): Promise<Draft> {
  const snapshot = await core.replySnapshot(input.clientId, input.conversationId, 30);
  if (!snapshot) throw AppError.notFound('conversation');
  const trigger = [...snapshot.history].reverse().find((m) => m.role === 'visitor');
  if (!trigger) throw new AppError('conflict', 'the lead has not written anything to answer yet');
  // The draft answers the latest visitor message: history up to it.
  const context = buildReplyContext(snapshot, trigger, {
    history: snapshot.history.filter((m) => m.seq <= trigger.seq),
  });
  const controller = new AbortController();
  input.signal?.addEventListener('abort', () => controller.abort(input.signal?.reason), { once: true });
  let text = '';
  const citations: Draft['citations'] = [];
  for await (const event of engine.reply(context, controller.signal)) {
    if (event.type === 'delta') {
      text += event.text;
      input.onDelta(event.text);
    } else if (event.type === 'done') {
      const entities = event.result.metadata.entities ?? {};
      if (typeof entities.faq === 'string') citations.push({ title: entities.faq, source: 'faq' });
      const cited = entities.citations;
      if (Array.isArray(cited)) {
        for (const c of cited) {
          if (c && typeof c === 'object' && typeof (c as { title?: unknown }).title === 'string') {
            citations.push({
              title: (c as { title: string }).title,
              source: String((c as { source?: unknown }).source ?? 'knowledge'),
            });
          }
        }
      }
    }
  }
  if (input.cite) {
    for (const c of await input.cite(input.clientId, trigger.content).catch(() => [])) {
      if (!citations.some((x) => x.title === c.title)) citations.push(c);
    }
  }
  return { text: text.trim(), citations };
}
