import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createFreshPostgresDatabase, TEST_REDIS_URL } from './support/databases.js';
import { type ServerProcess, startServerProcess } from './support/server-process.js';
import { connectStaff } from './support/staff-client.js';
import { connectVisitor, type Visitor } from './support/widget-client.js';

/**
 * A ROLE=all process on PostgreSQL and Redis stopped while visitors write and staff watch: it must exit 0
 * without any Redis client used after it was closed (ioredis "Connection is closed", seen as an unhandled
 * rejection when the capacity bench stopped its servers). SIGTERM drains first; SIGINT stops at once.
 */
vi.setConfig({ testTimeout: 240_000, hookTimeout: 240_000 });

const drops: Array<() => Promise<void>> = [];
const temps: string[] = [];
const processes: ServerProcess[] = [];
const sockets: Array<{ close(): void }> = [];

afterAll(async () => {
  for (const s of sockets) s.close();
  await Promise.all(processes.map((p) => p.kill('SIGKILL')));
  for (const drop of drops) await drop().catch(() => undefined);
  for (const dir of temps) await fs.rm(dir, { recursive: true, force: true });
});

async function startUnderActivity(): Promise<{ server: ServerProcess; stopActivity: () => Promise<number> }> {
  const db = await createFreshPostgresDatabase();
  drops.push(db.drop);
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'ld-shutdown-'));
  temps.push(dataDir);
  const prefix = `sd${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}:`;
  const server = await startServerProcess(
    {
      ROLE: 'all',
      DATABASE_URL: db.url,
      DATA_DIR: dataDir,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: prefix,
      APP_SECRET: `shutdown-test-secret-${prefix}-0123456789abcdef`,
      STRUCTURED_CHUNK_DELAY_MS: '5',
      REPLY_SWEEP_INTERVAL_MS: '500',
      SHUTDOWN_READY_GRACE_MS: '600',
      SHUTDOWN_SOCKET_DRAIN_MS: '600',
      SHUTDOWN_TIMEOUT_MS: '8000',
    },
    { expectDemo: true },
  );
  processes.push(server);
  const demo = server.demo;
  if (!demo?.staffEmail || !demo.staffPassword) throw new Error(`no demo printed: ${server.out().slice(-1000)}`);
  const login = await fetch(`${server.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: demo.staffEmail, password: demo.staffPassword }),
  });
  const { accessToken } = await login.json();
  const staff = connectStaff(server.url, { token: accessToken });
  sockets.push(staff);
  await staff.waitFor('connect');

  // Visitors that keep writing (each waits for its ack only), and the API read in a loop (rate limiter).
  const visitors: Visitor[] = [];
  for (let i = 0; i < 6; i++) {
    const v = connectVisitor(server.url, { siteKey: demo.siteKey, origin: server.url });
    sockets.push(v);
    await v.waitFor('session:ready');
    visitors.push(v);
  }
  // Staff watch every visitor's conversation: closing their sockets re-broadcasts presence across processes.
  for (const v of visitors) {
    const ack = await v.send('Hello, is anyone there?');
    if (!ack.ok) throw new Error(ack.error.message);
    const opened = await staff.call('conversation:open', { conversationId: ack.data.message.conversationId });
    if (!opened.ok) throw new Error(JSON.stringify(opened));
  }
  let running = true;
  let acked = 0;
  const loops = visitors.map(async (v, i) => {
    for (let n = 0; running; n++) {
      const ack = await v.send(`Do you take new patients? (${i}.${n})`).catch(() => null);
      if (!ack?.ok) return;
      acked++;
    }
  });
  const api = (async () => {
    while (running) {
      await fetch(`${server.url}/api/v1/leads`, { headers: { authorization: `Bearer ${demo.apiKey}` } }).catch(
        () => null,
      );
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  // Activity is under way: messages acknowledged, replies being produced.
  const started = Date.now();
  while (acked < 12 && Date.now() - started < 60_000) await new Promise((r) => setTimeout(r, 50));
  return {
    server,
    async stopActivity() {
      running = false;
      await Promise.all([...loops, api]);
      return acked;
    },
  };
}

/** What must never appear in the output of a clean stop. */
const closedClientErrors = /Connection is closed|publish failed|unhandled promise rejection|Unhandled|ERR_UNHANDLED/i;

describe('stopping a ROLE=all process on Redis under activity', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`${signal}: exits 0 with no Redis client used after close`, async () => {
      const { server, stopActivity } = await startUnderActivity();
      const exited = server.kill(signal);
      const code = await exited;
      const acked = await stopActivity();
      expect(acked).toBeGreaterThanOrEqual(12);
      const output = `${server.out()}\n${server.err()}`;
      expect(output).toMatch(/shutting down/);
      const bad = output.split('\n').filter((line) => closedClientErrors.test(line));
      expect(bad.map((l) => l.slice(0, 600))).toEqual([]);
      expect(code, output.slice(-3000)).toBe(0);
    });
  }
});
