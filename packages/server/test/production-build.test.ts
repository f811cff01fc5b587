import { type ChildProcessWithoutNullStreams, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createFreshPostgresDatabase, TEST_REDIS_URL } from './support/databases.js';
import { connectVisitor, nextAiReply } from './support/widget-client.js';

/**
 * The compiled server as production runs it: `node --import dist/instrument.js dist/main.js`,
 * built by scripts/build.mjs, with no TypeScript tooling at run time; against a fresh
 * PostgreSQL database. Also the optional traces (OTLP) and error reports (Sentry), which
 * only load in that form (instrument.ts is given to --import).
 */
vi.setConfig({ testTimeout: 180_000, hookTimeout: 180_000 });

const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const repoDir = path.resolve(serverDir, '../..');
// Inside the package (so the bundle's imports resolve in its node_modules), ignored by git.
const outDir = path.join(serverDir, 'node_modules', '.cache', `ld-build-${randomBytes(4).toString('hex')}`);
const cleanups: Array<() => Promise<unknown>> = [];

beforeAll(async () => {
  await promisify(execFile)(process.execPath, ['scripts/build.mjs', '--outdir', outDir], { cwd: serverDir });
});
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => {});
  await fs.rm(outDir, { recursive: true, force: true });
});

interface Proc {
  child: ChildProcessWithoutNullStreams;
  url: string;
  out(): string;
  demo: { apiKey: string; siteKey: string } | null;
}

/**
 * Jobs on Redis, as deployed: BullMQ's PostgreSQL backend holds a few connections per queue, and the shared
 * PostgreSQL server's 100 were seen exhausted with these processes beside the other test files.
 */
function redisJobs(prefix: string): Record<string, string> {
  return { REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: `${prefix}-${randomBytes(4).toString('hex')}:` };
}

/** Starts one server process and waits for its "Lead Desk is running" line (and the demo lines). */
async function startProcess(args: string[], env: Record<string, string>, expectDemo: boolean): Promise<Proc> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'ld-prod-'));
  const child = spawn(process.execPath, args, {
    cwd: serverDir,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      DATA_DIR: dataDir,
      STRUCTURED_CHUNK_DELAY_MS: '0',
      DATABASE_POOL_MAX: '4',
      ...env,
    },
  });
  let out = '';
  child.stdout.on('data', (c) => {
    out += c;
  });
  child.stderr.on('data', (c) => {
    out += c;
  });
  cleanups.push(async () => {
    if (child.exitCode === null) {
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
    }
    await fs.rm(dataDir, { recursive: true, force: true });
  });
  const started = Date.now();
  for (;;) {
    const port = out.match(/"url":"http:\/\/localhost:(\d+)"/)?.[1];
    if (port && (!expectDemo || /site key:\s+pk_\S+/.test(out))) {
      const apiKey = out.match(/API key:\s+(ld_live_\S+)/)?.[1];
      const siteKey = out.match(/site key:\s+(pk_\S+)/)?.[1];
      return {
        child,
        url: `http://127.0.0.1:${port}`,
        out: () => out,
        demo: apiKey && siteKey ? { apiKey, siteKey } : null,
      };
    }
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}): ${out.slice(-3000)}`);
    if (Date.now() - started > 150_000) throw new Error(`server did not start: ${out.slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function freshDatabase(): Promise<string> {
  const db = await createFreshPostgresDatabase();
  cleanups.push(() => db.drop());
  return db.url;
}

/** Resident set size of a process (Linux), in MB. */
async function rssMb(pid: number): Promise<number> {
  const status = await fs.readFile(`/proc/${pid}/status`, 'utf8');
  return Number(status.match(/VmRSS:\s+(\d+) kB/)?.[1]) / 1024;
}

/** Lets start-up work settle (first sweeps, JIT, pool warm-up) before memory is read. */
const IDLE_MS = 8000;

describe('production build (node dist/main.js)', () => {
  it('bundles the server and the shared contracts without any TypeScript tooling', async () => {
    const main = await fs.readFile(path.join(outDir, 'main.js'), 'utf8');
    // Shared is compiled in, not imported as TypeScript source at run time.
    expect(main).not.toMatch(/from ["']@leaddesk\/shared["']/);
    expect(main).not.toMatch(/from ["'](tsx|typescript)["']|["']tsx\/esm["']/);
    for (const file of ['instrument.js', 'cli/migrate.js', 'cli/create-admin.js', 'cli/onboard.js']) {
      await expect(fs.stat(path.join(outDir, file))).resolves.toBeTruthy();
    }
    // Migrations are in the bundle (listed in code), so `dist` needs no migrations folder.
    expect(main).toContain('Migration20261125000000Initial');
  });

  it('serves health, readiness and a structured-mode reply on a fresh PostgreSQL database, lighter than tsx', async () => {
    const prod = await startProcess(
      ['--import', path.join(outDir, 'instrument.js'), path.join(outDir, 'main.js')],
      { DATABASE_URL: await freshDatabase(), ...redisJobs('ld-prod') },
      true,
    );
    expect((await fetch(`${prod.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${prod.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(((await ready.json()) as { checks: { database: { kind: string } } }).checks.database.kind).toBe('external');

    // The widget's files are found where the sources find them (packages/widget/dist), built or not.
    const widgetDist = path.join(repoDir, 'packages/widget/dist');
    const built = await fs
      .stat(path.join(widgetDist, 'loader.js'))
      .then(() => true)
      .catch(() => false);
    if (built) expect((await fetch(`${prod.url}/widget/loader.js`)).status).toBe(200);
    else expect(prod.out()).toContain(JSON.stringify(widgetDist));

    const siteKey = prod.demo?.siteKey;
    if (!siteKey) throw new Error(`no demo site key printed: ${prod.out().slice(-2000)}`);
    const visitor = connectVisitor(prod.url, { siteKey, origin: prod.url });
    try {
      await visitor.waitFor('session:ready', undefined, 20_000);
      const ack = await visitor.send('Hello, what are your opening hours?');
      if (!ack.ok) throw new Error(ack.error.message);
      const reply = await nextAiReply(visitor, ack.data.message.seq, 30_000);
      expect(reply.message.role).toBe('ai');
      expect(reply.message.content.trim().length).toBeGreaterThan(10);
    } finally {
      visitor.close();
    }

    // The same server under tsx, as `pnpm dev` runs it, for the memory comparison.
    const dev = await startProcess(
      ['--import', 'tsx', 'src/main.ts'],
      { DATABASE_URL: await freshDatabase(), SEED_DEMO: 'false', ...redisJobs('ld-prod-mem') },
      false,
    );
    await new Promise((r) => setTimeout(r, IDLE_MS));
    const prodRss = await rssMb(prod.child.pid!);
    const devRss = await rssMb(dev.child.pid!);
    process.stdout.write(
      `\n  idle RSS after ${IDLE_MS / 1000} s: node dist/main.js ${prodRss.toFixed(0)} MB, tsx src/main.ts ${devRss.toFixed(0)} MB\n`,
    );
    expect(prodRss).toBeLessThan(devRss);
    expect(prodRss).toBeLessThan(300);
  });
});

interface Received {
  path: string;
  body: string;
}

/** One local HTTP server standing in for both an OTLP collector and Sentry's ingest. */
async function fakeCollector(): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body = Buffer.concat(chunks);
      if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
      received.push({ path: req.url ?? '', body: body.toString('utf8') });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise((r) => server.close(r)));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received, server };
}

async function until<T>(read: () => T | undefined, ms: number, what: string): Promise<T> {
  const started = Date.now();
  for (;;) {
    const v = read();
    if (v !== undefined) return v;
    if (Date.now() - started > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('traces and error reports (built server, both configured)', () => {
  it('sends HTTP spans to the OTLP endpoint and an unexpected route error to Sentry', async () => {
    const collector = await fakeCollector();
    const databaseUrl = await freshDatabase();
    const proc = await startProcess(
      ['--import', path.join(outDir, 'instrument.js'), path.join(outDir, 'main.js')],
      {
        DATABASE_URL: databaseUrl,
        ...redisJobs('ld-prod-trace'),
        OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
        OTEL_SERVICE_NAME: 'leaddesk-test',
        SENTRY_DSN: `http://0123456789abcdef@${collector.url.slice('http://'.length)}/42`,
      },
      true,
    );
    const apiKey = proc.demo?.apiKey;
    if (!apiKey) throw new Error('no demo API key printed');
    const headers = { authorization: `Bearer ${apiKey}` };
    expect((await fetch(`${proc.url}/api/v1/leads`, { headers })).status).toBe(200);

    // A server-side fault the route does not expect: its table is gone.
    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    await admin.query('alter table leads rename to leads_moved_away');
    await admin.end();
    const failed = await fetch(`${proc.url}/api/v1/leads`, { headers });
    expect(failed.status).toBe(500);
    // The visitor of the API sees "internal error"; the details go to Sentry.
    expect(await failed.text()).toContain('internal error');

    const traces = await until(
      () => collector.received.find((r) => r.path === '/v1/traces' && r.body.includes('/api/v1/leads')),
      20_000,
      'a trace export with the /api/v1/leads request',
    );
    expect(traces.body).toContain('leaddesk-test');

    const event = await until(
      () =>
        collector.received.find(
          (r) =>
            r.path.startsWith('/api/42/') && r.body.includes('"type":"event"') && r.body.includes('does not exist'),
        ),
      20_000,
      'a Sentry event for the failed request',
    );
    expect(event.body).toContain('"type":"event"');
    // An expected error (a 404) is the caller's: not reported.
    expect((await fetch(`${proc.url}/api/v1/no-such-resource`, { headers })).status).toBe(404);
    await new Promise((r) => setTimeout(r, 1500));
    expect(
      collector.received.filter((r) => r.path.startsWith('/api/42/') && r.body.includes('"type":"event"')),
    ).toHaveLength(1);
  });
});
