import type { Config } from './config/config.js';
import type { Database } from './db/database.js';
import type { EmailSender } from './email/email-sender.js';
import type { Jobs } from './jobs/job-queue.js';
import type { KnowledgeService } from './knowledge/index.js';
import type { Logger } from './logger.js';

/**
 * What the composition root hands to every module: built for real in main.ts,
 * built from local servers in tests.
 */
export interface AppContext {
  config: Config;
  logger: Logger;
  db: Database;
  jobs: Jobs;
  /** Present when REDIS_URL is configured. */
  redisPing?: () => Promise<boolean>;
  shuttingDown(): boolean;
  /** Outbound email; built from the config (SMTP_URL) when absent. */
  email?: EmailSender;
  /** The time auth decisions use (token expiry, lockout, TOTP). Tests move it. @default () => new Date() */
  clock?: () => Date;
  /** Knowledge bases and retrieval; set by startServer once the database is open. */
  knowledge?: KnowledgeService;
}
