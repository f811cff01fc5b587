import type { Config } from '../config/config.js';
import type { Orm } from '../db/orm.js';
import type { Logger } from '../logger.js';
import type { ReplyEngine } from '../replies/reply-engine.js';
import { StructuredEngine, type StructuredKnowledgeSource } from '../replies/structured/structured-engine.js';
import { AiReplyEngine } from './ai-reply-engine.js';
import { PromptVariants } from './experiments/prompt-variants.js';
import { AnthropicProvider } from './providers/anthropic-provider.js';
import { OpenAiProvider } from './providers/openai-provider.js';
import type { AiProvider } from './providers/provider.js';
import { UsageMeter } from './usage/usage-meter.js';

/** The configured providers, in `AI_PROVIDERS` order; only those with a key. */
export function createProviders(config: Config): AiProvider[] {
  const env = config.raw;
  const providers: AiProvider[] = [];
  for (const name of env.AI_PROVIDERS.split(',')) {
    if (name === 'anthropic' && env.ANTHROPIC_API_KEY) {
      providers.push(
        new AnthropicProvider({
          apiKey: env.ANTHROPIC_API_KEY,
          baseURL: env.ANTHROPIC_BASE_URL,
          model: env.ANTHROPIC_MODEL,
          fastModel: env.ANTHROPIC_FAST_MODEL,
          timeoutMs: env.AI_REQUEST_TIMEOUT_MS,
        }),
      );
    }
    if (name === 'openai' && env.OPENAI_API_KEY) {
      providers.push(
        new OpenAiProvider({
          apiKey: env.OPENAI_API_KEY,
          baseURL: env.OPENAI_BASE_URL,
          model: env.OPENAI_MODEL,
          fastModel: env.OPENAI_FAST_MODEL ?? env.OPENAI_MODEL,
          timeoutMs: env.AI_REQUEST_TIMEOUT_MS,
        }),
      );
    }
  }
  return providers;
}

/**
 * The reply engine the config asks for: with an AI key, the AI engine and its
 * fallback chain (providers in order, then the structured mode); without one,
 * the structured mode alone.
 */
export function createReplyEngine(
  config: Config,
  deps: { orm: Orm; logger: Logger; knowledge?: StructuredKnowledgeSource },
): ReplyEngine {
  const providers = createProviders(config);
  const structuredChunkDelayMs = config.raw.STRUCTURED_CHUNK_DELAY_MS;
  if (!providers.length)
    return new StructuredEngine({ chunkDelayMs: structuredChunkDelayMs, knowledge: deps.knowledge });
  return new AiReplyEngine({
    providers,
    orm: deps.orm,
    logger: deps.logger,
    knowledge: deps.knowledge,
    meter: new UsageMeter(deps.orm, deps.logger),
    variants: new PromptVariants(deps.orm),
    retry: {
      maxRetries: config.raw.AI_MAX_RETRIES,
      baseMs: config.raw.AI_RETRY_BASE_MS,
      maxMs: config.raw.AI_RETRY_MAX_MS,
    },
    deadlines: {
      firstEventMs: config.raw.AI_FIRST_TOKEN_TIMEOUT_MS,
      idleMs: config.raw.AI_STREAM_IDLE_TIMEOUT_MS,
      replyMs: config.raw.AI_REPLY_TIMEOUT_MS,
      fallbackAfterMs: config.raw.AI_FALLBACK_AFTER_MS,
    },
    maxOutputTokens: config.raw.AI_MAX_OUTPUT_TOKENS,
    summaryAfterMessages: config.raw.AI_SUMMARY_AFTER_MESSAGES,
    structuredChunkDelayMs,
  });
}
