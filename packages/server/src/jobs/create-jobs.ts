import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import type { Database } from '../db/database.js';
import { createBullJobs, postgresBackend, redisBackend } from './bullmq-jobs.js';
import { createEmbeddedJobs } from './embedded-jobs.js';
import type { Jobs } from './job-queue.js';

/**
 * Picks the job backend: BullMQ on Redis when REDIS_URL is set; BullMQ's
 * PostgreSQL backend on a real PostgreSQL server; the embedded table queue on
 * PGlite (see embedded-jobs.ts for why).
 */
export function createJobs(config: Config, db: Database, logger: Logger): Jobs {
  if (config.redisUrl) return createBullJobs(redisBackend(config.redisUrl), logger);
  if (config.database.kind === 'external') return createBullJobs(postgresBackend(config.database.url), logger);
  return createEmbeddedJobs(db.orm, logger);
}
