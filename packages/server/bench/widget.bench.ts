/**
 * Widget path under load: N concurrent visitor sockets (BENCH_VISITORS,
 * default 1000) each send BENCH_MESSAGES messages (default 3) through the
 * whole path — handshake checks, conversation core, PostgreSQL, structured
 * engine, streamed reply — against the real PostgreSQL at 127.0.0.1:5432.
 * Baseline in the same run: a bare Socket.IO echo server, same clients.
 * Measures send→ack, send→ai:status, send→first reply delta (p50/p99),
 * messages per second and the server's peak RSS; writes bench/results/*.json.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { io, type Socket } from 'socket.io-client';
import { percentile, round, writeResult } from './support/results.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const VISITORS = Number(process.env.BENCH_VISITORS ?? 1000);
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 3);
const MAX_SECONDS = Number(process.env.BENCH_MAX_SECONDS ?? 50);
const PG_ADMIN = process.env.BENCH_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

const SCRIPT = [
  'Hi, do you accept dental insurance?',
  'Implants',
  'Yes, urgent',
  'No',
  'next Monday at 10am',
  'my email is bench@example.com',
];

interface Samples {
  ack: number[];
  status: number[];
  firstDelta: number[];
  errors: number;
  timeouts: number;
  messages: number;
  seconds: number;
  connectSeconds: number;
  peakRssMb: number;
  serverCpuMs: number;
}

interface Target {
  child: ChildProcess;
  port: number;
  siteKey: string;
}

function startChild(script: string, env: Record<string, string>): Promise<Target> {
  const child = fork(path.join(here, 'support', script), [], {
    execArgv: [
      '--import',
      'tsx',
      ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
    ],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start`)), 60_000);
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
    child.on('message', (msg: { type: string; port?: number; siteKey?: string }) => {
      if (msg.type === 'ready') {
        clearTimeout(timer);
        resolve({ child, port: msg.port as number, siteKey: msg.siteKey ?? 'pk_echo' });
      }
    });
  });
}

async function sampleRss(child: ChildProcess): Promise<{ stop(): Promise<number>; cpuMs(): number }> {
  let peak = 0;
  let firstCpu: number | undefined;
  let lastCpu = 0;
  const onMessage = (msg: { type: string; rss?: number; cpuMs?: number }) => {
    if (msg.type === 'rss' && msg.rss) peak = Math.max(peak, msg.rss);
    if (msg.type === 'rss' && msg.cpuMs !== undefined) {
      firstCpu ??= msg.cpuMs;
      lastCpu = msg.cpuMs;
    }
  };
  child.on('message', onMessage);
  // A first sample before any load, so CPU time counts only the run.
  await new Promise<void>((resolve) => {
    const first = (msg: { type: string }) => {
      if (msg.type !== 'rss') return;
      child.off('message', first);
      resolve();
    };
    child.on('message', first);
    child.send({ type: 'rss' });
  });
  const timer = setInterval(() => child.send({ type: 'rss' }), 200);
  return {
    async stop() {
      clearInterval(timer);
      child.send({ type: 'rss' });
      await new Promise((r) => setTimeout(r, 100));
      child.off('message', onMessage);
      return peak;
    },
    cpuMs: () => lastCpu - (firstCpu ?? lastCpu),
  };
}

async function stopChild(child: ChildProcess): Promise<void> {
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.send({ type: 'stop' });
  await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

function connect(url: string, siteKey: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = io(`${url}/widget`, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      auth: { siteKey },
      extraHeaders: { origin: 'http://127.0.0.1' },
    });
    const timer = setTimeout(() => reject(new Error('connect timeout')), 30_000);
    socket.once('session:ready', () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.once('connect_error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

async function drive(target: Target, deadline: number): Promise<Omit<Samples, 'peakRssMb' | 'serverCpuMs'>> {
  const url = `http://127.0.0.1:${target.port}`;
  const sockets: Socket[] = [];
  const connectStart = performance.now();
  for (let i = 0; i < VISITORS; i += 50) {
    const batch = Array.from({ length: Math.min(50, VISITORS - i) }, () => connect(url, target.siteKey));
    sockets.push(...(await Promise.all(batch)));
  }
  const connectSeconds = (performance.now() - connectStart) / 1000;
  const samples = {
    ack: [] as number[],
    status: [] as number[],
    firstDelta: [] as number[],
    errors: 0,
    timeouts: 0,
    messages: 0,
  };

  const visitor = async (socket: Socket, n: number) => {
    for (let k = 0; k < MESSAGES; k++) {
      if (Date.now() > deadline) return;
      const content = SCRIPT[k % SCRIPT.length] as string;
      const t0 = performance.now();
      let status: number | undefined;
      let delta: number | undefined;
      const onStatus = () => {
        status ??= performance.now() - t0;
      };
      const onDelta = () => {
        delta ??= performance.now() - t0;
      };
      socket.on('ai:status', onStatus);
      socket.on('reply:delta', onDelta);
      const ended = new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), 30_000);
        socket.once('reply:ended', () => {
          clearTimeout(timer);
          resolve(true);
        });
      });
      try {
        const ack = await socket
          .timeout(30_000)
          .emitWithAck('message:send', { clientMessageId: `b${n}_${k}_${randomBytes(4).toString('hex')}`, content });
        samples.ack.push(performance.now() - t0);
        if (!ack.ok) samples.errors++;
        else samples.messages++;
      } catch {
        samples.timeouts++;
      }
      if (!(await ended)) samples.timeouts++;
      socket.off('ai:status', onStatus);
      socket.off('reply:delta', onDelta);
      if (status !== undefined) samples.status.push(status);
      if (delta !== undefined) samples.firstDelta.push(delta);
    }
  };
  const start = performance.now();
  await Promise.all(sockets.map((s, i) => visitor(s, i)));
  const seconds = (performance.now() - start) / 1000;
  for (const s of sockets) s.disconnect();
  return { ...samples, seconds, connectSeconds };
}

function summarize(s: Samples) {
  const stat = (v: number[]) => ({ p50: round(percentile(v, 50)), p99: round(percentile(v, 99)), n: v.length });
  return {
    sendToAckMs: stat(s.ack),
    sendToAiStatusMs: stat(s.status),
    sendToFirstDeltaMs: stat(s.firstDelta),
    messages: s.messages,
    messagesPerSecond: round(s.messages / s.seconds, 1),
    errors: s.errors,
    timeouts: s.timeouts,
    connectSeconds: round(s.connectSeconds),
    peakServerRssMb: round(s.peakRssMb, 1),
    /** Server CPU time (user + system) per message, connections included. */
    serverCpuMsPerMessage: round(s.serverCpuMs / Math.max(1, s.messages)),
  };
}

async function measure(script: string, env: Record<string, string>, deadline: number) {
  const target = await startChild(script, env);
  const rss = await sampleRss(target.child);
  try {
    const samples = await drive(target, deadline);
    const peak = await rss.stop();
    return summarize({ ...samples, peakRssMb: peak / 1024 / 1024, serverCpuMs: rss.cpuMs() });
  } finally {
    await stopChild(target.child);
  }
}

export async function run(): Promise<void> {
  const started = Date.now();
  const name = `ld_bench_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN });
  await admin.connect();
  await admin.query(`create database "${name}"`);
  const dbUrl = new URL(PG_ADMIN);
  dbUrl.pathname = `/${name}`;
  console.log(`visitors=${VISITORS} messages/visitor=${MESSAGES} database=${name}`);
  try {
    const baseline = await measure('echo-server.ts', {}, Date.now() + MAX_SECONDS * 1000);
    console.log('baseline (bare Socket.IO echo):', JSON.stringify(baseline));
    const leaddesk = await measure(
      'leaddesk-server.ts',
      {
        NODE_ENV: 'production',
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        SEED_DEMO: 'false',
        DATABASE_URL: dbUrl.toString(),
        REDIS_URL: '',
        WIDGET_RATE_VISITOR_PER_MINUTE: '100000',
        WIDGET_RATE_SITE_PER_MINUTE: '10000000',
        STRUCTURED_CHUNK_DELAY_MS: process.env.BENCH_CHUNK_DELAY_MS ?? '0',
      },
      Date.now() + MAX_SECONDS * 1000,
    );
    console.log('lead desk (full path, structured engine, PostgreSQL):', JSON.stringify(leaddesk));
    const ratio = {
      sendToAckP50: round(leaddesk.sendToAckMs.p50 / baseline.sendToAckMs.p50),
      sendToAckP99: round(leaddesk.sendToAckMs.p99 / baseline.sendToAckMs.p99),
      sendToAiStatusP50: round(leaddesk.sendToAiStatusMs.p50 / baseline.sendToAiStatusMs.p50),
      sendToFirstDeltaP50: round(leaddesk.sendToFirstDeltaMs.p50 / baseline.sendToFirstDeltaMs.p50),
      throughput: round(leaddesk.messagesPerSecond / baseline.messagesPerSecond),
      rss: round(leaddesk.peakServerRssMb / baseline.peakServerRssMb),
    };
    console.log('\n                       lead desk      baseline     ratio');
    const row = (label: string, a: number, b: number, r: number) =>
      console.log(`${label.padEnd(22)} ${String(a).padStart(10)} ${String(b).padStart(12)} ${String(r).padStart(8)}x`);
    row('send→ack p50 ms', leaddesk.sendToAckMs.p50, baseline.sendToAckMs.p50, ratio.sendToAckP50);
    row('send→ack p99 ms', leaddesk.sendToAckMs.p99, baseline.sendToAckMs.p99, ratio.sendToAckP99);
    row('send→ai:status p50 ms', leaddesk.sendToAiStatusMs.p50, baseline.sendToAiStatusMs.p50, ratio.sendToAiStatusP50);
    row(
      'send→ai:status p99 ms',
      leaddesk.sendToAiStatusMs.p99,
      baseline.sendToAiStatusMs.p99,
      round(leaddesk.sendToAiStatusMs.p99 / baseline.sendToAiStatusMs.p99),
    );
    row(
      'send→delta p50 ms',
      leaddesk.sendToFirstDeltaMs.p50,
      baseline.sendToFirstDeltaMs.p50,
      ratio.sendToFirstDeltaP50,
    );
    row(
      'send→delta p99 ms',
      leaddesk.sendToFirstDeltaMs.p99,
      baseline.sendToFirstDeltaMs.p99,
      round(leaddesk.sendToFirstDeltaMs.p99 / baseline.sendToFirstDeltaMs.p99),
    );
    row('messages/s', leaddesk.messagesPerSecond, baseline.messagesPerSecond, ratio.throughput);
    row(
      'server CPU ms/message',
      leaddesk.serverCpuMsPerMessage,
      baseline.serverCpuMsPerMessage,
      round(leaddesk.serverCpuMsPerMessage / baseline.serverCpuMsPerMessage),
    );
    row('server peak RSS MB', leaddesk.peakServerRssMb, baseline.peakServerRssMb, ratio.rss);
    const file = await writeResult('widget', {
      benchmark: 'widget',
      date: new Date().toISOString(),
      visitors: VISITORS,
      messagesPerVisitor: MESSAGES,
      node: process.version,
      leaddesk,
      baseline,
      ratio,
      wallSeconds: round((Date.now() - started) / 1000, 1),
    });
    console.log(`\nwritten ${file} (${round((Date.now() - started) / 1000, 1)} s)`);
  } finally {
    await admin.query(`drop database if exists "${name}" with (force)`);
    await admin.end();
  }
}
