import type { MessageDto } from '@leaddesk/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../src/tenants/tenant-service.js';
import { type AuthTestServer, startAuthServer } from './auth/support.js';
import { defaultScript, type FakeAiServer, startFakeAnthropic, toolName } from './support/fake-ai-servers.js';
import { connectStaff, type StaffClient } from './support/staff-client.js';
import { connectVisitor, type Visitor } from './support/widget-client.js';

/**
 * "Suggest reply" with the AI engine: the real Anthropic SDK streams from a
 * local server speaking the Messages API, and the draft reaches the staff
 * member's socket delta by delta without being stored or sent to the visitor.
 */
describe('copilot with the AI engine', () => {
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
});
