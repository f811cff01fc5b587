import { createPostgresBackend, Queue, withBackend } from 'bullmq';
import { Redis } from 'ioredis';
import { EMAIL_QUEUE } from '../channels/email/staff-alerts.js';
import { OUTBOUND_QUEUE } from '../channels/outbound/outbound-delivery.js';
import type { Config } from '../config/config.js';
import type { Database } from '../db/database.js';
import { bullPrefix } from '../jobs/bullmq-jobs.js';
import type { JobBackendKind } from '../jobs/job-queue.js';
import { KNOWLEDGE_QUEUE } from '../knowledge/knowledge-service.js';
import { STAFF_QUEUE } from '../staff/staff-desk.js';

/** Depth and lag of one job queue. */
export interface QueueStats {
  queue: string;
  /** Due and not yet taken by a worker. */
  waiting: number;
  /** Scheduled for later (a delay or a retry backoff). */
  delayed: number;
  active: number;
  /** Dead letters. */
  failed: number;
  /** Age of the oldest due job nobody has taken yet (s); 0 when none waits. The first sign of too few workers. */
  lagSeconds: number;
}

/**
 * Every queue the server uses. The job contract (jobs/job-queue.ts) has no way to list them,
 * so they are named here; `whatsapp` is the webhook inbox's queue (attach-channels.ts).
 */
export const KNOWN_QUEUES = [OUTBOUND_QUEUE, EMAIL_QUEUE, KNOWLEDGE_QUEUE, STAFF_QUEUE, 'whatsapp'];

export interface QueueStatsReader {
  read(): Promise<QueueStats[]>;
  close(): Promise<void>;
}

/**
 * Reads queue depth from the backend the jobs run on (jobs/create-jobs.ts picks it the same
 * way), with its own connections: a scrape never competes with the job workers' connections.
 */
export function queueStatsReader(config: Config, db: Database, kind: JobBackendKind): QueueStatsReader {
  if (kind === 'embedded') return embeddedReader(db);
  if (kind === 'redis' && config.redisUrl) {
    const connection = new Redis(config.redisUrl, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      lazyConnect: true,
    });
    connection.on('error', () => {});
    // The key prefix the jobs use (REDIS_PREFIX), to read the same queues.
    return bullReader(
      (name) => new Queue(name, { connection, prefix: bullPrefix(config.redisPrefix) }),
      async () => {
        connection.disconnect();
      },
    );
  }
  if (kind === 'postgres' && config.database.kind === 'external') {
    const pg = withBackend(createPostgresBackend);
    const connection = { connectionString: config.database.url, migrate: false, max: 1 };
    return bullReader((name) => new pg.Queue(name, { connection }) as unknown as Queue);
  }
  return { read: async () => [], close: async () => {} };
}

function bullReader(open: (name: string) => Queue, closeConnection?: () => Promise<void>): QueueStatsReader {
  const queues = new Map<string, Queue>();
  const queue = (name: string) => {
    let q = queues.get(name);
    if (!q) {
      q = open(name);
      q.on('error', () => {});
      queues.set(name, q);
    }
    return q;
  };
  return {
    async read() {
      const now = Date.now();
      return Promise.all(
        KNOWN_QUEUES.map(async (name) => {
          const q = queue(name);
          let counts: Record<string, number>;
          try {
            counts = await q.getJobCounts('wait', 'prioritized', 'delayed', 'active', 'failed');
          } catch (err) {
            // BullMQ creates its PostgreSQL schema when the first job is added: until then no queue has jobs.
            if ((err as Error).name !== 'SchemaMigrationRequiredError') throw err;
            queues.delete(name);
            await q.close().catch(() => {});
            return { queue: name, waiting: 0, delayed: 0, active: 0, failed: 0, lagSeconds: 0 };
          }
          // Oldest first: the job that has waited longest since it became due.
          const [oldest] = await q.getJobs(['wait'], 0, 0, true);
          const dueAt = oldest ? oldest.timestamp + (oldest.opts.delay ?? 0) : now;
          return {
            queue: name,
            waiting: (counts.wait ?? 0) + (counts.prioritized ?? 0),
            delayed: counts.delayed ?? 0,
            active: counts.active ?? 0,
            failed: counts.failed ?? 0,
            lagSeconds: Math.max(0, now - dueAt) / 1000,
          };
        }),
      );
    },
    async close() {
      await Promise.all([...queues.values()].map((q) => q.close().catch(() => {})));
      await closeConnection?.();
    },
  };
}

function embeddedReader(db: Database): QueueStatsReader {
  return {
    async read() {
      const rows = (await db.orm.em.getConnection().execute(
        `select queue,
                count(*) filter (where status = 'waiting' and run_at <= now())::int as waiting,
                count(*) filter (where status = 'waiting' and run_at > now())::int as delayed,
                count(*) filter (where status = 'active')::int as active,
                count(*) filter (where status = 'failed')::int as failed,
                coalesce(extract(epoch from now() - min(run_at) filter (where status = 'waiting' and run_at <= now())), 0)::float8 as lag
           from job_queue where status in ('waiting', 'active', 'failed') group by queue`,
      )) as Array<{ queue: string; waiting: number; delayed: number; active: number; failed: number; lag: number }>;
      const byName = new Map(rows.map((r) => [r.queue, r]));
      const names = new Set([...KNOWN_QUEUES, ...byName.keys()]);
      return [...names].map((queue) => {
        const r = byName.get(queue);
        return {
          queue,
          waiting: r?.waiting ?? 0,
          delayed: r?.delayed ?? 0,
          active: r?.active ?? 0,
          failed: r?.failed ?? 0,
          lagSeconds: Math.max(0, r?.lag ?? 0),
        };
      });
    },
    async close() {},
  };
}
