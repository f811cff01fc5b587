import { createHash } from 'node:crypto';
import type { Orm } from '../db/orm.js';
import type { Jobs } from '../jobs/job-queue.js';
import type { Logger } from '../logger.js';

export interface WebhookEvent {
  id: string;
  payload: string;
  clientId: string | null;
}

export interface WebhookInboxOptions {
  orm: Orm;
  jobs: Jobs;
  logger: Logger;
  /** `webhook_events.provider` and the queue name. */
  provider: string;
  /** Dotted job name (`whatsapp.drain-events`). */
  jobName: string;
  process(event: WebhookEvent): Promise<void>;
  /** Safety sweep: events whose enqueue was lost (a crash between store and enqueue) are picked up. @default 30000 */
  sweepMs?: number;
  /** Tries per event before it is set aside with its error. @default 5 */
  maxAttempts?: number;
}

/**
 * The inbox of a webhook provider: the HTTP handler stores the raw event
 * (`store`, durable before the 200) and `kick`s; a drain job claims
 * unprocessed events in order and processes them.
 *
 * Design note: one job per drain rather than one per event. Enqueueing costs
 * as much as storing (several round trips on BullMQ's PostgreSQL backend), so
 * kicks are coalesced — at most one enqueue in flight, and a kick during it
 * asks for one more — and each drain takes everything waiting. Claims use
 * `for update skip locked` and a claim time, without holding a transaction
 * while processing (the embedded database has a single connection), so
 * concurrent drains, processes and restarts never process an event twice at
 * once; a claim older than two minutes (a crashed worker) is taken over.
 */
export class WebhookInbox {
  private enqueuing = false;
  private again = false;
  private seq = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: WebhookInboxOptions) {}

  /** Stores an event once per identical body; returns false for a redelivery already stored. */
  async store(raw: Buffer, clientId: string | null): Promise<boolean> {
    const key = createHash('sha256').update(raw).digest('hex');
    const rows = await this.options.orm.em.getConnection().execute<{ id: string }[]>(
      `insert into webhook_events (provider, dedup_key, client_id, payload) values (?, ?, ?, ?)
       on conflict (provider, dedup_key) do nothing returning id`,
      // A NUL byte cannot be stored in text (nor is it valid JSON, so nothing is lost): dropped.
      [this.options.provider, key, clientId, raw.toString('utf8').replaceAll('\u0000', '')],
    );
    return rows.length > 0;
  }

  /** Asks for a drain soon. Never throws: the safety sweep covers a failed enqueue. */
  kick(): void {
    if (this.enqueuing) {
      this.again = true;
      return;
    }
    this.enqueuing = true;
    this.again = false;
    const id = `${this.options.provider}-drain-${Date.now()}-${this.seq++}`;
    this.options.jobs
      .add(this.options.provider, this.options.jobName, {}, { jobId: id, attempts: 3 })
      .catch((err: unknown) =>
        this.options.logger.warn({ err, provider: this.options.provider }, 'webhook drain enqueue failed'),
      )
      .finally(() => {
        this.enqueuing = false;
        if (this.again) this.kick();
      });
  }

  async start(): Promise<void> {
    await this.options.jobs.work(
      this.options.provider,
      async () => {
        await this.drain();
      },
      { concurrency: 2 },
    );
    this.kick();
    this.timer = setInterval(() => this.kick(), this.options.sweepMs ?? 30_000);
    this.timer.unref();
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Processes everything waiting, oldest first; returns how many events were handled. */
  async drain(batch = 50): Promise<number> {
    const conn = this.options.orm.em.getConnection();
    const max = this.options.maxAttempts ?? 5;
    let handled = 0;
    for (;;) {
      const claimed = await conn.execute<{ id: string; payload: string; client_id: string | null; attempts: number }[]>(
        `update webhook_events set claimed_at = now() where id in (
           select id from webhook_events where provider = ? and processed_at is null
             and (claimed_at is null or claimed_at < now() - interval '2 minutes')
           order by id limit ? for update skip locked)
         returning id, payload, client_id, attempts`,
        [this.options.provider, batch],
      );
      if (!claimed.length) return handled;
      claimed.sort((a, b) => Number(a.id) - Number(b.id));
      for (const row of claimed) {
        try {
          await this.options.process({ id: String(row.id), payload: row.payload, clientId: row.client_id });
          await conn.execute('update webhook_events set processed_at = now(), error = null where id = ?', [row.id]);
        } catch (err) {
          const message = err instanceof Error ? err.message : String(err);
          const last = row.attempts + 1 >= max;
          this.options.logger.warn({ err, eventId: row.id, last }, 'webhook event processing failed');
          await conn.execute(
            // Stays claimed: the sweep retries it once the claim is two minutes old (a backoff).
            `update webhook_events set attempts = attempts + 1, error = ?, claimed_at = now(),
               processed_at = case when ? then now() else null end where id = ?`,
            [message, last, row.id],
          );
        }
        handled++;
      }
    }
  }
}
