import { can, STAFF_COMMAND_ACTIONS, type StaffClientToServer } from '@leaddesk/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../src/tenants/tenant-service.js';
import { type AuthTestServer, startAuthServer } from '../auth/support.js';
import { connectStaff, type StaffClient } from '../support/staff-client.js';
import { connectVisitor, type Visitor } from '../support/widget-client.js';

/**
 * The staff socket under agencies (issue 18), end to end with real sockets:
 * agency staff connect for any client of their agency with one sign-in, act
 * there with their role, and every command naming another agency's
 * conversation is "not found" and changes nothing. A client moved out of the
 * agency is gone from the open socket at the next command.
 */
describe('/staff namespace for agency staff', () => {
  let t: AuthTestServer;
  const open: Array<StaffClient | Visitor> = [];
  let a1: Awaited<ReturnType<typeof createClient>>;
  let a2: Awaited<ReturnType<typeof createClient>>;
  let b1: Awaited<ReturnType<typeof createClient>>;
  const token: Record<string, string> = {};
  const conversation: Record<string, string> = {};
  let superToken: string;

  const staff = (who: string, clientId?: string) => {
    const s = connectStaff(t.server.url, { token: token[who]!, ...(clientId ? { clientId } : {}) });
    open.push(s);
    return s;
  };
  const refusal = (s: StaffClient) =>
    new Promise<{ code?: string }>((resolve, reject) => {
      s.socket.once('connect', () => reject(new Error('connected')));
      s.socket.once('connect_error', (err) => resolve((err as Error & { data?: { code?: string } }).data ?? {}));
    });
  const rows = <T>(sql: string, params: unknown[] = []) =>
    t.server.db.orm.em.fork().getConnection().execute<T[]>(sql, params);

  beforeAll(async () => {
    t = await startAuthServer({ db: 'postgres' });
    const em = () => t.server.db.orm.em.fork();
    const agencyA = await t.newAgency('Socket Agency A');
    const agencyB = await t.newAgency('Socket Agency B');
    a1 = await createClient(em(), {
      name: 'A One Dental',
      industry: 'dental',
      allowedOrigins: ['*'],
      agencyId: agencyA.id,
    });
    a2 = await createClient(em(), {
      name: 'A Two Hotel',
      industry: 'hotel',
      allowedOrigins: ['*'],
      agencyId: agencyA.id,
    });
    b1 = await createClient(em(), {
      name: 'B One Dental',
      industry: 'dental',
      allowedOrigins: ['*'],
      agencyId: agencyB.id,
    });
    for (const [key, agency, role] of [
      ['agent', agencyA, 'agent'],
      ['viewer', agencyA, 'viewer'],
      ['bAdmin', agencyB, 'admin'],
    ] as const) {
      const s = await t.createStaff({ client: null, agency, role });
      token[key] = (await t.login(s.email, s.password)).accessToken;
    }
    const root = await t.createStaff({ client: null, role: 'super_admin' });
    superToken = (await t.login(root.email, root.password)).accessToken;
    for (const [key, c] of [
      ['a1', a1],
      ['a2', a2],
      ['b1', b1],
    ] as const) {
      const v = connectVisitor(t.server.url, { siteKey: c.client.siteKey, origin: 'https://site.example' });
      open.push(v);
      await v.waitFor('session:ready');
      const ack = await v.send(`Hello from ${key}`);
      if (!ack.ok) throw new Error(ack.error.message);
      conversation[key] = ack.data.message.conversationId;
      await v.waitFor('reply:ended');
    }
  }, 60_000);

  afterAll(async () => {
    for (const s of open) s.close();
    await t?.server.dispose();
  });

  it('connects for any client of the agency, and refuses another agency’s client as not found', async () => {
    expect(await refusal(staff('agent', b1.client.id))).toMatchObject({ code: 'not_found' });
    expect(await refusal(staff('agent'))).toMatchObject({ code: 'bad_request' });
    const one = staff('agent', a1.client.id);
    await one.waitFor('connect');
    const two = staff('agent', a2.client.id);
    await two.waitFor('connect');
    // Each socket sees its own client's conversation, and the other's is not found: the same sign-in, two clients.
    expect(await one.call('conversation:open', { conversationId: conversation.a1 })).toMatchObject({ ok: true });
    expect(await two.call('conversation:open', { conversationId: conversation.a2 })).toMatchObject({ ok: true });
    expect(await one.call('conversation:open', { conversationId: conversation.a2 })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
  });

  it('acts with the member’s role in the selected client', async () => {
    const viewer = staff('viewer', a1.client.id);
    await viewer.waitFor('connect');
    expect(await viewer.call('conversation:open', { conversationId: conversation.a1 })).toMatchObject({ ok: true });
    expect(await viewer.call('note:create', { conversationId: conversation.a1, content: 'viewer note' })).toMatchObject(
      { ok: false, error: { code: 'forbidden' } },
    );
    const agent = staff('agent', a1.client.id);
    await agent.waitFor('connect');
    const note = await agent.call('note:create', { conversationId: conversation.a1, content: 'agency agent note' });
    expect(note).toMatchObject({ ok: true, data: { message: { content: 'agency agent note' } } });
    // Every command the viewer role may not do is forbidden to the agency's viewer too (before its payload is read).
    for (const [event, action] of Object.entries(STAFF_COMMAND_ACTIONS)) {
      if (can('viewer', action)) continue;
      const res = await viewer.call(event as keyof StaffClientToServer, { conversationId: conversation.a1 });
      expect.soft(res, event).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
  });

  it('answers every command naming another agency’s conversation with not found, and changes nothing', async () => {
    const bAdmin = staff('bAdmin', b1.client.id);
    await bAdmin.waitFor('connect');
    const snapshot = async () =>
      JSON.stringify(
        await rows(
          `select (select row_to_json(c) from conversations c where id = ?) as conversation,
             (select count(*)::int from messages where conversation_id = ?) as messages`,
          [conversation.a1, conversation.a1],
        ),
      );
    const before = await snapshot();
    const target = conversation.a1!;
    const payloads: Record<keyof StaffClientToServer, unknown> = {
      'conversation:open': { conversationId: target },
      'conversation:close': { conversationId: target },
      'conversation:takeover': { conversationId: target },
      'conversation:handback': { conversationId: target },
      'conversation:assign': { conversationId: target, assigneeId: null },
      'message:send': { conversationId: target, clientMessageId: 'cross-agency-1', content: 'not yours' },
      'note:create': { conversationId: target, content: 'not yours' },
      'staff:typing': { conversationId: target, typing: true },
      'copilot:suggest': { conversationId: target },
      // No suggestion of A's exists to name: a missing one must be not found like any other.
      'suggestion:discard': { suggestionId: '11111111-1111-4111-8111-111111111111' },
    };
    for (const event of Object.keys(STAFF_COMMAND_ACTIONS) as Array<keyof StaffClientToServer>) {
      const res = await bAdmin.call(event, payloads[event]);
      if (event === 'conversation:close') {
        // Leaving a room is answered ok for any id (the socket was never in it): it reads and changes nothing.
        expect.soft(res, event).toEqual({ ok: true, data: null });
        continue;
      }
      expect.soft(res, event).toMatchObject({ ok: false, error: { code: 'not_found' } });
    }
    expect(await snapshot()).toBe(before);
  });

  it('loses a client moved out of the agency at the next command, without a new sign-in', async () => {
    const agent = staff('agent', a2.client.id);
    await agent.waitFor('connect');
    expect(await agent.call('conversation:open', { conversationId: conversation.a2 })).toMatchObject({ ok: true });
    const moved = await t.api(`/admin/clients/${a2.client.id}`, {
      method: 'PATCH',
      token: superToken,
      body: { agencyId: null },
    });
    expect(moved.status).toBe(200);
    expect(await agent.call('conversation:open', { conversationId: conversation.a2 })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect(await refusal(staff('agent', a2.client.id))).toMatchObject({ code: 'not_found' });
  });
});
