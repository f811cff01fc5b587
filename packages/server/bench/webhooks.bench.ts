/**
 * Outgoing webhooks: deliveries per second and latency of Lead Desk's whole
 * path (domain event → outbox row and delivery in PostgreSQL → BullMQ job on
 * Redis → claim → Standard Webhooks signature → POST through the SSRF-guarded
 * client → attempt logged) against a bare HTTP client loop (keep-alive agent,
 * same concurrency, same body size) posting to the same local receiver, in the
 * same run. Two phases per sender: throughput (EVENTS at once: Lead Desk gets
 * them all emitted together, the loop keeps CONCURRENCY in flight), and
 * latency (LATENCY_EVENTS one after another, each waiting for the receiver:
 * no queueing, the cost of one delivery). Latency is measured the same way
 * for both: from the moment the sender is asked to send (the event emitted /
 * the loop's turn) to the moment the receiver has the request. Loopback only;
 * about a minute on an idle machine.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { loadConfig } from '../src/config/config.js';
import { createLogger } from '../src/logger.js';
import { startServer } from '../src/server.js';
import { createClient } from '../src/tenants/tenant-service.js';
import { percentile, round, writeResult } from './support/results.js';

const EVENTS = Number(process.env.BENCH_WEBHOOKS_EVENTS ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_WEBHOOKS_CONCURRENCY ?? 16);
const LATENCY_EVENTS = Number(process.env.BENCH_WEBHOOKS_LATENCY_EVENTS ?? 300);
const PG_ADMIN = process.env.BENCH_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

interface Measured {
  deliveries: number;
  seconds: number;
  deliveriesPerSecond: number;
  latencyMs: { p50: number; p99: number };
}

/** The receiver both senders post to: answers 200 at once and notes when each id arrived. */
async function startReceiver() {
  const arrived = new Map<string, number>();
  let waiter: { n: number; resolve: () => void } | null = null;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = performance.now();
      const id = /"leadId":"([^"]+)"/.exec(Buffer.concat(chunks).toString('utf8'))?.[1];
      if (id && !arrived.has(id)) arrived.set(id, at);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
      if (waiter && arrived.size >= waiter.n) waiter.resolve();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    arrived,
    reset: () => arrived.clear(),
    waitFor: (n: number, timeoutMs: number) =>
      new Promise<void>((resolve, reject) => {
        if (arrived.size >= n) return resolve();
        const timer = setTimeout(() => reject(new Error(`only ${arrived.size}/${n} arrived`)), timeoutMs);
        waiter = {
          n,
          resolve: () => {
            clearTimeout(timer);
            waiter = null;
            resolve();
          },
        };
      }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
type Receiver = Awaited<ReturnType<typeof startReceiver>>;

function measure(receiver: Receiver, asked: Map<string, number>, started: number, ended: number): Measured {
  const latencies = [...asked].map(([id, at]) => (receiver.arrived.get(id) ?? Number.NaN) - at);
  const seconds = (ended - started) / 1000;
  return {
    deliveries: asked.size,
    seconds: round(seconds),
    deliveriesPerSecond: round(asked.size / seconds, 1),
    latencyMs: { p50: round(percentile(latencies, 50)), p99: round(percentile(latencies, 99)) },
  };
}

/** A lead.hot event's body is about this size; the baseline sends the same bytes. */
const payload = (id: string) =>
  JSON.stringify({
    type: 'lead.hot',
    timestamp: new Date().toISOString(),
    data: { leadId: id, conversationId: id, channel: 'web', score: 91, evidence: ['budget', 'timeline'] },
  });

/** The baseline: a bare keep-alive HTTP client loop, CONCURRENCY requests in flight. */
async function bareLoop(receiver: Receiver, count: number, concurrency: number): Promise<Measured> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const asked = new Map<string, number>();
  const url = new URL(receiver.url);
  let next = 0;
  const post = (body: string) =>
    new Promise<void>((resolve, reject) => {
      const req = http.request(
        url,
        {
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve());
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const id = `base-${next++}`;
        asked.set(id, performance.now());
        await post(payload(id));
      }
    }),
  );
  const ended = performance.now();
  agent.destroy();
  return measure(receiver, asked, started, ended);
}

export async function run(): Promise<void> {
  const receiver = await startReceiver();
  const dbName = `ld_bench_webhooks_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN });
  await admin.connect();
  await admin.query(`create database "${dbName}"`);
  await admin.end();
  const dbUrl = new URL(PG_ADMIN);
  dbUrl.pathname = `/${dbName}`;
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    SEED_DEMO: 'false',
    DATA_DIR: `/tmp/${dbName}`,
    DATABASE_URL: dbUrl.toString(),
    REDIS_URL,
    REDIS_PREFIX: `ldbench-${randomBytes(3).toString('hex')}:`,
    APP_SECRET: 'bench-app-secret-0123456789abcdef0123',
    OUTGOING_WEBHOOKS_ALLOW_PRIVATE: 'true',
    OUTGOING_WEBHOOKS_ALLOW_HTTP: 'true',
    OUTGOING_WEBHOOKS_CONCURRENCY: String(CONCURRENCY),
  });
  const server = await startServer(config, createLogger({ level: 'silent', pretty: false }));
  try {
    const tenant = await createClient(server.db.orm.em.fork(), { name: 'Bench Dental', industry: 'dental' });
    const created = await fetch(`${server.url.replace('localhost', '127.0.0.1')}/api/v1/webhook-endpoints`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tenant.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ url: receiver.url, events: ['lead.hot'] }),
    });
    if (created.status !== 201) throw new Error(`endpoint not created: ${created.status} ${await created.text()}`);
    const events = server.app.conversation.core.events;
    console.log(`${EVENTS} deliveries, concurrency ${CONCURRENCY}, PostgreSQL + BullMQ on Redis, loopback receiver`);

    // Warm-up for both (connections, JIT, prepared statements), not measured.
    const warm = (n: number, prefix: string) => {
      for (let i = 0; i < n; i++) {
        const id = `${prefix}-${i}`;
        events.emit('lead.hot', {
          clientId: tenant.client.id,
          conversationId: id,
          channel: 'web',
          visitorId: null,
          leadId: id,
          score: 91,
          evidence: ['budget', 'timeline'],
        });
      }
    };
    warm(100, 'warm');
    await receiver.waitFor(100, 60_000);
    receiver.reset();

    // Lead Desk: every event emitted at once, the way a busy tenant's traffic arrives.
    const asked = new Map<string, number>();
    const started = performance.now();
    for (let i = 0; i < EVENTS; i++) {
      const id = `ld-${i}`;
      asked.set(id, performance.now());
      events.emit('lead.hot', {
        clientId: tenant.client.id,
        conversationId: id,
        channel: 'web',
        visitorId: null,
        leadId: id,
        score: 91,
        evidence: ['budget', 'timeline'],
      });
    }
    await receiver.waitFor(EVENTS, 300_000);
    // Arrivals are keyed by data.leadId, unique per event.
    const ld = measure(receiver, asked, started, performance.now());
    console.log('lead desk (outbox, job, sign, guarded POST, log):', JSON.stringify(ld));
    receiver.reset();

    const base = await bareLoop(receiver, EVENTS, CONCURRENCY);
    console.log('baseline (bare keep-alive HTTP client loop):', JSON.stringify(base));
    receiver.reset();

    // Latency: one delivery at a time.
    const one = new Map<string, number>();
    const oneStarted = performance.now();
    for (let i = 0; i < LATENCY_EVENTS; i++) {
      const id = `one-${i}`;
      one.set(id, performance.now());
      events.emit('lead.hot', {
        clientId: tenant.client.id,
        conversationId: id,
        channel: 'web',
        visitorId: null,
        leadId: id,
        score: 91,
        evidence: ['budget', 'timeline'],
      });
      await receiver.waitFor(i + 1, 30_000);
    }
    const ldOne = measure(receiver, one, oneStarted, performance.now());
    receiver.reset();
    const baseOne = await bareLoop(receiver, LATENCY_EVENTS, 1);
    console.log('one at a time, lead desk:', JSON.stringify(ldOne));
    console.log('one at a time, baseline:', JSON.stringify(baseOne));

    const ratio = {
      deliveriesPerSecond: round(ld.deliveriesPerSecond / base.deliveriesPerSecond, 3),
      p50: round(ldOne.latencyMs.p50 / baseOne.latencyMs.p50, 1),
      p99: round(ldOne.latencyMs.p99 / baseOne.latencyMs.p99, 1),
      burstP99: round(ld.latencyMs.p99 / base.latencyMs.p99, 1),
    };
    const row = (name: string, a: number, b: number, r: number) =>
      console.log(`${name.padEnd(20)} ${String(a).padStart(10)} ${String(b).padStart(10)} ${String(r).padStart(8)}x`);
    console.log(`\n${''.padEnd(20)} ${'lead desk'.padStart(10)} ${'baseline'.padStart(10)} ${'ratio'.padStart(9)}`);
    row('deliveries/s', ld.deliveriesPerSecond, base.deliveriesPerSecond, ratio.deliveriesPerSecond);
    row('p50 latency ms', ldOne.latencyMs.p50, baseOne.latencyMs.p50, ratio.p50);
    row('p99 latency ms', ldOne.latencyMs.p99, baseOne.latencyMs.p99, ratio.p99);
    row('burst p99 ms', ld.latencyMs.p99, base.latencyMs.p99, ratio.burstP99);
    const file = await writeResult('webhooks', {
      events: EVENTS,
      concurrency: CONCURRENCY,
      latencyEvents: LATENCY_EVENTS,
      leadDesk: { burst: ld, oneAtATime: ldOne },
      baseline: { burst: base, oneAtATime: baseOne },
      ratio,
    });
    console.log(`\nresults: ${file}`);
  } finally {
    await server.stop();
    await receiver.close();
    const drop = new pg.Client({ connectionString: PG_ADMIN });
    await drop.connect();
    await drop.query(`drop database if exists "${dbName}" with (force)`);
    await drop.end();
  }
}
