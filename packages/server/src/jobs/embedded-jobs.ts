import type { Logger } from 'pino';
import type { Orm } from '../db/orm.js';
import {
  backoffMs,
  type JobHandler,
  type JobOptions,
  type Jobs,
  PermanentJobError,
  type WorkerOptions,
} from './job-queue.js';

interface JobRow {
  id: string;
  name: string;
  data: unknown;
  attempts: number;
  max_attempts: number;
}

/**
 * The embedded queue: jobs live in the `job_queue` table of the same database,
 * so they survive a restart like everything else, and run in this process.
 *
 * Why not BullMQ's PostgreSQL backend here: through pglite-socket its stored
 * functions are not found (the backend's schema search_path does not hold
 * behind PGlite's connection multiplexer) and with `schema: 'public'` it hangs.
 * The embedded mode is one process by definition, so a small table-backed
 * queue with in-process wake-ups gives the same contract (idempotent job ids,
 * delays, retries with backoff, permanent failures, restart recovery).
 */
export function createEmbeddedJobs(orm: Orm, logger: Logger, pollMs = 500): Jobs {
  const handlers = new Map<string, { handler: JobHandler<unknown>; concurrency: number; running: number }>();
  const inFlight = new Set<Promise<void>>();
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  let recovered = false;
  const conn = () => orm.em.getConnection();

  const schedule = (delay = pollMs) => {
    if (closed) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void pump(), delay);
    timer.unref();
  };

  async function pump(): Promise<void> {
    if (closed) return;
    try {
      if (!recovered) {
        // Jobs that were running when the process died go back to the queue.
        await conn().execute(`update job_queue set status = 'waiting', locked_at = null where status = 'active'`);
        recovered = true;
      }
      for (const [queue, entry] of handlers) {
        while (!closed && entry.running < entry.concurrency) {
          const rows = await conn().execute<JobRow[]>(
            `update job_queue set status = 'active', locked_at = now(), attempts = attempts + 1
             where id = (select id from job_queue where queue = ? and status = 'waiting' and run_at <= now()
                         order by run_at, id limit 1 for update skip locked)
             returning id, name, data, attempts, max_attempts`,
            [queue],
          );
          const row = rows[0];
          if (!row) break;
          entry.running++;
          const run = execute(entry.handler, row).finally(() => {
            entry.running--;
            inFlight.delete(run);
            schedule(0);
          });
          inFlight.add(run);
        }
      }
    } catch (err) {
      if (!closed) logger.error({ err }, 'embedded job queue poll failed');
    }
    schedule();
  }

  async function execute(handler: JobHandler<unknown>, row: JobRow): Promise<void> {
    try {
      await handler({ id: String(row.id), name: row.name, data: row.data, attempt: row.attempts });
      await conn().execute(`update job_queue set status = 'completed', finished_at = now() where id = ?`, [row.id]);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const permanent = err instanceof PermanentJobError;
      if (!permanent && row.attempts < row.max_attempts) {
        const delay = backoffMs(row.attempts);
        await conn().execute(
          `update job_queue set status = 'waiting', last_error = ?, run_at = now() + (? || ' milliseconds')::interval where id = ?`,
          [message, String(delay), row.id],
        );
      } else {
        await conn().execute(
          `update job_queue set status = 'failed', last_error = ?, finished_at = now() where id = ?`,
          [message, row.id],
        );
        logger.warn({ job: row.name, id: row.id, err: message }, 'job failed permanently');
      }
    }
  }

  return {
    kind: 'embedded',
    async add<T>(queue: string, name: string, data: T, options: JobOptions = {}) {
      await conn().execute(
        `insert into job_queue (queue, name, data, max_attempts, run_at, dedup_key)
         values (?, ?, ?::jsonb, ?, now() + (? || ' milliseconds')::interval, ?)
         on conflict (queue, dedup_key) where dedup_key is not null do nothing`,
        [
          queue,
          name,
          JSON.stringify(data ?? null),
          options.attempts ?? 3,
          String(options.delayMs ?? 0),
          options.jobId ?? null,
        ],
      );
      if (handlers.has(queue)) schedule(options.delayMs ?? 0);
    },
    async work<T>(queue: string, handler: JobHandler<T>, options: WorkerOptions = {}) {
      handlers.set(queue, {
        handler: handler as JobHandler<unknown>,
        concurrency: options.concurrency ?? 4,
        running: 0,
      });
      schedule(0);
    },
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      await Promise.allSettled([...inFlight]);
    },
  };
}
