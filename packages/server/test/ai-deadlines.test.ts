import type { ClientConfigInput, MessageDto } from '@leaddesk/shared';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createClient } from '../src/tenants/tenant-service.js';
import {
  ANTHROPIC_529,
  defaultScript,
  type FakeAiServer,
  type RecordedRequest,
  type Script,
  startFakeAnthropic,
  startFakeOpenAi,
  toolName,
} from './support/fake-ai-servers.js';
import { waitFor } from './support/fake-providers.js';
import { startTestServer, type TestServer } from './support/test-server.js';
import { connectVisitor, nextAiReply, type Visitor } from './support/widget-client.js';

/**
 * Faults of the AI providers, end to end: a real server, real SDKs against
 * local fake providers, a real widget socket. Each ends with the visitor
 * holding a complete answer within the deadlines, staff alerted, and the
 * tokens the provider reported counted in the tenant's budget.
 *
 * The deadlines are small here; the defaults (5 s first event, 8 s idle, 12 s
 * fallback budget) scale the same arithmetic. Before them, a stall after the
 * headers held the conversation for ever and a hang cost 3 × 30 s per provider.
 */
const FIRST_EVENT_MS = 500;
const IDLE_MS = 500;
const FALLBACK_AFTER_MS = 2000;
/** Scheduling, the database and the socket, on a shared 2-core machine. */
const SLACK_MS = 2500;

type Created = Awaited<ReturnType<typeof createClient>>;

const qualification = {
  intent: 'question',
  nextAction: 'answer',
  score: 20,
  temperature: 'cold',
  evidence: [],
  confidence: 0.8,
};

const reply = (text: string[], extra: Partial<Extract<Script, { kind: 'stream' }>> = {}): Script => ({
  kind: 'stream',
  text,
  tool: { name: 'record_qualification', input: qualification },
  usage: { input: 500, output: 40 },
  ...extra,
});

/** Answers reply requests with `script`; router and summary calls get the defaults. */
const onReply =
  (script: (r: RecordedRequest) => Script) =>
  (r: RecordedRequest): Script =>
    toolName(r) === 'record_qualification' ? script(r) : defaultScript(r);

const INTERRUPTED = 'Sorry, I was cut off there. A member of our team will follow up with you shortly.';

describe('AI provider deadlines, failover and usage on every outcome (real server, fake providers, widget socket)', () => {
  let anthropic: FakeAiServer;
  let openai: FakeAiServer;
  let server: TestServer;
  const open: Visitor[] = [];

  const sql = <T>(query: string, params: unknown[] = []) =>
    server.db.orm.em.fork().getConnection().execute<T[]>(query, params);

  async function tenant(config: ClientConfigInput = {}): Promise<Created> {
    return createClient(server.db.orm.em.fork(), {
      name: 'Sunset Dental',
      industry: 'dental',
      allowedOrigins: ['*'],
      config,
    });
  }

  async function visitorOf(t: Created): Promise<Visitor> {
    const v = connectVisitor(server.url, { siteKey: t.client.siteKey, origin: 'https://site.example' });
    open.push(v);
    await v.waitFor('session:ready');
    return v;
  }

  /** Sends, waits for the stored reply on the visitor's socket; returns it (with its metadata) and the time taken. */
  async function ask(v: Visitor, content: string): Promise<{ message: MessageDto; ms: number; streamed: string }> {
    const started = performance.now();
    const ack = await v.send(content);
    if (!ack.ok) throw new Error(`send refused: ${ack.error.message}`);
    const ended = await nextAiReply(v, ack.data.message.seq, 15_000);
    const ms = performance.now() - started;
    await server.app.conversation.orchestrator.idle();
    const [row] = await sql<{ content: string; ai: MessageDto['ai'] }>(
      'select content, ai from messages where id = ?',
      [ended.message.id],
    );
    if (!row) throw new Error('reply not stored');
    const streamed = v.events
      .filter(([n, p]) => n === 'reply:delta' && (p as { messageId: string }).messageId === ended.message.id)
      .map(([, p]) => (p as { text: string }).text)
      .join('');
    return { message: { ...ended.message, content: row.content, ai: row.ai }, ms, streamed };
  }

  const escalations = (conversationId: string) =>
    sql<{ reason: string; detail: string }>('select reason, detail from escalations where conversation_id = ?', [
      conversationId,
    ]);

  /** The tenant's monthly counter and its usage rows, once every metering write has landed. */
  async function usageOf(clientId: string, expectedTotal: number) {
    return waitFor(async () => {
      const [client] = await sql<{ tokens_used_month: string }>('select tokens_used_month from clients where id = ?', [
        clientId,
      ]);
      const used = Number(client?.tokens_used_month ?? 0);
      if (used !== expectedTotal) return false;
      const rows = await sql<{ model: string; input_tokens: string; output_tokens: string; requests: number }>(
        'select model, input_tokens, output_tokens, requests from usage_logs where client_id = ? order by model',
        [clientId],
      );
      return { used, rows };
    }, 5000);
  }

  beforeAll(async () => {
    anthropic = await startFakeAnthropic();
    openai = await startFakeOpenAi();
    server = await startTestServer({
      db: 'postgres',
      env: {
        ANTHROPIC_API_KEY: 'sk-ant-test-deadlines',
        ANTHROPIC_BASE_URL: anthropic.url,
        OPENAI_API_KEY: 'sk-openai-test-deadlines',
        OPENAI_BASE_URL: `${openai.url}/v1`,
        OPENAI_MODEL: 'llama-3.1-8b-instruct',
        AI_MAX_RETRIES: '2',
        AI_RETRY_BASE_MS: '100',
        AI_RETRY_MAX_MS: '1500',
        // The SDKs' own timeout, left long: it is not what ends these replies.
        AI_REQUEST_TIMEOUT_MS: '30000',
        AI_FIRST_TOKEN_TIMEOUT_MS: String(FIRST_EVENT_MS),
        AI_STREAM_IDLE_TIMEOUT_MS: String(IDLE_MS),
        AI_FALLBACK_AFTER_MS: String(FALLBACK_AFTER_MS),
        AI_REPLY_TIMEOUT_MS: '6000',
        STRUCTURED_CHUNK_DELAY_MS: '0',
      },
    });
  });
  afterAll(async () => {
    for (const v of open) v.close();
    await server?.dispose();
    await anthropic?.close();
    await openai?.close();
  });
  beforeEach(() => {
    anthropic.requests.length = 0;
    openai.requests.length = 0;
    anthropic.respond(defaultScript);
    openai.respond(defaultScript);
  });

  it('a provider that stalls after its headers: next provider at once, structured answer, escalation, usage; the next message is answered', async () => {
    const t = await tenant();
    // Anthropic sends its headers and message_start (868 input tokens), then nothing; OpenAI only headers.
    anthropic.respond(onReply(() => reply(['never sent'], { stallAfter: 0, usage: { input: 868, output: 1 } })));
    openai.respond(onReply(() => ({ kind: 'headers_only' })));
    const v = await visitorOf(t);
    const { message, ms, streamed } = await ask(v, 'Hello there');

    // Two first-event deadlines, then the structured mode: not for ever.
    expect(ms).toBeGreaterThanOrEqual(2 * FIRST_EVENT_MS - 50);
    expect(ms).toBeLessThan(2 * FIRST_EVENT_MS + SLACK_MS);
    expect(message.ai).toMatchObject({ provider: 'structured', inputTokens: 868 });
    expect(message.ai?.entities).toMatchObject({ outcome: 'ai_failed_structured_fallback' });
    expect(streamed).toBe(message.content);
    expect(message.content).not.toContain('never sent');
    // One request each (a timeout is not retried), and both connections were torn down.
    expect(anthropic.replyRequests()).toHaveLength(1);
    expect(openai.replyRequests()).toHaveLength(1);
    await waitFor(() => anthropic.replyRequests()[0]?.closedEarly && openai.replyRequests()[0]?.closedEarly, 3000);
    const failure = (await escalations(message.conversationId)).find((e) => e.reason === 'ai_failure');
    expect(failure?.detail).toContain('anthropic:timeout');
    expect(failure?.detail).toContain('openai:timeout');
    // The 868 + 1 tokens the stalled stream reported are in the budget.
    const usage = await usageOf(t.client.id, 869);
    expect(usage.rows).toEqual([
      expect.objectContaining({ model: 'claude-sonnet-4-6', input_tokens: '868', output_tokens: '1', requests: 1 }),
    ]);

    // The conversation is not blocked: the next message gets an AI answer.
    anthropic.respond(onReply(() => reply(['Of course, ', 'we open at nine.'])));
    const next = await ask(v, 'When do you open?');
    expect(next.message.content).toBe('Of course, we open at nine.');
    expect(next.message.ai).toMatchObject({ provider: 'anthropic' });
  });

  it('a provider that hangs before its headers: no retry, next provider at once, and far below the old 91 s', async () => {
    const t = await tenant();
    anthropic.respond(onReply(() => ({ kind: 'hang' })));
    openai.respond(onReply(() => ({ kind: 'hang' })));
    const v = await visitorOf(t);
    const dead = await ask(v, 'Hi, any news?');
    expect(dead.ms).toBeLessThan(2 * FIRST_EVENT_MS + SLACK_MS);
    expect(dead.message.ai).toMatchObject({ provider: 'structured' });
    expect(anthropic.replyRequests()).toHaveLength(1);
    expect(openai.replyRequests()).toHaveLength(1);
    await waitFor(() => anthropic.replyRequests()[0]?.closedEarly && openai.replyRequests()[0]?.closedEarly, 3000);
    expect((await escalations(dead.message.conversationId)).map((e) => e.reason)).toContain('ai_failure');

    // With the fallback provider alive, the hung one costs one first-event deadline, not three SDK timeouts.
    openai.respond(onReply(() => reply(['Hola, ', 'aquí estamos.'], { usage: { input: 300, output: 25 } })));
    const saved = await ask(v, 'Hola, ¿estáis ahí?');
    expect(saved.ms).toBeLessThan(FIRST_EVENT_MS + SLACK_MS);
    expect(saved.message.content).toBe('Hola, aquí estamos.');
    expect(saved.message.ai).toMatchObject({ provider: 'openai', inputTokens: 300, outputTokens: 25 });
    expect(saved.message.ai?.entities).toMatchObject({ fallbackFrom: ['anthropic'] });
    const usage = await usageOf(t.client.id, 325);
    expect(usage.rows).toEqual([expect.objectContaining({ model: 'llama-3.1-8b-instruct', requests: 1 })]);
  });

  it('529 for ever: retries bounded by the fallback budget, then the structured answer and an escalation', async () => {
    const t = await tenant();
    // retry-after 1 s: three attempts per provider would take 2 s each, four in all; the budget is 2 s.
    const overloaded: Script = { ...ANTHROPIC_529, headers: { 'retry-after': '1' } } as Script;
    anthropic.respond(onReply(() => overloaded));
    openai.respond(
      onReply(() => ({ ...overloaded, body: { error: { message: 'Overloaded', type: 'server_error' } } })),
    );
    const v = await visitorOf(t);
    const { message, ms } = await ask(v, 'Hello there');
    expect(ms).toBeLessThan(FALLBACK_AFTER_MS + SLACK_MS);
    expect(message.ai).toMatchObject({ provider: 'structured' });
    // The retry that fitted in the budget was made; the ones that did not were not.
    expect(anthropic.replyRequests()).toHaveLength(2);
    expect(openai.replyRequests().length).toBeGreaterThanOrEqual(1);
    expect(anthropic.replyRequests().length + openai.replyRequests().length).toBeLessThan(6);
    const failure = (await escalations(message.conversationId)).find((e) => e.reason === 'ai_failure');
    expect(failure?.detail).toContain('anthropic:overloaded 529');
  });

  it('a connection dropped mid-stream: the partial reply is closed with an apology, escalated, and its tokens counted', async () => {
    const t = await tenant();
    anthropic.respond(
      onReply(() =>
        reply(['Our ', 'whitening ', 'costs ', 'never-sent'], { dropAfter: 3, usage: { input: 1416, output: 1 } }),
      ),
    );
    const v = await visitorOf(t);
    const { message, ms, streamed } = await ask(v, 'How much is whitening?');
    expect(ms).toBeLessThan(SLACK_MS + 500);
    expect(message.content).toBe(`Our whitening costs … ${INTERRUPTED}`);
    expect(streamed).toBe(message.content);
    expect(message.ai).toMatchObject({ provider: 'anthropic', inputTokens: 1416 });
    expect(message.ai?.entities).toMatchObject({ outcome: 'interrupted' });
    expect(openai.replyRequests()).toHaveLength(0);
    expect((await escalations(message.conversationId)).map((e) => e.reason)).toContain('ai_failure');
    await usageOf(t.client.id, 1417);
  });

  it('a stream that stalls after partial text is closed within the idle deadline, and the conversation goes on', async () => {
    const t = await tenant();
    anthropic.respond(onReply(() => reply(['We ', 'are ', 'open ', 'never-sent'], { stallAfter: 3, delayMs: 20 })));
    const v = await visitorOf(t);
    const { message, ms, streamed } = await ask(v, 'Are you open today?');
    expect(ms).toBeGreaterThanOrEqual(IDLE_MS - 50);
    expect(ms).toBeLessThan(IDLE_MS + SLACK_MS);
    expect(streamed).toBe(`We are open … ${INTERRUPTED}`);
    expect(message.ai?.entities).toMatchObject({ outcome: 'interrupted' });
    const failure = (await escalations(message.conversationId)).find((e) => e.reason === 'ai_failure');
    expect(failure?.detail).toContain('stream idle');
    await waitFor(() => anthropic.replyRequests()[0]?.closedEarly, 3000);
    // message_start's 500 input tokens and 1 output token.
    await usageOf(t.client.id, 501);

    anthropic.respond(onReply(() => reply(['Yes, ', 'until six.'])));
    const next = await ask(v, 'Until when?');
    expect(next.message.content).toBe('Yes, until six.');
  });
});

describe('AI deadlines at their defaults (real server, two dead providers)', () => {
  let anthropic: FakeAiServer;
  let openai: FakeAiServer;
  let server: TestServer;
  let visitor: Visitor | undefined;

  beforeAll(async () => {
    anthropic = await startFakeAnthropic();
    openai = await startFakeOpenAi();
    // No deadline set: the defaults of config/env-schema.ts.
    server = await startTestServer({
      db: 'postgres',
      env: {
        ANTHROPIC_API_KEY: 'sk-ant-test-defaults',
        ANTHROPIC_BASE_URL: anthropic.url,
        OPENAI_API_KEY: 'sk-openai-test-defaults',
        OPENAI_BASE_URL: `${openai.url}/v1`,
        STRUCTURED_CHUNK_DELAY_MS: '0',
      },
    });
  });
  afterAll(async () => {
    visitor?.close();
    await server?.dispose();
    await anthropic?.close();
    await openai?.close();
  });

  it('answers a lead within 15 s when both providers hang, router call included', async () => {
    anthropic.respond(() => ({ kind: 'hang' }));
    openai.respond(() => ({ kind: 'hang' }));
    const t = await createClient(server.db.orm.em.fork(), {
      name: 'Sunset Dental',
      industry: 'dental',
      allowedOrigins: ['*'],
      config: {},
    });
    visitor = connectVisitor(server.url, { siteKey: t.client.siteKey, origin: 'https://site.example' });
    await visitor.waitFor('session:ready');
    const started = performance.now();
    // Six words or more and nothing the understanding can read (no intent, urgency or detail): the router asks
    // the (hung) fast model first.
    const ack = await visitor.send('My cousin mentioned your name to me the other day');
    if (!ack.ok) throw new Error('send refused');
    const ended = await nextAiReply(visitor, ack.data.message.seq, 20_000);
    const ms = performance.now() - started;
    expect(ms).toBeLessThan(15_000);
    expect(ended.message.content).toContain('A member of our team will also follow up personally.');
    // The router call hung on Anthropic, which was then skipped for the reply: one request there, one on OpenAI.
    expect(anthropic.requests.map((r) => toolName(r))).toEqual(['classify_message']);
    expect(openai.replyRequests()).toHaveLength(1);
  }, 30_000);
});
