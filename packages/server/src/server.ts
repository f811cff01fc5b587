import { Redis } from 'ioredis';
import type { Server } from 'socket.io';
import { createApp, type LeadDeskApp } from './app.js';
import type { AppContext } from './app-context.js';
import { type Config, servesWeb } from './config/config.js';
import { type Database, openDatabase } from './db/database.js';
import { createJobs } from './jobs/create-jobs.js';
import type { Jobs } from './jobs/job-queue.js';
import { createKnowledgeService } from './knowledge/index.js';
import type { Logger } from './logger.js';
import { type DemoSeed, seedDemoIfEmpty } from './tenants/seed-demo.js';
import { starterIngestOf } from './tenants/starter-knowledge/index.js';

export interface RunningServer {
  port: number;
  url: string;
  app: LeadDeskApp;
  io: Server;
  db: Database;
  jobs: Jobs;
  ctx: AppContext;
  demo: DemoSeed | null;
  /**
   * Graceful: stop accepting, finish in-flight work, close sockets, jobs and the database. `drain`
   * (SIGTERM) first answers 503 on /readyz for the ready grace and closes sockets gradually (LeadDeskApp.close).
   */
  stop(options?: { drain?: boolean }): Promise<void>;
}

export interface StartServerOptions {
  /** The clock auth decisions use; tests inject one to move time. */
  clock?: () => Date;
}

/** Builds the real components from the config and starts serving. */
export async function startServer(
  config: Config,
  logger: Logger,
  options: StartServerOptions = {},
): Promise<RunningServer> {
  let redis: Redis | undefined;
  if (config.redisUrl) {
    // Refuse to start against an unreachable Redis rather than serve with
    // half-working rooms and jobs. Afterwards this client answers readiness
    // and fails fast (no offline queue) when Redis goes away.
    redis = await connectRedisOrFail(config.redisUrl);
  }
  const db = await openDatabase(config, logger).catch((err) => {
    redis?.disconnect();
    throw err;
  });
  const jobs = createJobs(config, db, logger);
  let shuttingDown = false;
  const ctx: AppContext = {
    config,
    logger,
    db,
    jobs,
    redisPing: redis
      ? async () => {
          try {
            return (await redis.ping()) === 'PONG';
          } catch {
            return false;
          }
        }
      : undefined,
    shuttingDown: () => shuttingDown,
    clock: options.clock,
  };
  const knowledge = await createKnowledgeService(ctx);
  ctx.knowledge = knowledge;
  const app = createApp(ctx);
  const port = await app.listen(config.http.port, config.http.host);
  const url = config.http.publicUrl ?? `http://localhost:${port}`;

  let demo: DemoSeed | null = null;
  if (config.seedDemo && servesWeb(config.role)) {
    // Processes started together on an empty database: one seeds, the others find a client there.
    demo = await db.exclusively('firstRun', () =>
      seedDemoIfEmpty(db.orm.em.fork(), {
        origins: [url, `http://127.0.0.1:${port}`],
        ingest: starterIngestOf(knowledge),
      }),
    );
  }

  let stopping: Promise<void> | undefined;
  return {
    port,
    url,
    app,
    io: app.realtime.io,
    db,
    jobs,
    ctx,
    demo,
    stop(options = {}) {
      stopping ??= (async () => {
        shuttingDown = true;
        // The job workers stop inside app.close: after the sockets and sweeps, before the realtime adapter.
        await app.close({ ...options, stopJobs: () => jobs.close() });
        redis?.disconnect();
        await db.close();
      })();
      return stopping;
    },
  };
}

async function connectRedisOrFail(url: string): Promise<Redis> {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 3000,
    lazyConnect: true,
  });
  redis.on('error', () => {});
  try {
    await redis.connect();
    return redis;
  } catch (err) {
    redis.disconnect();
    const where = new URL(url);
    throw new Error(
      `cannot reach Redis at ${where.hostname}:${where.port || 6379} (REDIS_URL): ${(err as Error).message}`,
    );
  }
}
