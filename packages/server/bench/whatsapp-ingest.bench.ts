/**
 * WhatsApp webhook ingestion: requests/s and latency of `POST /webhooks/whatsapp`
 * (HMAC-SHA256 signature over the raw body, event store with dedup, enqueue on
 * BullMQ's PostgreSQL backend) against a bare Express endpoint that inserts the
 * same row with `pg`, in the same run, on the same PostgreSQL, with the same
 * client. Loopback only; about a minute.
 */

import { type ChildProcess, fork } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { percentile, round, writeResult } from './support/results.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const SECONDS = Number(process.env.BENCH_INGEST_SECONDS ?? 15);
const CONCURRENCY = Number(process.env.BENCH_INGEST_CONCURRENCY ?? 32);
const PG_ADMIN = process.env.BENCH_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const APP_SECRET = 'bench-app-secret';

/** Meta's documented text-message webhook, with a fresh wamid each time. */
function webhookBody(i: number): string {
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550783881', phone_number_id: '106540352242922' },
              contacts: [{ profile: { name: 'Sheena Nelson' }, wa_id: '16505551234' }],
              messages: [
                {
                  from: '16505551234',
                  id: `wamid.${randomBytes(24).toString('base64url')}`,
                  timestamp: String(1749416383 + i),
                  text: { body: `Does it come in another color? (${i})` },
                  type: 'text',
                },
              ],
            },
            field: 'messages',
          },
        ],
      },
    ],
  });
}

function startChild(script: string, env: Record<string, string>): Promise<{ child: ChildProcess; port: number }> {
  const child = fork(path.join(here, 'support', script), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start`)), 60_000);
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
    child.on('message', (msg: { type: string; port?: number }) => {
      if (msg.type === 'ready') {
        clearTimeout(timer);
        resolve({ child, port: msg.port as number });
      }
    });
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.removeAllListeners('exit');
  child.send({ type: 'stop' });
  await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

interface Measured {
  requests: number;
  errors: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p99: number; max: number };
}

/** CONCURRENCY keep-alive connections posting signed bodies back to back for SECONDS. */
async function load(port: number, seconds: number): Promise<Measured> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const latencies: number[] = [];
  let errors = 0;
  let n = 0;
  const deadline = performance.now() + seconds * 1000;
  const post = (body: string, signature: string) =>
    new Promise<number>((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port,
          path: '/webhooks/whatsapp',
          method: 'POST',
          agent,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            'x-hub-signature-256': signature,
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  const worker = async () => {
    while (performance.now() < deadline) {
      const body = webhookBody(n++);
      const signature = `sha256=${createHmac('sha256', APP_SECRET).update(body).digest('hex')}`;
      const t0 = performance.now();
      try {
        const status = await post(body, signature);
        if (status !== 200) errors++;
      } catch {
        errors++;
      }
      latencies.push(performance.now() - t0);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  return {
    requests: latencies.length,
    errors,
    requestsPerSecond: round(latencies.length / elapsed, 1),
    latencyMs: {
      p50: round(percentile(latencies, 50)),
      p99: round(percentile(latencies, 99)),
      max: round(Math.max(...latencies)),
    },
  };
}

export async function run(): Promise<void> {
  const name = `ld_bench_wa_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN });
  await admin.connect();
  await admin.query(`create database "${name}"`);
  const dbUrl = new URL(PG_ADMIN);
  dbUrl.pathname = `/${name}`;
  const env = {
    NODE_ENV: 'production',
    LOG_LEVEL: 'error',
    SEED_DEMO: 'false',
    DATABASE_URL: dbUrl.toString(),
    DATABASE_POOL_MAX: '10',
    REDIS_URL: '',
    META_APP_SECRET: APP_SECRET,
    APP_SECRET: 'bench-app-secret-bench-app-secret-0123',
  };
  console.log(`concurrency=${CONCURRENCY}, ${SECONDS} s per target, database=${name}`);
  try {
    const leaddesk = await startChild('whatsapp-ingest-server.ts', env);
    await load(leaddesk.port, 2); // warm-up (JIT, pool, prepared plans)
    const ld = await load(leaddesk.port, SECONDS);
    await stopChild(leaddesk.child);
    const db = new pg.Client({ connectionString: dbUrl.toString() });
    await db.connect();
    const stored = Number(
      (await db.query(`select count(*) as n from webhook_events where provider = 'whatsapp'`)).rows[0].n,
    );
    console.log('lead desk (signature, dedup, store, enqueue):', JSON.stringify(ld), `events stored: ${stored}`);

    const bare = await startChild('bare-ingest-server.ts', env);
    await load(bare.port, 2);
    const base = await load(bare.port, SECONDS);
    await stopChild(bare.child);
    await db.end();
    console.log('baseline (bare Express + pg insert):', JSON.stringify(base));

    const ratio = {
      requestsPerSecond: round(ld.requestsPerSecond / base.requestsPerSecond),
      p50: round(ld.latencyMs.p50 / base.latencyMs.p50),
      p99: round(ld.latencyMs.p99 / base.latencyMs.p99),
    };
    console.log(`\n${''.padEnd(20)} ${'lead desk'.padStart(10)} ${'baseline'.padStart(10)} ${'ratio'.padStart(8)}`);
    console.log(
      `${'requests/s'.padEnd(20)} ${String(ld.requestsPerSecond).padStart(10)} ${String(base.requestsPerSecond).padStart(10)} ${String(ratio.requestsPerSecond).padStart(7)}x`,
    );
    console.log(
      `${'p50 ms'.padEnd(20)} ${String(ld.latencyMs.p50).padStart(10)} ${String(base.latencyMs.p50).padStart(10)} ${String(ratio.p50).padStart(7)}x`,
    );
    console.log(
      `${'p99 ms'.padEnd(20)} ${String(ld.latencyMs.p99).padStart(10)} ${String(base.latencyMs.p99).padStart(10)} ${String(ratio.p99).padStart(7)}x`,
    );
    const file = await writeResult('whatsapp-ingest', {
      date: new Date().toISOString(),
      concurrency: CONCURRENCY,
      seconds: SECONDS,
      jobBackend: 'bullmq-postgres',
      leaddesk: { ...ld, eventsStored: stored },
      baseline: base,
      ratio,
    });
    console.log(`results: ${file}`);
  } finally {
    await admin.query(`drop database if exists "${name}" with (force)`);
    await admin.end();
  }
}
