import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../src/tenants/tenant-service.js';
import { startTestServer, type TestServer } from './support/test-server.js';
import { connectVisitor, nextAiReply } from './support/widget-client.js';

/** One sample of a metric in Prometheus text format; 0 when the series is absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const labelText = line.slice(name.length).match(/^\{([^}]*)\}/)?.[1] ?? '';
    const has = Object.entries(labels).every(([k, v]) => labelText.includes(`${k}="${v}"`));
    if (has) total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}

async function scrape(url: string, token?: string): Promise<{ status: number; text: string }> {
  const res = await fetch(`${url}/metrics`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  return { status: res.status, text: await res.text() };
}

describe('/metrics after a widget conversation (PostgreSQL)', () => {
  let server: TestServer;
  let siteKey: string;
  let clientName: string;

  beforeAll(async () => {
    server = await startTestServer({ db: 'postgres', env: { STRUCTURED_CHUNK_DELAY_MS: '0' } });
    clientName = `Metrics Dental ${Date.now()}`;
    const tenant = await createClient(server.db.orm.em.fork(), {
      name: clientName,
      industry: 'dental',
      allowedOrigins: ['*'],
    });
    siteKey = tenant.client.siteKey;
  }, 60_000);
  afterAll(async () => {
    await server?.dispose();
  });

  it('counts HTTP requests by route template, sockets, messages per channel and reply latencies', async () => {
    // Some HTTP traffic with ids in the path: the label must be the template.
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${server.url}/api/v1/widget/${siteKey}/config`)).status).toBeLessThan(500);
    expect((await fetch(`${server.url}/no/such/path/${siteKey}`)).status).toBe(404);

    const visitor = connectVisitor(server.url, { siteKey, origin: 'https://x.example' });
    await visitor.waitFor('session:ready');
    const ack = await visitor.send('Hi, how much is teeth whitening?');
    if (!ack.ok) throw new Error(ack.error.message);
    const reply = await nextAiReply(visitor, ack.data.message.seq, 20_000);
    expect(reply.message.content.length).toBeGreaterThan(0);
    await server.app.conversation.orchestrator.idle();

    const { status, text } = await scrape(server.url);
    expect(status).toBe(200);

    // HTTP: counted under the template, never under the concrete path (site keys are not labels).
    expect(sample(text, 'leaddesk_http_requests_total', { route: '/healthz', status: '200' })).toBeGreaterThanOrEqual(
      1,
    );
    expect(sample(text, 'leaddesk_http_requests_total', { route: 'unmatched', status: '404' })).toBeGreaterThanOrEqual(
      1,
    );
    expect(sample(text, 'leaddesk_http_request_duration_seconds_count', { route: '/healthz' })).toBeGreaterThanOrEqual(
      1,
    );
    expect(text).not.toContain(siteKey);
    expect(text).not.toContain(clientName);

    // Sockets: one visitor connected on /widget; its message in and the reply events out.
    expect(sample(text, 'leaddesk_socket_connections', { namespace: '/widget' })).toBe(1);
    expect(
      sample(text, 'leaddesk_socket_events_total', { namespace: '/widget', direction: 'in' }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sample(text, 'leaddesk_socket_events_total', { namespace: '/widget', direction: 'out' }),
    ).toBeGreaterThanOrEqual(2);

    // Messages per channel: the visitor's and the reply, on the web channel.
    expect(sample(text, 'leaddesk_messages_total', { channel: 'web', role: 'visitor' })).toBe(1);
    expect(sample(text, 'leaddesk_messages_total', { channel: 'web', role: 'ai' })).toBeGreaterThanOrEqual(1);

    // Reply latencies: one first token and one stored reply, with a positive sum.
    expect(sample(text, 'leaddesk_reply_first_token_seconds_count')).toBe(1);
    expect(sample(text, 'leaddesk_reply_first_token_seconds_sum')).toBeGreaterThan(0);
    expect(sample(text, 'leaddesk_reply_total_seconds_count', { path: 'engine' })).toBe(1);
    expect(sample(text, 'leaddesk_reply_total_seconds_sum')).toBeGreaterThanOrEqual(
      sample(text, 'leaddesk_reply_first_token_seconds_sum'),
    );

    // Queues and pool are reported for the backend in use (BullMQ on PostgreSQL here).
    expect(text).toMatch(/leaddesk_job_queue_jobs\{queue="outbound",state="waiting"\} \d+/);
    expect(text).toMatch(/leaddesk_job_queue_lag_seconds\{queue="outbound"\} [\d.]+/);
    expect(
      sample(text, 'leaddesk_db_pool_connections', { state: 'free' }) +
        sample(text, 'leaddesk_db_pool_connections', { state: 'used' }),
    ).toBeGreaterThanOrEqual(1);
    // Default process metrics.
    expect(sample(text, 'leaddesk_process_resident_memory_bytes')).toBeGreaterThan(10_000_000);

    visitor.close();
    await new Promise((r) => setTimeout(r, 300));
    expect(sample((await scrape(server.url)).text, 'leaddesk_socket_connections', { namespace: '/widget' })).toBe(0);
  }, 60_000);
});

describe('/metrics settings', () => {
  it('wants the bearer token when METRICS_TOKEN is set, and is absent when METRICS_ENABLED=false', async () => {
    const token = 'scrape-token-0123456789';
    const guarded = await startTestServer({ db: 'postgres', env: { METRICS_TOKEN: token } });
    try {
      expect((await scrape(guarded.url)).status).toBe(401);
      expect((await scrape(guarded.url, 'wrong-token-0123456789')).status).toBe(401);
      const ok = await scrape(guarded.url, token);
      expect(ok.status).toBe(200);
      expect(ok.text).toContain('leaddesk_http_requests_total');
    } finally {
      await guarded.dispose();
    }
    const off = await startTestServer({ db: 'postgres', env: { METRICS_ENABLED: 'false' } });
    try {
      expect((await scrape(off.url)).status).toBe(404);
    } finally {
      await off.dispose();
    }
  }, 60_000);
});
