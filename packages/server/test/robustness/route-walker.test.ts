import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { concretePath, listRoutes, type RegisteredRoute } from '../support/route-walk.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { type Answer, timedRequest } from '../support/timed-request.js';

/**
 * Every route of the real app, found by walking Express's router stack, called
 * without credentials and with garbage: each must answer (any status) within
 * 2 s, and none with a server error. A route added later is walked too.
 */

interface Probe {
  name: string;
  /** The `:param` value, URL-encoded. */
  param: string;
  query?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

const GARBAGE_JSON = JSON.stringify({
  a: 'nul\u0000here',
  b: '\ud800',
  ['__proto__']: { polluted: true },
  constructor: { prototype: { polluted: true } },
  n: '12',
  deep: [[[[[[[[[[{}]]]]]]]]]],
});

const PROBES: Probe[] = [
  { name: 'bare', param: '00000000-0000-4000-8000-000000000000' },
  {
    name: 'NUL in param, query and JSON body',
    param: '%00',
    query: 'q=%00&client=%00&page=-1&pageSize=abc&siteKey=%00&hub.mode=subscribe&hub.verify_token=%00&hub.challenge=x',
    headers: { 'content-type': 'application/json' },
    body: GARBAGE_JSON,
  },
  {
    name: 'garbage credentials and broken JSON',
    param: 'not-a-uuid',
    headers: {
      authorization: 'Bearer ld_live_garbage',
      'x-client-id': 'nope',
      'content-type': 'application/json',
      'x-hub-signature-256': 'sha256=00',
      'x-twilio-signature': 'garbage',
    },
    body: '{"unterminated": ',
  },
  {
    name: 'a JWT-shaped token, unsupported charset',
    param: '..%2F..%2Fetc%2Fpasswd',
    headers: {
      authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln',
      'content-type': 'application/json; charset=utf-32',
    },
    body: '{}',
  },
  {
    name: 'a long param, form and binary bodies',
    param: 'x'.repeat(3000),
    query: 'client=x&q=%F0%9F&page=1e309',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'Body=%00&From=%00&MessageSid=%00&To=%2B1&CallStatus=no-answer',
  },
  {
    name: 'broken multipart',
    param: '%E0%A4%A',
    headers: { 'content-type': 'multipart/form-data; boundary=zzz', authorization: 'Basic Zm9vOmJhcg==' },
    body: Buffer.from(
      '--zzz\r\nContent-Disposition: form-data; name="file"; filename="a\u0000.txt"\r\n\r\n\u0000\u0001\r\n',
    ),
  },
];

describe('route walker: every route answers garbage without credentials', () => {
  let server: TestServer;
  let routes: RegisteredRoute[];

  beforeAll(async () => {
    server = await startTestServer({
      env: {
        APP_SECRET: 'route-walker-app-secret-long-enough-0123456789',
        META_APP_SECRET: 'route-walker-meta-secret',
        TELEPHONY_WEBHOOK_SECRET: 'route-walker-telephony-secret',
        RATE_LIMIT_PER_IP: '100000',
        RATE_LIMIT_AUTH: '100000',
        WEB_FORM_RATE_PER_MINUTE: '100000',
      },
    });
    routes = listRoutes(server.app.express);
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it('finds the routes of every area in the router stack', () => {
    const keys = routes.map((r) => `${r.method} ${r.path}`);
    // A few from each router: if the walk missed a mount, these would be absent.
    for (const expected of [
      'GET /healthz',
      'POST /api/v1/auth/2fa/setup',
      'POST /api/v1/auth/2fa/enable',
      'GET /api/v1/leads/:id',
      'PATCH /api/v1/client',
      'POST /api/v1/knowledge-bases/:id/documents',
      'PUT /api/v1/channels/whatsapp',
      'POST /webhooks/whatsapp',
      'POST /webhooks/sms',
      'POST /webhooks/missed-call',
    ]) {
      expect(keys).toContain(expected);
    }
    expect(routes.length).toBeGreaterThan(60);
  });

  it('answers 2FA enrolment without a token with 401 at once (it used to hang)', async () => {
    for (const path of ['/api/v1/auth/2fa/setup', '/api/v1/auth/2fa/enable']) {
      const answer = await timedRequest(`${server.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(path.endsWith('enable') ? { code: '123456' } : {}),
      });
      expect(answer.status, path).toBe(401);
      expect(JSON.parse(answer.body).error.code).toBe('unauthorized');
    }
  });

  it('answers every route and probe within 2 s, never with a server error', async () => {
    const failures: string[] = [];
    const statuses = new Map<string, number>();
    let sent = 0;
    for (const route of routes) {
      for (const probe of PROBES) {
        const path = concretePath(route, probe.param);
        const url = `${server.url}${path}${probe.query ? `?${probe.query}` : ''}`;
        const hasBody = route.method !== 'GET' && route.method !== 'HEAD' && probe.body !== undefined;
        const answer: Answer = await timedRequest(url, {
          method: route.method,
          headers: probe.headers,
          body: hasBody ? probe.body : undefined,
        });
        sent++;
        statuses.set(String(answer.status), (statuses.get(String(answer.status)) ?? 0) + 1);
        if (answer.status === 'hung' || answer.status >= 500) {
          failures.push(
            `${route.method} ${route.path} [${probe.name}] → ${answer.status} ${answer.body.slice(0, 200)}`,
          );
        }
      }
    }
    console.log(
      `route walker: ${routes.length} routes, ${sent} requests, statuses ${JSON.stringify(Object.fromEntries(statuses))}`,
    );
    expect(failures).toEqual([]);
  }, 120_000);
});
