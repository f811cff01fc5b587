/**
 * Durability of outgoing webhooks across a crash: the server (a real child
 * process) is SIGKILLed while a delivery is in flight (the receiver accepted
 * the request and has not answered), then started again on the same data.
 * The event must still arrive, signed, with the same webhook-id, and the log
 * must show the attempt made after the restart.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createFreshPostgresDatabase } from './support/databases.js';
import { waitFor } from './support/fake-providers.js';
import { startPrivateRedis } from './support/private-redis.js';
import { type ServerProcess, startServerProcess } from './support/server-process.js';
import { startWebhookReceiver, verifiedBody, type WebhookReceiver } from './support/webhook-receiver.js';

const WEBHOOK_ENV = {
  APP_SECRET: 'restart-test-app-secret-0123456789abcdef',
  OUTGOING_WEBHOOKS_ALLOW_PRIVATE: 'true',
  OUTGOING_WEBHOOKS_ALLOW_HTTP: 'true',
  OUTGOING_WEBHOOKS_TIMEOUT_MS: '1500',
  OUTGOING_WEBHOOKS_SWEEP_INTERVAL_MS: '300',
  OUTGOING_WEBHOOKS_RETRY_BASE_MS: '200',
  STRUCTURED_CHUNK_DELAY_MS: '0',
};

type Backend = { name: string; env(): Promise<Record<string, string>>; cleanup(): Promise<void> };

const backends: Backend[] = [
  (() => {
    let dir = '';
    return {
      name: 'embedded database and job queue',
      async env() {
        dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ld-webhooks-restart-'));
        return { DATA_DIR: dir };
      },
      cleanup: () => fs.rm(dir, { recursive: true, force: true }),
    };
  })(),
  (() => {
    const stops: Array<() => Promise<void>> = [];
    return {
      name: 'PostgreSQL and BullMQ on Redis',
      async env() {
        const db = await createFreshPostgresDatabase();
        const redis = await startPrivateRedis();
        stops.push(
          () => redis.stop(),
          () => db.drop(),
        );
        const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ld-webhooks-restart-'));
        stops.push(() => fs.rm(dir, { recursive: true, force: true }));
        return { DATA_DIR: dir, DATABASE_URL: db.url, REDIS_URL: redis.url };
      },
      async cleanup() {
        for (const stop of stops.splice(0)) await stop();
      },
    };
  })(),
];

describe.each(backends)('outgoing webhooks survive a crash mid-delivery ($name)', (backend) => {
  let receiver: WebhookReceiver;
  const processes: ServerProcess[] = [];
  beforeAll(async () => {
    receiver = await startWebhookReceiver();
  });
  afterEach(async () => {
    for (const p of processes.splice(0)) await p.kill('SIGKILL');
  });
  afterAll(async () => {
    await receiver?.close();
    await backend.cleanup();
  });

  it('SIGKILL while the receiver holds the request; after the restart the lead.created event arrives, same id', async () => {
    const env = { ...WEBHOOK_ENV, ...(await backend.env()) };
    const first = await startServerProcess(env, { expectDemo: true, timeoutMs: 300_000 });
    processes.push(first);
    const { apiKey, siteKey } = first.demo ?? { apiKey: '', siteKey: '' };
    const api = (base: string, p: string, init: { method?: string; body?: unknown } = {}) =>
      fetch(`${base}/api/v1${p}`, {
        method: init.method ?? (init.body ? 'POST' : 'GET'),
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
        body: init.body ? JSON.stringify(init.body) : undefined,
      });
    const created = await api(first.url, '/webhook-endpoints', {
      body: { url: receiver.url, events: ['lead.created'] },
    });
    expect(created.status).toBe(201);
    const { endpoint, secret } = (await created.json()) as { endpoint: { id: string }; secret: string };
    receiver.setSecret(secret);

    receiver.hang(true);
    const form = await fetch(`${first.url}/webhooks/web-form`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ siteKey, name: 'Robin Crash', email: 'robin@example.com', message: 'A quote please' }),
    });
    expect(form.status).toBeLessThan(300);
    // The delivery is on the wire and unanswered: now the process dies.
    const held = await waitFor(() => receiver.ofType('lead.created')[0], 30_000);
    expect(held.status).toBe(0);
    await first.kill('SIGKILL');
    receiver.hang(false);

    const second = await startServerProcess(env, { timeoutMs: 300_000 });
    processes.push(second);
    const again = await waitFor(() => receiver.ofType('lead.created')[1], 60_000);
    expect(again.verifyError).toBeNull();
    expect(again.headers['webhook-id']).toBe(held.headers['webhook-id']);
    expect((verifiedBody(again).data.lead as { email: string }).email).toBe('robin@example.com');
    const delivery = await waitFor(async () => {
      const res = await api(second.url, `/webhook-endpoints/${endpoint.id}/deliveries`);
      const [d] = ((await res.json()) as { data: Array<{ status: string; attempts: number; attemptLog: unknown[] }> })
        .data;
      return d?.status === 'succeeded' && d;
    }, 30_000);
    // The killed attempt counted but left no log line (its process died first); the one after the restart did.
    expect(delivery.attempts).toBeGreaterThanOrEqual(2);
    expect(delivery.attemptLog).toEqual([expect.objectContaining({ succeeded: true, statusCode: 200 })]);
    // Exactly one delivery of this lead after the restart: nothing doubled.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(receiver.ofType('lead.created').filter((r) => r.status === 200)).toHaveLength(1);
  }, 700_000);
});
