import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Local stand-ins for the AI providers, speaking their real wire formats
 * (shapes copied from the providers' documented streams): the Anthropic
 * Messages API with SSE, and an OpenAI-compatible chat-completions stream.
 * The real SDKs talk to them by base URL.
 */

export interface RecordedRequest {
  path: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown> & {
    model?: string;
    system?: Array<{ type: string; text: string; cache_control?: { type: string } }>;
    messages?: Array<{ role: string; content: string }>;
    tools?: Array<{ name?: string; function?: { name: string } }>;
    max_tokens?: number;
  };
  receivedAt: number;
  /** Set when the client hung up before the response ended (an aborted stream). */
  closedEarly: boolean;
  /** Deltas actually written before the end or the hang-up. */
  deltasWritten: number;
}

export type Script =
  | { kind: 'error'; status: number; headers?: Record<string, string>; body: unknown }
  /** Reads the request and never answers, not even headers (until the client hangs up). */
  | { kind: 'hang' }
  /** Sends 200 and the stream's headers, then nothing (until the client hangs up). */
  | { kind: 'headers_only' }
  | {
      kind: 'stream';
      /** Visible text, one delta per item. */
      text: string[];
      /** Tool call: name and its JSON input, streamed in pieces. */
      tool?: { name: string; input: unknown; pieces?: number };
      usage?: { input: number; output: number; cacheRead?: number; cacheWrite?: number };
      /** Pause before each delta (a slow provider). */
      delayMs?: number;
      /** Rewrites each delta at the moment it is written (benchmarks stamp the time into it). */
      render?: (text: string) => string;
      /** After this many text deltas, fail: Anthropic sends an SSE `error` event, OpenAI drops the connection. */
      failAfter?: number;
      /** After this many text deltas, drop the connection (both providers). */
      dropAfter?: number;
      /** After this many text deltas, send nothing more and keep the connection open (a stalled stream). */
      stallAfter?: number;
      model?: string;
    };

export type Responder = (request: RecordedRequest, index: number) => Script;

export interface FakeAiServer {
  url: string;
  requests: RecordedRequest[];
  /** Requests whose tools ask for the reply (not the router or summary calls). */
  replyRequests(): RecordedRequest[];
  respond(responder: Responder): void;
  close(): Promise<void>;
  /** Hook: called with a timestamp for every delta written (benchmarks). */
  onDelta?: (at: number) => void;
  onRequest?: (at: number) => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Holds the response open, writing nothing more, until the client hangs up (or the fake closes). */
function holdOpen(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => res.once('close', () => resolve()));
}

/** The scripts that never answer: true when `script` was one of them (and has been played). */
async function playSilence(script: Script, res: ServerResponse, contentType: string): Promise<boolean> {
  if (script.kind === 'hang') {
    await holdOpen(res);
    return true;
  }
  if (script.kind === 'headers_only') {
    res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-cache' });
    res.flushHeaders();
    await holdOpen(res);
    return true;
  }
  return false;
}

/** `stallAfter` / `dropAfter` before text delta `i`: true when the stream must stop here. */
async function interrupt(script: Extract<Script, { kind: 'stream' }>, i: number, res: ServerResponse) {
  if (script.dropAfter !== undefined && i >= script.dropAfter) {
    // Let what was written reach the client, then drop the connection mid-stream.
    await sleep(50);
    res.destroy();
    return true;
  }
  if (script.stallAfter !== undefined && i >= script.stallAfter) {
    await holdOpen(res);
    return true;
  }
  return false;
}

async function start(
  handler: (req: IncomingMessage, res: ServerResponse, server: FakeAiServer) => Promise<void>,
): Promise<{ http: Server; fake: FakeAiServer }> {
  const fake: FakeAiServer = {
    url: '',
    requests: [],
    replyRequests() {
      return fake.requests.filter((r) => toolName(r) === 'record_qualification');
    },
    respond(responder) {
      current = responder;
    },
    close: async () => {},
  };
  let current: Responder | undefined;
  (fake as FakeAiServer & { responder: () => Responder | undefined }).responder = () => current;
  const http = createServer((req, res) => {
    handler(req, res, fake).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  fake.close = () =>
    new Promise<void>((resolve) => {
      http.closeAllConnections();
      http.close(() => resolve());
    });
  return { http, fake };
}

function responderOf(fake: FakeAiServer): Responder | undefined {
  return (fake as FakeAiServer & { responder: () => Responder | undefined }).responder();
}

export function toolName(r: RecordedRequest): string | undefined {
  const tool = r.body.tools?.[0];
  return tool?.name ?? tool?.function?.name;
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
}

function splitJson(input: unknown, pieces: number): string[] {
  const json = JSON.stringify(input);
  const size = Math.max(1, Math.ceil(json.length / pieces));
  const out: string[] = [];
  for (let i = 0; i < json.length; i += size) out.push(json.slice(i, i + size));
  return out;
}

/** A reply of these text deltas with a valid qualification tool call (a cold lead asking a question). */
export function qualifiedReply(text: string[], extra: Partial<Extract<Script, { kind: 'stream' }>> = {}): Script {
  return {
    kind: 'stream',
    text,
    tool: {
      name: 'record_qualification',
      input: {
        intent: 'question',
        nextAction: 'answer',
        score: 10,
        temperature: 'cold',
        evidence: [],
        confidence: 0.9,
      },
    },
    usage: { input: 400, output: 30 },
    ...extra,
  };
}

/** The default conversation: a short reply and a valid qualification tool call. */
export function defaultScript(r: RecordedRequest): Script {
  if (toolName(r) === 'classify_message') {
    return {
      kind: 'stream',
      text: [],
      tool: {
        name: 'classify_message',
        input: { language: 'en', urgency: 'normal', escalate: false, intent: 'question' },
      },
      usage: { input: 120, output: 20 },
    };
  }
  if (toolName(r) === 'record_qualification') {
    return {
      kind: 'stream',
      text: ['Happy ', 'to help!'],
      tool: {
        name: 'record_qualification',
        input: {
          intent: 'question',
          nextAction: 'answer',
          score: 20,
          temperature: 'cold',
          evidence: [],
          confidence: 0.8,
        },
      },
      usage: { input: 500, output: 40 },
    };
  }
  return { kind: 'stream', text: ['Summary: the visitor asked questions.'], usage: { input: 300, output: 30 } };
}

async function record(req: IncomingMessage, res: ServerResponse, fake: FakeAiServer): Promise<RecordedRequest> {
  const entry: RecordedRequest = {
    path: req.url ?? '',
    headers: req.headers,
    body: await readJson(req),
    receivedAt: performance.now(),
    closedEarly: false,
    deltasWritten: 0,
  };
  fake.onRequest?.(entry.receivedAt);
  fake.requests.push(entry);
  res.on('close', () => {
    if (!res.writableEnded) entry.closedEarly = true;
  });
  return entry;
}

/** Anthropic Messages API: POST /v1/messages with `stream: true` → SSE. */
export async function startFakeAnthropic(): Promise<FakeAiServer> {
  const { fake } = await start(async (req, res, fake) => {
    if (req.method !== 'POST' || !req.url?.startsWith('/v1/messages')) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ type: 'error', error: { type: 'not_found_error', message: 'Not found' } }));
      return;
    }
    const entry = await record(req, res, fake);
    const index = fake.requests.length - 1;
    const script = (responderOf(fake) ?? defaultScript)(entry, index);
    if (script.kind === 'error') {
      res.writeHead(script.status, {
        'content-type': 'application/json',
        'request-id': `req_${index}`,
        ...script.headers,
      });
      res.end(JSON.stringify(script.body));
      return;
    }
    if (await playSilence(script, res, 'text/event-stream; charset=utf-8')) return;
    if (script.kind !== 'stream') return;
    const model = script.model ?? String(entry.body.model);
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      'request-id': `req_${index}`,
    });
    const send = (event: string, data: unknown) => {
      if (!res.writableEnded && !res.destroyed) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    };
    const usage = script.usage ?? { input: 100, output: 10 };
    send('message_start', {
      type: 'message_start',
      message: {
        id: `msg_fake${index}`,
        type: 'message',
        role: 'assistant',
        model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: {
          input_tokens: usage.input,
          cache_creation_input_tokens: usage.cacheWrite ?? 0,
          cache_read_input_tokens: usage.cacheRead ?? 0,
          output_tokens: 1,
          service_tier: 'standard',
        },
      },
    });
    let block = 0;
    if (script.text.length) {
      send('content_block_start', {
        type: 'content_block_start',
        index: block,
        content_block: { type: 'text', text: '' },
      });
      send('ping', { type: 'ping' });
      for (const [i, text] of script.text.entries()) {
        if (script.failAfter !== undefined && i >= script.failAfter) {
          send('error', { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
          res.end();
          return;
        }
        if (await interrupt(script, i, res)) return;
        if (script.delayMs) await sleep(script.delayMs);
        if (res.destroyed) return;
        send('content_block_delta', {
          type: 'content_block_delta',
          index: block,
          delta: { type: 'text_delta', text: script.render ? script.render(text) : text },
        });
        entry.deltasWritten++;
        fake.onDelta?.(performance.now());
      }
      send('content_block_stop', { type: 'content_block_stop', index: block });
      block++;
    }
    if (script.tool) {
      send('content_block_start', {
        type: 'content_block_start',
        index: block,
        content_block: { type: 'tool_use', id: `toolu_fake${index}`, name: script.tool.name, input: {} },
      });
      send('content_block_delta', {
        type: 'content_block_delta',
        index: block,
        delta: { type: 'input_json_delta', partial_json: '' },
      });
      for (const piece of splitJson(script.tool.input, script.tool.pieces ?? 4)) {
        send('content_block_delta', {
          type: 'content_block_delta',
          index: block,
          delta: { type: 'input_json_delta', partial_json: piece },
        });
      }
      send('content_block_stop', { type: 'content_block_stop', index: block });
    }
    send('message_delta', {
      type: 'message_delta',
      delta: { stop_reason: script.tool ? 'tool_use' : 'end_turn', stop_sequence: null },
      usage: { output_tokens: usage.output },
    });
    send('message_stop', { type: 'message_stop' });
    res.end();
  });
  return fake;
}

/** OpenAI-compatible: POST /v1/chat/completions with `stream: true` → `data:` chunks and `[DONE]`. */
export async function startFakeOpenAi(): Promise<FakeAiServer> {
  const { fake } = await start(async (req, res, fake) => {
    if (req.method !== 'POST' || !req.url?.startsWith('/v1/chat/completions')) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'Not found', type: 'invalid_request_error' } }));
      return;
    }
    const entry = await record(req, res, fake);
    const index = fake.requests.length - 1;
    const script = (responderOf(fake) ?? defaultScript)(entry, index);
    if (script.kind === 'error') {
      res.writeHead(script.status, { 'content-type': 'application/json', ...script.headers });
      res.end(JSON.stringify(script.body));
      return;
    }
    if (await playSilence(script, res, 'text/event-stream')) return;
    if (script.kind !== 'stream') return;
    const model = script.model ?? String(entry.body.model);
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const id = `chatcmpl-fake${index}`;
    const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
      res.write(
        `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: 1723031664, model, system_fingerprint: 'fp_fake', choices, ...extra })}\n\n`,
      );
    chunk([
      { index: 0, delta: { role: 'assistant', content: '', refusal: null }, logprobs: null, finish_reason: null },
    ]);
    for (const [i, text] of script.text.entries()) {
      if (script.failAfter !== undefined && i >= script.failAfter) {
        // Let what was written reach the client, then drop the connection mid-stream.
        await sleep(50);
        res.destroy();
        return;
      }
      if (await interrupt(script, i, res)) return;
      if (script.delayMs) await sleep(script.delayMs);
      if (res.destroyed) return;
      chunk([{ index: 0, delta: { content: text }, logprobs: null, finish_reason: null }]);
      entry.deltasWritten++;
      fake.onDelta?.(performance.now());
    }
    if (script.tool) {
      const pieces = splitJson(script.tool.input, script.tool.pieces ?? 4);
      chunk([
        {
          index: 0,
          delta: {
            tool_calls: [
              {
                index: 0,
                id: `call_fake${index}`,
                type: 'function',
                function: { name: script.tool.name, arguments: '' },
              },
            ],
          },
          logprobs: null,
          finish_reason: null,
        },
      ]);
      for (const piece of pieces) {
        chunk([
          {
            index: 0,
            delta: { tool_calls: [{ index: 0, function: { arguments: piece } }] },
            logprobs: null,
            finish_reason: null,
          },
        ]);
      }
    }
    chunk([{ index: 0, delta: {}, logprobs: null, finish_reason: script.tool ? 'tool_calls' : 'stop' }]);
    const usage = script.usage ?? { input: 100, output: 10 };
    chunk([], {
      usage: {
        prompt_tokens: usage.input + (usage.cacheRead ?? 0),
        completion_tokens: usage.output,
        total_tokens: usage.input + (usage.cacheRead ?? 0) + usage.output,
        prompt_tokens_details: { cached_tokens: usage.cacheRead ?? 0 },
      },
    });
    res.write('data: [DONE]\n\n');
    res.end();
  });
  return fake;
}

/** The documented error bodies. */
export const ANTHROPIC_429: Script = {
  kind: 'error',
  status: 429,
  headers: { 'retry-after': '1' },
  body: {
    type: 'error',
    error: {
      type: 'rate_limit_error',
      message: "This request would exceed your account's rate limit. Please try again later.",
    },
    request_id: 'req_fake429',
  },
};
export const ANTHROPIC_529: Script = {
  kind: 'error',
  status: 529,
  body: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' }, request_id: 'req_fake529' },
};
export const OPENAI_500: Script = {
  kind: 'error',
  status: 500,
  body: {
    error: {
      message: 'The server had an error while processing your request.',
      type: 'server_error',
      param: null,
      code: null,
    },
  },
};
