import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for OpenAI's `POST /v1/embeddings`, speaking its wire
 * format: `{ model, input: string | string[], encoding_format?: 'float' | 'base64' }`
 * → `{ object: 'list', data: [{ object: 'embedding', index, embedding }], model, usage }`,
 * where a base64 embedding is little-endian float32 (what the official SDK asks
 * for by default and decodes). Errors use OpenAI's `{ error: { message, type, param, code } }`.
 *
 * The vectors are deterministic and "semantic" in a controlled way: each
 * concept (a list of trigger word stems) owns one dimension; words also land
 * in hashed dimensions with a small weight. Two texts that share a concept are
 * close even when they share no word, which is what proves the vector leg.
 */
export interface FakeEmbeddingsServer {
  baseURL: string;
  requests: Array<{ model: string; inputs: string[]; encodingFormat: string | undefined; authorization?: string }>;
  /** 'ok', or answer every request with 401 invalid_api_key. */
  mode: 'ok' | 'unauthorized';
  /** Answer the next N requests with 429 rate_limit_exceeded (and `retry-after-ms`). */
  rateLimitNext: number;
  /** How many 429s were served. */
  rateLimited: number;
  close(): Promise<void>;
}

export const DIMENSIONS = 1536;
const FUNCTION_WORDS = new Set([
  'your',
  'what',
  'does',
  'have',
  'there',
  'with',
  'from',
  'that',
  'this',
  'much',
  'many',
  'they',
  'them',
  'when',
  'where',
  'which',
  'will',
  'would',
  'could',
  'should',
  'about',
  'into',
  'please',
]);
const CONCEPT_WEIGHT = 3;
const WORD_WEIGHT = 0.35;

export function fakeEmbedding(text: string, concepts: string[][]): Float32Array {
  const v = new Float32Array(DIMENSIONS);
  const lower = text.toLowerCase();
  concepts.forEach((triggers, i) => {
    if (triggers.some((t) => lower.includes(t))) v[i] = CONCEPT_WEIGHT;
  });
  // Like a real model, the fake gives no weight to function words.
  const words = (lower.match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => w.length > 3 && !FUNCTION_WORDS.has(w));
  for (const word of words) {
    const h = createHash('sha256').update(word).digest().readUInt32LE(0);
    const dim = 256 + (h % (DIMENSIONS - 256));
    v[dim] = (v[dim] ?? 0) + WORD_WEIGHT;
  }
  if (!words.length) v[DIMENSIONS - 1] = 1;
  let norm = 0;
  for (const x of v) norm += x * x;
  norm = Math.sqrt(norm);
  for (let i = 0; i < v.length; i++) v[i] = v[i]! / norm;
  return v;
}

export async function startFakeEmbeddingsServer(concepts: string[][]): Promise<FakeEmbeddingsServer> {
  const state: FakeEmbeddingsServer = {
    baseURL: '',
    requests: [],
    mode: 'ok',
    rateLimitNext: 0,
    rateLimited: 0,
    close: async () => {},
  };
  const server: Server = createServer(async (req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'POST' || req.url !== '/v1/embeddings') {
      return send(404, {
        error: {
          message: `Unknown request URL: ${req.method} ${req.url}`,
          type: 'invalid_request_error',
          param: null,
          code: 'unknown_url',
        },
      });
    }
    const body = JSON.parse(await readBody(req)) as {
      model: string;
      input: string | string[];
      encoding_format?: string;
    };
    const inputs = Array.isArray(body.input) ? body.input : [body.input];
    state.requests.push({
      model: body.model,
      inputs,
      encodingFormat: body.encoding_format,
      authorization: req.headers.authorization,
    });
    if (state.rateLimitNext > 0) {
      state.rateLimitNext--;
      state.rateLimited++;
      res.setHeader('retry-after-ms', '20');
      return send(429, {
        error: {
          message: 'Rate limit reached for text-embedding-3-small on requests per min (RPM): Limit 3000.',
          type: 'requests',
          param: null,
          code: 'rate_limit_exceeded',
        },
      });
    }
    if (state.mode === 'unauthorized') {
      return send(401, {
        error: {
          message:
            'Incorrect API key provided: sk-test. You can find your API key at https://platform.openai.com/account/api-keys.',
          type: 'invalid_request_error',
          param: null,
          code: 'invalid_api_key',
        },
      });
    }
    let tokens = 0;
    const data = inputs.map((text, index) => {
      tokens += Math.ceil(text.length / 4);
      const vector = fakeEmbedding(text, concepts);
      return {
        object: 'embedding',
        index,
        embedding:
          body.encoding_format === 'base64'
            ? Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength).toString('base64')
            : Array.from(vector),
      };
    });
    send(200, { object: 'list', data, model: body.model, usage: { prompt_tokens: tokens, total_tokens: tokens } });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}
