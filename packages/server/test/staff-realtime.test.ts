import type { MessageDto, StaffConversationDto, StaffMember, StaffMessageDto, TimelineEvent } from '@leaddesk/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../src/tenants/tenant-service.js';
import { type AuthTestServer, type MailCatcher, startAuthServer, startMailCatcher } from './auth/support.js';
import { connectStaff, type StaffClient } from './support/staff-client.js';
import { connectVisitor, sessionOf, type Visitor } from './support/widget-client.js';

/**
 * The `/staff` namespace end to end: real socket.io-client sockets (staff and
 * visitors) against a real server on real PostgreSQL, with the structured
 * engine streaming replies slowly enough to take over mid-stream.
 */
describe('/staff namespace', () => {
  let t: AuthTestServer;
  let mail: MailCatcher;
  let dental: Awaited<ReturnType<typeof createClient>>;
  let hotel: Awaited<ReturnType<typeof createClient>>;
  const tokens: Record<string, { token: string; userId: string; name: string }> = {};
  const open: Array<StaffClient | Visitor> = [];

  const staff = (who: string) => {
    const s = connectStaff(t.server.url, { token: tokens[who]?.token ?? 'x'.repeat(20) });
    open.push(s);
    return s;
  };
  const connected = async (who: string) => {
    const s = staff(who);
    await s.waitFor('connect');
    return s;
  };
  const visitor = (siteKey: string) => {
    const v = connectVisitor(t.server.url, { siteKey, origin: 'https://site.example' });
    open.push(v);
    return v;
  };
  /** A visitor of `client` who has written once (and got the AI's reply). */
  const conversationOf = async (siteKey: string, text = 'Hello, I would like an appointment') => {
    const v = visitor(siteKey);
    await v.waitFor('session:ready');
    const ack = await v.send(text);
    if (!ack.ok) throw new Error(ack.error.message);
    await v.waitFor('reply:ended');
    return { v, conversationId: ack.data.message.conversationId };
  };
  const rows = <T>(sql: string, params: unknown[] = []) => t.server.db.orm.em.getConnection().execute<T[]>(sql, params);
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  beforeAll(async () => {
    mail = await startMailCatcher();
    t = await startAuthServer({
      db: 'postgres',
      // Replies stream slowly enough that a takeover after the first delta lands mid-stream even on a busy
      // machine (at 40 ms a chunk the whole reply was sometimes stored before the takeover arrived).
      env: { STRUCTURED_CHUNK_DELAY_MS: '150', STAFF_REPLY_MINUTE_MS: '400', SMTP_URL: mail.url },
    });
    const em = () => t.server.db.orm.em.fork();
    dental = await createClient(em(), {
      name: 'Sunset Dental',
      industry: 'dental',
      allowedOrigins: ['*'],
      config: { escalation: { noStaffReplyMinutes: 1 } },
    });
    hotel = await createClient(em(), { name: 'Casa Azul', industry: 'hotel', allowedOrigins: ['*'] });
    const people: Array<[string, typeof dental, 'admin' | 'manager' | 'agent' | 'viewer', string]> = [
      ['anna', dental, 'agent', 'Anna Lopez'],
      ['ben', dental, 'agent', 'Ben Ortiz'],
      ['mia', dental, 'manager', 'Mia Chen'],
      ['vic', dental, 'viewer', 'Vic Viewer'],
      ['hugo', hotel, 'agent', 'Hugo Hotel'],
    ];
    for (const [key, c, role, name] of people) {
      const created = await t.createStaff({ client: c.client, role, name, email: `${key}@${c.client.slug}.example` });
      const session = await t.login(created.email, created.password);
      tokens[key] = { token: session.accessToken, userId: created.user.id, name };
    }
  }, 60_000);

  afterAll(async () => {
    for (const s of open) s.close();
    await t?.server.dispose();
    await mail?.close();
  });

  it('refuses a handshake without a valid staff token', async () => {
    const s = connectStaff(t.server.url, { token: 'not-a-real-token-at-all' });
    open.push(s);
    const err = await s.waitFor<Error & { data: { code: string } }>('connect_error');
    expect(err.message).toBe('unauthorized');
    const none = connectStaff(t.server.url, {} as { token: string });
    open.push(none);
    expect(((await none.waitFor('connect_error')) as Error).message).toBe('unauthorized');
  });

  it('shows a new conversation and its messages live to staff of the same client only', async () => {
    const anna = await connected('anna');
    const hugo = await connected('hugo');
    const { conversationId } = await conversationOf(dental.client.siteKey, 'Do you do teeth whitening?');
    const created = await anna.waitFor<{ conversation: StaffConversationDto; changes: string[] }>(
      'conversation:updated',
      (p) => p.conversation.id === conversationId,
    );
    expect(created.conversation.channel).toBe('web');
    expect(created.conversation.mode).toBe('ai');
    const msg = await anna.waitFor<{ message: StaffMessageDto }>(
      'message:created',
      (p) => p.message.conversationId === conversationId && p.message.role === 'visitor',
    );
    expect(msg.message.content).toBe('Do you do teeth whitening?');
    await anna.waitFor<{ message: StaffMessageDto }>(
      'message:created',
      (p) => p.message.conversationId === conversationId && p.message.role === 'ai',
    );
    // Tenant isolation: the hotel's staff saw none of it, and cannot open it.
    await sleep(200);
    const leaked = hugo.events.filter(([, p]) => JSON.stringify(p ?? '').includes(conversationId));
    expect(leaked).toEqual([]);
    const refused = await hugo.call('conversation:open', { conversationId });
    expect(refused).toMatchObject({ ok: false, error: { code: 'not_found' } });
    // And a hotel conversation never reaches the dental staff.
    const hotelConv = await conversationOf(hotel.client.siteKey, 'A room for two please');
    await hugo.waitFor(
      'message:created',
      (p: { message: MessageDto }) => p.message.conversationId === hotelConv.conversationId,
    );
    await sleep(200);
    expect(anna.events.filter(([, p]) => JSON.stringify(p ?? '').includes(hotelConv.conversationId))).toEqual([]);
  });

  it('refuses a viewer who tries to take over or send, and changes nothing', async () => {
    const { conversationId } = await conversationOf(dental.client.siteKey);
    const vic = await connected('vic');
    const opened = await vic.call('conversation:open', { conversationId });
    expect(opened.ok).toBe(true);
    const takeover = await vic.call('conversation:takeover', { conversationId });
    expect(takeover).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const send = await vic.call('message:send', { conversationId, clientMessageId: 'viewer-msg-1', content: 'hi' });
    expect(send).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const note = await vic.call('note:create', { conversationId, content: 'secret' });
    expect(note).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const [conv] = await rows<{ mode: string }>('select mode from conversations where id = ?', [conversationId]);
    expect(conv?.mode).toBe('ai');
    const [count] = await rows<{ n: string }>(
      `select count(*) as n from messages where conversation_id = ? and role in ('staff', 'note')`,
      [conversationId],
    );
    expect(Number(count?.n)).toBe(0);
  });

  it('applies a role change at the next event and ends the socket when the session signs out', async () => {
    const temp = await t.createStaff({ client: dental.client, role: 'agent', name: 'Tess Temp' });
    const { accessToken } = await t.login(temp.email, temp.password);
    const s = connectStaff(t.server.url, { token: accessToken });
    open.push(s);
    await s.waitFor('connect');
    const { conversationId } = await conversationOf(dental.client.siteKey);
    await t.server.db.orm.em.getConnection().execute(`update users set role = 'viewer' where id = ?`, [temp.user.id]);
    expect(await s.call('conversation:takeover', { conversationId })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect((await t.api('/auth/logout-all', { token: accessToken, body: {} })).status).toBe(200);
    expect(await s.call('conversation:open', { conversationId })).toMatchObject({
      ok: false,
      error: { code: 'unauthorized' },
    });
    await s.waitFor('disconnect');
  });

  it('rejects bad payloads with validation_failed', async () => {
    const anna = await connected('anna');
    const res = await anna.call('conversation:takeover', { conversationId: 'nope' });
    expect(res).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
    expect(res.error.message).toContain('conversationId');
  });

  it('stops the AI mid-stream on takeover; the visitor sees who joined and gets the staff message', async () => {
    const v = visitor(dental.client.siteKey);
    await v.waitFor('session:ready');
    const first = await v.send('Hi there');
    if (!first.ok) throw new Error('send failed');
    const conversationId = first.data.message.conversationId;
    await v.waitFor('reply:ended');
    const anna = await connected('anna');
    expect((await anna.call('conversation:open', { conversationId })).ok).toBe(true);
    // Opening it is a read receipt for the visitor.
    expect(await v.waitFor('message:read')).toEqual({ upToSeq: 2, by: 'staff' });
    // A long answer streams in 150 ms chunks; take over after the first delta.
    const second = await v.send('What are your opening hours and which services do you offer, and prices?');
    expect(second.ok).toBe(true);
    const delta = await anna.waitFor<{ messageId: string }>('reply:delta', (p) => Boolean(p.messageId));
    const taken = await anna.call('conversation:takeover', { conversationId });
    expect(taken.ok).toBe(true);
    expect(taken.data.conversation).toMatchObject({ mode: 'human', holder: { userId: tokens.anna?.userId } });
    const aborted = await v.waitFor<{ messageId: string; reason: string }>('reply:aborted');
    expect(aborted).toMatchObject({ messageId: delta.messageId, reason: 'human_mode' });
    await anna.waitFor('reply:aborted', (p: { messageId: string }) => p.messageId === delta.messageId);
    expect(await v.waitFor('staff:joined')).toEqual({ name: 'Anna Lopez' });
    expect(await v.waitFor('conversation:mode')).toMatchObject({ mode: 'human' });
    await sleep(300);
    const stored = await rows<{ id: string }>('select id from messages where id = ?', [delta.messageId]);
    expect(stored).toEqual([]);

    const sent = await anna.call('message:send', {
      conversationId,
      clientMessageId: 'anna-msg-0001',
      content: 'Hi, Anna here!',
    });
    expect(sent).toMatchObject({
      ok: true,
      data: { duplicate: false, message: { role: 'staff', sender: { name: 'Anna Lopez' } } },
    });
    const received = await v.waitFor<{ message: MessageDto }>('message:created', (p) => p.message.role === 'staff');
    expect(received.message.content).toBe('Hi, Anna here!');
    const again = await anna.call('message:send', {
      conversationId,
      clientMessageId: 'anna-msg-0001',
      content: 'Hi, Anna here!',
    });
    expect(again).toMatchObject({ ok: true, data: { duplicate: true, message: { id: sent.data.message.id } } });

    // While a human holds it, a visitor message gets no AI reply.
    await v.send('Great, thanks');
    await sleep(400);
    expect(v.events.filter(([n]) => n === 'reply:started').length).toBe(2);

    // Typing both ways.
    anna.socket.emit('staff:typing', { conversationId, typing: true });
    expect(await v.waitFor('staff:typing')).toEqual({ name: 'Anna Lopez', typing: true });
    v.socket.emit('visitor:typing', { typing: true });
    expect(await anna.waitFor('visitor:typing')).toEqual({ conversationId, typing: true });

    // Hand back: the AI answers again.
    const back = await anna.call('conversation:handback', { conversationId });
    expect(back).toMatchObject({ ok: true, data: { conversation: { mode: 'ai', holder: null } } });
    expect(await v.waitFor('staff:left')).toEqual({ name: 'Anna Lopez' });
    const third = await v.send('One more question: do you take insurance?');
    if (!third.ok) throw new Error('send failed');
    await v.waitFor('reply:ended', (p: { message: MessageDto }) => p.message.seq > third.data.message.seq);
  });

  it('shows two staff each other’s presence; only the holder sends, the other takes over explicitly', async () => {
    const { v, conversationId } = await conversationOf(dental.client.siteKey);
    const anna = await connected('anna');
    const ben = await connected('ben');
    await anna.call('conversation:open', { conversationId });
    const benOpen = await ben.call('conversation:open', { conversationId });
    expect(benOpen.data.presence.map((m: StaffMember) => m.name).sort()).toEqual(['Anna Lopez', 'Ben Ortiz']);
    const seen = await anna.waitFor<{ staff: StaffMember[] }>('staff:presence', (p) => p.staff.length === 2);
    expect(seen.staff.map((m) => m.userId).sort()).toEqual([tokens.anna?.userId, tokens.ben?.userId].sort());

    // In AI mode nobody sends without taking over.
    const early = await ben.call('message:send', { conversationId, clientMessageId: 'ben-early-01', content: 'hello' });
    expect(early).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect((await anna.call('conversation:takeover', { conversationId })).ok).toBe(true);
    const refused = await ben.call('message:send', {
      conversationId,
      clientMessageId: 'ben-msg-0001',
      content: 'me too',
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(refused.error.message).toContain('Anna Lopez');
    expect((await ben.call('conversation:takeover', { conversationId })).data.conversation.holder.name).toBe(
      'Ben Ortiz',
    );
    expect(
      (await ben.call('message:send', { conversationId, clientMessageId: 'ben-msg-0002', content: 'Ben here' })).ok,
    ).toBe(true);
    const annaLate = await anna.call('message:send', { conversationId, clientMessageId: 'anna-late-1', content: 'x' });
    expect(annaLate).toMatchObject({ ok: false, error: { code: 'conflict' } });
    await v.waitFor('message:created', (p: { message: MessageDto }) => p.message.content === 'Ben here');

    // Ben closes the conversation: Anna sees she is alone.
    await ben.call('conversation:close', { conversationId });
    const alone = await anna.waitFor<{ staff: StaffMember[] }>('staff:presence', (p) => p.staff.length === 1);
    expect(alone.staff[0]?.name).toBe('Anna Lopez');
  });

  it('records takeover, assignment and hand-back as staff-only history that survives a reopen', async () => {
    const { v, conversationId } = await conversationOf(dental.client.siteKey);
    const anna = await connected('anna');
    const mia = await connected('mia');
    const ben = await connected('ben');
    const hugo = await connected('hugo');
    const recorded = (who: StaffClient) =>
      who.events
        .filter(
          ([n, p]) =>
            n === 'conversation:event_recorded' &&
            (p as { event: TimelineEvent }).event.conversationId === conversationId,
        )
        .map(([, p]) => (p as { event: TimelineEvent }).event);
    const next = (who: StaffClient, kind: string) =>
      who.waitFor<{ event: TimelineEvent }>(
        'conversation:event_recorded',
        (p) => p.event.conversationId === conversationId && p.event.kind === kind,
      );

    expect((await anna.call('conversation:takeover', { conversationId })).ok).toBe(true);
    const takeover = await next(ben, 'takeover');
    expect(takeover.event).toMatchObject({ kind: 'takeover', actor: { name: 'Anna Lopez' }, subject: null });
    // Taking over what you already hold records nothing more.
    expect((await anna.call('conversation:takeover', { conversationId })).ok).toBe(true);
    // Assigned and unassigned at once (the no-reply timer finds the assignment gone).
    expect((await mia.call('conversation:assign', { conversationId, assigneeId: tokens.ben?.userId })).ok).toBe(true);
    expect((await mia.call('conversation:assign', { conversationId, assigneeId: null })).ok).toBe(true);
    const assigned = await next(anna, 'assigned');
    expect(assigned.event).toMatchObject({ actor: { name: 'Mia Chen' }, subject: { name: 'Ben Ortiz' } });
    expect((await next(anna, 'unassigned')).event).toMatchObject({
      actor: { name: 'Mia Chen' },
      subject: { name: 'Ben Ortiz' },
    });
    expect((await anna.call('conversation:handback', { conversationId })).ok).toBe(true);
    await next(ben, 'handback');
    await sleep(200);
    // The takeover also stops the follow-up sequence the AI's last word started (issue 14): its own line.
    const history = recorded(ben).filter((e) => !e.kind.startsWith('follow_up'));
    expect(history.map((e) => e.kind)).toEqual(['takeover', 'assigned', 'unassigned', 'handback']);

    // Durable: a teammate opening the conversation later gets the same history, in order.
    const opened = await ben.call('conversation:open', { conversationId });
    expect(opened.data.events).toEqual(recorded(ben));
    const stored = await rows<{ kind: string; actor_id: string }>(
      "select kind, actor_id from conversation_events where conversation_id = ? and kind not like 'follow_up%' order by created_at",
      [conversationId],
    );
    expect(stored).toEqual([
      { kind: 'takeover', actor_id: tokens.anna?.userId },
      { kind: 'assigned', actor_id: tokens.mia?.userId },
      { kind: 'unassigned', actor_id: tokens.mia?.userId },
      { kind: 'handback', actor_id: tokens.anna?.userId },
    ]);

    // Another client's staff got none of it.
    expect(JSON.stringify(hugo.events)).not.toContain(conversationId);
    // The visitor saw who joined and left, and nothing of the staff-only history: no assignment,
    // no names but the one who talked to them, and no extra message stored or replayed.
    expect(v.events.map(([n]) => n)).toEqual(expect.arrayContaining(['staff:joined', 'staff:left']));
    expect(v.events.some(([n]) => n === 'conversation:event_recorded')).toBe(false);
    for (const hidden of ['Mia Chen', 'Ben Ortiz', 'assigned', 'took over']) {
      expect(JSON.stringify(v.events)).not.toContain(hidden);
    }
    const messages = await rows<{ role: string }>('select role from messages where conversation_id = ? order by seq', [
      conversationId,
    ]);
    expect(messages.map((m) => m.role)).toEqual(['visitor', 'ai']);
    const again = connectVisitor(t.server.url, {
      siteKey: dental.client.siteKey,
      origin: 'https://x.example',
      visitorToken: (await sessionOf(v)).visitorToken,
    });
    open.push(again);
    await again.waitFor('session:ready');
    await sleep(200);
    expect(JSON.stringify(again.events)).not.toMatch(/Mia Chen|Ben Ortiz|took over|Handed back/);
  });

  it('keeps internal notes from the visitor and tells mentioned teammates', async () => {
    const { v, conversationId } = await conversationOf(dental.client.siteKey);
    const anna = await connected('anna');
    const ben = await connected('ben');
    const note = await anna.call('note:create', { conversationId, content: 'VIP patient, @ben please call back' });
    expect(note).toMatchObject({ ok: true, data: { message: { role: 'note' }, mentioned: [{ name: 'Ben Ortiz' }] } });
    const mention = await ben.waitFor<{ conversationId: string; by: StaffMember }>('note:mentioned');
    expect(mention).toMatchObject({ conversationId, by: { name: 'Anna Lopez' } });
    await anna.waitFor('message:created', (p: { message: StaffMessageDto }) => p.message.role === 'note');
    // A later visitor-visible message proves the widget socket is still being served.
    await anna.call('conversation:takeover', { conversationId });
    await anna.call('message:send', { conversationId, clientMessageId: 'after-note-01', content: 'visible' });
    await v.waitFor('message:created', (p: { message: MessageDto }) => p.message.content === 'visible');
    expect(JSON.stringify(v.events)).not.toContain('VIP patient');
    // The replay of a reconnecting visitor has no note either.
    const again = connectVisitor(t.server.url, {
      siteKey: dental.client.siteKey,
      origin: 'https://x.example',
      visitorToken: (await sessionOf(v)).visitorToken,
    });
    open.push(again);
    await again.waitFor('message:created', (p: { message: MessageDto }) => p.message.content === 'visible');
    expect(JSON.stringify(again.events)).not.toContain('VIP patient');
    // Staff see it when opening the conversation.
    const opened = await ben.call('conversation:open', { conversationId });
    expect(opened.data.messages.find((m: StaffMessageDto) => m.role === 'note')).toMatchObject({
      content: 'VIP patient, @ben please call back',
      sender: { name: 'Anna Lopez' },
    });
  });

  it('escalates (and emails) when the assignee does not reply in time, not when they do', async () => {
    const mia = await connected('mia');
    const ben = await connected('ben');
    const agent = await connected('anna');
    expect(
      (
        await agent.call('conversation:assign', {
          conversationId: '00000000-0000-4000-8000-000000000000',
          assigneeId: null,
        })
      ).error.code,
    ).toBe('forbidden');
    const silent = await conversationOf(dental.client.siteKey);
    const answered = await conversationOf(dental.client.siteKey);
    const a1 = await mia.call('conversation:assign', {
      conversationId: silent.conversationId,
      assigneeId: tokens.ben?.userId,
    });
    expect(a1).toMatchObject({ ok: true, data: { conversation: { assignee: { name: 'Ben Ortiz' } } } });
    expect(await ben.waitFor('conversation:assigned')).toMatchObject({
      conversationId: silent.conversationId,
      by: { name: 'Mia Chen' },
    });
    await mia.call('conversation:assign', { conversationId: answered.conversationId, assigneeId: tokens.ben?.userId });
    await ben.call('conversation:takeover', { conversationId: answered.conversationId });
    await ben.call('message:send', {
      conversationId: answered.conversationId,
      clientMessageId: 'ben-answer-1',
      content: 'On it!',
    });

    // One "minute" is 400 ms in this server.
    const escalation = await mia.waitFor<{ conversationId: string; reason: string; detail: string }>(
      'escalation:created',
      (p) => p.conversationId === silent.conversationId,
      8000,
    );
    expect(escalation.reason).toBe('no_staff_reply');
    expect(escalation.detail).toContain('Ben Ortiz');
    // The assignee is told; admins and managers get the email channel's escalation alert.
    const mine = await mail.waitFor((m) => m.subject === '[Sunset Dental] Conversation escalated: no staff reply');
    expect(mine.to).toEqual([`ben@${dental.client.slug}.example`]);
    expect(mine.text).toContain(silent.conversationId);
    const alert = await mail.waitFor(
      (m) => m.to.includes(`mia@${dental.client.slug}.example`) && m.text.includes(silent.conversationId),
    );
    expect(alert.to).not.toContain(`ben@${dental.client.slug}.example`);
    await sleep(1000);
    // One email to the assignee, one alert to the manager: nobody is mailed twice.
    const toBen = mail.messages.filter((m) => m.to.includes(`ben@${dental.client.slug}.example`));
    const toMia = mail.messages.filter((m) => m.to.includes(`mia@${dental.client.slug}.example`));
    expect([toBen.length, toMia.length]).toEqual([1, 1]);
    const escalated = await rows<{ conversation_id: string }>(
      `select conversation_id from escalations where reason = 'no_staff_reply'`,
    );
    expect(escalated.map((r) => r.conversation_id)).toEqual([silent.conversationId]);
    const [conv] = await rows<{ status: string }>('select status from conversations where id = ?', [
      silent.conversationId,
    ]);
    expect(conv?.status).toBe('escalated');
    // The escalation is a line of the conversation's timeline.
    const opened = await mia.call('conversation:open', { conversationId: silent.conversationId });
    expect(opened.data.escalations).toMatchObject([{ reason: 'no_staff_reply', priority: 'high', status: 'pending' }]);
  });

  it('streams a suggested reply into the composer and records what became of it', async () => {
    const { conversationId } = await conversationOf(dental.client.siteKey, 'Do you offer teeth whitening?');
    const anna = await connected('anna');
    const vic = await connected('vic');
    expect((await vic.call('copilot:suggest', { conversationId })).error.code).toBe('forbidden');
    const res = await anna.call('copilot:suggest', { conversationId });
    expect(res.ok).toBe(true);
    const { suggestionId, draft } = res.data as { suggestionId: string; draft: string };
    expect(draft.length).toBeGreaterThan(10);
    const deltas = anna.events
      .filter(([n, p]) => n === 'suggestion:delta' && (p as { suggestionId: string }).suggestionId === suggestionId)
      .map(([, p]) => (p as { text: string }).text);
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('').trim()).toBe(draft);
    // With a knowledge base, the draft cites it.
    const miaToken = tokens.mia?.token;
    const kb = await t.api('/knowledge-bases', { token: miaToken, body: { name: 'Treatments' } });
    expect(kb.status).toBe(201);
    const faq = await t.api(`/knowledge-bases/${kb.body.id}/faqs`, {
      token: miaToken,
      body: { question: 'Do you offer teeth whitening?', answer: 'Yes, in-office whitening in one hour.' },
    });
    expect([201, 202]).toContain(faq.status);
    const cited = await anna.call('copilot:suggest', { conversationId });
    expect(cited.data.citations).toContainEqual({ title: 'Do you offer teeth whitening?', source: 'knowledge' });
    await anna.call('suggestion:discard', { suggestionId: cited.data.suggestionId });
    // Nothing was stored in the conversation by the draft.
    const [count] = await rows<{ n: string }>(`select count(*) as n from messages where conversation_id = ?`, [
      conversationId,
    ]);
    expect(Number(count?.n)).toBe(2);

    await anna.call('conversation:takeover', { conversationId });
    await anna.call('message:send', { conversationId, clientMessageId: 'sugg-asis-1', content: draft, suggestionId });
    const edited = (await anna.call('copilot:suggest', { conversationId })).data.suggestionId;
    await anna.call('message:send', {
      conversationId,
      clientMessageId: 'sugg-edit-1',
      content: 'Yes! We do, from 199 EUR.',
      suggestionId: edited,
    });
    const dropped = (await anna.call('copilot:suggest', { conversationId })).data.suggestionId;
    expect((await anna.call('suggestion:discard', { suggestionId: dropped })).ok).toBe(true);
    const outcomes = await rows<{ id: string; outcome: string }>(
      'select id, outcome from copilot_suggestions where conversation_id = ?',
      [conversationId],
    );
    const byId = Object.fromEntries(outcomes.map((o) => [o.id, o.outcome]));
    expect(byId).toEqual({
      [suggestionId]: 'sent_as_is',
      [edited]: 'edited',
      [dropped]: 'discarded',
      [cited.data.suggestionId]: 'discarded',
    });
  });

  it('sends staff messages on the lead’s own channel through its outbound sender, never notes', async () => {
    const sent: Array<{ conversationId: string; content: string; role: string; phone: string | null }> = [];
    const off = t.server.app.conversation.outbound.register({
      channel: 'whatsapp',
      async send({ lead, conversationId, message }) {
        sent.push({ conversationId, content: message.content, role: message.role, phone: lead?.phone ?? null });
      },
    });
    try {
      const { Client } = await import('../src/db/entities/index.js');
      const client = await t.server.db.orm.em.fork().findOneOrFail(Client, { id: dental.client.id });
      const inbound = await t.server.app.conversation.core.receiveInbound({
        client,
        channel: 'whatsapp',
        contact: { phone: '+34612345678', name: 'Lucia' },
        externalId: 'wamid.staff-test-1',
        content: 'Hola, quiero una cita',
        requestReply: false,
      });
      const conversationId = inbound.conversation.id;
      const anna = await connected('anna');
      await anna.call('conversation:takeover', { conversationId });
      await anna.call('note:create', { conversationId, content: 'internal only' });
      const res = await anna.call('message:send', {
        conversationId,
        clientMessageId: 'wa-staff-0001',
        content: 'Hola Lucia, soy Anna',
      });
      expect(res.ok).toBe(true);
      expect(sent).toEqual([{ conversationId, content: 'Hola Lucia, soy Anna', role: 'staff', phone: '+34612345678' }]);
    } finally {
      off();
    }
  });
});
