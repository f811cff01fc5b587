import http from 'node:http';
import { io as connectSocket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findOrCreateLead } from '../src/leads/find-or-create-lead.js';
import { createClient } from '../src/tenants/tenant-service.js';
import { createFreshPostgresDatabase, TEST_REDIS_URL } from './support/databases.js';
import { startPrivateRedis } from './support/private-redis.js';
import { startTestServer, type TestServer } from './support/test-server.js';

describe('health and readiness', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { REDIS_URL: TEST_REDIS_URL } });
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it('answers liveness without touching dependencies', async () => {
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('reports the database, Redis, pgvector and job backend when ready', async () => {
    const res = await fetch(`${server.url}/readyz`);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.status).toBe('ready');
    expect(body.checks.database).toEqual({ ok: true, kind: 'embedded' });
    expect(body.checks.redis).toEqual({ ok: true, configured: true });
    expect(body.checks.jobs.backend).toBe('redis');
    expect(body.checks.pgvector.present).toBe(true);
  });

  it('sends request ids, security headers and JSON errors without stacks', async () => {
    const res = await fetch(`${server.url}/nope`, { headers: { 'x-request-id': 'req-abc' } });
    expect(res.status).toBe(404);
    expect(res.headers.get('x-request-id')).toBe('req-abc');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const body = await res.json();
    expect(body).toEqual({ error: { code: 'not_found', message: 'no route for GET /nope' } });
  });

  it('refuses malformed and oversized JSON bodies with a clear error', async () => {
    const { apiKey } = await createClient(server.db.orm.em.fork(), { name: 'Body Limits' });
    const headers = { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' };
    const bad = await fetch(`${server.url}/api/v1/client`, { method: 'PATCH', headers, body: '{"name":' });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.code).toBe('bad_request');
    const huge = await fetch(`${server.url}/api/v1/client`, {
      method: 'PATCH',
      headers,
      body: JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) }),
    });
    expect(huge.status).toBe(413);
    expect((await huge.json()).error.code).toBe('payload_too_large');
  });
});

describe('readiness when Redis is down', () => {
  it('refuses to start against an unreachable Redis with a clear error', async () => {
    await expect(startTestServer({ env: { REDIS_URL: 'redis://127.0.0.1:1' } })).rejects.toThrow(
      /cannot reach Redis at 127\.0\.0\.1:1/,
    );
  });

  it('answers 503 quickly once Redis goes away', async () => {
    const redis = await startPrivateRedis();
    const server = await startTestServer({ env: { REDIS_URL: redis.url } });
    try {
      expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
      await redis.stop();
      const started = Date.now();
      const res = await fetch(`${server.url}/readyz`);
      expect(res.status).toBe(503);
      expect((await res.json()).checks.redis).toEqual({ ok: false, configured: true });
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      // Bring Redis back on the same port so the server's clients close cleanly: wait until they
      // have reconnected (ioredis re-subscribes on reconnect, and closing mid-way rejects that
      // internal command with nobody to catch it).
      const again = await startPrivateRedis(Number(new URL(redis.url).port));
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline && (await fetch(`${server.url}/readyz`)).status !== 200) {
        await new Promise((r) => setTimeout(r, 100));
      }
      await new Promise((r) => setTimeout(r, 500));
      await server.dispose();
      await again.stop();
    }
  });
});

describe('graceful shutdown', () => {
  it('finishes an accepted in-flight request, then refuses new connections', async () => {
    const server = await startTestServer();
    const { client, apiKey } = await createClient(server.db.orm.em.fork(), { name: 'Shutdown' });
    const { lead } = await findOrCreateLead(server.db.orm.em.fork(), client, 'web', { email: 'x@example.com' });
    const body = JSON.stringify({ status: 'qualifying' });
    // Send the headers and half the body, stop the server, then send the rest.
    const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(
        `${server.url}/api/v1/leads/${lead.id}/status`,
        {
          method: 'PATCH',
          headers: {
            authorization: `Bearer ${apiKey}`,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
          },
        },
        (res) => {
          let text = '';
          res.on('data', (c) => {
            text += c;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        },
      );
      req.on('error', reject);
      req.write(body.slice(0, 5));
      setTimeout(() => {
        const stopping = server.stop();
        setTimeout(() => req.end(body.slice(5)), 200);
        stopping.catch(reject);
      }, 200);
    });
    const res = await response;
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body).status).toBe('qualifying');
    await server.stop();
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
    // The change was stored before the database closed.
    const again = await server.restart();
    try {
      const stored = await (
        await fetch(`${again.url}/api/v1/leads/${lead.id}`, { headers: { authorization: `Bearer ${apiKey}` } })
      ).json();
      expect(stored.status).toBe('qualifying');
    } finally {
      await again.dispose();
    }
  });
});

describe('Socket.IO across processes with the Redis adapter', () => {
  it('delivers a room broadcast from one server to a socket on another', async () => {
    const fresh = await createFreshPostgresDatabase();
    const env = { REDIS_URL: TEST_REDIS_URL };
    const one = await startTestServer({ db: 'postgres', env, reuse: { databaseUrl: fresh.url } });
    const two = await startTestServer({ db: 'postgres', env, reuse: { databaseUrl: fresh.url } });
    const room = `room-${Date.now()}`;
    two.io.on('connection', (socket) => {
      void socket.join(room);
      socket.emit('joined');
    });
    const client = connectSocket(two.url, { transports: ['websocket'], forceNew: true });
    try {
      await new Promise<void>((resolve) => client.once('joined', () => resolve()));
      const received = new Promise<unknown>((resolve) => client.once('hello', resolve));
      one.io.to(room).emit('hello', { from: 'one' });
      await expect(received).resolves.toEqual({ from: 'one' });
    } finally {
      client.close();
      await one.dispose();
      await two.dispose();
      await fresh.drop();
    }
  });
});
