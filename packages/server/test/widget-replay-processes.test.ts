import type { MessageDto } from '@leaddesk/shared';
import { afterAll, describe, expect, it } from 'vitest';
import { createClient } from '../src/tenants/tenant-service.js';
import { SHARED_APP_SECRET } from './support/app-secret.js';
import { createFreshPostgresDatabase, DB_KINDS, TEST_REDIS_URL } from './support/databases.js';
import { startTestServer, type TestServer } from './support/test-server.js';
import { connectVisitor, nextAiReply, sessionOf, type Visitor } from './support/widget-client.js';

const ORIGIN = 'https://casa-azul.example';

describe.each(DB_KINDS)('replay after a server restart on %s', (kind) => {
  let server: TestServer;
  const open: Visitor[] = [];
  afterAll(async () => {
    for (const v of open) v.close();
    await server?.dispose();
  });

  it('replays every stored message newer than the visitor’s last seq from the database', async () => {
    server = await startTestServer({ db: kind, env: { STRUCTURED_CHUNK_DELAY_MS: '0' } });
    const { client } = await createClient(server.db.orm.em.fork(), {
      name: 'Casa Azul',
      industry: 'hotel',
      allowedOrigins: [ORIGIN],
    });
    const v1 = connectVisitor(server.url, { siteKey: client.siteKey, origin: ORIGIN });
    open.push(v1);
    const { visitorId, visitorToken } = await sessionOf(v1);
    const first = await v1.send('Is breakfast included?');
    if (!first.ok) throw new Error('send failed');
    const reply = await nextAiReply(v1, first.data.message.seq);
    const second = await v1.send('We are 2 people');
    if (!second.ok) throw new Error('send failed');
    await nextAiReply(v1, second.data.message.seq);
    v1.close();
    const lastSeen = reply.message.seq;

    server = await server.restart();

    // The token issued before the restart still opens the visitor (signed, not kept in memory).
    const v2 = connectVisitor(server.url, { siteKey: client.siteKey, origin: ORIGIN, visitorToken, lastSeq: lastSeen });
    open.push(v2);
    const session = await sessionOf(v2);
    expect(session.visitorId).toBe(visitorId);
    expect(session.conversationId).toBe(reply.message.conversationId);
    expect(session.lastSeq).toBe(4);
    await v2.waitFor('message:created', (p: { message: MessageDto }) => p.message.seq === 4);
    expect(v2.messages().map((m) => [m.seq, m.role])).toEqual([
      [3, 'visitor'],
      [4, 'ai'],
    ]);
    expect(v2.messages()[0]?.content).toBe('We are 2 people');

    // The conversation continues on the new process with the next number.
    const third = await v2.send('Thanks!');
    expect(third.ok && third.data.message.seq).toBe(5);
    // Two embedded database starts in one test: slow on a busy machine.
  }, 120_000);
});

describe('two server processes sharing PostgreSQL and Redis', () => {
  let a: TestServer;
  let b: TestServer;
  let drop: (() => Promise<void>) | undefined;
  const open: Visitor[] = [];
  afterAll(async () => {
    for (const v of open) v.close();
    await b?.stop();
    await a?.stop();
    await drop?.();
  });

  it('delivers a message written on one process to a visitor connected to the other', async () => {
    const db = await createFreshPostgresDatabase();
    drop = db.drop;
    const env = {
      REDIS_URL: TEST_REDIS_URL,
      APP_SECRET: SHARED_APP_SECRET,
      STRUCTURED_CHUNK_DELAY_MS: '0',
      WIDGET_RATE_VISITOR_PER_MINUTE: '5',
    };
    a = await startTestServer({ db: 'postgres', env, reuse: { databaseUrl: db.url } });
    b = await startTestServer({ db: 'postgres', env, reuse: { databaseUrl: db.url } });
    const { client } = await createClient(a.db.orm.em.fork(), {
      name: 'Twin Dental',
      industry: 'dental',
      allowedOrigins: [ORIGIN],
    });

    // One visitor, two tabs: one on each process.
    const tabA = connectVisitor(a.url, { siteKey: client.siteKey, origin: ORIGIN });
    open.push(tabA);
    const { visitorId, visitorToken } = await sessionOf(tabA);
    // The token A issued opens the same visitor on B (both derive the key from APP_SECRET).
    const tabB = connectVisitor(b.url, { siteKey: client.siteKey, origin: ORIGIN, visitorToken });
    open.push(tabB);
    expect((await sessionOf(tabB)).visitorId).toBe(visitorId);

    // The visitor writes on A: tab B sees the message and the streamed reply.
    const ack = await tabA.send('Do you handle dental emergencies?');
    if (!ack.ok) throw new Error('send failed');
    const seen = await tabB.waitFor<{ message: MessageDto }>(
      'message:created',
      (p) => p.message.id === ack.data.message.id,
    );
    expect(seen.message.content).toBe('Do you handle dental emergencies?');
    const replyOnB = await nextAiReply(tabB, ack.data.message.seq);
    // The reply written on A reaches the tab on B whole (what it says is the structured mode's business).
    expect(replyOnB.message.role).toBe('ai');
    expect(replyOnB.message.content.length).toBeGreaterThan(10);
    expect(tabB.events.some(([n]) => n === 'reply:delta')).toBe(true);

    // Staff write on B: a fresh visitor connection on A (joined to the room) gets it live.
    const tabA2 = connectVisitor(a.url, {
      siteKey: client.siteKey,
      origin: ORIGIN,
      visitorToken,
      lastSeq: replyOnB.message.seq,
    });
    open.push(tabA2);
    await tabA2.waitFor('session:ready');
    await b.app.conversation.core.appendMessage({
      clientId: client.id,
      conversationId: ack.data.message.conversationId,
      role: 'staff',
      content: 'Hi, this is Dr. Chen from the other process',
    });
    const live = await tabA2.waitFor<{ message: MessageDto }>('message:created', (p) => p.message.role === 'staff');
    expect(live.message.content).toBe('Hi, this is Dr. Chen from the other process');
    expect(live.message.seq).toBe(replyOnB.message.seq + 1);
  });

  it('shares the per-visitor rate limit across processes through Redis', async () => {
    const { client } = await createClient(a.db.orm.em.fork(), {
      name: 'Limited Dental',
      industry: 'dental',
      allowedOrigins: [ORIGIN],
    });
    const onA = connectVisitor(a.url, { siteKey: client.siteKey, origin: ORIGIN });
    open.push(onA);
    const { visitorToken } = await sessionOf(onA);
    const onB = connectVisitor(b.url, { siteKey: client.siteKey, origin: ORIGIN, visitorToken });
    open.push(onB);
    await onB.waitFor('session:ready');
    for (let i = 0; i < 3; i++) expect((await onA.send(`from A ${i}`)).ok).toBe(true);
    for (let i = 0; i < 2; i++) expect((await onB.send(`from B ${i}`)).ok).toBe(true);
    // Five in a minute across both processes: the sixth is refused wherever it lands.
    const refused = await onB.send('one more from B');
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.code).toBe('rate_limited');
    const alsoRefused = await onA.send('one more from A');
    expect(alsoRefused.ok).toBe(false);
  });
});
