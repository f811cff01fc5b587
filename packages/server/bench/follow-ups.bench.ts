/**
 * Scheduling follow-ups: the delayed jobs a silent lead's sequence is made of.
 *
 * 1. Enqueue: BENCH_FOLLOWUPS (default 100,000) follow-up step jobs, each with
 *    its own delay (2 h, 24 h or 3 days) and idempotent job id
 *    (`follow-up.<conversation>.<run>.<step>`), added through our `Jobs.add`
 *    (BullMQ on a private Redis, 256 adds in flight, as the sequence listener
 *    issues them) against BullMQ's own `Queue.addBulk` of the same jobs in
 *    chunks of 1,000 (the baseline), in the same run. Rate, and memory: the
 *    Redis server's used_memory growth and this process's heap growth.
 *    Scheduling only: the follow_up_runs row each start also writes is not
 *    part of it.
 * 2. Lateness: BENCH_LATENESS_JOBS (default 2,000, scaled down from 100,000 so
 *    the run takes seconds, not days) jobs due over the next 5 s, on the
 *    embedded queue (PGlite) and on BullMQ in Redis: fired-at minus due, p50
 *    and p99 (ms).
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { loadConfig } from '../src/config/config.js';
import { openDatabase } from '../src/db/database.js';
import { createBullJobs, redisBackend } from '../src/jobs/bullmq-jobs.js';
import { createEmbeddedJobs } from '../src/jobs/embedded-jobs.js';
import type { Jobs } from '../src/jobs/job-queue.js';
import { createLogger } from '../src/logger.js';
import { startPrivateRedis } from '../test/support/private-redis.js';
import { percentile, round, writeResult } from './support/results.js';

const COUNT = Number(process.env.BENCH_FOLLOWUPS ?? 100_000);
const LATENESS_JOBS = Number(process.env.BENCH_LATENESS_JOBS ?? 2_000);
const HOUR = 3_600_000;
const OFFSETS = [2 * HOUR, 24 * HOUR, 72 * HOUR];

interface StepJob {
  clientId: string;
  conversationId: string;
  runId: string;
  step: number;
}

function makeJobs(n: number): Array<{ id: string; data: StepJob; delay: number }> {
  const clientId = randomUUID();
  return Array.from({ length: n }, (_, i) => {
    const conversationId = randomUUID();
    const runId = randomUUID();
    const step = i % 3;
    return {
      id: `follow-up.${conversationId}.${runId}.${step}`,
      data: { clientId, conversationId, runId, step },
      delay: OFFSETS[step] as number,
    };
  });
}

async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0);
}

async function measure(redis: Redis, work: () => Promise<void>) {
  global.gc?.();
  const heap0 = process.memoryUsage().heapUsed;
  const redis0 = await usedMemory(redis);
  const t0 = performance.now();
  await work();
  const ms = performance.now() - t0;
  const redis1 = await usedMemory(redis);
  const heap1 = process.memoryUsage().heapUsed;
  return {
    ms: round(ms),
    perSecond: Math.round((COUNT / ms) * 1000),
    redisBytesPerJob: Math.round((redis1 - redis0) / COUNT),
    heapGrowthMb: round((heap1 - heap0) / 1e6),
  };
}

async function lateness(jobs: Jobs, queue: string, n: number): Promise<{ p50: number; p99: number; fired: number }> {
  const late: number[] = [];
  const due = new Map<string, number>();
  let resolveAll: () => void = () => {};
  const all = new Promise<void>((r) => {
    resolveAll = r;
  });
  await jobs.work<{ key: string }>(
    queue,
    async (job) => {
      const at = due.get(job.data.key);
      if (at !== undefined) late.push(Date.now() - at);
      if (late.length === n) resolveAll();
    },
    { concurrency: 16 },
  );
  const start = Date.now() + 500;
  for (let i = 0; i < n; i++) {
    const key = `late-${i}`;
    const at = start + Math.floor((i / n) * 5000);
    due.set(key, at);
    await jobs.add(queue, 'follow-up.step', { key }, { jobId: key, delayMs: Math.max(0, at - Date.now()) });
  }
  await Promise.race([all, new Promise((r) => setTimeout(r, 120_000))]);
  return { p50: percentile(late, 50), p99: percentile(late, 99), fired: late.length };
}

export async function run(): Promise<void> {
  const logger = createLogger({ level: 'silent', pretty: false });
  const privateRedis = await startPrivateRedis();
  const redis = new Redis(privateRedis.url);
  try {
    // 1. Enqueue rate and memory.
    const ours = createBullJobs(redisBackend(privateRedis.url, 'bench-ours:'), logger);
    const jobsA = makeJobs(COUNT);
    const viaJobs = await measure(redis, async () => {
      let next = 0;
      const lane = async () => {
        while (next < jobsA.length) {
          const j = jobsA[next++];
          if (!j) break;
          await ours.add('follow-ups', 'follow-up.step', j.data, { jobId: j.id, delayMs: j.delay, attempts: 5 });
        }
      };
      await Promise.all(Array.from({ length: 256 }, lane));
    });
    await ours.close();
    await redis.flushall();

    const bulkQueue = new Queue('follow-ups', {
      connection: new Redis(privateRedis.url, { maxRetriesPerRequest: null }),
      prefix: 'bench-bulk:bull',
    });
    const jobsB = makeJobs(COUNT);
    const viaAddBulk = await measure(redis, async () => {
      for (let i = 0; i < jobsB.length; i += 1000) {
        await bulkQueue.addBulk(
          jobsB.slice(i, i + 1000).map((j) => ({
            name: 'follow-up.step',
            data: j.data,
            opts: { jobId: j.id, delay: j.delay, attempts: 5, removeOnComplete: 1000, removeOnFail: 5000 },
          })),
        );
      }
    });
    await bulkQueue.close();
    await redis.flushall();

    // 2. Lateness, embedded queue and Redis.
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'ld-bench-fu-'));
    const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, LOG_LEVEL: 'silent', SEED_DEMO: 'false' });
    const db = await openDatabase(config, logger);
    const embedded = createEmbeddedJobs(db.orm, logger);
    const embeddedLateness = await lateness(embedded, 'bench-late', LATENESS_JOBS);
    await embedded.close();
    await db.close();
    await fs.rm(dataDir, { recursive: true, force: true });
    const bull = createBullJobs(redisBackend(privateRedis.url, 'bench-late:'), logger);
    const redisLateness = await lateness(bull, 'bench-late', LATENESS_JOBS);
    await bull.close();

    const result = {
      count: COUNT,
      enqueue: {
        ourJobsAdd: viaJobs,
        bullmqAddBulk: viaAddBulk,
        rateRatio: round(viaJobs.perSecond / viaAddBulk.perSecond),
        redisMemoryRatio: round(viaJobs.redisBytesPerJob / Math.max(1, viaAddBulk.redisBytesPerJob)),
      },
      latenessMs: { jobs: LATENESS_JOBS, embedded: embeddedLateness, redis: redisLateness },
    };
    console.log(JSON.stringify(result, null, 2));
    console.log(
      `enqueue ${COUNT} delayed follow-ups: Jobs.add ${viaJobs.perSecond}/s vs Queue.addBulk ${viaAddBulk.perSecond}/s ` +
        `(ratio ${result.enqueue.rateRatio}); Redis ${viaJobs.redisBytesPerJob} vs ${viaAddBulk.redisBytesPerJob} B/job`,
    );
    console.log(
      `lateness (${LATENESS_JOBS} jobs, scaled down from ${COUNT}): embedded p50 ${embeddedLateness.p50} ms p99 ${embeddedLateness.p99} ms; ` +
        `redis p50 ${redisLateness.p50} ms p99 ${redisLateness.p99} ms`,
    );
    console.log(`written to ${await writeResult('follow-ups', result)}`);
  } finally {
    redis.disconnect();
    await privateRedis.stop();
  }
}
