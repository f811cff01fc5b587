import Anthropic from '@anthropic-ai/sdk';
import { classifyProviderError } from './classify-error.js';
import { nodeHttpFetch } from './node-http-fetch.js';
import {
  type AiProvider,
  type ModelTier,
  modelForTier,
  type ProviderConnection,
  ProviderError,
  type ProviderEvent,
  type ProviderRequest,
} from './provider.js';

/** `baseURL` defaults to https://api.anthropic.com. */
export type AnthropicProviderOptions = ProviderConnection;

/**
 * Claude through `@anthropic-ai/sdk`, streaming. The SDK's own retries are
 * off (`maxRetries: 0`): retries, backoff and fallback are ours, so that a
 * `retry-after` is honoured once and the fallback chain sees every failure.
 *
 * Prompt caching: the stable system block (instructions + business context)
 * carries `cache_control: ephemeral`; the per-turn block follows it uncached.
 * The structured part of a reply is a tool call whose input arrives as
 * `input_json_delta` events; only `text_delta` events become visible text.
 *
 * Usage is reported as it arrives (`progress` events): input and cache tokens
 * with `message_start`, output tokens with `message_delta`, so a stream cut
 * off midway is metered for what the provider already counted.
 */
export class AnthropicProvider implements AiProvider {
  readonly name = 'anthropic' as const;
  private readonly client: Anthropic;

  constructor(private readonly options: AnthropicProviderOptions) {
    // Every option explicit: the SDK would otherwise read process.env itself.
    this.client = new Anthropic({
      apiKey: options.apiKey,
      authToken: null,
      baseURL: options.baseURL ?? 'https://api.anthropic.com',
      maxRetries: 0,
      timeout: options.timeoutMs,
      fetch: nodeHttpFetch,
    });
  }

  modelFor(tier: ModelTier): string {
    return modelForTier(this.options, tier);
  }

  async *stream(request: ProviderRequest, signal: AbortSignal): AsyncIterable<ProviderEvent> {
    const model = this.modelFor(request.tier);
    const system: Anthropic.TextBlockParam[] = [
      { type: 'text', text: request.systemStable, cache_control: { type: 'ephemeral' } },
    ];
    if (request.systemDynamic) system.push({ type: 'text', text: request.systemDynamic });
    const usage = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };
    let toolJson = '';
    let toolSeen = false;
    let stopReason: string | null = null;
    let actualModel = model;
    try {
      const stream = await this.client.messages.create(
        {
          model,
          max_tokens: request.maxTokens,
          system,
          messages: request.messages.map((m) => ({ role: m.role, content: m.content })),
          stream: true,
          ...(request.tool
            ? {
                tools: [
                  {
                    name: request.tool.name,
                    description: request.tool.description,
                    input_schema: request.tool.inputSchema as Anthropic.Tool.InputSchema,
                  },
                ],
                tool_choice: request.toolOnly
                  ? { type: 'tool' as const, name: request.tool.name }
                  : { type: 'auto' as const },
              }
            : {}),
        },
        { signal, maxRetries: 0, timeout: this.options.timeoutMs },
      );
      for await (const event of stream) {
        switch (event.type) {
          case 'message_start':
            actualModel = event.message.model || model;
            usage.inputTokens = event.message.usage.input_tokens ?? 0;
            usage.cacheReadTokens = event.message.usage.cache_read_input_tokens ?? 0;
            usage.cacheWriteTokens = event.message.usage.cache_creation_input_tokens ?? 0;
            usage.outputTokens = event.message.usage.output_tokens ?? 0;
            yield { type: 'progress', usage: { ...usage } };
            continue;
          case 'content_block_start':
            if (event.content_block.type === 'tool_use') toolSeen = event.content_block.name === request.tool?.name;
            break;
          case 'content_block_delta':
            if (event.delta.type === 'text_delta' && event.delta.text) {
              yield { type: 'text', text: event.delta.text };
              continue;
            }
            if (event.delta.type === 'input_json_delta' && toolSeen) toolJson += event.delta.partial_json;
            break;
          case 'message_delta':
            stopReason = event.delta.stop_reason ?? stopReason;
            if (event.usage.output_tokens != null) usage.outputTokens = event.usage.output_tokens;
            if (event.usage.input_tokens != null) usage.inputTokens = event.usage.input_tokens;
            if (event.usage.cache_read_input_tokens != null)
              usage.cacheReadTokens = event.usage.cache_read_input_tokens;
            if (event.usage.cache_creation_input_tokens != null)
              usage.cacheWriteTokens = event.usage.cache_creation_input_tokens;
            yield { type: 'progress', usage: { ...usage } };
            continue;
          default:
            break;
        }
        // Every other event still shows the stream is alive (the engine's idle deadline).
        yield { type: 'progress' };
      }
    } catch (err) {
      if (signal.aborted) throw err;
      throw classifyProviderError(this.name, err);
    }
    let toolInput: unknown;
    if (toolJson) {
      try {
        toolInput = JSON.parse(toolJson);
      } catch {
        throw new ProviderError(this.name, 'invalid_output', 'tool input is not JSON');
      }
    }
    yield { type: 'done', model: actualModel, usage, toolInput, stopReason };
  }
}
