import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../src/tenants/tenant-service.js';
import { SHARED_APP_SECRET } from './support/app-secret.js';
import { TEST_REDIS_URL } from './support/databases.js';
import {
  defaultScript,
  type FakeAiServer,
  qualifiedReply,
  type RecordedRequest,
  type Script,
  startFakeAnthropic,
  toolName,
} from './support/fake-ai-servers.js';
import { waitFor } from './support/fake-providers.js';
import { startTestServer, type TestServer } from './support/test-server.js';
import { connectVisitor, nextAiReply, sessionOf, type Visitor } from './support/widget-client.js';

/**
 * Reply obligations across server processes (two servers in this test
 * process, each its own lease owner, on one PostgreSQL database and one Redis):
 * one order per conversation, take-over of expired or handed-back leases,
 * withdrawal of a dead holder's half reply, the lead's deadline, and shutdown.
 * Killed processes are in fault-injection.test.ts.
 */

type Created = Awaited<ReturnType<typeof createClient>>;

const reply = qualifiedReply;

/** The token a later connection of the same visitor presents. */
const visitorTokenOf = (v: Visitor) =>
  (v.events.find(([n]) => n === 'session:ready')?.[1] as { visitorToken: string } | undefined)?.visitorToken;

const onReply = (fn: (r: RecordedRequest, n: number) => Script) => (r: RecordedRequest, i: number) =>
  toolName(r) === 'record_qualification' ? fn(r, i) : defaultScript(r);

describe('reply obligations on two server processes (PostgreSQL + Redis)', () => {
  let anthropic: FakeAiServer;
  let a: TestServer;
  let b: TestServer;
  let tenant: Created;
  let pgUrl: string;
  const visitors: Visitor[] = [];

  const env = (extra: Record<string, string> = {}) => ({
    ANTHROPIC_API_KEY: 'sk-ant-test-obligations',
    ANTHROPIC_BASE_URL: anthropic.url,
    REDIS_URL: TEST_REDIS_URL,
    APP_SECRET: SHARED_APP_SECRET,
    AI_MAX_RETRIES: '0',
    STRUCTURED_CHUNK_DELAY_MS: '0',
    REPLY_LEASE_MS: '1500',
    REPLY_SWEEP_INTERVAL_MS: '200',
    ...extra,
  });
  const sql = <T>(query: string, params: unknown[] = []) =>
    b.db.orm.em.fork().getConnection().execute<T[]>(query, params);

  beforeAll(async () => {
    anthropic = await startFakeAnthropic();
    a = await startTestServer({ db: 'postgres', env: env() });
    if (a.config.database.kind !== 'external') throw new Error('needs PostgreSQL');
    pgUrl = a.config.database.url;
    b = await startTestServer({ db: 'postgres', reuse: { databaseUrl: pgUrl }, env: env() });
    tenant = await createClient(a.db.orm.em.fork(), {
      name: 'Harbour Hotel',
      industry: 'hotel',
      allowedOrigins: ['*'],
    });
  });
  afterEach(() => {
    for (const v of visitors.splice(0)) v.close();
    anthropic.respond(defaultScript);
  });
  afterAll(async () => {
    await b?.stop();
    await a?.dispose();
    await anthropic?.close();
  });

  async function visitor(server: TestServer, visitorToken?: string, lastSeq?: number): Promise<Visitor> {
    const v = connectVisitor(server.url, { siteKey: tenant.client.siteKey, visitorToken, lastSeq });
    visitors.push(v);
    await v.waitFor('session:ready');
    return v;
  }

  it('answers two tabs of one visitor on two processes one after the other, each reply seeing the other message', async () => {
    anthropic.respond(onReply((_r, n) => reply([`Answer ${n} `, 'part two ', 'part three.'], { delayMs: 120 })));
    const tab1 = await visitor(a);
    const first = await tab1.send('Do you have a sea-view room?');
    if (!first.ok) throw new Error(first.error.message);
    const tab2 = await visitor(b, visitorTokenOf(tab1));
    // The second message is stored by the other process while the first reply streams.
    await tab1.waitFor('reply:delta');
    const second = await tab2.send('And is breakfast included?');
    if (!second.ok) throw new Error(second.error.message);
    // The first reply (stored after both messages) answers the first; the second reply follows.
    await waitFor(() => tab2.messages().filter((m) => m.role === 'ai').length === 2 || undefined, 20_000);

    const replies = anthropic.replyRequests();
    expect(replies).toHaveLength(2);
    const [r1, r2] = replies as [RecordedRequest, RecordedRequest];
    // One at a time: the second request left after the first reply was stored, and saw it.
    const stored = await sql<{ role: string; content: string; seq: number; created_at: Date }>(
      'select role, content, seq, created_at from messages where conversation_id = ? order by seq',
      [first.data.message.conversationId],
    );
    expect(stored.map((m) => m.role)).toEqual(['visitor', 'visitor', 'ai', 'ai']);
    const history = JSON.stringify(r2.body.messages);
    expect(history).toContain('sea-view');
    expect(history).toContain('breakfast');
    expect(history).toContain(stored[2]?.content.slice(0, 8));
    expect(r2.receivedAt).toBeGreaterThan(r1.receivedAt);
    expect(r1.closedEarly).toBe(false);
    const [row] = await sql<{ reply_owner: string | null; open: boolean }>(
      'select reply_owner, reply_wanted_seq > reply_answered_seq as open from conversations where id = ?',
      [first.data.message.conversationId],
    );
    expect(row).toEqual({ reply_owner: null, open: false });
  });

  it('answers a message stored while its process takes no leases (shutting down) from the other process', async () => {
    const c = await startTestServer({ db: 'postgres', reuse: { databaseUrl: pgUrl }, env: env() });
    try {
      const v = await visitor(c);
      // From now on c stores messages but leaves their replies to others (as during a shutdown).
      await c.app.conversation.orchestrator.close();
      const sent = await v.send('What time is check-in?');
      if (!sent.ok) throw new Error(sent.error.message);
      const ended = await nextAiReply(v, sent.data.message.seq, 10_000);
      expect(ended.message.content).toContain('Happy');
      const ai = await sql<{ id: string }>("select id from messages where conversation_id = ? and role = 'ai'", [
        sent.data.message.conversationId,
      ]);
      expect(ai).toHaveLength(1);
    } finally {
      await c.stop();
    }
  });

  it('takes over a lease whose holder died, withdraws its half-streamed reply and answers once', async () => {
    const v = await visitor(b);
    // Human mode for a moment so nobody answers, then the state a killed holder leaves behind.
    const sent = await v.send('Can I bring my dog?');
    if (!sent.ok) throw new Error(sent.error.message);
    const conversationId = sent.data.message.conversationId;
    await nextAiReply(v, sent.data.message.seq, 10_000);
    const stale = randomUUID();
    await sql(
      `update conversations set reply_wanted_seq = last_seq, reply_answered_seq = last_seq - 1, reply_wanted_at = now(),
         reply_owner = 'dead-host:1:abcdef', reply_lease_until = now() - interval '1 second', reply_stream_id = ?,
         reply_attempts = 1 where id = ?`,
      [stale, conversationId],
    );
    const aborted = await v.waitFor<{ messageId: string }>('reply:aborted', (p) => p.messageId === stale, 10_000);
    expect(aborted.messageId).toBe(stale);
    const again = await nextAiReply(v, sent.data.message.seq + 1, 10_000);
    expect(again.message.role).toBe('ai');
    const ai = await sql<{ id: string }>("select id from messages where conversation_id = ? and role = 'ai'", [
      conversationId,
    ]);
    expect(ai).toHaveLength(2);
  });

  it('gives the lead the structured answer and staff an escalation when the AI shows nothing by the deadline; the next message is answered too', async () => {
    const d = await startTestServer({
      db: 'postgres',
      reuse: { databaseUrl: pgUrl },
      env: env({ REPLY_DEADLINE_MS: '2500', AI_REQUEST_TIMEOUT_MS: '600000' }),
    });
    try {
      // Headers, then nothing for a minute (a stalled stream).
      anthropic.respond(onReply(() => reply(['Too late.'], { delayMs: 60_000 })));
      const v = await visitor(d);
      const started = Date.now();
      const sent = await v.send('Hello, do you have parking?');
      if (!sent.ok) throw new Error(sent.error.message);
      const ended = await nextAiReply(v, sent.data.message.seq, 15_000);
      const elapsed = Date.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(2000);
      expect(elapsed).toBeLessThan(8000);
      const [stored] = await sql<{ ai: { provider: string } }>('select ai from messages where id = ?', [
        ended.message.id,
      ]);
      expect(stored?.ai.provider).toBe('structured');
      // Raised right after the answer is stored.
      const escalation = await waitFor(async () => {
        const rows = await sql<{ reason: string; detail: string }>(
          "select reason, detail from escalations where conversation_id = ? and reason = 'ai_failure'",
          [sent.data.message.conversationId],
        );
        return rows[0];
      }, 5000);
      expect(escalation.detail).toMatch(/No answer within 3 s/);
      // The stalled stream does not hold the conversation: the next message gets its answer.
      anthropic.respond(onReply(() => reply(['Yes, free parking.'])));
      const next = await v.send('Thanks. Is it free?');
      if (!next.ok) throw new Error(next.error.message);
      const answer = await nextAiReply(v, next.data.message.seq, 10_000);
      expect(answer.message.content).toContain('free parking');
      await d.app.conversation.orchestrator.idle();
      await new Promise((r) => setTimeout(r, 300));
    } finally {
      await d.stop();
    }
  });

  it('hands a reply running at shutdown over to the other process: answered once, by the survivor', async () => {
    const e = await startTestServer({
      db: 'postgres',
      reuse: { databaseUrl: pgUrl },
      env: env({ SHUTDOWN_TIMEOUT_MS: '600' }),
    });
    let stopped = false;
    try {
      // A slow provider: 20 deltas, 250 ms apart.
      anthropic.respond(
        onReply(() =>
          reply(
            Array.from({ length: 20 }, (_, i) => `word${i} `),
            { delayMs: 250 },
          ),
        ),
      );
      const v = await visitor(e);
      const sent = await v.send('Tell me about your spa.');
      if (!sent.ok) throw new Error(sent.error.message);
      const visitorToken = visitorTokenOf(v);
      await v.waitFor('reply:delta');
      await e.stop();
      stopped = true;
      // The visitor comes back on the surviving process and gets the answer there.
      const back = await visitor(b, visitorToken, sent.data.message.seq);
      const conversationId = sent.data.message.conversationId;
      await waitFor(
        async () =>
          (
            await sql<{ id: string }>("select id from messages where conversation_id = ? and role = 'ai'", [
              conversationId,
            ])
          ).length > 0,
        20_000,
      );
      const replies = anthropic.replyRequests().filter((r) => JSON.stringify(r.body.messages).includes('spa'));
      expect(replies).toHaveLength(2);
      expect(replies[0]?.closedEarly).toBe(true);
      const ai = await sql<{ id: string; content: string }>(
        "select id, content from messages where conversation_id = ? and role = 'ai'",
        [conversationId],
      );
      expect(ai).toHaveLength(1);
      expect(ai[0]?.content).toContain('word19');
      await waitFor(() => back.messages().some((m) => m.role === 'ai'), 10_000);
    } finally {
      if (!stopped) await e.stop();
    }
  });
});

describe('reply obligations on the embedded database', () => {
  let anthropic: FakeAiServer;
  let server: TestServer;

  beforeAll(async () => {
    anthropic = await startFakeAnthropic();
  });
  afterAll(async () => {
    await server?.dispose();
    await anthropic?.close();
  });

  it('answers a reply cut by a shutdown (slow provider) once the server is back on the same data', async () => {
    server = await startTestServer({
      db: 'embedded',
      env: {
        ANTHROPIC_API_KEY: 'sk-ant-test-obligations',
        ANTHROPIC_BASE_URL: anthropic.url,
        AI_MAX_RETRIES: '0',
        SHUTDOWN_TIMEOUT_MS: '400',
      },
    });
    const tenant = await createClient(server.db.orm.em.fork(), {
      name: 'Harbour Dental',
      industry: 'dental',
      allowedOrigins: ['*'],
    });
    let slow = true;
    anthropic.respond(onReply(() => (slow ? reply(words(30), { delayMs: 200 }) : reply(['Yes, ', 'we open at 8.']))));
    const v = connectVisitor(server.url, { siteKey: tenant.client.siteKey });
    const { visitorToken } = await sessionOf(v);
    const sent = await v.send('Are you open on Saturday morning?');
    if (!sent.ok) throw new Error(sent.error.message);
    await v.waitFor('reply:delta');
    slow = false;
    server = await server.restart();
    v.close();
    const back = connectVisitor(server.url, {
      siteKey: tenant.client.siteKey,
      visitorToken,
      lastSeq: sent.data.message.seq,
    });
    try {
      const answer = await waitFor(() => back.messages().find((m) => m.role === 'ai'), 20_000);
      expect(answer.content).toBe('Yes, we open at 8.');
      const rows = await server.db.orm.em
        .fork()
        .getConnection()
        .execute<{ role: string }[]>('select role from messages where conversation_id = ? order by seq', [
          sent.data.message.conversationId,
        ]);
      expect(rows.map((r) => r.role)).toEqual(['visitor', 'ai']);
      expect(anthropic.replyRequests()[0]?.closedEarly).toBe(true);
    } finally {
      back.close();
    }
  });
});

function words(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `word${i} `);
}
