import { createHash } from 'node:crypto';
import type { Orm } from '../db/orm.js';
import { storableErrorText } from '../db/storable-text.js';
import type { Jobs } from '../jobs/job-queue.js';
import type { Logger } from '../logger.js';

export interface WebhookEvent {
  id: string;
  payload: string;
  clientId: string | null;
  /** 1 on the first try (counted when the event is claimed). */
  attempt: number;
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
  /** Tries per event before it is set aside (`dead`) with its error. @default 5 */
  maxAttempts?: number;
  /** Wait before the second try; doubles per try, at most 5 minutes. @default 2000 */
  retryBaseMs?: number;
  /** A claim older than this belongs to a worker that died or hung, and is taken over. @default 120000 */
  claimTimeoutMs?: number;
}

/** A webhook event set aside after its attempts (GET /api/v1/admin/dead-letters). */
export interface DeadWebhookEvent {
  id: string;
  provider: string;
  clientId: string | null;
  error: string | null;
  attempts: number;
  receivedAt: string;
  deadAt: string;
  payloadBytes: number;
}

interface ClaimedRow {
  id: string;
  payload: string;
  client_id: string | null;
  attempts: number;
  error: string | null;
}

const MAX_RETRY_MS = 5 * 60_000;

/**
 * The inbox of a webhook provider: the HTTP handler stores the raw event
 * (`store`, durable before the 200) and `kick`s; a drain job claims
 * pending events in order and processes them.
 *
 * Design note: one job per drain rather than one per event. Enqueueing costs
 * as much as storing (several round trips on BullMQ's PostgreSQL backend), so
 * kicks are coalesced — at most one enqueue in flight, and a kick during it
 * asks for one more — and each drain takes everything waiting. Claims use
 * `for update skip locked` and a claim time, without holding a transaction
 * while processing (the embedded database has a single connection), so
 * concurrent drains, processes and restarts never process an event twice at
 * once; a claim older than `claimTimeoutMs` (a crashed worker) is taken over.
 *
 * Poison (issue 12): the attempt is counted when the event is claimed, so a
 * crash in the middle counts too; each event of a claimed batch is recorded
 * on its own, and a failure is recorded with storable text (a NUL in the
 * error once made the record itself fail, leaving the whole batch claimed and
 * the poison first in line for ever). A failed event waits out a backoff
 * unclaimed; after `maxAttempts` it is set aside as `dead`, listed for admins,
 * who can retry or discard it.
 */
export class WebhookInbox {
  private enqueuing = false;
  private again = false;
  private seq = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(private readonly options: WebhookInboxOptions) {}

  get provider(): string {
    return this.options.provider;
  }

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
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    for (const t of this.retryTimers) clearTimeout(t);
    this.retryTimers.clear();
  }

  /** Processes everything due, oldest first; returns how many events were handled (processed, failed or set aside). */
  async drain(batch = 50): Promise<number> {
    const conn = this.options.orm.em.getConnection();
    const max = this.options.maxAttempts ?? 5;
    let handled = 0;
    for (;;) {
      const claimed = await conn.execute<ClaimedRow[]>(
        `update webhook_events set claimed_at = now(), attempts = attempts + 1 where id in (
           select id from webhook_events where provider = ? and status = 'pending'
             and (claimed_at is null or claimed_at < now() - (? || ' milliseconds')::interval)
             and (next_attempt_at is null or next_attempt_at <= now())
           order by id limit ? for update skip locked)
         returning id, payload, client_id, attempts, error`,
        [this.options.provider, String(this.options.claimTimeoutMs ?? 120_000), batch],
      );
      if (!claimed.length) return handled;
      claimed.sort((a, b) => Number(a.id) - Number(b.id));
      for (const row of claimed) {
        await this.handle(row, max);
        handled++;
      }
    }
  }

  /** One claimed event, recorded on its own: nothing here throws, so the rest of the batch always runs. */
  private async handle(row: ClaimedRow, max: number): Promise<void> {
    const { logger, provider } = this.options;
    if (row.attempts > max) {
      // Its earlier claims never finished (the process died or hung while processing it).
      const error = row.error ?? `processing never finished in ${max} attempts (the worker stopped or hung)`;
      await this.record(row.id, 'dead', error, 0);
      logger.error({ eventId: row.id, provider, attempts: row.attempts }, 'webhook event set aside');
      return;
    }
    try {
      await this.options.process({
        id: String(row.id),
        payload: row.payload,
        clientId: row.client_id,
        attempt: row.attempts,
      });
    } catch (err) {
      const error = storableErrorText(err);
      const last = row.attempts >= max;
      const retryMs = Math.min(MAX_RETRY_MS, (this.options.retryBaseMs ?? 2000) * 2 ** (row.attempts - 1));
      logger.warn(
        { err: error, eventId: row.id, provider, attempt: row.attempts, last },
        last ? 'webhook event set aside after its attempts' : 'webhook event processing failed, will retry',
      );
      if (await this.record(row.id, last ? 'dead' : 'retry', error, retryMs)) {
        if (!last) this.kickAfter(retryMs);
      }
      return;
    }
    await this.record(row.id, 'processed', null, 0);
  }

  /**
   * Records an outcome; false when even that failed (the database went away).
   * Then the claim stays, and the claim timeout hands the event to a later
   * drain with this attempt already counted.
   */
  private async record(
    id: string,
    outcome: 'processed' | 'retry' | 'dead',
    error: string | null,
    retryMs: number,
  ): Promise<boolean> {
    const conn = this.options.orm.em.getConnection();
    try {
      if (outcome === 'processed') {
        await conn.execute(
          `update webhook_events set status = 'processed', processed_at = now(), claimed_at = null, error = null
           where id = ?`,
          [id],
        );
      } else if (outcome === 'retry') {
        await conn.execute(
          `update webhook_events set error = ?, claimed_at = null,
             next_attempt_at = now() + (? || ' milliseconds')::interval where id = ?`,
          [error, String(retryMs), id],
        );
      } else {
        await conn.execute(
          `update webhook_events set status = 'dead', dead_at = now(), error = ?, claimed_at = null where id = ?`,
          [error, id],
        );
      }
      return true;
    } catch (err) {
      this.options.logger.error(
        { err: storableErrorText(err), eventId: id, outcome },
        'could not record a webhook event outcome; its claim will expire and it will be tried again',
      );
      return false;
    }
  }

  /** A drain when a failed event's backoff is over (the periodic sweep would find it too, later). */
  private kickAfter(ms: number): void {
    if (this.closed) return;
    const t = setTimeout(() => {
      this.retryTimers.delete(t);
      this.kick();
    }, ms + 20);
    t.unref();
    this.retryTimers.add(t);
  }

  /** Events set aside after their attempts, newest first. */
  async listDead(limit = 100): Promise<DeadWebhookEvent[]> {
    const rows = await this.options.orm.em.getConnection().execute<
      {
        id: string;
        provider: string;
        client_id: string | null;
        error: string | null;
        attempts: number;
        received_at: Date | string;
        dead_at: Date | string;
        payload_bytes: number | string;
      }[]
    >(
      `select id, provider, client_id, error, attempts, received_at, dead_at, octet_length(payload) as payload_bytes
       from webhook_events where provider = ? and status = 'dead' order by dead_at desc, id desc limit ?`,
      [this.options.provider, limit],
    );
    return rows.map((r) => ({
      id: String(r.id),
      provider: r.provider,
      clientId: r.client_id,
      error: r.error,
      attempts: r.attempts,
      receivedAt: new Date(r.received_at).toISOString(),
      deadAt: new Date(r.dead_at).toISOString(),
      payloadBytes: Number(r.payload_bytes),
    }));
  }

  /** Gives a dead event a fresh set of attempts, now. False when there is no such dead event. */
  async retryDead(id: string): Promise<boolean> {
    const rows = await this.options.orm.em.getConnection().execute<{ id: string }[]>(
      `update webhook_events set status = 'pending', attempts = 0, next_attempt_at = null, claimed_at = null,
         dead_at = null where id = ? and provider = ? and status = 'dead' returning id`,
      [id, this.options.provider],
    );
    if (rows.length) this.kick();
    return rows.length > 0;
  }

  /**
   * Discards a dead event. The row stays (as `discarded`, payload and error
   * kept) so that Meta redelivering the same bytes collapses on its dedup key
   * instead of poisoning the inbox again. False when there is no such dead event.
   */
  async discardDead(id: string): Promise<boolean> {
    const rows = await this.options.orm.em
      .getConnection()
      .execute<{ id: string }[]>(
        `update webhook_events set status = 'discarded' where id = ? and provider = ? and status = 'dead' returning id`,
        [id, this.options.provider],
      );
    return rows.length > 0;
  }
}
