import { OUTGOING_WEBHOOK_TEST_EVENT } from '@leaddesk/shared';
import type { BrandingService } from '../branding/branding-service.js';
import { brandedEmail } from '../branding/email-branding.js';
import type { SecretBox } from '../channels/settings/secret-box.js';
import type { DomainEventBus } from '../conversation/domain-events.js';
import type { Sql } from '../db/sql.js';
import { storableErrorText } from '../db/storable-text.js';
import type { EmailSender } from '../email/email-sender.js';
import type { Jobs } from '../jobs/job-queue.js';
import type { Logger } from '../logger.js';
import { missedEvents } from './catch-up.js';
import { MOMENT_RETENTION_MS, pruneMoments } from './catch-up-moments.js';
import { claimDelivery, insertAttempt, type NewDelivery, recordEvent, recordSuccess } from './delivery-store.js';
import { failPendingDeliveries } from './endpoint-store.js';
import type { WebhookPoster } from './post-webhook.js';
import { nextRetryAt, type RetryPolicy } from './retry-schedule.js';
import { signatureHeaders } from './signing.js';
import { listenForWebhookEvents, type WebhookEvent } from './webhook-events.js';

export const OUTGOING_WEBHOOKS_QUEUE = 'outgoing-webhooks';
export const DELIVER_JOB = 'outgoing-webhooks.deliver';
export const DISABLED_NOTICE_JOB = 'outgoing-webhooks.disabled-notice';

export type OutgoingWebhookJob =
  | { clientId: string; deliveryId: string }
  | { clientId: string; endpointId: string; reason: string };

export interface OutgoingWebhooksOptions {
  sql: Sql;
  jobs: Jobs;
  box: SecretBox | null;
  poster: WebhookPoster;
  email: EmailSender;
  /** Emails go out in the client's brand (docs/white-label.md). */
  branding: BrandingService;
  logger: Logger;
  clock: () => Date;
  retry: RetryPolicy;
  timeoutMs: number;
  sweepIntervalMs: number;
  /** How long the live path has to write an event's outbox row before the sweep records it from its row. */
  catchUpGraceMs: number;
  concurrency: number;
  /** Dashboard link in the disabled-endpoint email. */
  dashboardUrl: string;
}

/**
 * Outgoing webhooks: domain events in, signed HTTP POSTs out.
 *
 * Durability (design note): the core emits its events after its transaction
 * commits, so the event is first written here, as an outbox row plus one
 * pending delivery per subscribed endpoint, in one transaction; the delivery
 * job is enqueued after that with a job id derived from the delivery and its
 * attempt number, and every worker sweeps for pending deliveries whose job is
 * missing (the process died between the commit and the enqueue, or during an
 * attempt: its lease runs out). The remaining gap is the moment between the
 * core's commit and the outbox write, in the same process; closing it would
 * mean writing the outbox inside every core transaction (docs/outgoing-webhooks.md).
 *
 * Retries are ours, not the job backend's: each attempt is its own job,
 * delayed by the retry schedule, so a 24-hour schedule survives restarts and
 * works the same on every backend. An attempt that throws (the database
 * failed) is retried by the job backend.
 */
/** Missed events are looked for this far back: the retry window of a delivery. */
const CATCH_UP_WINDOW_MS = 24 * 3_600_000;

export class OutgoingWebhooks {
  private sweepTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(private readonly options: OutgoingWebhooksOptions) {}

  /** Listens to the domain events (every process that runs the core: events are emitted where they happen). */
  listen(events: DomainEventBus): () => void {
    return listenForWebhookEvents(events, (event) => {
      void this.track(this.record(event));
    });
  }

  /** Stores the event for the tenant's subscribed endpoints and enqueues their deliveries. */
  async record(event: WebhookEvent): Promise<NewDelivery[]> {
    const now = this.options.clock();
    const deliveries = await recordEvent(this.options.sql, {
      clientId: event.clientId,
      type: event.type,
      dedupKey: event.dedupKey,
      now,
      body: () => JSON.stringify({ type: event.type, timestamp: now.toISOString(), data: event.data }),
    });
    await Promise.all(deliveries.map((d) => this.enqueue(d.clientId, d.id, 1)));
    return deliveries;
  }

  /** "Send test event": a `webhook.test` event to one endpoint. */
  async sendTest(clientId: string, endpointId: string): Promise<string | null> {
    const now = this.options.clock();
    const [delivery] = await recordEvent(this.options.sql, {
      clientId,
      type: OUTGOING_WEBHOOK_TEST_EVENT,
      dedupKey: `webhook.test:${endpointId}:${now.getTime()}:${Math.random()}`,
      onlyEndpointId: endpointId,
      now,
      body: (id) =>
        JSON.stringify({
          type: OUTGOING_WEBHOOK_TEST_EVENT,
          timestamp: now.toISOString(),
          data: { message: 'A test event: your endpoint is connected.', eventId: id },
        }),
    });
    if (!delivery) return null;
    await this.enqueue(clientId, delivery.id, 1);
    return delivery.id;
  }

  /**
   * Sends a delivery again now, with a fresh retry window (whatever its state).
   * 'busy': an attempt is in flight; 'disabled': its endpoint is off.
   */
  async replay(clientId: string, deliveryId: string): Promise<'replayed' | 'not_found' | 'busy' | 'disabled'> {
    const now = this.options.clock();
    const rows = await this.options.sql.query<{ replays: number; enabled: boolean; busy: boolean }[]>(
      `select d.replays, e.enabled, (d.leased_until is not null and d.leased_until >= ?) as busy
         from outgoing_webhook_deliveries d join outgoing_webhook_endpoints e on e.id = d.endpoint_id
        where d.id = ? and d.client_id = ?`,
      [now, deliveryId, clientId],
    );
    const row = rows[0];
    if (!row) return 'not_found';
    if (!row.enabled) return 'disabled';
    if (row.busy) return 'busy';
    const updated = await this.options.sql.query<{ replays: number }[]>(
      `update outgoing_webhook_deliveries
          set status = 'pending', next_attempt_at = ?, first_attempt_at = null, replays = replays + 1,
              delivered_at = null, last_error = null
        where id = ? and client_id = ? and (leased_until is null or leased_until < ?) returning replays`,
      [now, deliveryId, clientId, now],
    );
    const replays = updated[0]?.replays;
    if (replays === undefined) return 'busy';
    await this.options.jobs.add<OutgoingWebhookJob>(
      OUTGOING_WEBHOOKS_QUEUE,
      DELIVER_JOB,
      { clientId, deliveryId },
      { jobId: `${deliveryId}.replay-${replays}`, attempts: 3 },
    );
    return 'replayed';
  }

  async start(): Promise<void> {
    await this.options.jobs.work<OutgoingWebhookJob>(
      OUTGOING_WEBHOOKS_QUEUE,
      async (job) => {
        if (job.name === DELIVER_JOB && 'deliveryId' in job.data) await this.attempt(job.data);
        else if (job.name === DISABLED_NOTICE_JOB && 'endpointId' in job.data) await this.notifyDisabled(job.data);
      },
      { concurrency: this.options.concurrency },
    );
    const sweep = () => {
      this.sweepTimer = setTimeout(() => {
        this.sweep()
          .catch((err: unknown) => this.options.logger.error({ err }, 'outgoing webhook sweep failed'))
          .finally(() => {
            if (!this.stopped) sweep();
          });
      }, this.options.sweepIntervalMs);
      this.sweepTimer.unref();
    };
    await this.sweep().catch((err: unknown) => this.options.logger.error({ err }, 'outgoing webhook sweep failed'));
    if (!this.stopped) sweep();
  }

  /** Stops the sweep and waits for the outbox writes this process started. */
  async close(): Promise<void> {
    this.stopped = true;
    if (this.sweepTimer) clearTimeout(this.sweepTimer);
    await Promise.allSettled([...this.inFlight]);
  }

  /**
   * Enqueues every pending delivery that is due and not held by an attempt:
   * its job was lost (never enqueued, or its process died mid-attempt). Job
   * ids make this a no-op for deliveries whose job is only waiting its turn.
   */
  async sweep(): Promise<number> {
    const now = this.options.clock();
    const due = await this.options.sql.query<{ id: string; client_id: string; attempts: number }[]>(
      `select d.id, d.client_id, d.attempts from outgoing_webhook_deliveries d
        where d.status = 'pending' and d.next_attempt_at <= ?
          and (d.leased_until is null or d.leased_until < ?)
          and exists (select 1 from outgoing_webhook_endpoints e where e.id = d.endpoint_id and e.enabled)
        order by d.next_attempt_at limit 1000`,
      [now, now],
    );
    for (const d of due) await this.enqueue(d.client_id, d.id, d.attempts + 1);
    await this.catchUp(now);
    return due.length;
  }

  /** Records the events whose outbox write never happened (catch-up.ts); their deliveries are enqueued as usual. */
  async catchUp(now = this.options.clock()): Promise<number> {
    const missed = await missedEvents(this.options.sql, {
      since: new Date(now.getTime() - CATCH_UP_WINDOW_MS),
      until: new Date(now.getTime() - this.options.catchUpGraceMs),
      limit: 500,
    });
    for (const event of missed) await this.record(event);
    if (missed.length) this.options.logger.warn({ events: missed.length }, 'outgoing webhooks: recorded missed events');
    await pruneMoments(this.options.sql, new Date(now.getTime() - MOMENT_RETENTION_MS));
    return missed.length;
  }

  private enqueue(clientId: string, deliveryId: string, attempt: number, delayMs = 0): Promise<void> {
    return this.options.jobs.add<OutgoingWebhookJob>(
      OUTGOING_WEBHOOKS_QUEUE,
      DELIVER_JOB,
      { clientId, deliveryId },
      // The attempt number in the id: re-enqueueing the same attempt is a no-op, the next one is a new job.
      { jobId: `${deliveryId}.${attempt}`, delayMs, attempts: 3 },
    );
  }

  /** One attempt of one delivery. */
  private async attempt(job: { clientId: string; deliveryId: string }): Promise<void> {
    const { sql, clock, poster, logger } = this.options;
    const now = clock();
    // The lease outlives the request's deadline: after it, the sweep may try again.
    const leaseUntil = new Date(now.getTime() + this.options.timeoutMs + 5000);
    const claimed = await claimDelivery(sql, {
      id: job.deliveryId,
      clientId: job.clientId,
      now,
      leaseUntil,
      earlyMs: 1000,
    });
    if (!claimed) return;
    let secret: string;
    try {
      if (!this.options.box) throw new Error('APP_SECRET is not set: the signing secret cannot be read');
      secret = this.options.box.open(claimed.secret_sealed);
    } catch (err) {
      await this.settle(claimed, now, {
        ok: false,
        statusCode: null,
        excerpt: '',
        error: (err as Error).message,
        durationMs: 0,
        refused: false,
      });
      return;
    }
    const sentAt = clock();
    const outcome = await poster.post(
      claimed.url,
      signatureHeaders(secret, claimed.event_id, sentAt, claimed.body),
      claimed.body,
    );
    logger.debug(
      { deliveryId: claimed.id, attempt: claimed.attempts, status: outcome.statusCode, ms: outcome.durationMs },
      'outgoing webhook attempt',
    );
    await this.settle(claimed, sentAt, outcome);
  }

  private async settle(
    claimed: Awaited<ReturnType<typeof claimDelivery>> & object,
    startedAt: Date,
    outcome: Awaited<ReturnType<WebhookPoster['post']>>,
  ): Promise<void> {
    const { sql, clock, retry } = this.options;
    const now = clock();
    const error = outcome.error === null ? null : storableErrorText(outcome.error);
    const attempt = {
      attempt: claimed.attempts,
      startedAt,
      durationMs: outcome.durationMs,
      statusCode: outcome.statusCode,
      excerpt: storableErrorText(outcome.excerpt),
      error,
      succeeded: outcome.ok,
    };
    if (outcome.ok) {
      await recordSuccess(sql, claimed, attempt, now);
      return;
    }
    // A refused address will be refused again: that delivery stops now.
    const next = outcome.refused ? null : nextRetryAt(retry, claimed.attempts, new Date(claimed.first_attempt_at), now);
    const disabled = await sql.transaction(async (tx) => {
      await insertAttempt(tx, claimed.client_id, claimed.id, attempt);
      await tx.query(
        `update outgoing_webhook_deliveries set status = ?, next_attempt_at = coalesce(?, next_attempt_at),
           leased_until = null, last_error = ? where id = ?`,
        [next ? 'pending' : 'failed', next, error, claimed.id],
      );
      // From this delivery's first attempt (set when it was claimed, before the request started): its last
      // attempt comes at that plus the window, so the auto-disable check below holds then, however long
      // the claim took. From the request's own start it could miss by those milliseconds and never disable.
      await tx.query('update outgoing_webhook_endpoints set failing_since = coalesce(failing_since, ?) where id = ?', [
        new Date(Math.min(startedAt.getTime(), new Date(claimed.first_attempt_at).getTime())),
        claimed.endpoint_id,
      ]);
      if (next) return null;
      // Auto-disable: this delivery spent its whole retry window, and nothing to the endpoint succeeded
      // for as long (failing_since is cleared by any success).
      const off = await tx.query<{ id: string }[]>(
        `update outgoing_webhook_endpoints
            set enabled = false, disabled_at = ?, updated_at = ?,
                disabled_reason = ?
          where id = ? and enabled and failing_since <= ? returning id`,
        [
          now,
          now,
          `disabled after failing for ${Math.round(retry.windowMs / 3_600_000) || '<1'} h: ${error ?? 'no answer'}`.slice(
            0,
            1000,
          ),
          claimed.endpoint_id,
          new Date(now.getTime() - retry.windowMs),
        ],
      );
      if (!off[0]) return null;
      await failPendingDeliveries(tx, claimed.client_id, claimed.endpoint_id, 'the endpoint was disabled');
      return off[0].id;
    });
    if (next) {
      await this.enqueue(
        claimed.client_id,
        claimed.id,
        claimed.attempts + 1,
        Math.max(0, next.getTime() - now.getTime()),
      );
    }
    if (disabled) {
      this.options.logger.warn(
        { endpointId: disabled, clientId: claimed.client_id },
        'outgoing webhook endpoint disabled',
      );
      await this.options.jobs.add<OutgoingWebhookJob>(
        OUTGOING_WEBHOOKS_QUEUE,
        DISABLED_NOTICE_JOB,
        { clientId: claimed.client_id, endpointId: disabled, reason: error ?? 'no answer' },
        { jobId: `disabled.${disabled}.${now.getTime()}`, attempts: 5 },
      );
    }
  }

  /** Emails the tenant's admins that an endpoint was turned off. */
  private async notifyDisabled(job: { clientId: string; endpointId: string; reason: string }): Promise<void> {
    const { sql, email } = this.options;
    const endpoint = (
      await sql.query<{ url: string; name: string }[]>(
        `select e.url, c.name from outgoing_webhook_endpoints e join clients c on c.id = e.client_id
          where e.id = ? and e.client_id = ?`,
        [job.endpointId, job.clientId],
      )
    )[0];
    if (!endpoint) return;
    const admins = await sql.query<{ email: string }[]>(
      `select email from users where client_id = ? and role = 'admin' and disabled_at is null order by email`,
      [job.clientId],
    );
    if (admins.length === 0) {
      this.options.logger.warn({ clientId: job.clientId }, 'no admin to tell that a webhook endpoint was disabled');
      return;
    }
    const hours = Math.max(1, Math.round(this.options.retry.windowMs / 3_600_000));
    // Under a white-label brand with a verified domain, the link goes there rather than to the platform's host.
    const origin = await this.options.branding.linkOrigin({ clientId: job.clientId, agencyId: null });
    const settingsUrl = origin ? `${origin}/dashboard/settings/integrations` : this.options.dashboardUrl;
    for (const admin of admins) {
      await email.send(
        await brandedEmail(this.options.branding, job.clientId, {
          to: admin.email,
          subject: `Webhook endpoint disabled: ${endpoint.url}`,
          text: [
            `{product} stopped sending webhooks for ${endpoint.name} to ${endpoint.url}: every delivery has failed for ${hours} hours.`,
            `Last error: ${job.reason}`,
            `Events are no longer sent to it. Fix the receiver, then enable the endpoint again and replay the failed deliveries in Settings → Integrations → Webhooks: ${settingsUrl}`,
          ].join('\n\n'),
          link: settingsUrl,
        }),
      );
    }
  }

  private track<T>(promise: Promise<T>): Promise<T> {
    this.inFlight.add(promise);
    promise
      .catch((err: unknown) => this.options.logger.error({ err }, 'outgoing webhook event not recorded'))
      .finally(() => this.inFlight.delete(promise));
    return promise;
  }
}
