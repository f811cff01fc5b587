import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/config.js';
import { type Database, openDatabase } from '../src/db/database.js';
import { createBullJobs, postgresBackend, redisBackend } from '../src/jobs/bullmq-jobs.js';
import { createEmbeddedJobs } from '../src/jobs/embedded-jobs.js';
import { type JobContext, type Jobs, PermanentJobError } from '../src/jobs/job-queue.js';
import { createFreshPostgresDatabase, TEST_REDIS_URL } from './support/databases.js';

/**
 * One conformance suite every job backend passes: BullMQ on Redis, BullMQ on
 * the real PostgreSQL server, and the embedded table queue on PGlite.
 */
const logger = pino({ level: 'silent' });

function waitFor<T>(check: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const tick = () => {
      const value = check();
      if (value !== undefined) return resolve(value);
      if (Date.now() - started > timeoutMs) return reject(new Error('timed out waiting'));
      setTimeout(tick, 25);
    };
    tick();
  });
}

const uniqueQueue = () => `test-${randomBytes(5).toString('hex')}`;

interface BackendFixture {
  name: string;
  setup(): Promise<{ jobs: () => Jobs; teardown(): Promise<void> }>;
}

const backends: BackendFixture[] = [
  {
    name: 'embedded (PGlite table queue)',
    async setup() {
      const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ld-jobs-'));
      const db: Database = await openDatabase(loadConfig({ DATA_DIR: dir }), logger);
      const created: Jobs[] = [];
      return {
        jobs: () => {
          const j = createEmbeddedJobs(db.orm, logger, 50);
          created.push(j);
          return j;
        },
        async teardown() {
          for (const j of created) await j.close();
          await db.close();
          await fs.rm(dir, { recursive: true, force: true });
        },
      };
    },
  },
  {
    name: 'BullMQ on PostgreSQL',
    async setup() {
      const fresh = await createFreshPostgresDatabase();
      const created: Jobs[] = [];
      return {
        jobs: () => {
          const j = createBullJobs(postgresBackend(fresh.url), logger);
          created.push(j);
          return j;
        },
        async teardown() {
          for (const j of created) await j.close();
          await fresh.drop();
        },
      };
    },
  },
  {
    name: 'BullMQ on Redis',
    async setup() {
      const created: Jobs[] = [];
      return {
        jobs: () => {
          const j = createBullJobs(redisBackend(TEST_REDIS_URL), logger);
          created.push(j);
          return j;
        },
        async teardown() {
          for (const j of created) await j.close();
        },
      };
    },
  },
];

describe.each(backends)('job backend: $name', (backend) => {
  let fixture: Awaited<ReturnType<BackendFixture['setup']>>;
  let jobs: Jobs;
  beforeAll(async () => {
    fixture = await backend.setup();
    jobs = fixture.jobs();
  });
  afterAll(async () => {
    await fixture?.teardown();
  });

  it('runs an added job with its data', async () => {
    const queue = uniqueQueue();
    const seen: JobContext<{ n: number }>[] = [];
    await jobs.work<{ n: number }>(queue, async (job) => {
      seen.push(job);
    });
    await jobs.add(queue, 'test.echo', { n: 42 });
    const job = await waitFor(() => seen[0]);
    expect(job).toMatchObject({ name: 'test.echo', data: { n: 42 }, attempt: 1 });
  });

  it('runs a job once when it is added twice with the same id', async () => {
    const queue = uniqueQueue();
    let runs = 0;
    await jobs.add(queue, 'test.once', { x: 1 }, { jobId: 'same-id' });
    await jobs.add(queue, 'test.once', { x: 2 }, { jobId: 'same-id' });
    await jobs.work(queue, async () => {
      runs++;
    });
    await waitFor(() => (runs > 0 ? true : undefined));
    await new Promise((r) => setTimeout(r, 400));
    expect(runs).toBe(1);
  });

  it('retries a failing job and then succeeds', async () => {
    const queue = uniqueQueue();
    const attempts: number[] = [];
    await jobs.work(queue, async (job) => {
      attempts.push(job.attempt);
      if (job.attempt < 2) throw new Error('transient');
    });
    await jobs.add(queue, 'test.flaky', {}, { attempts: 3 });
    await waitFor(() => (attempts.length >= 2 ? true : undefined), 15_000);
    await new Promise((r) => setTimeout(r, 300));
    expect(attempts).toEqual([1, 2]);
  });

  it('does not retry a permanent failure', async () => {
    const queue = uniqueQueue();
    let runs = 0;
    await jobs.work(queue, async () => {
      runs++;
      throw new PermanentJobError('bad payload');
    });
    await jobs.add(queue, 'test.permanent', {}, { attempts: 3 });
    await waitFor(() => (runs > 0 ? true : undefined));
    await new Promise((r) => setTimeout(r, 1500));
    expect(runs).toBe(1);
  });

  it('holds a delayed job until its time', async () => {
    const queue = uniqueQueue();
    let ranAt = 0;
    await jobs.work(queue, async () => {
      ranAt = Date.now();
    });
    const addedAt = Date.now();
    await jobs.add(queue, 'test.delayed', {}, { delayMs: 600 });
    await waitFor(() => (ranAt ? true : undefined));
    expect(ranAt - addedAt).toBeGreaterThanOrEqual(550);
  });

  it('hands jobs added before a worker existed to a worker started later (restart)', async () => {
    const queue = uniqueQueue();
    const producer = fixture.jobs();
    await producer.add(queue, 'test.backlog', { i: 1 });
    await producer.add(queue, 'test.backlog', { i: 2 });
    await producer.close();
    const seen: number[] = [];
    const consumer = fixture.jobs();
    await consumer.work<{ i: number }>(queue, async (job) => {
      seen.push(job.data.i);
    });
    await waitFor(() => (seen.length === 2 ? true : undefined));
    expect(seen.sort()).toEqual([1, 2]);
  });
});
