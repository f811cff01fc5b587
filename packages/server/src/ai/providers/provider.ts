/**
 * The contract every AI provider implements (Anthropic, OpenAI-compatible).
 * The structured mode is the third "provider" but it is a whole reply engine
 * (see `replies/structured/`), used as the last step of the fallback chain.
 *
 * Design note: no SDK type crosses this interface. A provider streams the
 * visible text as `text` events while a tool call (the structured part of the
 * reply) is collected separately and handed over, parsed, in `done` — so the
 * structured part can never be streamed to a visitor by mistake.
 */

export type ModelTier = 'reply' | 'fast';

export interface ChatTurn {
  role: 'user' | 'assistant';
  content: string;
}

export interface ToolSpec {
  name: string;
  description: string;
  /** JSON Schema of the tool's input. */
  inputSchema: Record<string, unknown>;
}

export interface ProviderRequest {
  tier: ModelTier;
  /** Stable part of the system prompt (instructions + business context): cached where the provider can. */
  systemStable: string;
  /** Changes every turn (open now, unanswered questions, lead facts, route). */
  systemDynamic: string;
  messages: ChatTurn[];
  tool?: ToolSpec;
  /** Ask for the tool call without visible text (router, summaries). */
  toolOnly?: boolean;
  maxTokens: number;
}

export interface ProviderUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
}

export type ProviderEvent =
  | { type: 'text'; text: string }
  /**
   * Any event the visitor does not see (message start, tool-input pieces, usage reports): it proves the
   * stream is alive, which the engine's idle deadline needs, and carries the usage reported so far, so a
   * stream cut off before `done` is still metered (Anthropic reports input tokens in `message_start`).
   */
  | { type: 'progress'; usage?: ProviderUsage }
  | { type: 'done'; model: string; usage: ProviderUsage; toolInput: unknown; stopReason: string | null };

export interface AiProvider {
  readonly name: 'anthropic' | 'openai';
  modelFor(tier: ModelTier): string;
  /**
   * One attempt, no retries (the caller retries). Aborts promptly with `signal`, releasing the connection;
   * no deadline of its own beyond the SDK's wait for headers (the engine sets them: `stream-deadlines.ts`).
   */
  stream(request: ProviderRequest, signal: AbortSignal): AsyncIterable<ProviderEvent>;
}

/** A provider failure in our own terms; the message is never shown to a visitor. */
export class ProviderError extends Error {
  override name = 'ProviderError';
  constructor(
    readonly provider: string,
    readonly kind: 'rate_limited' | 'overloaded' | 'server' | 'timeout' | 'connection' | 'client' | 'invalid_output',
    message: string,
    readonly status?: number,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }

  get retryable(): boolean {
    return this.kind !== 'client' && this.kind !== 'invalid_output';
  }
}

/** What every SDK-backed provider is built from (the base URL's default is the vendor's). */
export interface ProviderConnection {
  apiKey: string;
  baseURL?: string;
  /** The model for replies (`reply` tier). */
  model: string;
  /** The model for routing, suggestions and summaries (`fast` tier). */
  fastModel: string;
  /** The SDK's own cap on one request until its headers arrive (a backstop; see `stream-deadlines.ts`). */
  timeoutMs: number;
}

export function modelForTier(connection: Pick<ProviderConnection, 'model' | 'fastModel'>, tier: ModelTier): string {
  return tier === 'fast' ? connection.fastModel : connection.model;
}
