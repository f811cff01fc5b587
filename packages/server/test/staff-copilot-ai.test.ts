import type { MessageDto } from '@leaddesk/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../src/tenants/tenant-service.js';
import { type AuthTestServer, startAuthServer } from './auth/support.js';
import { defaultScript, type FakeAiServer, startFakeAnthropic, toolName } from './support/fake-ai-servers.js';
import { connectStaff, type StaffClient } from './support/staff-client.js';
import { connectVisitor, sessionOf, type Visitor } from './support/widget-client.js';

/**
 * The AI engine (the real Anthropic SDK against a local server speaking the
 * Messages API) where it meets staff and the knowledge base: "Suggest reply"
 * drafts reach the staff member's socket delta by delta without being stored
 * or sent to the visitor; sockets joining mid-reply get the text so far; a
 * tenant's knowledge base is consulted (and the visitor told so) only when it
 * has one. Deployment without an OpenAI key: full-text knowledge search.
 */
describe('AI engine with staff, reconnections and the knowledge base', () => {
  let t: AuthTestServer;
  let anthropic: FakeAiServer;
  const open: Array<StaffClient | Visitor> = [];

  beforeAll(async () => {
    anthropic = await startFakeAnthropic();
    t = await startAuthServer({
      db: 'postgres',
      env: {
        ANTHROPIC_API_KEY: 'sk-ant-test-key-0123456789',
        ANTHROPIC_BASE_URL: anthropic.url,
        AI_MAX_RETRIES: '0',
        AI_REQUEST_TIMEOUT_MS: '5000',
      },
    });
  }, 60_000);
  afterAll(async () => {
    for (const s of open) s.close();
    await t?.server.dispose();
    await anthropic?.close();
  });

  it('streams the model’s draft into the composer and stores nothing', async () => {
    const dental = await createClient(t.server.db.orm.em.fork(), {
      name: 'AI Dental',
      industry: 'dental',
      allowedOrigins: ['*'],
    });
    const staff = await t.createStaff({ client: dental.client, role: 'agent', name: 'Anna' });
    const { accessToken } = await t.login(staff.email, staff.password);
    const v = connectVisitor(t.server.url, { siteKey: dental.client.siteKey, origin: 'https://x.example' });
    open.push(v);
    await v.waitFor('session:ready');
    const sent = await v.send('Do you do implants?');
    if (!sent.ok) throw new Error(sent.error.message);
    await v.waitFor('reply:ended');
    const conversationId = sent.data.message.conversationId;

    const draft = ['Yes, ', 'we place ', 'implants ', 'every week.'];
    anthropic.respond((r) =>
      toolName(r) === 'record_qualification' ? { ...defaultScript(r), kind: 'stream', text: draft } : defaultScript(r),
    );
    const before = anthropic.requests.length;
    const s = connectStaff(t.server.url, { token: accessToken });
    open.push(s);
    await s.waitFor('connect');
    const res = await s.call('copilot:suggest', { conversationId });
    expect(res.ok).toBe(true);
    expect(res.data.draft).toBe(draft.join(''));
    expect(anthropic.requests.length).toBeGreaterThan(before);
    const deltas = s.events.filter(([n]) => n === 'suggestion:delta').map(([, p]) => (p as { text: string }).text);
    expect(deltas).toEqual(draft);
    // A draft, not a reply: the visitor got nothing and nothing was stored.
    await new Promise((r) => setTimeout(r, 300));
    const stored = await t.server.db.orm.em
      .getConnection()
      .execute<MessageDto[]>('select content from messages where conversation_id = ? order by seq', [conversationId]);
    expect(stored).toHaveLength(2);
    expect(v.events.filter(([n]) => n === 'reply:started')).toHaveLength(1);
  });

  it('a visitor reconnecting mid-reply and a staff member opening mid-reply get the text so far, then the rest, once', async () => {
    const dental = await createClient(t.server.db.orm.em.fork(), {
      name: 'Live Dental',
      industry: 'dental',
      allowedOrigins: ['*'],
    });
    const staff = await t.createStaff({ client: dental.client, role: 'agent', name: 'Ben' });
    const { accessToken } = await t.login(staff.email, staff.password);
    // A slow provider: one word every 80 ms, so both join while it streams.
    const words = Array.from({ length: 24 }, (_, i) => `word${i} `);
    anthropic.respond((r) =>
      toolName(r) === 'record_qualification'
        ? { ...defaultScript(r), kind: 'stream', text: words, delayMs: 80 }
        : defaultScript(r),
    );
    const first = connectVisitor(t.server.url, { siteKey: dental.client.siteKey, origin: 'https://x.example' });
    open.push(first);
    const ready = await sessionOf(first);
    const sent = await first.send('Tell me about implants, whitening and cleaning');
    if (!sent.ok) throw new Error(sent.error.message);
    const conversationId = sent.data.message.conversationId;
    await first.waitFor<{ index: number }>('reply:delta', (p) => p.index >= 3);
    // The visitor's connection drops mid-sentence and comes back (a new socket, as after a network change).
    first.close();
    const again = connectVisitor(t.server.url, {
      siteKey: dental.client.siteKey,
      origin: 'https://x.example',
      visitorToken: ready.visitorToken,
      lastSeq: sent.data.message.seq,
    });
    open.push(again);
    const s = connectStaff(t.server.url, { token: accessToken });
    open.push(s);
    await s.waitFor('connect');
    const opened = await s.call('conversation:open', { conversationId });
    if (!opened.ok) throw new Error(opened.error.message);
    const ended = await again.waitFor<{ messageId: string; message: MessageDto }>('reply:ended', undefined, 15_000);
    const final = ended.message.content;

    // The reconnected visitor: reply:started, then every delta by index; put together, exactly the reply.
    const started = again.events.findIndex(([n]) => n === 'reply:started');
    expect(started).toBeGreaterThanOrEqual(0);
    const deltas = again.events
      .filter(([n]) => n === 'reply:delta')
      .map(([, p]) => p as { messageId: string; index: number; text: string });
    expect(deltas.every((d) => d.messageId === ended.messageId)).toBe(true);
    // The catch-up came first and started at the beginning, not where the visitor dropped off.
    expect(deltas[0]?.index).toBe(0);
    const parts: string[] = [];
    for (const d of deltas) parts[d.index] = d.text;
    expect(parts.join('').trim()).toBe(final);
    expect(parts.filter((p) => p !== undefined).length).toBe(parts.length);

    // The staff member: the text so far with the answer, and the live deltas after it complete it.
    const live = opened.data.streaming;
    expect(live?.messageId).toBe(ended.messageId);
    expect(live?.text.length).toBeGreaterThan(0);
    expect(final.startsWith(live?.text.trim() ?? '\u0000')).toBe(true);
    const staffDeltas = s.events
      .filter(([n, p]) => n === 'reply:delta' && (p as { messageId: string }).messageId === ended.messageId)
      .map(([, p]) => (p as { text: string }).text);
    expect(((live?.text ?? '') + staffDeltas.join('')).trim()).toBe(final);
    // Once the reply is stored there is nothing live to catch up on.
    await t.server.app.conversation.orchestrator.idle();
    const later = await s.call('conversation:open', { conversationId });
    expect(later.ok && later.data.streaming).toBe(null);
  });

  it('looks the question up in the tenant’s knowledge base (and says so) only when it has one', async () => {
    anthropic.respond(defaultScript);
    const api = (path: string, key: string, json: unknown) =>
      fetch(`${t.server.url}/api/v1${path}`, {
        method: 'POST',
        body: JSON.stringify(json),
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      });
    const askAs = async (siteKey: string, question: string) => {
      const v = connectVisitor(t.server.url, { siteKey, origin: 'https://x.example' });
      open.push(v);
      await v.waitFor('session:ready');
      const sent = await v.send(question);
      if (!sent.ok) throw new Error(sent.error.message);
      await v.waitFor('reply:ended', undefined, 15_000);
      return v.events.filter(([n]) => n === 'ai:status').map(([, p]) => (p as { status: string }).status);
    };
    const withKb = await createClient(t.server.db.orm.em.fork(), {
      name: 'Parking Dental',
      industry: 'dental',
      allowedOrigins: ['*'],
    });
    const kb = await api('/knowledge-bases', withKb.apiKey, { name: 'Clinic', language: 'english' });
    expect(kb.status).toBe(201);
    const kbId = ((await kb.json()) as { id: string }).id;
    const faq = await api(`/knowledge-bases/${kbId}/faqs`, withKb.apiKey, {
      question: 'Is there parking at the clinic?',
      answer: 'Yes: free parking behind the building, entrance on Mill Lane.',
    });
    expect(faq.status, await faq.clone().text()).toBe(201);
    expect(await askAs(withKb.client.siteKey, 'Is there parking near the clinic?')).toContain('looking_up');
    const system = anthropic
      .replyRequests()
      .at(-1)
      ?.body.system?.map((b: { text: string }) => b.text)
      .join('\n');
    expect(system).toContain('free parking behind the building');

    // A tenant without a knowledge base: nothing to look up, so no "looking it up" on the visitor's screen.
    const withoutKb = await createClient(t.server.db.orm.em.fork(), {
      name: 'Plain Dental',
      industry: 'dental',
      allowedOrigins: ['*'],
    });
    const plain = await askAs(withoutKb.client.siteKey, 'Is there parking near the clinic?');
    expect(plain).toContain('thinking');
    expect(plain).not.toContain('looking_up');
  });
});
