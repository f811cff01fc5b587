import type { Logger } from '../logger.js';
import type { ReplyContext, ReplyEngine, ReplyEvent } from '../replies/reply-engine.js';
import type { BookingConversation } from './booking-conversation.js';

/**
 * Wraps the reply engine: a turn that picks an offered slot or moves or
 * cancels the lead's appointment is answered by the booking flow (the answer
 * is stored under the reply lease and delivered like any reply, so it is
 * given once); every other turn goes to the wrapped engine unchanged.
 */
export class BookingReplyEngine implements ReplyEngine {
  readonly name: string;

  constructor(
    private readonly inner: ReplyEngine,
    private readonly booking: () => BookingConversation | undefined,
    private readonly logger: Logger,
  ) {
    this.name = inner.name;
  }

  async *reply(context: ReplyContext, signal: AbortSignal): AsyncIterable<ReplyEvent> {
    let answer: Awaited<ReturnType<BookingConversation['answerTurn']>> = null;
    try {
      answer = (await this.booking()?.answerTurn(context)) ?? null;
    } catch (err) {
      // The calendar failing must not leave the lead without an answer: the engine answers instead.
      this.logger.warn(
        { err, conversationId: context.conversation.id },
        'booking turn failed; the reply engine answers',
      );
    }
    if (!answer) {
      yield* this.inner.reply(context, signal);
      return;
    }
    yield { type: 'delta', text: answer.text };
    yield {
      type: 'done',
      result: {
        quickReplies: answer.quickReplies,
        metadata: { provider: 'booking', intent: answer.intent, language: answer.language },
      },
    };
  }
}
