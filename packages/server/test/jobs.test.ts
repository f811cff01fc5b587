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

async function waitForAsync<T>(check: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() - started > timeoutMs) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
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

  it('records a failure whose message holds U+0000, runs the jobs behind it, and keeps it to retry or discard', async () => {
    const queue = uniqueQueue();
    const ran: string[] = [];
    let poisonRuns = 0;
    let healed = false;
    await jobs.work<{ k: string }>(
      queue,
      async (job) => {
        if (job.data.k === 'poison' && !healed) {
          poisonRuns++;
          throw new Error('bad name "Sheena\u0000 Nelson" \ud800');
        }
        ran.push(job.data.k);
      },
      { concurrency: 1 },
    );
    await jobs.add(queue, 'test.poison', { k: 'poison', clientId: 'tenant-1' }, { attempts: 2, jobId: 'poison-1' });
    for (const k of ['a', 'b', 'c']) await jobs.add(queue, 'test.ok', { k });
    const mine = async () => (await jobs.listFailed()).filter((j) => j.queue === queue);
    const failed = await waitForAsync(async () => (await mine())[0]);
    await waitFor(() => (ran.length === 3 ? true : undefined));
    expect(ran.sort()).toEqual(['a', 'b', 'c']);
    expect(poisonRuns).toBe(2);
    expect(failed).toMatchObject({
      name: 'test.poison',
      attempts: 2,
      error: 'bad name "Sheena Nelson" \ufffd',
      clientId: 'tenant-1',
    });
    expect(Date.parse(failed.failedAt ?? '')).toBeGreaterThan(Date.now() - 60_000);

    // Retried by an admin once the cause is fixed: a fresh set of attempts, then gone from the list.
    healed = true;
    expect(await jobs.retryFailed(queue, failed.id)).toBe(true);
    await waitFor(() => (ran.includes('poison') ? true : undefined));
    expect(await mine()).toEqual([]);
    expect(await jobs.retryFailed(queue, failed.id)).toBe(false);

    // Discarded: removed, and a second discard finds nothing.
    healed = false;
    await jobs.add(queue, 'test.poison', { k: 'poison' }, { attempts: 1, jobId: 'poison-2' });
    const second = await waitForAsync(async () => (await mine())[0]);
    expect(second.attempts).toBe(1);
    expect(await jobs.discardFailed(queue, second.id)).toBe(true);
    expect(await jobs.discardFailed(queue, second.id)).toBe(false);
    expect(await mine()).toEqual([]);
    expect(await jobs.retryFailed(queue, 'no-such-job')).toBe(false);
  });
});

describe('embedded queue after a crash', () => {
  it('counts the attempt that was running: a job on its last attempt fails instead of running again', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ld-jobs-crash-'));
    const db = await openDatabase(loadConfig({ DATA_DIR: dir }), logger);
    const jobs = createEmbeddedJobs(db.orm, logger, 50);
    try {
      const queue = uniqueQueue();
      const conn = db.orm.em.getConnection();
      // Two jobs a dead process was running: one on its first attempt, one on its last.
      await conn.execute(
        `insert into job_queue (queue, name, data, status, attempts, max_attempts, locked_at) values
           (?, 'test.crashed-once', '{"k":"once"}', 'active', 1, 3, now()),
           (?, 'test.crashed-last', '{"k":"last"}', 'active', 3, 3, now())`,
        [queue, queue],
      );
      const seen: JobContext<{ k: string }>[] = [];
      await jobs.work<{ k: string }>(queue, async (job) => {
        seen.push(job);
      });
      await waitFor(() => (seen.length ? true : undefined));
      await new Promise((r) => setTimeout(r, 300));
      expect(seen.map((j) => [j.data.k, j.attempt])).toEqual([['once', 2]]);
      const failed = (await jobs.listFailed()).filter((j) => j.queue === queue);
      expect(failed).toEqual([
        expect.objectContaining({
          name: 'test.crashed-last',
          attempts: 3,
          error: 'the process stopped while running it',
        }),
      ]);
    } finally {
      await jobs.close();
      await db.close();
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
