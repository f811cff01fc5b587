import type { MessageDto } from '@leaddesk/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIdentity } from '../src/channels/widget/identity-token.js';
import { Client } from '../src/db/entities/index.js';
import { createClient, setClientStatus } from '../src/tenants/tenant-service.js';
import { DB_KINDS } from './support/databases.js';
import { startTestServer, type TestServer } from './support/test-server.js';
import { connectVisitor, newMessageId, nextAiReply, sessionOf, type Visitor } from './support/widget-client.js';

const ORIGIN = 'https://sunset-dental.example';

async function rows<T>(server: TestServer, sql: string, params: unknown[] = []): Promise<T[]> {
  return server.db.orm.em.getConnection().execute<T[]>(sql, params);
}

describe.each(DB_KINDS)('/widget namespace on %s', (kind) => {
  let server: TestServer;
  let dental: Awaited<ReturnType<typeof createClient>>;
  let hotel: Awaited<ReturnType<typeof createClient>>;
  const open: Visitor[] = [];
  const visitor = (options: Parameters<typeof connectVisitor>[1]) => {
    const v = connectVisitor(server.url, options);
    open.push(v);
    return v;
  };
  const ready = (v: Visitor) => sessionOf(v);

  beforeAll(async () => {
    server = await startTestServer({ db: kind, env: { STRUCTURED_CHUNK_DELAY_MS: '5' } });
    dental = await createClient(server.db.orm.em.fork(), {
      name: 'Sunset Dental',
      industry: 'dental',
      allowedOrigins: [ORIGIN],
    });
    hotel = await createClient(server.db.orm.em.fork(), {
      name: 'Casa Azul',
      industry: 'hotel',
      allowedOrigins: ['*'],
    });
  });
  afterAll(async () => {
    for (const v of open) v.close();
    await server?.dispose();
  });

  it('refuses an unknown site key with invalid_site_key', async () => {
    const v = visitor({ siteKey: 'pk_doesnotexist', origin: ORIGIN });
    const err = await v.waitFor<Error & { data: { code: string; message: string } }>('connect_error');
    expect(err.message).toBe('invalid_site_key');
    expect(err.data).toEqual({ code: 'invalid_site_key', message: 'unknown site key' });
  });

  it('refuses an origin that is not in the client’s allowed origins', async () => {
    const v = visitor({ siteKey: dental.client.siteKey, origin: 'https://evil.example' });
    const err = await v.waitFor<Error & { data: { code: string } }>('connect_error');
    expect(err.message).toBe('origin_not_allowed');
    expect(err.data.code).toBe('origin_not_allowed');
    const none = visitor({ siteKey: dental.client.siteKey });
    expect(((await none.waitFor('connect_error')) as Error).message).toBe('origin_not_allowed');
  });

  it('accepts a page Lead Desk serves itself (the onboarding preview): an origin on the host the socket connected to', async () => {
    const v = visitor({ siteKey: dental.client.siteKey, origin: server.url });
    expect((await ready(v)).visitorId).toMatch(/^v_[0-9a-f]{32}$/);
    // The same port on another host name is another site.
    const other = visitor({
      siteKey: dental.client.siteKey,
      origin: server.url.replace('localhost', 'evil.localhost'),
    });
    expect(((await other.waitFor('connect_error')) as Error).message).toBe('origin_not_allowed');
  });

  it('accepts any origin when the client allows "*"', async () => {
    const v = visitor({ siteKey: hotel.client.siteKey, origin: 'https://anything.example' });
    const session = await ready(v);
    expect(session.visitorId).toMatch(/^v_[0-9a-f]{32}$/);
    expect(session.visitorToken).toMatch(new RegExp(`^${session.visitorId}\\.[A-Za-z0-9_-]{43}$`));
    expect(session.conversationId).toBeNull();
  });

  it('refuses a malformed handshake with validation_failed', async () => {
    const v = visitor({ siteKey: 'x', origin: ORIGIN });
    const err = await v.waitFor<Error & { data: { message: string } }>('connect_error');
    expect(err.message).toBe('validation_failed');
    expect(err.data.message).toContain('siteKey');
  });

  it('refuses visitors of a paused client with client_paused', async () => {
    const paused = await createClient(server.db.orm.em.fork(), { name: 'Paused Co', allowedOrigins: ['*'] });
    const em = server.db.orm.em.fork();
    await setClientStatus(em, await em.findOneOrFail(Client, { id: paused.client.id }), 'paused');
    const v = visitor({ siteKey: paused.client.siteKey, origin: ORIGIN });
    const err = await v.waitFor<Error & { data: { code: string; message: string } }>('connect_error');
    expect(err.message).toBe('client_paused');
    expect(err.data.message).toMatch(/not taking chats/);
  });

  it('stores a visitor message, acks its seq and streams a structured reply', async () => {
    const v = visitor({ siteKey: dental.client.siteKey, origin: ORIGIN });
    const session = await ready(v);
    const ack = await v.send('Hi, do you accept dental insurance?');
    if (!ack.ok) throw new Error(ack.error.message);
    expect(ack.data.duplicate).toBe(false);
    expect(ack.data.message.seq).toBe(1);
    expect(ack.data.message.role).toBe('visitor');
    const ended = await nextAiReply(v, 1);
    expect(ended.message.seq).toBe(2);
    expect(ended.message.content).toContain('we accept most major dental insurance plans');

    const names = v.events.map(([n]) => n);
    const thinking = names.indexOf('ai:status');
    const started = names.indexOf('reply:started');
    expect(thinking).toBeGreaterThanOrEqual(0);
    expect(thinking).toBeLessThan(started);
    const deltas = v.events
      .filter(([n]) => n === 'reply:delta')
      .map(([, p]) => p as { messageId: string; index: number; text: string });
    expect(deltas.length).toBeGreaterThan(2);
    expect(deltas.map((d) => d.index)).toEqual(deltas.map((_, i) => i));
    expect(deltas.every((d) => d.messageId === ended.messageId)).toBe(true);
    expect(
      deltas
        .map((d) => d.text)
        .join('')
        .trim(),
    ).toBe(ended.message.content);
    // The first tenant question comes with its options as quick replies.
    expect(ended.quickReplies.map((q) => q.label)).toEqual([
      'Check-up',
      'Whitening',
      'Implants',
      'Invisalign',
      'Emergency',
    ]);

    const stored = await rows<{ seq: number; role: string; client_id: string }>(
      server,
      'select m.seq, m.role, m.client_id from messages m join conversations c on c.id = m.conversation_id where c.visitor_id = ? order by seq',
      [session.visitorId],
    );
    expect(stored.map((r) => [r.seq, r.role])).toEqual([
      [1, 'visitor'],
      [2, 'ai'],
    ]);
    expect(stored.every((r) => r.client_id === dental.client.id)).toBe(true);
  });

  it('stores one message for the same clientMessageId sent twice, also concurrently', async () => {
    const v = visitor({ siteKey: dental.client.siteKey, origin: ORIGIN });
    const { visitorId } = await ready(v);
    const id = newMessageId();
    const first = await v.send('I would like whitening', id);
    const second = await v.send('I would like whitening', id);
    if (!first.ok || !second.ok) throw new Error('send failed');
    expect(second.data.duplicate).toBe(true);
    expect(second.data.message.id).toBe(first.data.message.id);
    expect(second.data.message.seq).toBe(first.data.message.seq);

    const racing = newMessageId();
    const acks = await Promise.all([
      v.send('Another one', racing),
      v.send('Another one', racing),
      v.send('Another one', racing),
    ]);
    const oks = acks.map((a) => (a.ok ? a.data : null));
    expect(new Set(oks.map((a) => a?.message.id)).size).toBe(1);
    expect(oks.filter((a) => a?.duplicate === false)).toHaveLength(1);
    await server.app.conversation.orchestrator.idle();
    const count = await rows<{ n: string }>(
      server,
      `select count(*) as n from messages m join conversations c on c.id = m.conversation_id
       where c.visitor_id = ? and m.role = 'visitor'`,
      [visitorId],
    );
    expect(Number(count[0]?.n)).toBe(2);
  });

  it('gives concurrent messages distinct, gapless, growing sequence numbers', async () => {
    const v = visitor({ siteKey: hotel.client.siteKey, origin: ORIGIN });
    await ready(v);
    const acks = await Promise.all(Array.from({ length: 6 }, (_, i) => v.send(`message number ${i}`)));
    await server.app.conversation.orchestrator.idle();
    const seqs = acks.map((a) => (a.ok ? a.data.message.seq : -1));
    expect(seqs.every((s) => s > 0)).toBe(true);
    expect(new Set(seqs).size).toBe(6);
    const conversationId = acks[0]?.ok ? acks[0].data.message.conversationId : '';
    const all = await rows<{ seq: number }>(server, 'select seq from messages where conversation_id = ? order by seq', [
      conversationId,
    ]);
    expect(all.map((r) => r.seq)).toEqual(all.map((_, i) => i + 1));
    // What the visitor saw arrives ordered by seq once sorted, with nothing missing.
    await v.waitFor('message:created', (p: { message: MessageDto }) => p.message.seq === all.length);
    expect(v.messages().map((m) => m.seq)).toEqual(all.map((r) => r.seq));
  });

  it('stores a first message delivered twice at once (two tabs, one retry) once: one lead, one conversation, no gap', async () => {
    const a = visitor({ siteKey: hotel.client.siteKey, origin: ORIGIN });
    const { visitorId, visitorToken } = await ready(a);
    const b = visitor({ siteKey: hotel.client.siteKey, origin: ORIGIN, visitorToken });
    expect((await ready(b)).visitorId).toBe(visitorId);
    const id = newMessageId();
    const acks = await Promise.all([a.send('first words', id), b.send('first words', id), a.send('first words', id)]);
    await server.app.conversation.orchestrator.idle();
    const stored = acks.map((ack) => (ack.ok ? ack.data : null));
    expect(new Set(stored.map((d) => d?.message.id)).size).toBe(1);
    expect(stored.filter((d) => d?.duplicate === false)).toHaveLength(1);
    const leads = await rows<{ n: string }>(
      server,
      `select count(*) as n from leads where client_id = ? and handles->>'web' = ?`,
      [hotel.client.id, visitorId],
    );
    expect(Number(leads[0]?.n)).toBe(1);
    const messages = await rows<{ seq: number; role: string }>(
      server,
      `select m.seq, m.role from messages m join conversations c on c.id = m.conversation_id
       where c.visitor_id = ? order by m.seq`,
      [visitorId],
    );
    // One conversation: the visitor's message, then the reply, numbered without a gap.
    expect(messages.map((m) => m.seq)).toEqual(messages.map((_, i) => i + 1));
    expect(messages.filter((m) => m.role === 'visitor')).toHaveLength(1);
  });

  it('answers validation errors in the ack and stores nothing', async () => {
    const v = visitor({ siteKey: dental.client.siteKey, origin: ORIGIN });
    const { visitorId } = await ready(v);
    const bad = await v.socket.timeout(5000).emitWithAck('message:send', { clientMessageId: 'short', content: '   ' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.error.code).toBe('validation_failed');
      expect(bad.error.message).toMatch(/clientMessageId/);
      expect(bad.error.message).toMatch(/content/);
    }
    const badSync = await v.socket.timeout(5000).emitWithAck('history:sync', { afterSeq: -1 });
    expect(badSync.ok).toBe(false);
    if (!badSync.ok) expect(badSync.error.message).toMatch(/afterSeq/);
    v.socket.emit('visitor:typing', { typing: 'yes' } as unknown as { typing: boolean });
    const typingError = await v.waitFor<{ code: string; message: string }>('error');
    expect(typingError.code).toBe('validation_failed');
    expect(typingError.message).toMatch(/typing/);
    const count = await rows<{ n: string }>(server, 'select count(*) as n from conversations where visitor_id = ?', [
      visitorId,
    ]);
    expect(Number(count[0]?.n)).toBe(0);
  });

  it('replays what was missed after a dropped connection, from the last seen seq', async () => {
    const v1 = visitor({ siteKey: dental.client.siteKey, origin: ORIGIN });
    const { visitorId, visitorToken } = await ready(v1);
    const ack = await v1.send('Where are you located?');
    if (!ack.ok) throw new Error('send failed');
    const reply = await nextAiReply(v1, ack.data.message.seq);
    const lastSeen = reply.message.seq;
    v1.close();

    // While the visitor is away, staff write twice.
    const core = server.app.conversation.core;
    const conversationId = reply.message.conversationId;
    await core.appendMessage({
      clientId: dental.client.id,
      conversationId,
      role: 'staff',
      content: 'Hello from Dr. Ruiz',
    });
    await core.appendMessage({ clientId: dental.client.id, conversationId, role: 'note', content: 'internal: VIP' });
    await core.appendMessage({
      clientId: dental.client.id,
      conversationId,
      role: 'staff',
      content: 'Are you still there?',
    });

    // The token the server issued brings the visitor back to their conversation.
    const v2 = visitor({ siteKey: dental.client.siteKey, origin: ORIGIN, visitorToken, lastSeq: lastSeen });
    const session = await ready(v2);
    expect(session.visitorId).toBe(visitorId);
    expect(session.visitorToken).toBe(visitorToken);
    expect(session.conversationId).toBe(conversationId);
    await v2.waitFor('message:created', (p: { message: MessageDto }) => p.message.content === 'Are you still there?');
    const replayed = v2.messages();
    expect(replayed.map((m) => m.content)).toEqual(['Hello from Dr. Ruiz', 'Are you still there?']);
    expect(replayed.every((m) => m.seq > lastSeen)).toBe(true);
    expect(v2.events.some(([, p]) => JSON.stringify(p).includes('internal: VIP'))).toBe(false);

    const sync = await v2.socket.timeout(5000).emitWithAck('history:sync', { afterSeq: 0 });
    if (!sync.ok) throw new Error('sync failed');
    expect(sync.data.messages.map((m: MessageDto) => m.role)).toEqual(['visitor', 'ai', 'staff', 'staff']);
  });

  it('never shows one tenant’s messages to another tenant’s visitor, even with the first tenant’s visitor token', async () => {
    const a = visitor({ siteKey: dental.client.siteKey, origin: ORIGIN });
    const { visitorId, visitorToken } = await ready(a);
    const b = visitor({ siteKey: hotel.client.siteKey, origin: ORIGIN, visitorToken });
    const bSession = await ready(b);
    // Tokens are bound to their tenant: on another site key it is a new visitor.
    expect(bSession.conversationId).toBeNull();
    expect(bSession.visitorId).not.toBe(visitorId);
    const ack = await a.send('secret dental question about implants');
    if (!ack.ok) throw new Error('send failed');
    await nextAiReply(a, ack.data.message.seq);
    const bAck = await b.send('hotel question about breakfast');
    if (!bAck.ok) throw new Error('send failed');
    await nextAiReply(b, bAck.data.message.seq);
    expect(bAck.data.message.conversationId).not.toBe(ack.data.message.conversationId);
    expect(JSON.stringify(b.events)).not.toContain('implants');
    expect(JSON.stringify(a.events)).not.toContain('breakfast');
    expect(b.messages().every((m) => m.conversationId === bAck.data.message.conversationId)).toBe(true);
  });

  it('starts a new visitor, with no access to the conversation, for any visitor id or token the server did not issue', async () => {
    const owner = visitor({ siteKey: dental.client.siteKey, origin: ORIGIN });
    const { visitorId, visitorToken } = await ready(owner);
    const ack = await owner.send('my private question about a root canal');
    if (!ack.ok) throw new Error(ack.error.message);
    await nextAiReply(owner, ack.data.message.seq);
    const conversationId = ack.data.message.conversationId;
    const tag = visitorToken.slice(visitorId.length + 1);
    const other = await ready(visitor({ siteKey: dental.client.siteKey, origin: ORIGIN }));
    const otherTag = other.visitorToken.slice(other.visitorId.length + 1);
    const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    // The lowest bit of the last character is one base64url decoding ignores (43 characters hold 256 bits).
    const lowBit = (c: string) => B64URL[B64URL.indexOf(c) ^ 1] as string;
    const attempts: Array<[string, Record<string, unknown>]> = [
      ['the bare visitor id (what widgets stored before signed tokens)', { visitorToken: visitorId }],
      ['the visitor id in the old handshake field', { visitorId }],
      ['a forged tag', { visitorToken: `${visitorId}.${'A'.repeat(43)}` }],
      [
        'a tag with its first character changed',
        { visitorToken: `${visitorId}.${lowBit(tag[0] ?? 'A')}${tag.slice(1)}` },
      ],
      [
        'a tag with an ignored bit changed',
        { visitorToken: `${visitorId}.${tag.slice(0, -1)}${lowBit(tag.at(-1) ?? 'A')}` },
      ],
      ['another visitor’s tag', { visitorToken: `${visitorId}.${otherTag}` }],
      ['a cut tag', { visitorToken: visitorToken.slice(0, -1) }],
      ['__proto__', { visitorToken: '__proto__' }],
      ['__proto__ in the old field', { visitorId: '__proto__' }],
      ['a client-chosen id of the issued form', { visitorToken: `v_${'0'.repeat(32)}` }],
    ];
    const tokens = server.app.conversation.visitorTokens;
    const intruders: Visitor[] = [];
    for (const [what, extraAuth] of attempts) {
      const v = visitor({ siteKey: dental.client.siteKey, origin: ORIGIN, lastSeq: 0, extraAuth });
      intruders.push(v);
      const session = await ready(v);
      expect(session.visitorId, what).not.toBe(visitorId);
      expect(session.visitorId, what).toMatch(/^v_[0-9a-f]{32}$/);
      expect(session.conversationId, what).toBeNull();
      expect(session.lastSeq, what).toBe(0);
      // The new visitor's own token, which a later connection presents.
      expect(tokens.verify(dental.client.id, session.visitorToken), what).toBe(session.visitorId);
      const sync = await v.socket.timeout(5000).emitWithAck('history:sync', { afterSeq: 0 });
      expect(sync, what).toEqual({ ok: true, data: { messages: [] } });
    }
    // A message of an intruder opens a conversation of its own.
    const theirs = await (intruders[0] as Visitor).send('hello?');
    expect(theirs.ok && theirs.data.message.conversationId).not.toBe(conversationId);

    // Neither replay nor live messages of the owner's conversation reach them.
    await server.app.conversation.core.appendMessage({
      clientId: dental.client.id,
      conversationId,
      role: 'staff',
      content: 'Dr. Ruiz: your root canal is booked',
    });
    await owner.waitFor('message:created', (p: { message: MessageDto }) => p.message.role === 'staff');
    await server.app.conversation.orchestrator.idle();
    await new Promise((r) => setTimeout(r, 100));
    for (const v of intruders) {
      expect(JSON.stringify(v.events)).not.toMatch(/root canal/);
      expect(v.messages().every((m) => m.conversationId !== conversationId)).toBe(true);
    }
  });

  it('keeps a signed identity on its lead when the same user comes back as a new visitor', async () => {
    const future = Math.floor(Date.now() / 1000) + 600;
    const identityToken = signIdentity(hotel.client.identitySecret, 'guest-7', future);
    const first = visitor({ siteKey: hotel.client.siteKey, origin: ORIGIN, identityToken });
    const firstSession = await ready(first);
    const a = await first.send('first visit');
    // Another browser: no visitor token, the same signed user.
    const second = visitor({ siteKey: hotel.client.siteKey, origin: ORIGIN, identityToken });
    const secondSession = await ready(second);
    expect(secondSession.visitorId).not.toBe(firstSession.visitorId);
    const b = await second.send('second visit');
    if (!a.ok || !b.ok) throw new Error('send failed');
    const convs = await rows<{ id: string; lead_id: string }>(
      server,
      'select id, lead_id from conversations where id in (?, ?)',
      [a.data.message.conversationId, b.data.message.conversationId],
    );
    // The lead is found by the signed user id (handle app_user); the conversation stays the visitor's.
    expect(convs).toHaveLength(2);
    expect(convs[0]?.lead_id).toBe(convs[1]?.lead_id);
    expect(JSON.stringify(second.events)).not.toContain('first visit');
  });

  it('verifies server-signed identities when the client requires them', async () => {
    const strict = await createClient(server.db.orm.em.fork(), {
      name: 'Strict Realty',
      industry: 'real_estate',
      allowedOrigins: ['*'],
      config: { requireSignedIdentity: true },
    });
    const v = visitor({ siteKey: strict.client.siteKey, origin: ORIGIN });
    await ready(v);
    const unsigned = await v.socket.timeout(5000).emitWithAck('visitor:identify', { email: 'ceo@bigcorp.example' });
    expect(unsigned.ok).toBe(false);
    if (!unsigned.ok) expect(unsigned.error.code).toBe('unauthorized');

    const future = Math.floor(Date.now() / 1000) + 600;
    const forged = signIdentity('0'.repeat(64), 'user-42', future);
    const refused = await v.socket
      .timeout(5000)
      .emitWithAck('visitor:identify', { email: 'a@b.example', identityToken: forged });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.code).toBe('invalid_signature');

    const expired = signIdentity(strict.client.identitySecret, 'user-42', Math.floor(Date.now() / 1000) - 5);
    const old = await v.socket.timeout(5000).emitWithAck('visitor:identify', { identityToken: expired });
    expect(old.ok).toBe(false);
    if (!old.ok) expect(old.error.message).toMatch(/expired/);

    const good = signIdentity(strict.client.identitySecret, 'user-42', future);
    const ok = await v.socket
      .timeout(5000)
      .emitWithAck('visitor:identify', { name: 'Maria', email: 'Maria@Example.com', identityToken: good });
    if (!ok.ok) throw new Error(ok.error.message);
    const lead = await rows<{ email: string; name: string; handles: Record<string, string> }>(
      server,
      'select email, name, handles from leads where id = ?',
      [ok.data.leadId],
    );
    expect(lead[0]?.email).toBe('maria@example.com');
    expect(lead[0]?.handles.app_user).toBe('user-42');

    // A token in the handshake works too; a bad one is refused at connect.
    const bad = visitor({ siteKey: strict.client.siteKey, origin: ORIGIN, identityToken: forged });
    expect(((await bad.waitFor('connect_error')) as Error).message).toBe('invalid_signature');
  });
});

describe('human mode at the moment of sending (embedded)', () => {
  let server: TestServer;
  let tenant: Awaited<ReturnType<typeof createClient>>;
  const open: Visitor[] = [];

  beforeAll(async () => {
    // Slow streaming so that the takeover lands mid-reply.
    server = await startTestServer({ db: 'embedded', env: { STRUCTURED_CHUNK_DELAY_MS: '80' } });
    tenant = await createClient(server.db.orm.em.fork(), {
      name: 'Sunset Dental',
      industry: 'dental',
      allowedOrigins: ['*'],
    });
  });
  afterAll(async () => {
    for (const v of open) v.close();
    await server?.dispose();
  });

  async function startReply() {
    const v = connectVisitor(server.url, { siteKey: tenant.client.siteKey, origin: ORIGIN });
    open.push(v);
    await v.waitFor('session:ready');
    const ack = await v.send('Hello, how much does teeth whitening cost?');
    if (!ack.ok) throw new Error('send failed');
    const firstDelta = await v.waitFor<{ messageId: string }>('reply:delta');
    return { v, conversationId: ack.data.message.conversationId, messageId: firstDelta.messageId };
  }

  async function aiMessages(conversationId: string) {
    return rows<{ id: string }>(server, `select id from messages where conversation_id = ? and role = 'ai'`, [
      conversationId,
    ]);
  }

  it('stops streaming and stores nothing when staff take over mid-reply', async () => {
    const { v, conversationId, messageId } = await startReply();
    await server.app.conversation.core.setMode(tenant.client.id, conversationId, 'human');
    const aborted = await v.waitFor<{ messageId: string; reason: string }>('reply:aborted');
    expect(aborted).toMatchObject({ messageId, reason: 'human_mode' });
    const deltasAtAbort = v.events.filter(([n]) => n === 'reply:delta').length;
    await server.app.conversation.orchestrator.idle();
    await new Promise((r) => setTimeout(r, 300));
    expect(v.events.filter(([n]) => n === 'reply:delta').length).toBe(deltasAtAbort);
    expect(v.events.some(([n]) => n === 'reply:ended')).toBe(false);
    expect(await aiMessages(conversationId)).toHaveLength(0);
    expect(v.events.some(([n, p]) => n === 'conversation:mode' && (p as { mode: string }).mode === 'human')).toBe(true);

    // Further visitor messages get no AI reply while a human holds the conversation.
    const ack = await v.send('Hello? anyone?');
    expect(ack.ok).toBe(true);
    await server.app.conversation.orchestrator.idle();
    expect(await aiMessages(conversationId)).toHaveLength(0);
  });

  it('notices a takeover written by another process (database) while streaming', async () => {
    const { v, conversationId } = await startReply();
    // Another server process switched the mode: no event reaches this one.
    await rows(server, `update conversations set mode = 'human' where id = ?`, [conversationId]);
    await v.waitFor('reply:aborted');
    await server.app.conversation.orchestrator.idle();
    expect(v.events.some(([n]) => n === 'reply:ended')).toBe(false);
    expect(await aiMessages(conversationId)).toHaveLength(0);
  });
});

describe('rate limits (embedded)', () => {
  let server: TestServer;
  let tenant: Awaited<ReturnType<typeof createClient>>;
  let v: Visitor;

  beforeAll(async () => {
    server = await startTestServer({ db: 'embedded', env: { WIDGET_RATE_VISITOR_PER_MINUTE: '3' } });
    tenant = await createClient(server.db.orm.em.fork(), {
      name: 'Busy Clinic',
      industry: 'dental',
      allowedOrigins: ['*'],
    });
  });
  afterAll(async () => {
    v?.close();
    await server?.dispose();
  });

  it('refuses the visitor’s fourth message in a minute with rate_limited and an error event', async () => {
    v = connectVisitor(server.url, { siteKey: tenant.client.siteKey, origin: ORIGIN });
    const { visitorId } = await v.waitFor<{ visitorId: string }>('session:ready');
    for (let i = 0; i < 3; i++) expect((await v.send(`hello ${i}`)).ok).toBe(true);
    const limited = await v.send('one too many');
    expect(limited.ok).toBe(false);
    if (!limited.ok) {
      expect(limited.error.code).toBe('rate_limited');
      expect(limited.error.message).toMatch(/try again in \d+ s/);
    }
    const event = await v.waitFor<{ code: string }>('error');
    expect(event.code).toBe('rate_limited');
    await server.app.conversation.orchestrator.idle();
    const stored = await rows<{ content: string }>(
      server,
      `select m.content from messages m join conversations c on c.id = m.conversation_id where c.visitor_id = ? and m.role = 'visitor'`,
      [visitorId],
    );
    expect(stored.map((r) => r.content).sort()).toEqual(['hello 0', 'hello 1', 'hello 2']);
  });
});
