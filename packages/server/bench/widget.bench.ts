/**
 * Two phases (BENCH_WIDGET_PHASES=page,load, default both):
 *
 * page: what a host page pays for the widget, in 4× CPU-throttled Chromium,
 * against @typebot.io/js and flowise-embed in the same run (see
 * support/widget-page.ts): bytes over the wire, main-thread script time and
 * the load event, printed as ratios. About a minute.
 *
 * load: the widget path under load: N concurrent visitor sockets (BENCH_VISITORS,
 * default 1000) each send BENCH_MESSAGES messages (default 3) through the
 * whole path — handshake checks, conversation core, PostgreSQL, structured
 * engine, streamed reply — against the real PostgreSQL at 127.0.0.1:5432.
 * Baseline in the same run: a bare Socket.IO echo server, same clients.
 * Two phases: a burst (every visitor at once, back to back: capacity) and a
 * paced load (BENCH_PACED_RATE msg/s: latency below saturation).
 * Measures send→ack, send→ai:status, send→first reply delta (p50/p99),
 * messages per second, server CPU per message and peak RSS; writes
 * bench/results/widget-*.json. Loopback only; about 1.5 minutes.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { Socket } from 'socket.io-client';
import { connectVisitorSocket, stopChild } from './support/bench-sockets.js';
import { percentile, round, writeResult } from './support/results.js';
import { printPageBench, runWidgetPageBench } from './support/widget-page.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const VISITORS = Number(process.env.BENCH_VISITORS ?? 1000);
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 3);
const BURST_SECONDS = Number(process.env.BENCH_BURST_SECONDS ?? 30);
const PACED_RATE = Number(process.env.BENCH_PACED_RATE ?? 30);
const PACED_SECONDS = Number(process.env.BENCH_PACED_SECONDS ?? 10);
const PG_ADMIN = process.env.BENCH_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

const SCRIPT = [
  'Hi, do you accept dental insurance?',
  'Implants',
  'Yes, urgent',
  'No',
  'next Monday at 10am',
  'my email is bench@example.com',
];

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

interface PhaseSamples {
  ack: number[];
  status: number[];
  firstDelta: number[];
  errors: number;
  timeouts: number;
  messages: number;
  seconds: number;
}

const newPhase = (): PhaseSamples => ({
  ack: [],
  status: [],
  firstDelta: [],
  errors: 0,
  timeouts: 0,
  messages: 0,
  seconds: 0,
});

/** One message and its reply, timed from the send. */
async function exchange(socket: Socket, samples: PhaseSamples, content: string, id: string): Promise<void> {
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
    const ack = await socket.timeout(30_000).emitWithAck('message:send', { clientMessageId: id, content });
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

interface DriveResult {
  burst: PhaseSamples;
  paced: PhaseSamples;
  connectSeconds: number;
}

/**
 * Two phases on the same connections. Burst: every visitor sends its
 * messages back to back (each after the previous reply), all at once: the
 * server's capacity. Paced: BENCH_PACED_RATE messages per second spread over
 * the visitors for BENCH_PACED_SECONDS: latency at a load the server can carry.
 */
async function drive(target: Target, burstSeconds: number): Promise<DriveResult> {
  const url = `http://127.0.0.1:${target.port}`;
  const sockets: Socket[] = [];
  const connectStart = performance.now();
  for (let i = 0; i < VISITORS; i += 50) {
    const batch = Array.from({ length: Math.min(50, VISITORS - i) }, () => connectVisitorSocket(url, target.siteKey));
    sockets.push(...(await Promise.all(batch)));
  }
  const connectSeconds = (performance.now() - connectStart) / 1000;

  const burst = newPhase();
  const deadline = Date.now() + burstSeconds * 1000;
  let start = performance.now();
  await Promise.all(
    sockets.map(async (socket, n) => {
      for (let k = 0; k < MESSAGES && Date.now() < deadline; k++) {
        await exchange(
          socket,
          burst,
          SCRIPT[k % SCRIPT.length] as string,
          `b${n}_${k}_${randomBytes(4).toString('hex')}`,
        );
      }
    }),
  );
  burst.seconds = (performance.now() - start) / 1000;

  // Let replies still queued from the burst drain before measuring latency.
  await new Promise((r) => setTimeout(r, 3000));
  const paced = newPhase();
  const total = Math.min(sockets.length, Math.round(PACED_RATE * PACED_SECONDS));
  start = performance.now();
  await Promise.all(
    Array.from({ length: total }, async (_, i) => {
      await new Promise((r) => setTimeout(r, (i / PACED_RATE) * 1000));
      await exchange(
        sockets[i] as Socket,
        paced,
        'Where are you located and is there parking?',
        `p${i}_${randomBytes(4).toString('hex')}`,
      );
    }),
  );
  paced.seconds = (performance.now() - start) / 1000;
  for (const s of sockets) s.disconnect();
  return { burst, paced, connectSeconds };
}

function summarizePhase(s: PhaseSamples) {
  const stat = (v: number[]) => ({ p50: round(percentile(v, 50)), p99: round(percentile(v, 99)), n: v.length });
  return {
    sendToAckMs: stat(s.ack),
    sendToAiStatusMs: stat(s.status),
    sendToFirstDeltaMs: stat(s.firstDelta),
    messages: s.messages,
    messagesPerSecond: round(s.messages / s.seconds, 1),
    errors: s.errors,
    timeouts: s.timeouts,
  };
}

async function measure(script: string, env: Record<string, string>, burstSeconds: number) {
  const target = await startChild(script, env);
  const rss = await sampleRss(target.child);
  try {
    const result = await drive(target, burstSeconds);
    const peak = await rss.stop();
    const messages = result.burst.messages + result.paced.messages;
    return {
      burst: summarizePhase(result.burst),
      paced: summarizePhase(result.paced),
      connectSeconds: round(result.connectSeconds),
      peakServerRssMb: round(peak / 1024 / 1024, 1),
      /** Server CPU time (user + system) per message over the whole run, connections included. */
      serverCpuMsPerMessage: round(rss.cpuMs() / Math.max(1, messages)),
    };
  } finally {
    await stopChild(target.child);
  }
}

const PHASES = (process.env.BENCH_WIDGET_PHASES ?? 'page,load').split(',').map((p) => p.trim());

export async function run(): Promise<void> {
  if (PHASES.includes('page')) {
    const started = Date.now();
    const page = await runWidgetPageBench();
    printPageBench(page);
    const file = await writeResult('widget-page', {
      benchmark: 'widget-page',
      date: new Date().toISOString(),
      cpuThrottling: 4,
      ...page,
      wallSeconds: round((Date.now() - started) / 1000, 1),
    });
    console.log(`written ${file}`);
  }
  if (PHASES.includes('load')) await runLoad();
}

async function runLoad(): Promise<void> {
  const started = Date.now();
  const name = `ld_bench_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN });
  await admin.connect();
  await admin.query(`create database "${name}"`);
  const dbUrl = new URL(PG_ADMIN);
  dbUrl.pathname = `/${name}`;
  console.log(
    `visitors=${VISITORS} burst: ${MESSAGES} messages/visitor (≤${BURST_SECONDS} s); paced: ${PACED_RATE} msg/s for ${PACED_SECONDS} s; database=${name}`,
  );
  try {
    const baseline = await measure('echo-server.ts', {}, BURST_SECONDS);
    console.log('baseline (bare Socket.IO echo):', JSON.stringify(baseline));
    const leaddesk = await measure(
      'leaddesk-server.ts',
      {
        NODE_ENV: 'production',
        // Production refuses to start without it; a throwaway one per run.
        APP_SECRET: randomBytes(32).toString('hex'),
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'error',
        SEED_DEMO: 'false',
        DATABASE_URL: dbUrl.toString(),
        REDIS_URL: '',
        WIDGET_RATE_VISITOR_PER_MINUTE: '100000',
        WIDGET_RATE_SITE_PER_MINUTE: '10000000',
        STRUCTURED_CHUNK_DELAY_MS: process.env.BENCH_CHUNK_DELAY_MS ?? '0',
      },
      BURST_SECONDS,
    );
    console.log('lead desk (full path, structured engine, PostgreSQL):', JSON.stringify(leaddesk));
    const r = (a: number, b: number) => round(a / b);
    const ratio = {
      burst: {
        sendToAckP50: r(leaddesk.burst.sendToAckMs.p50, baseline.burst.sendToAckMs.p50),
        sendToAckP99: r(leaddesk.burst.sendToAckMs.p99, baseline.burst.sendToAckMs.p99),
        sendToFirstDeltaP50: r(leaddesk.burst.sendToFirstDeltaMs.p50, baseline.burst.sendToFirstDeltaMs.p50),
        throughput: r(leaddesk.burst.messagesPerSecond, baseline.burst.messagesPerSecond),
      },
      paced: {
        sendToAckP50: r(leaddesk.paced.sendToAckMs.p50, baseline.paced.sendToAckMs.p50),
        sendToAckP99: r(leaddesk.paced.sendToAckMs.p99, baseline.paced.sendToAckMs.p99),
        sendToAiStatusP99: r(leaddesk.paced.sendToAiStatusMs.p99, baseline.paced.sendToAiStatusMs.p99),
        sendToFirstDeltaP50: r(leaddesk.paced.sendToFirstDeltaMs.p50, baseline.paced.sendToFirstDeltaMs.p50),
      },
      cpuPerMessage: r(leaddesk.serverCpuMsPerMessage, baseline.serverCpuMsPerMessage),
      rss: r(leaddesk.peakServerRssMb, baseline.peakServerRssMb),
    };
    const row = (label: string, a: number, b: number) =>
      console.log(
        `${label.padEnd(32)} ${String(a).padStart(10)} ${String(b).padStart(12)} ${String(r(a, b)).padStart(8)}x`,
      );
    console.log(`\n${''.padEnd(32)}  lead desk     baseline     ratio`);
    for (const phase of ['burst', 'paced'] as const) {
      const l = leaddesk[phase];
      const b = baseline[phase];
      row(`${phase}: send→ack p50 ms`, l.sendToAckMs.p50, b.sendToAckMs.p50);
      row(`${phase}: send→ack p99 ms`, l.sendToAckMs.p99, b.sendToAckMs.p99);
      row(`${phase}: send→ai:status p50 ms`, l.sendToAiStatusMs.p50, b.sendToAiStatusMs.p50);
      row(`${phase}: send→ai:status p99 ms`, l.sendToAiStatusMs.p99, b.sendToAiStatusMs.p99);
      row(`${phase}: send→first delta p50 ms`, l.sendToFirstDeltaMs.p50, b.sendToFirstDeltaMs.p50);
      row(`${phase}: send→first delta p99 ms`, l.sendToFirstDeltaMs.p99, b.sendToFirstDeltaMs.p99);
      row(`${phase}: messages/s`, l.messagesPerSecond, b.messagesPerSecond);
    }
    row('server CPU ms/message', leaddesk.serverCpuMsPerMessage, baseline.serverCpuMsPerMessage);
    row('server peak RSS MB', leaddesk.peakServerRssMb, baseline.peakServerRssMb);
    const file = await writeResult('widget', {
      benchmark: 'widget',
      date: new Date().toISOString(),
      visitors: VISITORS,
      burst: { messagesPerVisitor: MESSAGES, maxSeconds: BURST_SECONDS },
      paced: { rate: PACED_RATE, seconds: PACED_SECONDS },
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
