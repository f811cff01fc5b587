import { createPostgresBackend, Queue, UnrecoverableError, Worker, withBackend } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { storableErrorText, storableText } from '../db/storable-text.js';
import {
  clientIdOf,
  type FailedJob,
  type JobBackendKind,
  type JobHandler,
  type JobOptions,
  type Jobs,
  PermanentJobError,
  type WorkerOptions,
} from './job-queue.js';

type AnyQueue = {
  add(name: string, data: unknown, opts: object): Promise<unknown>;
  getFailed(start?: number, end?: number): Promise<BullJob[]>;
  getJob(id: string): Promise<BullJob | undefined>;
  close(): Promise<void>;
  on(event: 'error', fn: (err: Error) => void): unknown;
};
type AnyWorker = {
  close(force?: boolean): Promise<void>;
  on(event: 'failed' | 'error', fn: (...args: never[]) => void): unknown;
};

interface Backend {
  kind: JobBackendKind;
  queue(name: string): AnyQueue;
  worker(name: string, processor: (job: BullJob) => Promise<void>, concurrency: number): AnyWorker;
  close(): Promise<void>;
}

interface BullJob {
  id?: string;
  name: string;
  data: unknown;
  attemptsMade: number;
  failedReason?: string;
  finishedOn?: number;
  getState(): Promise<string>;
  retry(state?: 'failed', opts?: { resetAttemptsMade?: boolean; resetAttemptsStarted?: boolean }): Promise<void>;
  remove(): Promise<void>;
}

/** BullMQ's key prefix under the deployment's Redis prefix (REDIS_PREFIX). */
export const bullPrefix = (keyPrefix: string) => `${keyPrefix}bull`;

/**
 * BullMQ on Redis. Producers use a connection that fails fast (no offline
 * queue, one retry) so a web request errors quickly when Redis is down;
 * workers use BullMQ's blocking settings (maxRetriesPerRequest: null).
 * Keys live under `<keyPrefix>bull` (REDIS_PREFIX): two deployments sharing
 * a Redis never take each other's jobs.
 */
export function redisBackend(url: string, keyPrefix = ''): Backend {
  const prefix = bullPrefix(keyPrefix);
  const producer = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false });
  producer.on('error', () => {});
  const workerConnections: Redis[] = [];
  return {
    kind: 'redis',
    queue: (name) => new Queue(name, { connection: producer, prefix }) as unknown as AnyQueue,
    worker: (name, processor, concurrency) => {
      const connection = new Redis(url, { maxRetriesPerRequest: null });
      workerConnections.push(connection);
      return new Worker(name, processor as never, { connection, concurrency, prefix }) as unknown as AnyWorker;
    },
    async close() {
      producer.disconnect();
      for (const c of workerConnections) c.disconnect();
    },
  };
}

/** BullMQ's PostgreSQL backend on a real PostgreSQL server (no Redis needed). */
export function postgresBackend(url: string): Backend {
  const pg = withBackend(createPostgresBackend);
  // Every queue and every worker owns a pool of its own (and a worker a LISTEN client besides), so a
  // process with a dozen queues multiplied `max` by two dozen and exhausted the server's max_connections.
  // One connection each (BullMQ's blocking wait has a LISTEN client of its own, so `max: 1` cannot deadlock);
  // idle ones close soon.
  const connection = (max: number) => ({ connectionString: url, migrate: true, max, idleTimeoutMillis: 5_000 });
  return {
    kind: 'postgres',
    queue: (name) => new pg.Queue(name, { connection: connection(1) }) as unknown as AnyQueue,
    worker: (name, processor, concurrency) =>
      new pg.Worker(name, processor as never, { connection: connection(1), concurrency }) as unknown as AnyWorker,
    async close() {},
  };
}

export function createBullJobs(backend: Backend, logger: Logger): Jobs {
  const queues = new Map<string, AnyQueue>();
  const workers: AnyWorker[] = [];
  // Queues this process added to or worked: where listFailed looks for dead letters.
  const known = new Set<string>();
  const queue = (name: string) => {
    let q = queues.get(name);
    if (!q) {
      q = backend.queue(name);
      // A queue whose broker went away emits errors; log them instead of crashing the process.
      q.on('error', (err) => logger.warn({ queue: name, err: err.message }, 'job queue error'));
      queues.set(name, q);
    }
    return q;
  };
  return {
    kind: backend.kind,
    async add<T>(queueName: string, name: string, data: T, options: JobOptions = {}) {
      known.add(queueName);
      await queue(queueName).add(name, data, {
        jobId: options.jobId,
        delay: options.delayMs,
        attempts: options.attempts ?? 3,
        backoff: { type: 'exponential', delay: 500 },
        removeOnComplete: 1000,
        removeOnFail: 5000,
      });
    },
    async work<T>(queueName: string, handler: JobHandler<T>, options: WorkerOptions = {}) {
      known.add(queueName);
      const worker = backend.worker(
        queueName,
        async (job) => {
          try {
            await handler({ id: String(job.id), name: job.name, data: job.data as T, attempt: job.attemptsMade + 1 });
          } catch (err) {
            // BullMQ stores the message and the stack as the failure: on its PostgreSQL
            // backend a U+0000 in either made that write fail, and the job stalled for ever.
            throw storableJobError(err);
          }
        },
        options.concurrency ?? 4,
      );
      worker.on('failed', ((_job: unknown, err: Error) =>
        logger.warn({ queue: queueName, err: err.message }, 'job failed')) as never);
      // Connection errors are the broker's; readiness reports them. Without a listener they go to stderr.
      worker.on('error', ((err: Error) =>
        logger.warn({ queue: queueName, err: err.message }, 'job worker error')) as never);
      workers.push(worker);
    },
    async listFailed(limit = 100): Promise<FailedJob[]> {
      const all: FailedJob[] = [];
      for (const name of known) {
        for (const job of await queue(name).getFailed(0, limit - 1)) {
          all.push({
            queue: name,
            id: String(job.id),
            name: job.name,
            error: storableText(job.failedReason ?? ''),
            attempts: job.attemptsMade,
            failedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
            clientId: clientIdOf(job.data),
          });
        }
      }
      return all.sort((a, b) => (b.failedAt ?? '').localeCompare(a.failedAt ?? '')).slice(0, limit);
    },
    async retryFailed(queueName: string, id: string) {
      const job = known.has(queueName) ? await queue(queueName).getJob(id) : undefined;
      if (!job || (await job.getState()) !== 'failed') return false;
      await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
      return true;
    },
    async discardFailed(queueName: string, id: string) {
      const job = known.has(queueName) ? await queue(queueName).getJob(id) : undefined;
      if (!job || (await job.getState()) !== 'failed') return false;
      await job.remove();
      return true;
    },
    async close() {
      // Let running jobs finish, but not forever: with the broker gone a graceful
      // close never completes, so force it after the grace period.
      await Promise.all(workers.map((w) => withDeadline(w.close(), CLOSE_GRACE_MS, () => w.close(true))));
      await Promise.all([...queues.values()].map((q) => withDeadline(q.close(), CLOSE_GRACE_MS, async () => {})));
      await backend.close();
    },
  };
}

const CLOSE_GRACE_MS = 5000;

/** The error BullMQ records: storable message and stack; a permanent one stops the retries. */
function storableJobError(err: unknown): Error {
  const message = storableErrorText(err);
  const out = err instanceof PermanentJobError ? new UnrecoverableError(message) : new Error(message);
  if (err instanceof Error && err.stack) out.stack = storableText(err.stack).slice(0, 8000);
  return out;
}

async function withDeadline(work: Promise<void>, ms: number, fallback: () => Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), ms);
    timer.unref();
  });
  const outcome = await Promise.race([
    work.then(
      () => 'done' as const,
      () => 'done' as const,
    ),
    late,
  ]);
  clearTimeout(timer);
  if (outcome !== 'late') return;
  // A forced close can wait on the dead connection too: give it the same grace, then move on.
  await Promise.race([fallback().catch(() => {}), new Promise((resolve) => setTimeout(resolve, ms).unref())]);
}
