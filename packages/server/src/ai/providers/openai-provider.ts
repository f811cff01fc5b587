import OpenAI from 'openai';
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

/** `baseURL`: a self-hosted vLLM, Ollama or llama.cpp server's `/v1` URL; defaults to https://api.openai.com/v1. */
export type OpenAiProviderOptions = ProviderConnection;

/**
 * Any OpenAI-compatible chat-completions server through the `openai` SDK (v6),
 * streaming. The structured part is a function tool call whose arguments
 * arrive in `delta.tool_calls[].function.arguments` pieces; only
 * `delta.content` is visible text. Usage comes in the last chunk
 * (`stream_options.include_usage`); `prompt_tokens_details.cached_tokens` is
 * recorded as cache reads where the server reports it.
 */
export class OpenAiProvider implements AiProvider {
  readonly name = 'openai' as const;
  private readonly client: OpenAI;

  constructor(private readonly options: OpenAiProviderOptions) {
    this.client = new OpenAI({
      apiKey: options.apiKey,
      baseURL: options.baseURL ?? 'https://api.openai.com/v1',
      organization: null,
      project: null,
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
    const usage = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };
    let toolArgs = '';
    let stopReason: string | null = null;
    let actualModel = model;
    const system = request.systemDynamic ? `${request.systemStable}\n\n${request.systemDynamic}` : request.systemStable;
    try {
      const stream = await this.client.chat.completions.create(
        {
          model,
          max_tokens: request.maxTokens,
          stream: true,
          stream_options: { include_usage: true },
          messages: [
            { role: 'system', content: system },
            ...request.messages.map((m) => ({ role: m.role, content: m.content })),
          ],
          ...(request.tool
            ? {
                tools: [
                  {
                    type: 'function' as const,
                    function: {
                      name: request.tool.name,
                      description: request.tool.description,
                      parameters: request.tool.inputSchema,
                    },
                  },
                ],
                tool_choice: request.toolOnly
                  ? { type: 'function' as const, function: { name: request.tool.name } }
                  : ('auto' as const),
              }
            : {}),
        },
        { signal, maxRetries: 0, timeout: this.options.timeoutMs },
      );
      for await (const chunk of stream) {
        if (chunk.model) actualModel = chunk.model;
        if (chunk.usage) {
          usage.inputTokens = chunk.usage.prompt_tokens ?? 0;
          usage.outputTokens = chunk.usage.completion_tokens ?? 0;
          usage.cacheReadTokens = chunk.usage.prompt_tokens_details?.cached_tokens ?? 0;
          // Cached tokens are part of prompt_tokens; keep the two apart as Anthropic does.
          usage.inputTokens -= usage.cacheReadTokens;
        }
        const choice = chunk.choices[0];
        if (choice?.finish_reason) stopReason = choice.finish_reason;
        for (const call of choice?.delta?.tool_calls ?? []) {
          if (call.function?.arguments) toolArgs += call.function.arguments;
        }
        if (choice?.delta?.content) yield { type: 'text', text: choice.delta.content };
        // Every other chunk still shows the stream is alive (the engine's idle deadline); the usage chunk
        // is reported at once, so a stream dropped before `[DONE]` is still metered.
        else yield chunk.usage ? { type: 'progress', usage: { ...usage } } : { type: 'progress' };
      }
    } catch (err) {
      if (signal.aborted) throw err;
      throw classifyProviderError(this.name, err);
    }
    let toolInput: unknown;
    if (toolArgs) {
      try {
        toolInput = JSON.parse(toolArgs);
      } catch {
        throw new ProviderError(this.name, 'invalid_output', 'tool arguments are not JSON');
      }
    }
    yield { type: 'done', model: actualModel, usage, toolInput, stopReason };
  }
}
