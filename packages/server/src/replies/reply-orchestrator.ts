import { randomUUID } from 'node:crypto';
import type { AiStatus, ConversationMode, MessageDto, QuickReply } from '@leaddesk/shared';
import { type ConversationCore, ModeChangedError } from '../conversation/conversation-core.js';
import type { ConversationRef, DomainEvents } from '../conversation/domain-events.js';
import type { OutboundRegistry } from '../conversation/outbound.js';
import { REPLY_HISTORY_LIMIT, type ReplySnapshot } from '../conversation/reply-snapshot.js';
import { Client, Lead } from '../db/entities/index.js';
import type { Orm } from '../db/orm.js';
import type { Logger } from '../logger.js';
import { buildReplyContext } from './reply-context.js';
import type { ReplyContext, ReplyEngine, ReplyResult } from './reply-engine.js';

export interface ReplyOrchestratorOptions {
  orm: Orm;
  core: ConversationCore;
  engine: ReplyEngine;
  outbound: OutboundRegistry;
  logger: Logger;
  /**
   * How often, while streaming, the conversation's mode is re-read from the
   * database (catches a takeover made on another server process).
   * @default 250
   */
  modeCheckIntervalMs?: number;
  /** Messages of history handed to the engine. @default 30 */
  historyLimit?: number;
  /**
   * Runs after a reply is stored and its lead updates and escalation are
   * applied (the AI pipeline's post-reply actions: hot-lead event, booking
   * hand-off, further escalations). A failure is logged; the reply stands.
   */
  afterReply?: (input: { context: ReplyContext; result: ReplyResult; message: MessageDto }) => Promise<void>;
  /**
   * Replies generated at once by this process. Under overload, replies wait
   * for a slot (the visitor already sees "thinking") while inbound messages
   * keep being stored and acknowledged quickly.
   * @default 8
   */
  maxConcurrentReplies?: number;
}

/**
 * Runs a reply engine for every `reply.requested` event and streams it as
 * domain events (`ai.status`, `reply.started/delta/ended/aborted`), which the
 * realtime listener forwards to the conversation's rooms.
 *
 * Why in-process rather than through the job queue: the reply streams from
 * the process that runs it, the visitor must see "thinking" within 200 ms,
 * and the embedded queue polls. The visitor's message is already stored when
 * the reply starts, so a crash loses no accepted input; staff see it
 * unanswered. Replies of one conversation run one after the other, so an
 * engine always sees the previous reply in its history.
 *
 * Human mode is checked when the reply starts (read from the database, or
 * with the message that asked for the reply when nothing ran in between), every
 * `modeCheckIntervalMs` while streaming, at once when this process sees a takeover, and atomically
 * when the message is stored (`requireMode: 'ai'`).
 */
export class ReplyOrchestrator {
  private readonly chains = new Map<string, Promise<void>>();
  private readonly active = new Map<string, AbortController>();
  private readonly unsubscribe: Array<() => void> = [];
  private readonly waiting: Array<() => void> = [];
  /** When this process last saw each conversation's mode change (a carried snapshot older than that is stale). */
  private readonly modeChangedAt = new Map<string, number>();
  private running = 0;
  private closed = false;

  constructor(private readonly options: ReplyOrchestratorOptions) {
    const bus = options.core.events;
    this.unsubscribe.push(bus.on('reply.requested', (event) => this.request(event)));
    this.unsubscribe.push(
      bus.on('conversation.mode_changed', (event) => {
        this.modeChangedAt.set(event.conversationId, performance.now());
        if (this.modeChangedAt.size > 10_000) this.modeChangedAt.clear();
        if (event.mode === 'human') this.active.get(event.conversationId)?.abort('human_mode');
      }),
    );
  }

  /** Queues a reply after any reply already running for the conversation. */
  request(event: DomainEvents['reply.requested']): Promise<void> {
    if (this.closed) return Promise.resolve();
    const ref = refOf(event);
    // The status goes out now, before any database work: the visitor sees
    // "thinking" within milliseconds of the ack.
    this.status(ref, 'thinking');
    const previous = this.chains.get(event.conversationId);
    // The snapshot read with the message is current only if no reply of this
    // conversation runs before this one (it would add to the history).
    const carried = previous ? undefined : event.snapshot;
    const requestedAt = performance.now();
    const next = (previous ?? Promise.resolve())
      .then(() => this.withSlot(() => this.run(event, carried && { snapshot: carried, requestedAt })))
      .catch((err: unknown) => this.options.logger.error({ err, conversationId: event.conversationId }, 'reply failed'))
      .finally(() => {
        if (this.chains.get(event.conversationId) === next) this.chains.delete(event.conversationId);
      });
    this.chains.set(event.conversationId, next);
    return next;
  }

  private async withSlot<T>(fn: () => Promise<T>): Promise<T> {
    const max = this.options.maxConcurrentReplies ?? 8;
    if (this.running >= max) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running++;
    try {
      return await fn();
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }

  /** Waits for every queued reply (tests and benchmarks). */
  async idle(): Promise<void> {
    while (this.chains.size) await Promise.all([...this.chains.values()]);
  }

  /** Stops new replies, aborts running ones and waits for them. */
  async close(): Promise<void> {
    this.closed = true;
    for (const off of this.unsubscribe) off();
    for (const controller of this.active.values()) controller.abort('shutdown');
    await Promise.allSettled([...this.chains.values()]);
  }

  private status(ref: ConversationRef, status: AiStatus): void {
    this.options.core.events.emit('ai.status', { ...ref, status });
  }

  private async run(
    event: DomainEvents['reply.requested'],
    carried?: { snapshot: ReplySnapshot; requestedAt: number },
  ): Promise<void> {
    const { core, engine, logger } = this.options;
    const bus = core.events;
    const ref = refOf(event);
    const started = Date.now();
    const controller = new AbortController();
    if (this.closed) return;
    this.active.set(event.conversationId, controller);
    const messageId = randomUUID();
    let streaming = false;
    const abort = (reason: 'human_mode' | 'failed' | 'shutdown') => {
      if (streaming) bus.emit('reply.aborted', { ...ref, messageId, reason });
      this.status(ref, 'idle');
    };
    try {
      const built = await this.buildContext(event, carried);
      // The mode as stored now (a takeover on any process shows here).
      if (built?.mode !== 'ai') {
        this.status(ref, 'idle');
        return;
      }
      const context = built.context;
      const delay = context.client.config.responseDelayMs;
      if (delay > 0) await sleep(delay, controller.signal);

      let text = '';
      let index = 0;
      let result: ReplyResult | undefined;
      // Deltas that arrive together (one network read of the provider's stream
      // often holds several) go out as one event: `nextTick` runs once the
      // promise chain that parses that read has drained, before any other I/O
      // callback. (`setImmediate` waited for the loop's check phase, behind
      // every database reply and socket read due: +0.9 ms p50 and +5 ms p99 per
      // delta in the AI bench.)
      let pending = '';
      let flushScheduled = false;
      const flush = () => {
        flushScheduled = false;
        if (!pending || controller.signal.aborted) return;
        bus.emit('reply.delta', { ...ref, messageId, index: index++, text: pending });
        pending = '';
      };
      let lastModeCheck = Date.now();
      const interval = this.options.modeCheckIntervalMs ?? 250;
      for await (const ev of engine.reply(context, controller.signal)) {
        if (controller.signal.aborted) break;
        if (ev.type === 'status') {
          this.status(ref, ev.status);
        } else if (ev.type === 'delta') {
          if (Date.now() - lastModeCheck >= interval) {
            lastModeCheck = Date.now();
            if ((await core.currentMode(ref.clientId, ref.conversationId)) !== 'ai') {
              controller.abort('human_mode');
              break;
            }
          }
          if (controller.signal.aborted) break;
          if (!streaming) {
            streaming = true;
            bus.emit('reply.started', { ...ref, messageId });
            this.status(ref, 'typing');
          }
          text += ev.text;
          pending += ev.text;
          if (!flushScheduled) {
            flushScheduled = true;
            process.nextTick(flush);
          }
        } else {
          result = ev.result;
        }
      }
      if (controller.signal.aborted) {
        abort(abortReason(controller.signal.reason));
        return;
      }
      flush();
      if (!result || !text.trim()) {
        abort('failed');
        return;
      }

      const quickReplies: QuickReply[] = result.quickReplies;
      let message: Awaited<ReturnType<ConversationCore['appendMessage']>>;
      try {
        message = await core.appendMessage({
          id: messageId,
          clientId: ref.clientId,
          conversationId: ref.conversationId,
          role: 'ai',
          content: text.trim(),
          requireMode: 'ai',
          ai: {
            ...result.metadata,
            provider: result.metadata.provider ?? engine.name,
            processingMs: Date.now() - started,
            ...(quickReplies.length ? { quickReplies } : {}),
          },
        });
      } catch (err) {
        if (err instanceof ModeChangedError) {
          abort('human_mode');
          return;
        }
        throw err;
      }
      streaming = false;
      bus.emit('reply.ended', { ...ref, messageId, message, quickReplies });
      this.status(ref, 'idle');

      const leadId = context.lead?.id;
      if (leadId && result.leadUpdates && Object.keys(result.leadUpdates).length) {
        await core.updateLead(ref.clientId, leadId, result.leadUpdates, { locale: context.client.locale });
      }
      if (result.escalation) {
        await core.escalate({ ...result.escalation, clientId: ref.clientId, conversationId: ref.conversationId });
      }
      if (this.options.afterReply) {
        await this.options
          .afterReply({ context, result, message })
          .catch((err: unknown) =>
            logger.error({ err, conversationId: ref.conversationId }, 'post-reply actions failed'),
          );
      }
      await this.deliver(ref, message);
    } catch (err) {
      if (controller.signal.aborted) {
        abort(abortReason(controller.signal.reason));
        return;
      }
      logger.error({ err, conversationId: ref.conversationId }, 'reply engine failed');
      abort('failed');
    } finally {
      if (this.active.get(event.conversationId) === controller) this.active.delete(event.conversationId);
    }
  }

  /** Channels without a socket (email, WhatsApp, SMS) get the stored reply through their sender. */
  private async deliver(ref: ConversationRef, message: Awaited<ReturnType<ConversationCore['appendMessage']>>) {
    const sender = ref.channel === 'web' ? undefined : this.options.outbound.get(ref.channel);
    if (!sender) return;
    const em = this.options.orm.em.fork();
    const client = await em.findOneOrFail(Client, { id: ref.clientId });
    const conversation = await this.options.core.getConversation(ref.clientId, ref.conversationId);
    const lead = conversation?.leadId ? await em.findOne(Lead, { id: conversation.leadId }) : null;
    await sender.send({ client, lead, conversationId: ref.conversationId, message });
  }

  private async buildContext(
    event: DomainEvents['reply.requested'],
    carried?: { snapshot: ReplySnapshot; requestedAt: number },
  ): Promise<{ context: ReplyContext; mode: ConversationMode } | null> {
    const limit = this.options.historyLimit ?? REPLY_HISTORY_LIMIT;
    const changed = this.modeChangedAt.get(event.conversationId);
    const usable = carried && limit <= REPLY_HISTORY_LIMIT && (changed === undefined || changed < carried.requestedAt);
    const snapshot = usable
      ? { ...carried.snapshot, history: carried.snapshot.history.slice(-limit) }
      : await this.options.core.replySnapshot(event.clientId, event.conversationId, limit);
    if (snapshot?.client.status !== 'active') return null;
    const trigger = snapshot.history.find((m) => m.id === event.messageId) ?? snapshot.history.at(-1);
    if (!trigger) return null;
    const context = buildReplyContext(snapshot, trigger, { quickReplyId: event.quickReplyId });
    return { context, mode: snapshot.conversation.mode };
  }
}

function refOf(e: ConversationRef): ConversationRef {
  return { clientId: e.clientId, conversationId: e.conversationId, channel: e.channel, visitorId: e.visitorId };
}

function abortReason(reason: unknown): 'human_mode' | 'failed' | 'shutdown' {
  return reason === 'human_mode' || reason === 'shutdown' ? reason : 'failed';
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}
