import type { Logger } from 'pino';
import type { Orm } from '../db/orm.js';
import { storableErrorText } from '../db/storable-text.js';
import {
  backoffMs,
  clientIdOf,
  type FailedJob,
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
 *
 * The attempt is counted when a job is taken; a job still `active` at start
 * (its process died mid-job) goes back to the queue, or fails for good when
 * that was its last attempt. A failure is recorded with storable text, and a
 * failure to record it is logged rather than left as an unhandled rejection.
 */
export function createEmbeddedJobs(orm: Orm, logger: Logger, pollMs = 500): Jobs {
  const handlers = new Map<string, { handler: JobHandler<unknown>; concurrency: number; running: number }>();
  const inFlight = new Set<Promise<void>>();
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  let recovered = false;
  const conn = () => orm.em.getConnection();

  let timerAt = Number.POSITIVE_INFINITY;
  /** `earlierOnly`: a job added with a delay wakes the queue at its time, never later than already planned. */
  const schedule = (delay = pollMs, earlierOnly = false) => {
    if (closed) return;
    const at = Date.now() + delay;
    if (earlierOnly && timer && at >= timerAt) return;
    if (timer) clearTimeout(timer);
    timerAt = at;
    timer = setTimeout(() => {
      timerAt = Number.POSITIVE_INFINITY;
      void pump();
    }, delay);
    timer.unref();
  };

  async function pump(): Promise<void> {
    if (closed) return;
    try {
      if (!recovered) {
        // Jobs that were running when the process died go back to the queue, unless that
        // was their last attempt (a job that kills its process must not run for ever).
        await conn().execute(
          `update job_queue set locked_at = null,
             status = case when attempts >= max_attempts then 'failed' else 'waiting' end,
             finished_at = case when attempts >= max_attempts then now() else null end,
             last_error = case when attempts >= max_attempts
               then coalesce(last_error, 'the process stopped while running it') else last_error end
           where status = 'active'`,
        );
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
    } catch (err) {
      await recordFailure(row, err).catch((e: unknown) =>
        // The row stays active; the restart recovery hands it back with this attempt counted.
        logger.error({ err: storableErrorText(e), job: row.name, id: row.id }, 'could not record a job failure'),
      );
      return;
    }
    await conn()
      .execute(`update job_queue set status = 'completed', finished_at = now() where id = ?`, [row.id])
      .catch((e: unknown) =>
        logger.error({ err: storableErrorText(e), job: row.name, id: row.id }, 'could not record a job completion'),
      );
  }

  async function recordFailure(row: JobRow, err: unknown): Promise<void> {
    const message = storableErrorText(err);
    const permanent = err instanceof PermanentJobError;
    if (!permanent && row.attempts < row.max_attempts) {
      const delay = backoffMs(row.attempts);
      await conn().execute(
        `update job_queue set status = 'waiting', last_error = ?, locked_at = null,
           run_at = now() + (? || ' milliseconds')::interval where id = ?`,
        [message, String(delay), row.id],
      );
    } else {
      await conn().execute(
        `update job_queue set status = 'failed', last_error = ?, locked_at = null, finished_at = now() where id = ?`,
        [message, row.id],
      );
      logger.warn({ job: row.name, id: row.id, err: message }, 'job failed permanently');
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
      // One timer serves every job: a job added with a long delay must not hold back the poll (the jobs due
      // sooner), and a delayed job wakes the queue at its time rather than at the next poll.
      if (handlers.has(queue)) schedule(options.delayMs ?? 0, true);
    },
    async work<T>(queue: string, handler: JobHandler<T>, options: WorkerOptions = {}) {
      handlers.set(queue, {
        handler: handler as JobHandler<unknown>,
        concurrency: options.concurrency ?? 4,
        running: 0,
      });
      schedule(0);
    },
    async listFailed(limit = 100): Promise<FailedJob[]> {
      const rows = await conn().execute<
        (JobRow & { queue: string; last_error: string | null; finished_at: Date | string | null })[]
      >(
        `select id, queue, name, data, attempts, max_attempts, last_error, finished_at from job_queue
         where status = 'failed' order by finished_at desc nulls last, id desc limit ?`,
        [limit],
      );
      return rows.map((r) => ({
        queue: r.queue,
        id: String(r.id),
        name: r.name,
        error: r.last_error ?? '',
        attempts: r.attempts,
        failedAt: r.finished_at ? new Date(r.finished_at).toISOString() : null,
        clientId: clientIdOf(r.data),
      }));
    },
    async retryFailed(queue: string, id: string) {
      if (!/^\d{1,18}$/.test(id)) return false;
      const rows = await conn().execute<{ id: string }[]>(
        `update job_queue set status = 'waiting', attempts = 0, run_at = now(), locked_at = null, finished_at = null
         where queue = ? and id = ? and status = 'failed' returning id`,
        [queue, id],
      );
      if (rows.length && handlers.has(queue)) schedule(0);
      return rows.length > 0;
    },
    async discardFailed(queue: string, id: string) {
      if (!/^\d{1,18}$/.test(id)) return false;
      const rows = await conn().execute<{ id: string }[]>(
        `delete from job_queue where queue = ? and id = ? and status = 'failed' returning id`,
        [queue, id],
      );
      return rows.length > 0;
    },
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      await Promise.allSettled([...inFlight]);
    },
  };
}
