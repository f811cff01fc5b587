import type { Logger } from 'pino';
import { type Config, runsWorkers } from '../config/config.js';
import type { Database } from '../db/database.js';
import { createBullJobs, postgresBackend, redisBackend } from './bullmq-jobs.js';
import { createEmbeddedJobs } from './embedded-jobs.js';
import type { Jobs } from './job-queue.js';

/**
 * Picks the job backend: BullMQ on Redis when REDIS_URL is set; BullMQ's
 * PostgreSQL backend on a real PostgreSQL server; the embedded table queue on
 * PGlite (see embedded-jobs.ts for why).
 *
 * A `web` process (ROLE) only produces: every module still calls `work()`
 * where it is wired, and here that call does nothing, so no module needs to
 * know the role and a worker process picks the jobs up.
 */
export function createJobs(config: Config, db: Database, logger: Logger): Jobs {
  const jobs = config.redisUrl
    ? createBullJobs(redisBackend(config.redisUrl, config.redisPrefix), logger)
    : config.database.kind === 'external'
      ? createBullJobs(postgresBackend(config.database.url), logger)
      : createEmbeddedJobs(db.orm, logger);
  return forRole(jobs, runsWorkers(config.role), logger);
}

function forRole(jobs: Jobs, works: boolean, logger: Logger): Jobs {
  const worked: string[] = [];
  return {
    kind: jobs.kind,
    add: (queue, name, data, options) => jobs.add(queue, name, data, options),
    async work(queue, handler, options) {
      if (!works) {
        logger.debug({ queue }, 'job queue left to the worker processes (ROLE=web)');
        return;
      }
      worked.push(queue);
      await jobs.work(queue, handler, options);
    },
    working: () => [...worked],
    listFailed: (limit) => jobs.listFailed(limit),
    retryFailed: (queue, id) => jobs.retryFailed(queue, id),
    discardFailed: (queue, id) => jobs.discardFailed(queue, id),
    close: () => jobs.close(),
  };
}
