import OpenAI from 'openai';
import { nodeHttpFetch } from '../../ai/providers/node-http-fetch.js';

/** The width of the `embedding vector(1536)` column. */
export const EMBEDDING_DIMENSIONS = 1536;

/** Turns texts into vectors; the knowledge module sees only this. */
export interface Embedder {
  readonly model: string;
  /** Embeds in batches, in order; `onBatch` reports how many are done. */
  embed(texts: string[], onBatch?: (done: number) => Promise<void> | void): Promise<number[][]>;
}

export interface OpenAiEmbedderOptions {
  apiKey: string;
  /** A self-hosted OpenAI-compatible server (vLLM, Ollama, llama.cpp, TEI…). */
  baseURL?: string;
  /** @default 'text-embedding-3-small' */
  model?: string;
  /** Inputs per request. @default 64 */
  batchSize?: number;
  /** Retries per request on 408/409/429/5xx and network errors, with the SDK's backoff. @default 4 */
  maxRetries?: number;
  /** @default 60000 */
  timeoutMs?: number;
}

/** Something retrying cannot fix: the wrong model width, a refused key. */
export class EmbeddingConfigError extends Error {
  override name = 'EmbeddingConfigError';
}

/**
 * Embeddings through the official `openai` SDK. The SDK requests base64 on the
 * wire and decodes it, retries with backoff and honours `retry-after`.
 */
export function createOpenAiEmbedder(options: OpenAiEmbedderOptions): Embedder {
  const model = options.model ?? 'text-embedding-3-small';
  const batchSize = options.batchSize ?? 64;
  const client = new OpenAI({
    apiKey: options.apiKey,
    baseURL: options.baseURL,
    maxRetries: options.maxRetries ?? 4,
    timeout: options.timeoutMs ?? 60_000,
    fetch: nodeHttpFetch,
  });
  return {
    model,
    async embed(texts, onBatch) {
      const out: number[][] = [];
      for (let i = 0; i < texts.length; i += batchSize) {
        const batch = texts.slice(i, i + batchSize);
        let response: OpenAI.Embeddings.CreateEmbeddingResponse;
        try {
          response = await client.embeddings.create({ model, input: batch });
        } catch (err) {
          if (err instanceof OpenAI.AuthenticationError || err instanceof OpenAI.PermissionDeniedError) {
            throw new EmbeddingConfigError(`the embeddings provider refused the key (${err.status})`);
          }
          if (err instanceof OpenAI.NotFoundError || err instanceof OpenAI.BadRequestError) {
            throw new EmbeddingConfigError(
              `the embeddings provider refused the request (${err.status}): ${err.message}`,
            );
          }
          throw err;
        }
        const vectors = [...response.data].sort((a, b) => a.index - b.index).map((d) => d.embedding);
        if (vectors.length !== batch.length) {
          throw new Error(`the embeddings provider returned ${vectors.length} vectors for ${batch.length} inputs`);
        }
        for (const v of vectors) {
          if (v.length !== EMBEDDING_DIMENSIONS) {
            throw new EmbeddingConfigError(
              `model "${model}" returned ${v.length} dimensions; the knowledge base stores ${EMBEDDING_DIMENSIONS}`,
            );
          }
        }
        out.push(...vectors);
        await onBatch?.(out.length);
      }
      return out;
    },
  };
}

/** pgvector's text form: `[0.1,0.2,…]`. */
export function toVectorLiteral(vector: number[]): string {
  return `[${vector.join(',')}]`;
}
