/**
 * Lead Desk server entry: the only place that reads the environment and builds
 * real components. `pnpm start` runs this.
 */
import 'dotenv/config';
import { ConfigError, loadConfig } from './config/config.js';
import { EmbeddedDatabaseInUseError } from './db/embedded-postgres.js';
import { PendingMigrationsError } from './db/orm.js';
import { firstRunBanner } from './first-run-banner.js';
import { createLogger } from './logger.js';
import { startServer } from './server.js';

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\nSee .env.example for every variable.\n`);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
  const logger = createLogger({ level: config.logLevel, redactPersonalData: config.raw.LOG_REDACT_PERSONAL_DATA });
  if (config.raw.RATE_LIMIT_REDIS_PREFIX) {
    logger.warn('RATE_LIMIT_REDIS_PREFIX is deprecated: set REDIS_PREFIX, which prefixes every Redis key');
  }
  const server = await startServer(config, logger);

  logger.info(
    {
      url: server.url,
      role: config.role,
      database: server.db.kind,
      jobs: server.jobs.kind,
      realtime: config.redisUrl ? 'redis adapter' : 'in-memory adapter',
      ai: config.raw.ANTHROPIC_API_KEY || config.raw.OPENAI_API_KEY ? 'configured' : 'structured mode (no AI key)',
    },
    'Lead Desk is running',
  );
  if (server.demo) {
    // Printed once on first run, to the terminal only, so the operator can try the product.
    process.stdout.write(firstRunBanner({ url: server.url, demo: server.demo, demoPage: !config.isProduction }));
  }

  let signals = 0;
  const shutdown = (signal: string) => {
    if (++signals > 1) process.exit(1);
    // SIGTERM is the orchestrator's or load balancer's: drain (503 on /readyz first, sockets closed one by
    // one). SIGINT is someone at a terminal: no grace to wait out.
    const drain = signal === 'SIGTERM';
    logger.info(
      {
        signal,
        ...(drain ? { readyGraceMs: config.http.readyGraceMs, socketDrainMs: config.http.socketDrainMs } : {}),
      },
      drain ? 'draining, then shutting down' : 'shutting down',
    );
    const force = setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, config.http.shutdownTimeoutMs);
    force.unref();
    server.stop({ drain }).then(
      () => process.exit(0),
      (err) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  // Client libraries (ioredis under BullMQ and the Socket.IO adapter) reject queued
  // commands when a broker connection drops, sometimes where nobody awaits them. That
  // is a dependency outage, which /readyz reports, not a reason to kill the process.
  process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled promise rejection'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err) => {
  if (err instanceof EmbeddedDatabaseInUseError || err instanceof PendingMigrationsError) {
    // Expected when a server already runs on this DATA_DIR: the message says what to do, a stack would not.
    process.stderr.write(`Lead Desk did not start: ${err.message}\n`);
    process.exit(75); // EX_TEMPFAIL
  }
  process.stderr.write(`Lead Desk failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
