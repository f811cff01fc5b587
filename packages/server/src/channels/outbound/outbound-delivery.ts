import type { Channel, DeliveryState, MessageDto } from '@leaddesk/shared';
import type { DomainEventBus } from '../../conversation/domain-events.js';
import type { OutboundSender } from '../../conversation/outbound.js';
import { type MessageRow, messageRowToDto } from '../../conversation/rows.js';
import { Client, Lead } from '../../db/entities/index.js';
import type { Orm } from '../../db/orm.js';
import { storableErrorText } from '../../db/storable-text.js';
import { type Jobs, PermanentJobError } from '../../jobs/job-queue.js';
import type { Logger } from '../../logger.js';
import { type ChannelAdapter, DeliveryError, type DeliveryRequest } from '../channel-adapter.js';

export const OUTBOUND_QUEUE = 'outbound';
export const DELIVER_JOB = 'outbound.deliver';

export interface DeliverJob {
  clientId: string;
  conversationId: string;
  messageId: string;
  channel: Channel;
  purpose: DeliveryRequest['purpose'];
}

export interface OutboundDeliveryOptions {
  orm: Orm;
  jobs: Jobs;
  events: DomainEventBus;
  logger: Logger;
  /** Tries per message, the first included; transient failures back off between them. @default 5 */
  maxAttempts?: number;
  /** How often stored replies that were never queued (a crash in between) are looked for. @default 30000 */
  sweepMs?: number;
}

/** Delivery states only move forward (statuses arrive out of order); `failed` wins over everything. */
const FORWARD = ['pending', 'sent', 'delivered', 'read'] as const;

const RETURNING = `returning m.id, m.conversation_id, m.delivery_state, m.delivery_error,
  (select visitor_id from conversations c where c.id = m.conversation_id) as visitor_id,
  (select channel from conversations c where c.id = m.conversation_id) as conversation_channel`;

/**
 * Sends stored messages through their channel's adapter, in jobs: the
 * orchestrator (or staff) stores a message and calls `send`, which enqueues
 * `outbound.deliver` with the message id as job id (one delivery per message
 * however often it is asked for). The job resumes after the parts already
 * sent, retries transient failures with backoff, records permanent ones on the
 * message (`delivery_state = failed`, `delivery_error`) and publishes
 * `message.delivery_updated` so staff see it.
 */
export class OutboundDelivery {
  private readonly adapters = new Map<Channel, ChannelAdapter>();
  private readonly maxAttempts: number;
  private sweepTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: OutboundDeliveryOptions) {
    this.maxAttempts = options.maxAttempts ?? 5;
  }

  /** Registers an adapter for its channel (or several channels) and returns the senders for the OutboundRegistry. */
  register(adapter: ChannelAdapter, channels: Channel[] = [adapter.channel]): OutboundSender[] {
    return channels.map((channel) => {
      this.adapters.set(channel, adapter);
      return {
        channel,
        send: ({ client, conversationId, message }) =>
          this.enqueue({ clientId: client.id, conversationId, messageId: message.id, channel, purpose: 'reply' }),
      };
    });
  }

  adapter(channel: Channel): ChannelAdapter | undefined {
    return this.adapters.get(channel);
  }

  async start(): Promise<void> {
    await this.options.jobs.work<DeliverJob>(OUTBOUND_QUEUE, (job) => this.run(job.data, job.attempt), {
      concurrency: 8,
    });
    const every = this.options.sweepMs ?? 30_000;
    const tick = () => {
      this.sweepTimer = setTimeout(() => {
        this.sweepUnqueued()
          .catch((err: unknown) => this.options.logger.warn({ err }, 'outbound sweep failed'))
          .finally(() => {
            if (this.sweepTimer) tick();
          });
      }, every);
      this.sweepTimer.unref();
    };
    tick();
  }

  stop(): void {
    if (this.sweepTimer) clearTimeout(this.sweepTimer);
    this.sweepTimer = undefined;
  }

  /**
   * AI replies stored but never queued for delivery (the process died between storing the reply and
   * queueing it): queued now. The job id is the message id, so a reply already queued is not queued twice,
   * and a delivered one is no longer `pending`.
   */
  async sweepUnqueued(olderThanMs = 20_000): Promise<number> {
    const channels = [...this.adapters.keys()].filter((c) => c !== 'web');
    if (!channels.length) return 0;
    const rows = await this.options.orm.em
      .getConnection()
      .execute<Array<{ id: string; client_id: string; conversation_id: string; channel: Channel }>>(
        `select id, client_id, conversation_id, channel from messages
       where delivery_state = 'pending' and role = 'ai' and channel in (${channels.map(() => '?').join(', ')})
         and created_at < now() - make_interval(secs => ?::int / 1000.0) and created_at > now() - interval '1 day'
       order by created_at limit 200`,
        // One placeholder per channel: the connection expands an array parameter into a bare list.
        [...channels, olderThanMs],
      );
    for (const r of rows) {
      await this.enqueue({
        clientId: r.client_id,
        conversationId: r.conversation_id,
        messageId: r.id,
        channel: r.channel,
        purpose: 'reply',
      });
    }
    return rows.length;
  }

  enqueue(job: DeliverJob): Promise<void> {
    return this.options.jobs.add(OUTBOUND_QUEUE, DELIVER_JOB, job, {
      jobId: `deliver-${job.messageId}`,
      attempts: this.maxAttempts,
    });
  }

  /** One attempt at delivering a message; exported for the conformance suite. */
  async run(job: DeliverJob, attempt: number): Promise<void> {
    const { orm, logger } = this.options;
    const adapter = this.adapters.get(job.channel);
    if (!adapter) throw new PermanentJobError(`no adapter for channel ${job.channel}`);
    const conn = orm.em.getConnection();
    const rows = await conn.execute<Array<MessageRow & { delivery_refs: string[] }>>(
      `select id, client_id, conversation_id, seq, role, content, attachments, channel, external_id, client_message_id,
              delivery_state, ai, created_at, delivery_refs
       from messages where id = ? and client_id = ?`,
      [job.messageId, job.clientId],
    );
    const row = rows[0];
    // Already handled by an earlier run (or by a status webhook that was faster).
    if (row?.delivery_state !== 'pending') return;
    const em = orm.em.fork();
    const client = await em.findOne(Client, { id: job.clientId });
    if (!client) return;
    const conversation = await conn.execute<{ lead_id: string | null }[]>(
      'select lead_id from conversations where id = ? and client_id = ?',
      [job.conversationId, job.clientId],
    );
    const leadId = conversation[0]?.lead_id;
    const lead = leadId ? await em.findOne(Lead, { id: leadId, client: job.clientId }) : null;
    const message: MessageDto = messageRowToDto(row);
    const sent = [...(row.delivery_refs ?? [])];
    try {
      await adapter.deliver(
        { client, lead, conversationId: job.conversationId, message, sentParts: sent, purpose: job.purpose },
        async (providerId) => {
          sent.push(providerId);
          await conn.execute(
            `update messages set delivery_refs = array_append(delivery_refs, ?), external_id = coalesce(external_id, ?)
             where id = ? and client_id = ?`,
            [providerId, providerId, job.messageId, job.clientId],
          );
        },
      );
      await this.updateById(job.clientId, job.messageId, 'sent', null);
    } catch (err) {
      const failure =
        err instanceof DeliveryError
          ? err
          : new DeliveryError(err instanceof Error ? err.message : String(err), { permanent: false });
      const last = failure.permanent || attempt >= this.maxAttempts;
      logger.warn(
        { channel: job.channel, messageId: job.messageId, attempt, code: failure.code, permanent: failure.permanent },
        last ? 'outbound delivery failed' : 'outbound delivery will be retried',
      );
      if (!last) throw failure;
      await this.updateById(job.clientId, job.messageId, 'failed', {
        code: failure.code,
        message: failure.message,
      });
      throw new PermanentJobError(failure.message);
    }
  }

  /**
   * Applies a provider's status report to the message that has this provider
   * id (any of its parts). Idempotent and order-insensitive: states only move
   * forward, `failed` sticks. Returns whether anything changed.
   */
  async applyStatus(
    clientId: string,
    channel: Channel,
    providerId: string,
    state: Exclude<DeliveryState, 'pending'>,
    error: { code?: string | number; message: string } | null = null,
  ): Promise<boolean> {
    const rows = await this.options.orm.em.getConnection().execute<StatusRow[]>(
      `update messages m set delivery_state = ?, delivery_error = coalesce(?::jsonb, m.delivery_error)
       where m.client_id = ? and m.channel = ? and (m.external_id = ? or m.delivery_refs @> array[?]::text[])
         and ${guard()}
       ${RETURNING}`,
      [state, error ? storableError(error) : null, clientId, channel, providerId, providerId, ...guardParams(state)],
    );
    for (const row of rows) this.publish(clientId, row);
    return rows.length > 0;
  }

  private async updateById(
    clientId: string,
    messageId: string,
    state: Exclude<DeliveryState, 'pending'>,
    error: { code?: string | number; message: string } | null,
  ): Promise<void> {
    const rows = await this.options.orm.em.getConnection().execute<StatusRow[]>(
      `update messages m set delivery_state = ?, delivery_error = coalesce(?::jsonb, m.delivery_error)
       where m.id = ? and m.client_id = ? and ${guard()}
       ${RETURNING}`,
      [state, error ? storableError(error) : null, messageId, clientId, ...guardParams(state)],
    );
    for (const row of rows) this.publish(clientId, row);
  }

  private publish(clientId: string, row: StatusRow): void {
    this.options.events.emit('message.delivery_updated', {
      clientId,
      conversationId: row.conversation_id,
      channel: row.conversation_channel,
      visitorId: row.visitor_id,
      messageId: row.id,
      deliveryState: row.delivery_state,
      error: row.delivery_error,
    });
  }
}

interface StatusRow {
  id: string;
  conversation_id: string;
  delivery_state: DeliveryState;
  delivery_error: { code?: string | number; message: string } | null;
  visitor_id: string | null;
  conversation_channel: Channel;
}

/** SQL guard: `failed` applies once; other states only when they move forward and nothing failed. */
function guard(): string {
  return `((?::text = 'failed' and m.delivery_state <> 'failed')
    or (m.delivery_state <> 'failed' and array_position(?::text[], m.delivery_state::text) < array_position(?::text[], ?::text)))`;
}

function guardParams(state: string): unknown[] {
  const order = `{${FORWARD.join(',')}}`;
  return [state, order, order, state];
}

/** A provider's error as jsonb PostgreSQL accepts (its text may hold U+0000 or a lone surrogate). */
function storableError(error: { code?: string | number; message: string }): string {
  return JSON.stringify({ ...error, message: storableErrorText(error.message) });
}
