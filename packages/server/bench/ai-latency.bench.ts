/**
 * AI pipeline latency: the time the server adds around a zero-latency fake
 * provider, with BENCH_AI_CONVERSATIONS (default 1000) concurrent
 * conversations, each sending BENCH_AI_MESSAGES (default 2) messages one
 * after the other, against the real PostgreSQL at 127.0.0.1:5432.
 *
 * Pace: a visitor reads the reply and types the next message, so each
 * conversation sends one message every BENCH_AI_THINK_MS (default 30,000,
 * spread ±50%; the first messages are spread over the same time): 1,000
 * conversations offer about 33 messages a second. A smaller value is a
 * stress test (4,000 offers about 250 a second, more than one server process
 * can reply to: the numbers then measure the queue); 0 is a closed loop.
 *
 * - visitor message arriving → provider request leaving: measured inside the
 *   server process (socket `prependAny` → the SDK's `fetch` call), split into
 *   arrival → stored and stored → request. Targets: ≤ 5 ms p50, ≤ 25 ms p99.
 * - provider delta → visitor socket, server-added: inside the server process,
 *   from reading the delta off the provider's stream to handing it to the
 *   visitor's WebSocket. Target: ≤ 2 ms p99. Also printed end to end (the
 *   fake provider stamps each delta with the wall-clock time it wrote it, the
 *   visitor's socket.io-client subtracts it on receipt): that adds two more
 *   processes' scheduling on the same cores, so it has no target.
 *
 * Baseline, same run, same fake provider, same visitors and pace: a bare
 * relay (support/ai-relay-baseline-process.ts) that acknowledges, asks the
 * provider through the same SDK and transport, and relays each delta, with no
 * database or pipeline. It runs first, with BENCH_AI_BASELINE_MESSAGES
 * (default 1) message per conversation; 0 skips it. Ratios are printed
 * against it: how much of each number is Lead Desk's own work, and how much
 * is the machine's.
 *
 * Loopback only; each phase bounded by BENCH_AI_MAX_SECONDS (default 150).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { Socket } from 'socket.io-client';
import { connectVisitorSocket, stopChild } from './support/bench-sockets.js';
import { percentile, round, writeResult } from './support/results.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const CONVERSATIONS = Number(process.env.BENCH_AI_CONVERSATIONS ?? 1000);
const MESSAGES = Number(process.env.BENCH_AI_MESSAGES ?? 2);
const MAX_SECONDS = Number(process.env.BENCH_AI_MAX_SECONDS ?? 150);
/**
 * Pause between a reply and the visitor's next message, and the spread of the
 * first messages: visitors read and type, they do not all press Enter in the
 * same millisecond. 0 = closed loop (every visitor sends again at once).
 */
const THINK_MS = Number(process.env.BENCH_AI_THINK_MS ?? 30_000);
const BASELINE_MESSAGES = Number(process.env.BENCH_AI_BASELINE_MESSAGES ?? 1);
const PG_ADMIN = process.env.BENCH_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const TARGETS = { arrivalToRequestP50: 5, arrivalToRequestP99: 25, deltaToSocketP99: 2 };
const QUESTIONS = ['How much is a cleaning?', 'What is the price of whitening?', 'How much do implants cost?'];

function startChild<T>(script: string, env: Record<string, string>): Promise<{ child: ChildProcess; ready: T }> {
  const child = fork(path.join(here, 'support', script), [], {
    execArgv: [
      '--import',
      'tsx',
      ...(process.env.BENCH_CPU_PROF && script.startsWith('ai-leaddesk')
        ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
        : []),
      // Extra V8/Node flags for the server process only (e.g. `--trace-gc`), to study a run.
      ...(script.startsWith('ai-leaddesk') ? (process.env.BENCH_SERVER_FLAGS ?? '').split(' ').filter(Boolean) : []),
    ],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start`)), 60_000);
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
    child.on('message', (msg: { type: string }) => {
      if (msg.type === 'ready') {
        clearTimeout(timer);
        resolve({ child, ready: msg as T });
      }
    });
  });
}

interface Loop {
  p50: number;
  p99: number;
  max: number;
  gcCount: number;
  gcTotalMs: number;
  gcP50: number;
  gcMax: number;
}
interface Samples {
  arrivalToRequest: number[];
  firstArrivalToRequest: number[];
  laterArrivalToRequest: number[];
  arrivalToStored: number[];
  storedToRequest: number[];
  deltaServerAdded: number[];
}
interface PhaseResult {
  samples: Samples;
  endToEnd: number[];
  loop: Loop;
  replies: number;
  failures: number;
  seconds: number;
  cpuMsPerReply: number;
}

function ask<T>(child: ChildProcess, type: string, reply: string): Promise<T> {
  return new Promise((resolve) => {
    const on = (msg: { type: string }) => {
      if (msg.type !== reply) return;
      child.off('message', on);
      resolve(msg as T);
    };
    child.on('message', on);
    child.send({ type });
  });
}

/** Connects CONVERSATIONS visitors to a server, runs them at the configured pace, and collects its probes. */
async function phase(
  server: { child: ChildProcess; ready: { port: number; siteKey: string } },
  messages: number,
): Promise<PhaseResult> {
  const deadline = Date.now() + MAX_SECONDS * 1000;
  const url = `http://127.0.0.1:${server.ready.port}`;
  const sockets: Socket[] = [];
  for (let i = 0; i < CONVERSATIONS; i += 50) {
    const batch = Array.from({ length: Math.min(50, CONVERSATIONS - i) }, () =>
      connectVisitorSocket(url, server.ready.siteKey),
    );
    sockets.push(...(await Promise.all(batch)));
  }
  const endToEnd: number[] = [];
  let replies = 0;
  let failures = 0;
  const epoch = () => performance.timeOrigin + performance.now();
  const visitor = async (socket: Socket, n: number) => {
    socket.on('reply:delta', (p: { text: string }) => {
      const at = epoch();
      const stamp = /⏱([\d.]+)⏱/.exec(p.text)?.[1];
      if (stamp) endToEnd.push(at - Number(stamp));
    });
    if (THINK_MS) await new Promise((r) => setTimeout(r, Math.random() * THINK_MS));
    for (let k = 0; k < messages && Date.now() < deadline; k++) {
      if (k > 0 && THINK_MS) await new Promise((r) => setTimeout(r, THINK_MS * (0.5 + Math.random())));
      const ended = new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), 30_000);
        socket.once('reply:ended', () => {
          clearTimeout(timer);
          resolve(true);
        });
      });
      const content = `${QUESTIONS[k % QUESTIONS.length]} [bench:${n}-${k}-${randomBytes(3).toString('hex')}]`;
      try {
        const ack = await socket
          .timeout(30_000)
          .emitWithAck('message:send', { clientMessageId: `a${n}_${k}_${randomBytes(4).toString('hex')}`, content });
        if (!ack.ok) failures++;
      } catch {
        failures++;
      }
      if (await ended) replies++;
      else failures++;
    }
  };
  const before = await ask<{ cpuMs: number }>(server.child, 'cpu', 'cpu');
  const t0 = performance.now();
  await Promise.all(sockets.map((s, i) => visitor(s, i)));
  const seconds = (performance.now() - t0) / 1000;
  for (const s of sockets) s.disconnect();
  const after = await ask<{ samples: Samples; cpuMs: number; loop: Loop }>(server.child, 'samples', 'samples');
  return {
    samples: after.samples,
    endToEnd,
    loop: after.loop,
    replies,
    failures,
    seconds,
    cpuMsPerReply: (after.cpuMs - before.cpuMs) / Math.max(1, replies),
  };
}

const stat = (v: number[]) => ({ p50: round(percentile(v, 50), 3), p99: round(percentile(v, 99), 3), n: v.length });
const loopOf = (r: PhaseResult) => ({
  eventLoopDelayMs: { p50: round(r.loop.p50, 2), p99: round(r.loop.p99, 2), max: round(r.loop.max, 1) },
  gcPauses: {
    count: r.loop.gcCount,
    totalMs: round(r.loop.gcTotalMs, 1),
    p50Ms: round(r.loop.gcP50, 2),
    maxMs: round(r.loop.gcMax, 1),
  },
});

export async function run(): Promise<void> {
  const started = Date.now();
  const name = `ld_bench_ai_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN });
  await admin.connect();
  await admin.query(`create database "${name}"`);
  const dbUrl = new URL(PG_ADMIN);
  dbUrl.pathname = `/${name}`;
  const children: ChildProcess[] = [];
  console.log(
    `conversations=${CONVERSATIONS} messages/conversation=${MESSAGES} think=${THINK_MS} ms` +
      ` (offered ≈ ${THINK_MS ? round(CONVERSATIONS / (THINK_MS / 1000), 1) : '∞'} messages/s) database=${name}`,
  );
  try {
    const fake = await startChild<{ url: string }>('fake-anthropic-process.ts', {});
    children.push(fake.child);

    let baseline: PhaseResult | undefined;
    if (BASELINE_MESSAGES > 0) {
      const relay = await startChild<{ port: number; siteKey: string }>('ai-relay-baseline-process.ts', {
        ANTHROPIC_BASE_URL: fake.ready.url,
      });
      children.push(relay.child);
      baseline = await phase(relay, BASELINE_MESSAGES);
      await stopChild(relay.child);
      children.pop();
      console.log(
        `baseline (bare relay) done: ${baseline.replies} replies, ${round(baseline.cpuMsPerReply, 2)} ms CPU per reply`,
      );
    }

    const server = await startChild<{
      port: number;
      siteKey: string;
      seeded: { conversations: number; messages: number };
    }>('ai-leaddesk-process.ts', {
      NODE_ENV: 'production',
      // Production refuses to start without it; a throwaway one per run.
      APP_SECRET: randomBytes(32).toString('hex'),
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      SEED_DEMO: 'false',
      DATABASE_URL: dbUrl.toString(),
      DATABASE_POOL_MAX: process.env.BENCH_DB_POOL ?? '20',
      REDIS_URL: '',
      WIDGET_RATE_VISITOR_PER_MINUTE: '100000',
      WIDGET_RATE_SITE_PER_MINUTE: '10000000',
      ANTHROPIC_API_KEY: 'sk-ant-bench',
      ANTHROPIC_BASE_URL: fake.ready.url,
      OPENAI_API_KEY: '',
      AI_PROVIDERS: 'anthropic',
      AI_MAX_RETRIES: '0',
    });
    children.push(server.child);
    console.log(
      `database seeded with ${server.ready.seeded.conversations} earlier conversations (${server.ready.seeded.messages} messages) of two tenants, then analyzed`,
    );
    const lead = await phase(server, MESSAGES);
    const samples = lead.samples;

    const result = {
      arrivalToProviderRequestMs: stat(samples.arrivalToRequest),
      arrivalToStoredMs: stat(samples.arrivalToStored),
      firstMessageArrivalToRequestMs: stat(samples.firstArrivalToRequest),
      laterMessagesArrivalToRequestMs: stat(samples.laterArrivalToRequest),
      storedToProviderRequestMs: stat(samples.storedToRequest),
      providerDeltaToVisitorMs: stat(samples.deltaServerAdded),
      providerDeltaToVisitorEndToEndMs: stat(lead.endToEnd),
      offeredMessagesPerSecond: THINK_MS ? round(CONVERSATIONS / (THINK_MS / 1000), 1) : null,
      replies: lead.replies,
      failures: lead.failures,
      repliesPerSecond: round(lead.replies / lead.seconds, 1),
      /** Server CPU time (user + system) per reply, connections excluded: the cost that does not depend on load. */
      serverCpuMsPerReply: round(lead.cpuMsPerReply, 2),
      /** The server's event-loop delay during the run (the floor under every latency above) and its GC pauses. */
      ...loopOf(lead),
    };
    const base = baseline && {
      arrivalToProviderRequestMs: stat(baseline.samples.arrivalToRequest),
      providerDeltaToVisitorMs: stat(baseline.samples.deltaServerAdded),
      providerDeltaToVisitorEndToEndMs: stat(baseline.endToEnd),
      replies: baseline.replies,
      failures: baseline.failures,
      serverCpuMsPerReply: round(baseline.cpuMsPerReply, 2),
      ...loopOf(baseline),
    };
    const pass = {
      arrivalToRequestP50: result.arrivalToProviderRequestMs.p50 <= TARGETS.arrivalToRequestP50,
      arrivalToRequestP99: result.arrivalToProviderRequestMs.p99 <= TARGETS.arrivalToRequestP99,
      deltaToSocketP99: result.providerDeltaToVisitorMs.p99 <= TARGETS.deltaToSocketP99,
    };
    const ratio = (a: number, b: number | undefined) => (b ? `×${round(a / b, 1)}` : '');
    const line = (
      label: string,
      s: { p50: number; p99: number; n: number },
      b: { p50: number; p99: number } | undefined,
      note: string,
    ) =>
      console.log(
        `${label.padEnd(40)} p50 ${String(s.p50).padStart(8)}  p99 ${String(s.p99).padStart(8)}  n=${String(s.n).padEnd(6)}` +
          (b ? ` baseline ${b.p50}/${b.p99} (${ratio(s.p50, b.p50)}/${ratio(s.p99, b.p99)})` : '') +
          ` ${note}`,
      );
    console.log('');
    line(
      'visitor message → provider request (ms)',
      result.arrivalToProviderRequestMs,
      base?.arrivalToProviderRequestMs,
      `target p50 ≤ 5 (${pass.arrivalToRequestP50 ? 'met' : 'MISSED'}), p99 ≤ 25 (${pass.arrivalToRequestP99 ? 'met' : 'MISSED'})`,
    );
    line(
      '  first message of a conversation',
      result.firstMessageArrivalToRequestMs,
      undefined,
      '(also creates lead and conversation)',
    );
    line('  later messages', result.laterMessagesArrivalToRequestMs, undefined, '');
    line('  of which: arrival → stored', result.arrivalToStoredMs, undefined, '(conversation core, PostgreSQL)');
    line(
      '  of which: stored → provider request',
      result.storedToProviderRequestMs,
      undefined,
      '(AI pipeline: context, budget, router, prompt, SDK)',
    );
    line(
      'provider delta → visitor socket (ms)',
      result.providerDeltaToVisitorMs,
      base?.providerDeltaToVisitorMs,
      `target p99 ≤ 2 (${pass.deltaToSocketP99 ? 'met' : 'MISSED'}), server-added`,
    );
    line(
      '  end to end, three processes (ms)',
      result.providerDeltaToVisitorEndToEndMs,
      base?.providerDeltaToVisitorEndToEndMs,
      '(no target: see above)',
    );
    const loopLine = (label: string, r: ReturnType<typeof loopOf>) =>
      console.log(
        `${label} event-loop delay p50 ${r.eventLoopDelayMs.p50} ms, p99 ${r.eventLoopDelayMs.p99} ms, max ${r.eventLoopDelayMs.max} ms;` +
          ` GC pauses ${r.gcPauses.count} (p50 ${r.gcPauses.p50Ms} ms, max ${r.gcPauses.maxMs} ms, ${r.gcPauses.totalMs} ms in all)`,
      );
    loopLine('server', result);
    if (base) loopLine('baseline', base);
    const load = os.loadavg().map((l) => round(l, 1));
    console.log(
      `replies=${lead.replies} failures=${lead.failures} replies/s=${result.repliesPerSecond} server CPU ms/reply=${result.serverCpuMsPerReply}` +
        (base
          ? ` (baseline ${base.serverCpuMsPerReply}, ${ratio(result.serverCpuMsPerReply, base.serverCpuMsPerReply)})`
          : '') +
        ` cores=${os.cpus().length} load average=${load.join(' ')}`,
    );
    const file = await writeResult('ai-latency', {
      benchmark: 'ai-latency',
      date: new Date().toISOString(),
      conversations: CONVERSATIONS,
      messagesPerConversation: MESSAGES,
      thinkMs: THINK_MS,
      node: process.version,
      targets: TARGETS,
      cores: os.cpus().length,
      loadAverage: os.loadavg(),
      pass,
      ...result,
      baseline: base ?? null,
      wallSeconds: round((Date.now() - started) / 1000, 1),
    });
    console.log(`written ${file} (${round((Date.now() - started) / 1000, 1)} s)`);
  } finally {
    for (const child of children.reverse()) await stopChild(child).catch(() => {});
    await admin.query(`drop database if exists "${name}" with (force)`);
    await admin.end();
  }
}
