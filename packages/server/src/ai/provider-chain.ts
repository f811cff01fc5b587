import type { Logger } from '../logger.js';
import { countProviderError } from '../observability/metrics.js';
import type { ReplyEvent } from '../replies/reply-engine.js';
import { backoffDelay, sleep } from './providers/backoff.js';
import { classifyProviderError } from './providers/classify-error.js';
import { type AiProvider, ProviderError, type ProviderEvent, type ProviderRequest } from './providers/provider.js';
import { streamWithDeadlines } from './providers/stream-deadlines.js';
import type { OutputGuard } from './safety/output-guard.js';
import type { ReplyUsage } from './usage/reply-usage.js';

/** How long a reply may take, in every phase. Defaults: config/env-schema.ts. */
export interface ReplyDeadlines {
  /** From a request to the provider's first stream event (`AI_FIRST_TOKEN_TIMEOUT_MS`). */
  firstEventMs: number;
  /** Between two stream events (`AI_STREAM_IDLE_TIMEOUT_MS`). */
  idleMs: number;
  /** From the start of the reply to its end, streaming included (`AI_REPLY_TIMEOUT_MS`). */
  replyMs: number;
  /**
   * From the start of the reply: past it no provider is tried (or waited for) any more and the visitor
   * gets the structured-mode answer (`AI_FALLBACK_AFTER_MS`). A reply already streaming text is not cut by it.
   */
  fallbackAfterMs: number;
}

export interface ReplyClock {
  /** Epoch ms at which the engine started the reply. */
  startedAt: number;
  /** startedAt + fallbackAfterMs. */
  fallbackAt: number;
  /** startedAt + replyMs. */
  endAt: number;
}

export function replyClock(deadlines: ReplyDeadlines, startedAt = Date.now()): ReplyClock {
  return {
    startedAt,
    fallbackAt: startedAt + Math.min(deadlines.fallbackAfterMs, deadlines.replyMs),
    endAt: startedAt + deadlines.replyMs,
  };
}

export type ChainOutcome =
  | {
      kind: 'done';
      provider: AiProvider;
      done: Extract<ProviderEvent, { type: 'done' }>;
      text: string;
      attempts: number;
    }
  | { kind: 'failed_before_text' }
  | { kind: 'failed_mid_stream'; provider: AiProvider; error: ProviderError; text: string }
  | { kind: 'refused'; provider: AiProvider; text: string }
  | { kind: 'aborted' };

export interface ChainOptions {
  providers: AiProvider[];
  request: ProviderRequest;
  /** Built on first use (memoised by the caller): it is only needed once text arrives. */
  guard: () => OutputGuard;
  deadlines: ReplyDeadlines;
  clock: ReplyClock;
  retry: { maxRetries: number; baseMs: number; maxMs: number; random?: () => number };
  usage: ReplyUsage;
  signal: AbortSignal;
  logger: Logger;
  conversationId: string;
  /** Every failure met on the way, in order (for the escalation and `fallbackFrom`). */
  errors: ProviderError[];
  /** Set when the first visible text arrives (ms since the reply started). */
  onFirstText?: (ms: number) => void;
}

/**
 * Streams the reply through the providers in order; text deltas are yielded
 * as they pass the output guard, and the outcome is returned.
 *
 * Policy, which keeps a dead provider from costing the visitor more than the
 * fallback budget:
 * - a timed-out attempt (no first event, idle stream) moves to the next
 *   provider at once: a provider that hung once is likely to hang again;
 * - 429/5xx/529 and dropped connections are retried on the same provider
 *   (`retry-after` honoured) while the wait fits in the fallback budget;
 * - past the fallback budget no attempt starts and one that has not streamed
 *   text is cut: the caller answers in structured mode;
 * - after visible text, nothing is retried (the visitor would read the start
 *   twice): the caller closes the reply with an apology.
 */
export async function* runProviderChain(options: ChainOptions): AsyncGenerator<ReplyEvent, ChainOutcome, undefined> {
  const { request, guard, deadlines, clock, usage, errors, logger } = options;
  const signal = options.signal;
  providers: for (const provider of options.providers) {
    for (let attempt = 0; ; attempt++) {
      if (Date.now() >= clock.fallbackAt) {
        errors.push(new ProviderError(provider.name, 'timeout', 'fallback budget spent before this attempt'));
        break providers;
      }
      let text = '';
      const spent = usage.begin('reply', provider.modelFor(request.tier));
      try {
        let done: Extract<ProviderEvent, { type: 'done' }> | undefined;
        const stream = streamWithDeadlines(provider, request, signal, {
          firstEventMs: deadlines.firstEventMs,
          idleMs: deadlines.idleMs,
          endAt: clock.endAt,
          textBy: clock.fallbackAt,
        });
        for await (const ev of stream) {
          if (signal.aborted) break;
          if (ev.type === 'progress') {
            if (ev.usage) spent.usage = ev.usage;
          } else if (ev.type === 'text') {
            if (!guard().accept(ev.text)) return { kind: 'refused', provider, text };
            if (!text) options.onFirstText?.(Date.now() - clock.startedAt);
            text += ev.text;
            yield { type: 'delta', text: ev.text };
          } else {
            done = ev;
            spent.usage = ev.usage;
            spent.model = ev.model;
          }
        }
        if (signal.aborted) return { kind: 'aborted' };
        if (!done) throw new ProviderError(provider.name, 'connection', 'stream ended without message_stop');
        // Usage was spent even though nothing visible came back; it is metered with the rest.
        if (!text.trim()) throw new ProviderError(provider.name, 'invalid_output', 'no visible text in the reply');
        return { kind: 'done', provider, done, text, attempts: attempt + 1 };
      } catch (err) {
        if (signal.aborted) return { kind: 'aborted' };
        const error = classifyProviderError(provider.name, err);
        errors.push(error);
        countProviderError(provider.name, error.kind);
        logger.warn(
          {
            provider: provider.name,
            kind: error.kind,
            status: error.status,
            attempt,
            conversationId: options.conversationId,
            ...(error.kind === 'timeout' ? { reason: error.message } : {}),
          },
          'AI provider call failed',
        );
        if (text) return { kind: 'failed_mid_stream', provider, error, text };
        if (error.kind === 'timeout') continue providers;
        if (!error.retryable || attempt >= options.retry.maxRetries) continue providers;
        // A provider asking for a longer pause than we allow: honour it by moving on.
        if (error.retryAfterMs !== undefined && error.retryAfterMs > options.retry.maxMs) continue providers;
        const delay = backoffDelay(attempt, error, options.retry);
        // A wait that would end past the fallback budget is better spent on the next provider.
        if (Date.now() + delay >= clock.fallbackAt) continue providers;
        await sleep(delay, signal);
        if (signal.aborted) return { kind: 'aborted' };
      }
    }
  }
  return { kind: 'failed_before_text' };
}
