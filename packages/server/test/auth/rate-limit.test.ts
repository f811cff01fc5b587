import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { createClient } from '../../src/tenants/tenant-service.js';
import { TEST_REDIS_URL } from '../support/databases.js';
import { type AuthTestServer, startAuthServer } from './support.js';

describe.each(['memory', 'redis'] as const)('rate limits with the %s store', (store) => {
  const prefix = `ld:rl:test:${randomBytes(4).toString('hex')}:`;
  let t: AuthTestServer;
  let starter: Awaited<ReturnType<typeof createClient>>;
  let growth: Awaited<ReturnType<typeof createClient>>;

  beforeAll(async () => {
    t = await startAuthServer({
      env: {
        REDIS_URL: store === 'redis' ? TEST_REDIS_URL : undefined,
        RATE_LIMIT_REDIS_PREFIX: prefix,
        RATE_LIMIT_WINDOW_MS: '60000',
        RATE_LIMIT_PER_IP: '5',
        RATE_LIMIT_STARTER: '3',
        RATE_LIMIT_GROWTH: '6',
        RATE_LIMIT_AUTH: '3',
      },
    });
    starter = await t.newClient('Starter Spa', 'starter');
    growth = await t.newClient('Growth Spa', 'growth');
  });
  afterAll(async () => {
    await t?.server.dispose();
    if (store === 'redis') {
      const redis = new Redis(TEST_REDIS_URL);
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
    }
  });

  it('limits each IP on the API, with draft-8 RateLimit headers and a 429 rate_limited error', async () => {
    const ip = '203.0.113.10';
    for (let i = 0; i < 5; i++) {
      const res = await t.api('/leads', { ip });
      expect(res.status).toBe(401);
      expect(res.headers.get('ratelimit-policy')).toMatch(/"ip"; q=5; w=60/);
      expect(res.headers.get('ratelimit')).toMatch(new RegExp(`"ip"; r=${4 - i}; t=\\d+`));
    }
    const refused = await t.api('/leads', { ip });
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('rate_limited');
    expect(refused.body.error.message).toMatch(/too many requests/);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another address is unaffected.
    expect((await t.api('/leads', { ip: '203.0.113.11' })).status).toBe(401);
  });

  it('limits each client by its plan, whatever the address', async () => {
    const run = async (key: string, n: number) => {
      const statuses: number[] = [];
      for (let i = 0; i < n; i++)
        statuses.push((await t.api('/leads', { token: key, ip: `198.51.100.${i + 1}` })).status);
      return statuses;
    };
    const s = await run(starter.apiKey, 4);
    expect(s).toEqual([200, 200, 200, 429]);
    const g = await run(growth.apiKey, 7);
    expect(g).toEqual([200, 200, 200, 200, 200, 200, 429]);
    const last = await t.api('/leads', { token: growth.apiKey, ip: '198.51.100.77' });
    expect(last.headers.get('ratelimit-policy')).toMatch(/"client"; q=6; w=60/);
  });

  it('limits sign-in attempts per IP more strictly, even with the right password', async () => {
    const a = await t.newClient('Auth Spa');
    const staff = await t.createStaff({ client: a.client, role: 'agent' });
    const ip = '192.0.2.50';
    for (let i = 0; i < 3; i++) {
      const res = await t.api('/auth/login', { ip, body: { email: staff.email, password: 'wrong-wrong-wrong-1' } });
      expect(res.status).toBe(401);
      expect(res.headers.get('ratelimit-policy')).toMatch(/"auth"; q=3; w=900/);
    }
    const refused = await t.api('/auth/login', { ip, body: { email: staff.email, password: staff.password } });
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('rate_limited');
    expect((await t.api('/auth/refresh', { ip, body: { refreshToken: 'ld_rt_x' } })).status).toBe(429);
    expect((await t.api('/auth/password/forgot', { ip, body: { email: staff.email } })).status).toBe(429);
  });

  it('does not limit webhooks per IP', async () => {
    for (let i = 0; i < 8; i++) {
      const res = await fetch(`${t.server.url}/webhooks/whatsapp`, {
        method: 'POST',
        headers: { 'x-forwarded-for': '203.0.113.99', 'content-type': 'application/json' },
        body: '{}',
      });
      expect(res.status).not.toBe(429);
      expect(res.headers.get('ratelimit')).toBeNull();
    }
  });

  if (store === 'redis') {
    it('keeps the counters in Redis under the configured prefix', async () => {
      const redis = new Redis(TEST_REDIS_URL);
      const keys = await redis.keys(`${prefix}*`);
      redis.disconnect();
      expect(keys.some((k) => k.startsWith(`${prefix}ip:`))).toBe(true);
      expect(keys.some((k) => k.startsWith(`${prefix}client:`))).toBe(true);
      expect(keys.some((k) => k.startsWith(`${prefix}auth:`))).toBe(true);
    });
  }
});
