import { createPostgresBackend, Queue, UnrecoverableError, Worker, withBackend } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import {
  type JobBackendKind,
  type JobHandler,
  type JobOptions,
  type Jobs,
  PermanentJobError,
  type WorkerOptions,
} from './job-queue.js';

type AnyQueue = { add(name: string, data: unknown, opts: object): Promise<unknown>; close(): Promise<void> };
type AnyWorker = {
  close(): Promise<void>;
  on(event: 'failed', fn: (job: unknown, err: Error) => void): unknown;
  on(event: 'error', fn: (err: Error) => void): unknown;
  /** Drops the connections at once (BullMQ's QueueBase.disconnect). */
  disconnect?(): Promise<void>;
};
/** How long close() waits for workers and queues before dropping their connections (the backend may be gone). */
const CLOSE_DEADLINE_MS = 3000;

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
}

/**
 * BullMQ on Redis. Producers use a connection that fails fast (no offline
 * queue, one retry) so a web request errors quickly when Redis is down;
 * workers use BullMQ's blocking settings (maxRetriesPerRequest: null).
 */
export function redisBackend(url: string): Backend {
  const producer = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false });
  producer.on('error', () => {});
  const workerConnections: Redis[] = [];
  return {
    kind: 'redis',
    queue: (name) => new Queue(name, { connection: producer }) as unknown as AnyQueue,
    worker: (name, processor, concurrency) => {
      const connection = new Redis(url, { maxRetriesPerRequest: null });
      workerConnections.push(connection);
      return new Worker(name, processor as never, { connection, concurrency }) as unknown as AnyWorker;
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
  const connection = { connectionString: url, migrate: true, max: 4 };
  return {
    kind: 'postgres',
    queue: (name) => new pg.Queue(name, { connection }) as unknown as AnyQueue,
    worker: (name, processor, concurrency) =>
      new pg.Worker(name, processor as never, { connection, concurrency }) as unknown as AnyWorker,
    async close() {},
  };
}

export function createBullJobs(backend: Backend, logger: Logger): Jobs {
  const queues = new Map<string, AnyQueue>();
  const workers: AnyWorker[] = [];
  const queue = (name: string) => {
    let q = queues.get(name);
    if (!q) {
      q = backend.queue(name);
      queues.set(name, q);
    }
    return q;
  };
  return {
    kind: backend.kind,
    async add<T>(queueName: string, name: string, data: T, options: JobOptions = {}) {
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
      const worker = backend.worker(
        queueName,
        async (job) => {
          try {
            await handler({ id: String(job.id), name: job.name, data: job.data as T, attempt: job.attemptsMade + 1 });
          } catch (err) {
            if (err instanceof PermanentJobError) throw new UnrecoverableError(err.message);
            throw err;
          }
        },
        options.concurrency ?? 4,
      );
      worker.on('failed', (_job, err) => logger.warn({ queue: queueName, err: err.message }, 'job failed'));
      // Connection errors (backend down) are reported here instead of printed by BullMQ.
      worker.on('error', (err) => logger.warn({ queue: queueName, err: err.message }, 'job worker error'));
      workers.push(worker);
    },
    async close() {
      // A worker waits for its running jobs, but never past the deadline: with the
      // backend unreachable, close() would otherwise wait for a reconnection forever.
      const closed = await withDeadline(
        Promise.all([...workers.map((w) => w.close()), ...[...queues.values()].map((q) => q.close())]),
      );
      if (!closed) {
        logger.warn('job workers did not close in time (backend unreachable?): dropping their connections');
        for (const w of workers) void w.disconnect?.().catch(() => undefined);
      }
      await withDeadline(backend.close());
    },
  };
}

async function withDeadline(work: Promise<unknown>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), CLOSE_DEADLINE_MS);
  });
  try {
    return await Promise.race([work.then(() => true as const), deadline]);
  } finally {
    clearTimeout(timer);
  }
}
