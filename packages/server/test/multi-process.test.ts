import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { MessageDto } from '@leaddesk/shared';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createFreshPostgresDatabase, TEST_REDIS_URL } from './support/databases.js';
import { waitFor } from './support/fake-providers.js';
import { type ServerProcess, startServerProcess } from './support/server-process.js';
import { connectStaff, type StaffClient } from './support/staff-client.js';
import { connectVisitor, nextAiReply, type Visitor } from './support/widget-client.js';

/**
 * A production topology as plain processes on the real PostgreSQL and Redis (issue 16):
 * deployment 1 = web A, web B, worker C; deployment 2 = one `all` process D, with another REDIS_PREFIX
 * and another database on the same Redis. Visitors on the web processes are answered by the worker;
 * a stopped process (SIGSTOP) in either deployment never breaks staff commands; SIGTERM drains.
 */
// Spawning tsx processes on a busy two-core machine is slow; the timings asserted are the server's own.
vi.setConfig({ testTimeout: 300_000, hookTimeout: 600_000 });

const READY_GRACE_MS = 1500;
const SOCKET_DRAIN_MS = 2500;
const SHUTDOWN_TIMEOUT_MS = 9000;
const REQUEST_TIMEOUT_MS = 500;

const run = Date.now().toString(36);
const prefix1 = `mp1${run}:`;
const prefix2 = `mp2${run}:`;
let a: ServerProcess;
let b: ServerProcess;
let c: ServerProcess;
let d: ServerProcess;
let origin: string;
let siteKey: string;
let apiKey: string;
let staffToken: string;
const all: ServerProcess[] = [];
const sockets: Array<{ close(): void }> = [];
const drops: Array<() => Promise<void>> = [];
const temps: string[] = [];
/** Every message published on deployment 2's channels while the test runs. */
const heardOn2: string[] = [];
let heardOn1 = 0;
let listener: Redis;

async function deployment(prefix: string) {
  const db = await createFreshPostgresDatabase();
  drops.push(db.drop);
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'ld-mp-'));
  temps.push(dataDir);
  return {
    DATABASE_URL: db.url,
    DATA_DIR: dataDir,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: prefix,
    APP_SECRET: `multi-process-test-secret-${prefix}-0123456789abcdef`,
    STRUCTURED_CHUNK_DELAY_MS: '0',
    // Replies reach the worker through the web process's announcement, not a sweep 10 s later.
    REPLY_SWEEP_INTERVAL_MS: '10000',
    REALTIME_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
    SHUTDOWN_READY_GRACE_MS: String(READY_GRACE_MS),
    SHUTDOWN_SOCKET_DRAIN_MS: String(SOCKET_DRAIN_MS),
    SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
  };
}

const visitor = (server: ServerProcess, visitorToken?: string, lastSeq?: number) => {
  const v = connectVisitor(server.url, { siteKey, origin, visitorToken, lastSeq });
  sockets.push(v);
  return v;
};
const staffOn = async (server: ServerProcess): Promise<StaffClient> => {
  const s = connectStaff(server.url, { token: staffToken });
  sockets.push(s);
  await s.waitFor('connect');
  return s;
};
/** A visitor on `server` who wrote once and got the answer. */
async function conversationOn(server: ServerProcess, text: string) {
  const v = visitor(server);
  await v.waitFor('session:ready');
  const ack = await v.send(text);
  if (!ack.ok) throw new Error(ack.error.message);
  const reply = await nextAiReply(v, ack.data.message.seq, 15_000);
  return { v, conversationId: ack.data.message.conversationId, reply };
}
const readyz = async (server: ServerProcess) => (await fetch(`${server.url}/readyz`)).json();

beforeAll(async () => {
  listener = new Redis(TEST_REDIS_URL);
  await listener.psubscribe(`${prefix1}*`, `${prefix2}*`);
  listener.on('pmessage', (_pattern, channel) => {
    if (channel.startsWith(prefix2)) heardOn2.push(channel);
    else heardOn1++;
  });
  const env1 = await deployment(prefix1);
  const env2 = await deployment(prefix2);
  // A first: it migrates and seeds the demo client the test uses; the others start together.
  a = await startServerProcess({ ...env1, ROLE: 'web' }, { expectDemo: true });
  all.push(a);
  const started = await Promise.all([
    startServerProcess({ ...env1, ROLE: 'web' }),
    startServerProcess({ ...env1, ROLE: 'worker' }),
    startServerProcess({ ...env2, ROLE: 'all' }),
  ]);
  [b, c, d] = started as [ServerProcess, ServerProcess, ServerProcess];
  all.push(b, c, d);
  const demo = a.demo;
  if (!demo?.staffEmail || !demo.staffPassword) throw new Error(`no demo printed: ${a.out().slice(-1000)}`);
  siteKey = demo.siteKey;
  apiKey = demo.apiKey;
  // The demo client allows the first process's own page.
  origin = a.url;
  const login = await fetch(`${b.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: demo.staffEmail, password: demo.staffPassword }),
  });
  staffToken = (await login.json()).accessToken;
  if (!staffToken) throw new Error('staff login failed');
});

afterAll(async () => {
  for (const s of sockets) s.close();
  for (const p of all) {
    if (p.child.exitCode === null) p.child.kill('SIGCONT');
  }
  await Promise.all(all.map((p) => p.kill('SIGKILL')));
  await listener?.quit();
  for (const drop of drops) await drop().catch(() => undefined);
  for (const dir of temps) await fs.rm(dir, { recursive: true, force: true });
});

describe('roles: web processes store and stream, a worker process answers', () => {
  it('a visitor on web A is answered by worker C; A and B run no job worker', async () => {
    const sent = Date.now();
    const { conversationId, reply } = await conversationOn(a, 'Do you take new patients?');
    // Announced to the worker at once, not found by its sweep (every 10 s here).
    expect(Date.now() - sent).toBeLessThan(6000);
    expect(reply.message.role).toBe('ai');
    expect(reply.message.content.length).toBeGreaterThan(0);
    // Who answered: only the worker's log names the conversation it took.
    const took = (p: ServerProcess) =>
      p
        .out()
        .split('\n')
        .some((line) => line.includes('"msg":"taking over an unanswered message"') && line.includes(conversationId));
    expect(took(c)).toBe(true);
    expect(took(a) || took(b)).toBe(false);

    const [ra, rb, rc] = await Promise.all([readyz(a), readyz(b), readyz(c)]);
    expect(ra.role).toBe('web');
    expect(ra.checks.jobs.working).toEqual([]);
    expect(rb.checks.jobs.working).toEqual([]);
    expect(rc.role).toBe('worker');
    expect(rc.checks.jobs.working).toEqual(expect.arrayContaining(['outbound', 'knowledge']));
    // BullMQ's own view (its workers name their Redis connections): one worker per queue, the worker's.
    const connection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    try {
      for (const name of ['outbound', 'knowledge', 'staff']) {
        const queue = new Queue(name, { connection, prefix: `${prefix1}bull` });
        expect(await queue.getWorkersCount(), name).toBe(1);
        await queue.close();
      }
    } finally {
      connection.disconnect();
    }
    // The worker serves its probes and nothing else over HTTP.
    expect((await fetch(`${c.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${c.url}/api/v1/openapi.json`)).status).toBe(404);
  });
});

describe('two deployments on one Redis (REDIS_PREFIX)', () => {
  it('keep their messages, jobs and cross-process requests apart', async () => {
    // Deployment 1 is busy: messages streamed through its adapter, a document ingested by its worker.
    const { conversationId } = await conversationOn(b, 'What are your opening hours?');
    const kb = await (
      await fetch(`${a.url}/api/v1/knowledge-bases`, {
        method: 'POST',
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Prices' }),
      })
    ).json();
    const form = new FormData();
    form.append('file', new Blob(['# Prices\n\nA cleaning costs 80 dollars.\n'], { type: 'text/markdown' }), 'p.md');
    const upload = await fetch(`${a.url}/api/v1/knowledge-bases/${kb.id}/documents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}` },
      body: form,
    });
    expect(upload.status).toBe(202);
    const ingestion = await upload.json();
    const done = await waitFor(async () => {
      const res = await fetch(`${a.url}/api/v1/knowledge-bases/${kb.id}/ingestions/${ingestion.id}`, {
        headers: { authorization: `Bearer ${apiKey}` },
      });
      const body = await res.json();
      return body.status === 'completed' || body.status === 'failed' ? body : undefined;
    }, 30_000);
    expect(done.status).toBe('completed');

    // Nothing of it reached deployment 2: not a pub/sub message, not a job.
    expect(heardOn1).toBeGreaterThan(0);
    expect(heardOn2).toEqual([]);
    const connection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    try {
      const theirs = new Queue('knowledge', { connection, prefix: `${prefix2}bull` });
      const counts = await theirs.getJobCounts('waiting', 'active', 'completed', 'failed', 'delayed');
      expect(Object.values(counts).reduce((x, y) => x + y, 0)).toBe(0);
      await theirs.close();
    } finally {
      connection.disconnect();
    }
    expect(d.out()).not.toContain('knowledge ingestion failed');

    // A stopped process of deployment 2 is not asked anything by deployment 1.
    const staff = await staffOn(b);
    const listener2 = new Redis(TEST_REDIS_URL);
    sockets.push({ close: () => listener2.disconnect() });
    d.child.kill('SIGSTOP');
    try {
      const started = Date.now();
      const opened = await staff.call('conversation:open', { conversationId });
      expect(opened.ok).toBe(true);
      // No wait for D (it never was asked): a hung process of the same deployment would be waited for and
      // logged. (Not timed: on a loaded machine an open alone can take the budget.)
      expect(Date.now() - started).toBeLessThan(5000);
      expect(b.out()).not.toContain('another process did not answer');
      // Who the adapter asks: deployment 1's three processes, not D.
      const [, asked] = (await listener2.pubsub('NUMSUB', `${prefix1}socket.io-request#/staff#`)) as [string, number];
      expect(Number(asked)).toBe(3);
    } finally {
      d.child.kill('SIGCONT');
    }
  });
});

describe('a hung process (SIGSTOP) does not break the others', () => {
  it('staff on B open conversations quickly while web A is stopped', async () => {
    const conversations = [];
    for (const text of ['Do you whiten teeth?', 'Can I book for Friday?', 'Is parking available?']) {
      conversations.push((await conversationOn(b, text)).conversationId);
    }
    const staff = await staffOn(b);
    // Staff on A too, with a conversation open: A holds sockets in the rooms B asks about.
    const staffA = await staffOn(a);
    expect((await staffA.call('conversation:open', { conversationId: conversations[0] })).ok).toBe(true);
    a.child.kill('SIGSTOP');
    try {
      for (const conversationId of conversations) {
        const started = Date.now();
        const opened = await staff.call('conversation:open', { conversationId });
        const took = Date.now() - started;
        expect(opened.ok, JSON.stringify(opened)).toBe(true);
        expect(opened.data.conversation.id).toBe(conversationId);
        // One request budget at most (then the local answer), not the adapter's 5 s and an error.
        expect(took).toBeLessThan(REQUEST_TIMEOUT_MS + 1500);
        expect(opened.data.presence.map((p: { userId: string }) => p.userId)).toHaveLength(1);
      }
    } finally {
      a.child.kill('SIGCONT');
    }
    expect(b.out()).toContain('another process did not answer');
    // A is back: presence across processes again (the staff member is on A and B).
    const again = await staff.call('conversation:open', { conversationId: conversations[0] });
    expect(again.ok).toBe(true);
  });
});

describe('SIGTERM drains a web process', () => {
  it('answers 503 first, refuses new sockets, closes its sockets gradually, loses nothing and exits 0', async () => {
    // Twenty widget sockets on B; one of them is a lead in the middle of a conversation.
    const lead = await conversationOn(b, 'Hello, I need a cleaning');
    const others: Visitor[] = [];
    for (let i = 0; i < 19; i++) others.push(visitor(b));
    await Promise.all(others.map((v) => v.waitFor('session:ready')));
    const onB = [lead.v, ...others];
    const closedAt: number[] = [];
    const reasons: string[] = [];
    for (const v of onB) {
      v.socket.on('disconnect', (reason) => {
        closedAt.push(Date.now());
        reasons.push(reason);
      });
    }
    const { visitorToken } = (lead.v.events.find(([n]) => n === 'session:ready')?.[1] ?? {}) as {
      visitorToken: string;
    };
    // The lead comes back on A, as the widget does (it reconnects on `io server disconnect`).
    const seen = new Map<number, MessageDto>(lead.v.messages().map((m) => [m.seq, m]));
    let onA: Visitor | undefined;
    lead.v.socket.on('disconnect', () => {
      onA = visitor(a, visitorToken, Math.max(...seen.keys()));
      onA.socket.onAny((name: string, payload: { message?: MessageDto }) => {
        if ((name === 'message:created' || name === 'reply:ended') && payload.message) {
          seen.set(payload.message.seq, payload.message);
        }
      });
    });
    lead.v.socket.onAny((name: string, payload: { message?: MessageDto }) => {
      if ((name === 'message:created' || name === 'reply:ended') && payload.message) {
        seen.set(payload.message.seq, payload.message);
      }
    });

    // A staff dashboard on B too: its client reconnects by itself only after a lost transport.
    const desk = await staffOn(b);
    const deskClosed = desk.waitFor<string>('disconnect', undefined, 30_000);

    const sigterm = Date.now();
    b.child.kill('SIGTERM');
    // /readyz answers (no reset) and says 503 before any socket is closed.
    const probes: Array<{ at: number; status: number | string }> = [];
    while (Date.now() - sigterm < READY_GRACE_MS) {
      const status = await fetch(`${b.url}/readyz`).then(
        (r) => r.status,
        (err: Error) => `error: ${err.message}`,
      );
      probes.push({ at: Date.now(), status });
      if (status === 503) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(probes.at(-1)?.status).toBe(503);
    expect(probes.every((p) => p.status === 200 || p.status === 503)).toBe(true);
    expect(closedAt).toEqual([]);

    // While draining: new sockets are refused, the open ones still serve.
    const late = io(`${b.url}/widget`, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      auth: { siteKey },
    });
    const refused = await new Promise<string>((resolve) => {
      late.on('connect', () => resolve('connected'));
      late.on('connect_error', (err) => resolve(`refused: ${err.message}`));
    });
    late.close();
    expect(refused).toMatch(/^refused/);
    const ack = await lead.v.send('Can it be next Tuesday?');
    expect(ack.ok).toBe(true);
    if (!ack.ok) return;
    const asked = ack.data.message.seq;

    const code = await b.exited;
    const exitedAfter = Date.now() - sigterm;
    expect(code).toBe(0);
    expect(exitedAfter).toBeLessThan(SHUTDOWN_TIMEOUT_MS);
    expect(closedAt).toHaveLength(20);
    expect(new Set(reasons)).toEqual(new Set(['io server disconnect']));
    expect(await deskClosed).toBe('transport close');
    const first = Math.min(...closedAt);
    const last = Math.max(...closedAt);
    // After the ready grace, and spread over the drain rather than all within a few ms.
    expect(first - sigterm).toBeGreaterThanOrEqual(READY_GRACE_MS - 100);
    expect(last - first).toBeGreaterThan(SOCKET_DRAIN_MS / 2);

    // The lead, now on A, has every message: the question asked while B drained and its answer.
    await waitFor(async () => (seen.get(asked + 1)?.role === 'ai' ? true : undefined), 20_000);
    const seqs = [...seen.keys()].sort((x, y) => x - y);
    expect(seqs).toEqual(Array.from({ length: asked + 1 }, (_, i) => i + 1));
    expect(seen.get(asked)?.content).toBe('Can it be next Tuesday?');
    expect(onA?.socket.connected).toBe(true);
  });
});
