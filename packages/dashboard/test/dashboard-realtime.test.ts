/**
 * The dashboard's `/staff` socket (src/realtime.ts) when its server ends the session (issue 16). A server that
 * shuts down or drains refuses new connections and ends the sockets it holds with `io server disconnect`,
 * which socket.io-client does not recover from by itself. The dashboard's module must come back once a server
 * accepts again; the inbox then reopens the conversation on `connect` and shows what the visitor wrote meanwhile.
 *
 * The module runs here in Node against a real server (PostgreSQL) with a real visitor socket: the page's
 * `location` and `sessionStorage` are the only browser parts it reads, given below.
 */
import type { StaffMessageDto } from '@leaddesk/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../server/src/tenants/tenant-service.js';
import { type AuthTestServer, startAuthServer } from '../../server/test/auth/support.js';
import { waitFor } from '../../server/test/support/fake-providers.js';
import { connectVisitor, type Visitor } from '../../server/test/support/widget-client.js';

let t: AuthTestServer;
let visitor: Visitor | undefined;
let realtime: typeof import('../src/realtime.js');

type AllowRequest = (req: unknown, answer: (err: string | null | undefined, ok: boolean) => void) => void;

beforeAll(async () => {
  t = await startAuthServer({ db: 'postgres' });
  // The page the dashboard is served from, and the tab's session storage (an in-memory Storage).
  const stored = new Map<string, string>();
  Object.assign(globalThis, {
    location: new URL(`${t.server.url}/dashboard/inbox`),
    sessionStorage: {
      getItem: (k: string) => stored.get(k) ?? null,
      setItem: (k: string, v: string) => void stored.set(k, v),
      removeItem: (k: string) => void stored.delete(k),
    },
  });
  realtime = await import('../src/realtime.js');
}, 120_000);

afterAll(async () => {
  realtime?.closeStaffSocket();
  visitor?.close();
  await t?.server.dispose();
});

describe("the dashboard's staff socket after the server ends its session", () => {
  it('reconnects once a server accepts again; the reopened conversation has the message sent meanwhile', async () => {
    const { client } = await createClient(t.server.db.orm.em.fork(), {
      name: 'Harbor Dental',
      industry: 'dental',
      allowedOrigins: ['https://harbor.example'],
    });
    const agent = await t.createStaff({ client, role: 'agent', name: 'Rita Agent' });
    const { session } = await import('../src/api.js');
    session.set((await t.login(agent.email, agent.password)).accessToken);

    visitor = connectVisitor(t.server.url, { siteKey: client.siteKey, origin: 'https://harbor.example' });
    await visitor.waitFor('session:ready');
    const first = await visitor.send('Hello, I would like a cleaning appointment');
    if (!first.ok) throw new Error(first.error.message);
    const conversationId = first.data.message.conversationId;

    // What the inbox does: (re)open the conversation on every connect, and add live messages.
    const socket = realtime.staffSocket();
    const seen = new Set<string>();
    const reasons: string[] = [];
    let opens = 0;
    socket.on('disconnect', (reason) => reasons.push(reason));
    socket.on('message:created', ({ message }: { message: StaffMessageDto }) => seen.add(message.content));
    const open = async () => {
      const res = await realtime.command<{ messages: StaffMessageDto[] }>('conversation:open', { conversationId });
      for (const m of res.messages) seen.add(m.content);
      opens++;
    };
    socket.on('connect', () => void open());
    await waitFor(() => opens === 1 || undefined, 30_000);
    expect(seen.has('Hello, I would like a cleaning appointment')).toBe(true);

    // What a server does when it stops: refuse new connections, end the sockets it holds.
    const engine = t.server.io.engine as unknown as { opts: { allowRequest?: AllowRequest } };
    const allow = engine.opts.allowRequest;
    engine.opts.allowRequest = (_req, answer) => answer('server draining', false);
    t.server.io.of('/staff').local.disconnectSockets(true);
    await waitFor(() => reasons.includes('io server disconnect') || undefined, 10_000);

    // The visitor (on another process, in production) writes while the dashboard is away.
    const meanwhile = await visitor.send('Is Thursday at 4pm possible?');
    expect(meanwhile.ok).toBe(true);
    // Refused while the server drains: the socket keeps trying without getting through.
    await new Promise((r) => setTimeout(r, 2500));
    expect(socket.connected).toBe(false);
    expect(seen.has('Is Thursday at 4pm possible?')).toBe(false);

    // A server accepts again (another process behind the load balancer, or this one restarted).
    engine.opts.allowRequest = allow;
    await waitFor(() => (socket.connected && opens === 2) || undefined, 30_000);
    expect(seen.has('Is Thursday at 4pm possible?')).toBe(true);
    // Live again: a message after the reconnection arrives as it is sent.
    expect((await visitor.send('Thanks!')).ok).toBe(true);
    await waitFor(() => seen.has('Thanks!') || undefined, 15_000);
  }, 120_000);
});
