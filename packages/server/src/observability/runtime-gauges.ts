import { Gauge } from 'prom-client';
import type { Database } from '../db/database.js';
import { registry } from './metrics.js';
import type { QueueStats, QueueStatsReader } from './queue-stats.js';

/**
 * Gauges read at scrape time from the app's components: job queues and the database pool.
 * A scrape waits at most SCRAPE_TIMEOUT_MS for the queues; then the last values stand.
 */
const SCRAPE_TIMEOUT_MS = 2000;

interface Source {
  db: Database;
  queues: QueueStatsReader;
  last: QueueStats[];
}
const sources = new Set<Source>();

const queueJobs = new Gauge({
  name: 'leaddesk_job_queue_jobs',
  help: 'Jobs in each queue, by state (waiting = due and not taken, delayed, active, failed = dead letters)',
  labelNames: ['queue', 'state'] as const,
  registers: [registry],
  async collect() {
    this.reset();
    for (const stats of await readQueues()) {
      for (const state of ['waiting', 'delayed', 'active', 'failed'] as const) {
        this.inc({ queue: stats.queue, state }, stats[state]);
      }
    }
  },
});

const queueLag = new Gauge({
  name: 'leaddesk_job_queue_lag_seconds',
  help: 'Age of the oldest due job no worker has taken yet',
  labelNames: ['queue'] as const,
  registers: [registry],
  async collect() {
    this.reset();
    for (const stats of await readQueues()) this.set({ queue: stats.queue }, stats.lagSeconds);
  },
});

const pool = new Gauge({
  name: 'leaddesk_db_pool_connections',
  help: 'Database pool connections, by state (used, free, pending = requests waiting for a connection)',
  labelNames: ['state'] as const,
  registers: [registry],
  collect() {
    this.reset();
    for (const source of sources) {
      const stats = poolStats(source.db);
      if (!stats) continue;
      this.inc({ state: 'used' }, stats.used);
      this.inc({ state: 'free' }, stats.free);
      this.inc({ state: 'pending' }, stats.pending);
    }
  },
});

/** prom-client collects all metrics of a scrape at once: both queue gauges share one read. */
let reading: Promise<QueueStats[]> | undefined;
function readQueues(): Promise<QueueStats[]> {
  reading ??= readAllQueues().finally(() => {
    reading = undefined;
  });
  return reading;
}

async function readAllQueues(): Promise<QueueStats[]> {
  const all: QueueStats[] = [];
  for (const source of sources) {
    try {
      source.last = await Promise.race([
        source.queues.read(),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), SCRAPE_TIMEOUT_MS).unref()),
      ]);
    } catch {
      // The backend is slow or down (readiness reports that): keep the last values.
    }
    all.push(...source.last);
  }
  return all;
}

interface TarnPool {
  numUsed(): number;
  numFree(): number;
  numPendingAcquires(): number;
}

/** Knex's pool under MikroORM (tarn.js). Undefined when the driver exposes none. */
function poolStats(db: Database): { used: number; free: number; pending: number } | undefined {
  try {
    const client = db.orm.em.getConnection().getKnex().client as { pool?: TarnPool };
    const p = client.pool;
    if (!p || typeof p.numUsed !== 'function') return undefined;
    return { used: p.numUsed(), free: p.numFree(), pending: p.numPendingAcquires() };
  } catch {
    return undefined;
  }
}

/** Adds a database and its queues to the scrape; the returned function removes them. */
export function observeRuntime(db: Database, queues: QueueStatsReader): () => Promise<void> {
  const source: Source = { db, queues, last: [] };
  sources.add(source);
  return async () => {
    sources.delete(source);
    await queues.close();
  };
}

/** The gauges, for tests that read one directly. */
export const runtimeGauges = { queueJobs, queueLag, pool };
