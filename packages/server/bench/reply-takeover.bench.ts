/**
 * Time to an answer for a lead whose server process died mid-reply.
 *
 * Two real server processes (`node --import tsx src/main.ts`, as `pnpm start`)
 * on a fresh PostgreSQL database and a private Redis, the AI pointed at the
 * tests' fake Anthropic server streaming slowly (BENCH_TAKEOVER_DELTAS deltas,
 * BENCH_TAKEOVER_DELTA_MS apart). BENCH_TAKEOVER_VISITORS visitors each have a
 * tab on process A (which stores their messages, so A holds their reply
 * leases) and a tab on process B (which sees the replies through the Redis
 * adapter, as a second tab or a staff screen would).
 *
 * Baseline, same run: each visitor asks once with both processes up; message
 * sent → first reply delta on the B tab. Then each asks again, and once every
 * second reply is streaming from A, A is SIGKILLed: kill → first delta of the
 * reply that B writes after taking the lease over. Printed with the lease and
 * sweep settings: the lease is renewed every third of REPLY_LEASE_MS, so a
 * dead holder's lease runs out between 2/3 and all of it after the kill.
 *
 * Loopback only; bounded by BENCH_TAKEOVER_MAX_SECONDS (default 180).
 */

import { randomBytes } from 'node:crypto';
import { createFreshPostgresDatabase } from '../test/support/databases.js';
import { defaultScript, qualifiedReply, startFakeAnthropic, toolName } from '../test/support/fake-ai-servers.js';
import { startPrivateRedis } from '../test/support/private-redis.js';
import { startServerProcess } from '../test/support/server-process.js';
import { connectVisitor, newMessageId, sessionOf, type Visitor } from '../test/support/widget-client.js';
import { percentile, round, writeResult } from './support/results.js';

const VISITORS = Number(process.env.BENCH_TAKEOVER_VISITORS ?? 20);
const DELTAS = Number(process.env.BENCH_TAKEOVER_DELTAS ?? 30);
const DELTA_MS = Number(process.env.BENCH_TAKEOVER_DELTA_MS ?? 100);
const LEASE_MS = process.env.REPLY_LEASE_MS ?? '6000';
const SWEEP_MS = process.env.REPLY_SWEEP_INTERVAL_MS ?? '1000';
const MAX_SECONDS = Number(process.env.BENCH_TAKEOVER_MAX_SECONDS ?? 180);

interface Pair {
  onA: Visitor;
  onB: Visitor;
}

export async function run(): Promise<void> {
  const deadline = Date.now() + MAX_SECONDS * 1000;
  const anthropic = await startFakeAnthropic();
  anthropic.respond((r) =>
    toolName(r) === 'record_qualification'
      ? qualifiedReply(
          Array.from({ length: DELTAS }, (_, i) => `w${i} `),
          { delayMs: DELTA_MS },
        )
      : defaultScript(r),
  );
  const db = await createFreshPostgresDatabase();
  const redis = await startPrivateRedis();
  const env = {
    DATABASE_URL: db.url,
    REDIS_URL: redis.url,
    // Shared by both processes, as in production: a visitor token issued by A opens the visitor on B.
    APP_SECRET: randomBytes(32).toString('hex'),
    ANTHROPIC_API_KEY: 'sk-ant-bench-takeover',
    ANTHROPIC_BASE_URL: anthropic.url,
    AI_MAX_RETRIES: '0',
    REPLY_LEASE_MS: LEASE_MS,
    REPLY_SWEEP_INTERVAL_MS: SWEEP_MS,
    LOG_LEVEL: 'warn',
    WIDGET_RATE_SITE_PER_MINUTE: '100000',
  };
  const a = await startServerProcess({ ...env, LOG_LEVEL: 'info', SEED_DEMO: 'true' }, { expectDemo: true });
  const b = await startServerProcess({ ...env, LOG_LEVEL: 'info', SEED_DEMO: 'false' });
  const siteKey = a.demo?.siteKey ?? '';
  const origin = a.url.replace('127.0.0.1', 'localhost');
  const pairs: Pair[] = [];
  try {
    for (let i = 0; i < VISITORS; i++) {
      const onA = connectVisitor(a.url, { siteKey, origin });
      const { visitorToken } = await sessionOf(onA, 30_000);
      const onB = connectVisitor(b.url, { siteKey, origin, visitorToken });
      await onB.waitFor('session:ready', undefined, 30_000);
      pairs.push({ onA, onB });
    }

    // Baseline: both processes up.
    const baseline = await Promise.all(
      pairs.map(async ({ onA, onB }) => {
        const sent = Date.now();
        const ack = await onA.send('What are your opening hours?', newMessageId());
        if (!ack.ok) throw new Error(ack.error.message);
        await onB.waitFor('reply:delta', undefined, 30_000);
        const ms = Date.now() - sent;
        await onB.waitFor('reply:ended', undefined, 60_000);
        return ms;
      }),
    );

    // The second question: kill A once every reply streams.
    const before = new Map(pairs.map((p) => [p, new Set(startedIds(p.onB))]));
    await Promise.all(pairs.map(({ onA }) => onA.send('And do you take insurance?', newMessageId())));
    while (pairs.some((p) => startedIds(p.onB).length <= (before.get(p)?.size ?? 0))) {
      if (Date.now() > deadline) throw new Error('second replies did not start');
      await new Promise((r) => setTimeout(r, 20));
    }
    const streamingFromA = new Map(pairs.map((p) => [p, startedIds(p.onB).filter((id) => !before.get(p)?.has(id))]));
    const killedAt = Date.now();
    await a.kill('SIGKILL');
    const takeover = await Promise.all(
      pairs.map(
        (p) =>
          new Promise<number>((resolve, reject) => {
            const fromA = new Set(streamingFromA.get(p));
            const check = (name: string, payload: { messageId?: string }) => {
              if (
                name === 'reply:delta' &&
                payload.messageId &&
                !fromA.has(payload.messageId) &&
                !before.get(p)?.has(payload.messageId)
              ) {
                p.onB.socket.offAny(check);
                resolve(Date.now() - killedAt);
              }
            };
            p.onB.socket.onAny(check);
            setTimeout(
              () => reject(new Error('no answer after the kill')),
              Math.max(1000, deadline - Date.now()),
            ).unref();
          }),
      ),
    );
    // Every lead: exactly one stored answer to the second question.
    await Promise.all(
      pairs.map((p) =>
        p.onB.waitFor('reply:ended', (e: { message: { content: string; seq: number } }) => e.message.seq >= 4, 60_000),
      ),
    );
    const doubled = pairs.filter((p) => p.onB.messages().filter((m) => m.role === 'ai').length !== 2).length;

    const leaseMs = Number(LEASE_MS);
    const result = {
      visitors: VISITORS,
      settings: {
        REPLY_LEASE_MS: leaseMs,
        REPLY_SWEEP_INTERVAL_MS: Number(SWEEP_MS),
        renewEveryMs: Math.floor(leaseMs / 3),
      },
      baselineFirstDeltaMs: { p50: percentile(baseline, 50), p99: percentile(baseline, 99) },
      killToFirstDeltaMs: { p50: percentile(takeover, 50), p99: percentile(takeover, 99) },
      leadsWithOtherThanOneAnswer: doubled,
    };
    console.log(`reply take-over after SIGKILL, ${VISITORS} leads mid-reply on the killed process`);
    console.log(
      `  settings: REPLY_LEASE_MS=${leaseMs} (renewed every ${Math.floor(leaseMs / 3)} ms), REPLY_SWEEP_INTERVAL_MS=${SWEEP_MS}`,
    );
    console.log(
      `  baseline (both up), message → first delta: p50 ${result.baselineFirstDeltaMs.p50} ms, p99 ${result.baselineFirstDeltaMs.p99} ms`,
    );
    console.log(
      `  kill → first delta of the taken-over reply: p50 ${result.killToFirstDeltaMs.p50} ms, p99 ${result.killToFirstDeltaMs.p99} ms` +
        ` (×${round(result.killToFirstDeltaMs.p50 / Math.max(1, result.baselineFirstDeltaMs.p50), 1)} the baseline p50;` +
        ` ${round(result.killToFirstDeltaMs.p50 / leaseMs, 2)} of the lease)`,
    );
    console.log(`  leads with other than exactly one answer: ${doubled}`);
    console.log(`  written ${await writeResult('reply-takeover', result)}`);
  } finally {
    for (const p of pairs) {
      p.onA.close();
      p.onB.close();
    }
    await a.kill('SIGKILL');
    await b.kill('SIGTERM');
    await redis.stop();
    await db.drop();
    await anthropic.close();
  }
}

function startedIds(v: Visitor): string[] {
  return v.events.filter(([n]) => n === 'reply:started').map(([, p]) => (p as { messageId: string }).messageId);
}
