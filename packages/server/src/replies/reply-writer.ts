import { randomUUID } from 'node:crypto';
import type { AiStatus, ConversationMode, MessageDto, QuickReply } from '@leaddesk/shared';
import { type ConversationCore, LeaseLostError, ModeChangedError } from '../conversation/conversation-core.js';
import type { ConversationRef, ReplyLease } from '../conversation/domain-events.js';
import type { OutboundRegistry } from '../conversation/outbound.js';
import { settleObligation } from '../conversation/reply-obligations.js';
import { REPLY_HISTORY_LIMIT, type ReplySnapshot } from '../conversation/reply-snapshot.js';
import { Client, Lead } from '../db/entities/index.js';
import type { Orm } from '../db/orm.js';
import { sqlOf } from '../db/sql.js';
import type { Logger } from '../logger.js';
import { observeReplyFirstToken, observeReplyStored } from '../observability/metrics.js';
import { buildReplyContext } from './reply-context.js';
import type { ReplyContext, ReplyEngine, ReplyResult } from './reply-engine.js';

export interface ReplyWriterOptions {
  orm: Orm;
  core: ConversationCore;
  engine: ReplyEngine;
  /** Answers when the engine gave nothing in time or kept failing (the structured mode). */
  fallback: ReplyEngine;
  outbound: OutboundRegistry;
  logger: Logger;
  /** This process's lease owner id. */
  owner: string;
  modeCheckIntervalMs: number;
  historyLimit: number;
  /** A lead waits at most this long (from their message) before the fallback answers. */
  deadlineMs: number;
  /** Replies started for one obligation before the fallback answers instead of the engine. */
  maxAttempts: number;
  afterReply?: (input: { context: ReplyContext; result: ReplyResult; message: MessageDto }) => Promise<void>;
}

/** One obligation to answer, as the orchestrator hands it over. */
export interface ReplyTurn {
  ref: ConversationRef;
  lease: ReplyLease;
  /** The snapshot read with the message, when nothing ran in between. */
  carried?: { snapshot: ReplySnapshot; requestedAt: number };
  /** The message that asked (a quick-reply chip's id travels with it). */
  triggerId?: string;
  quickReplyId?: string;
}

/** How a turn ended, for the orchestrator's loop. */
export type TurnOutcome =
  | { kind: 'answered' }
  /** Stored, and messages arrived meanwhile: the lease is kept for them. */
  | { kind: 'next'; lease: ReplyLease }
  /** Nothing to answer (a person took over, the client is paused). */
  | { kind: 'settled' }
  /** Another process took the conversation over; its answer counts. */
  | { kind: 'lease_lost' }
  /** Stopped unanswered: the lease must go back (`retry`: after a backoff, else at once). */
  | { kind: 'unanswered'; retry: boolean };

type AbortReason = 'human_mode' | 'shutdown' | 'lease_lost' | 'deadline' | 'failed';

/** Thrown inside a turn when the engine must give way to the fallback. */
class DeadlineError extends Error {}

/**
 * Writes one reply for a conversation whose lease this process holds: builds
 * the context, streams the engine's events as domain events (`ai.status`,
 * `reply.started/delta/ended/aborted`), stores the reply under the lease and
 * applies its lead updates, escalations and delivery.
 *
 * Deadline: a lead waits at most `deadlineMs` from their message. When the
 * engine has shown nothing by then, or goes silent that long mid-stream (a
 * provider, a database call or anything else hanging), its stream is withdrawn
 * and the fallback (structured mode) answers, with an escalation so a person
 * looks. An obligation that already failed `maxAttempts` times, or is past
 * its deadline when taken over (a process died), goes to the fallback at once.
 */
export class ReplyWriter {
  /** Abort controllers of the turns running now, by conversation. */
  readonly active = new Map<string, AbortController>();
  /** When this process last saw each conversation's mode change (a carried snapshot older than that is stale). */
  private readonly modeChangedAt = new Map<string, number>();

  constructor(private readonly options: ReplyWriterOptions) {}

  modeChanged(conversationId: string, mode: ConversationMode): void {
    this.modeChangedAt.set(conversationId, performance.now());
    if (this.modeChangedAt.size > 10_000) this.modeChangedAt.clear();
    if (mode === 'human') this.active.get(conversationId)?.abort('human_mode');
  }

  abort(conversationId: string, reason: AbortReason): void {
    this.active.get(conversationId)?.abort(reason);
  }

  status(ref: ConversationRef, status: AiStatus): void {
    this.options.core.events.emit('ai.status', { ...ref, status });
  }

  async write(turn: ReplyTurn): Promise<TurnOutcome> {
    const { core, logger } = this.options;
    const { ref, lease } = turn;
    const bus = core.events;
    if (lease.staleStreamId) {
      // A holder died mid-reply: its half-streamed text must not stay on anyone's screen.
      bus.emit('reply.aborted', { ...ref, messageId: lease.staleStreamId, reason: 'failed' });
    }
    const controller = new AbortController();
    this.active.set(ref.conversationId, controller);
    const started = Date.now();
    try {
      const built = await this.buildContext(turn);
      // The mode as stored now (a takeover on any process shows here).
      if (built?.mode !== 'ai') {
        await settleObligation(sqlOf(this.options.orm), this.options.owner, ref.conversationId);
        this.status(ref, 'idle');
        return { kind: 'settled' };
      }
      const { context, answersSeq } = built;
      const late = Date.now() - lease.wantedAt >= this.options.deadlineMs;
      const failedBefore = lease.attempts > this.options.maxAttempts;
      let written: Written;
      if (late || failedBefore) {
        written = await this.stream(this.options.fallback, context, randomUUID(), controller, null);
        written.fallback = late
          ? `No answer within ${Math.round(this.options.deadlineMs / 1000)} s of the lead's message (a server stopped or the AI failed); answered in structured mode`
          : `The reply failed ${lease.attempts - 1} times; answered in structured mode`;
      } else {
        const delay = context.client.config.responseDelayMs;
        if (delay > 0) await sleep(delay, controller.signal);
        const messageId = lease.streamId ?? randomUUID();
        try {
          written = await this.stream(this.options.engine, context, messageId, controller, lease.wantedAt);
        } catch (err) {
          if (!(err instanceof DeadlineError)) throw err;
          logger.warn({ conversationId: ref.conversationId }, 'reply deadline passed; answering in structured mode');
          written = await this.stream(this.options.fallback, context, randomUUID(), controller, null);
          written.fallback = `No answer within ${Math.round(this.options.deadlineMs / 1000)} s of the lead's message (the AI did not answer in time); answered in structured mode`;
        }
      }
      const outcome = await this.store(turn, context, answersSeq, written, started);
      if (outcome.kind === 'answered' || outcome.kind === 'next')
        observeReplyStored(lease.wantedAt, written.fallback ? 'fallback' : 'engine');
      return outcome;
    } catch (err) {
      const reason = abortReason(controller.signal);
      if (reason === 'human_mode') {
        this.status(ref, 'idle');
        return { kind: 'settled' };
      }
      if (reason === 'lease_lost' || err instanceof LeaseLostError) {
        this.status(ref, 'idle');
        return { kind: 'lease_lost' };
      }
      if (reason === 'shutdown') {
        this.status(ref, 'idle');
        return { kind: 'unanswered', retry: false };
      }
      logger.error({ err, conversationId: ref.conversationId }, 'reply failed; it will be retried');
      this.status(ref, 'idle');
      return { kind: 'unanswered', retry: true };
    } finally {
      if (this.active.get(ref.conversationId) === controller) this.active.delete(ref.conversationId);
    }
  }

  /**
   * Streams one engine's reply as domain events. Throws when aborted (the
   * reason is on the signal) and `DeadlineError` when the lead's deadline
   * passes with nothing shown, or the engine goes silent that long.
   */
  private async stream(
    engine: ReplyEngine,
    context: ReplyContext,
    messageId: string,
    outer: AbortController,
    wantedAt: number | null,
  ): Promise<Written> {
    const { core, deadlineMs } = this.options;
    const bus = core.events;
    const ref: ConversationRef = {
      clientId: context.client.id,
      conversationId: context.conversation.id,
      channel: context.conversation.channel,
      visitorId: context.conversation.visitorId,
    };
    // The engine gets its own signal: a deadline stops it without ending the turn.
    const inner = new AbortController();
    const forward = () => inner.abort(outer.signal.reason);
    outer.signal.addEventListener('abort', forward, { once: true });
    // Whatever the engine awaits (a provider, the database), the turn goes on when the signal aborts.
    const stopped = new Promise<never>((_, reject) => {
      inner.signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
    });
    stopped.catch(() => {});
    let deadline: NodeJS.Timeout | undefined;
    const arm = (ms: number) => {
      if (deadline) clearTimeout(deadline);
      deadline = setTimeout(() => inner.abort('deadline'), Math.max(0, ms));
      deadline.unref();
    };
    // Until text shows, the lead's deadline; after that, an idle limit between the engine's events.
    if (wantedAt !== null) arm(wantedAt + deadlineMs - Date.now());
    let streaming = false;
    let withdrawn = false;
    const iterator = engine.reply(context, inner.signal)[Symbol.asyncIterator]();
    try {
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
        if (!pending || inner.signal.aborted) return;
        bus.emit('reply.delta', { ...ref, messageId, index: index++, text: pending });
        pending = '';
      };
      let lastModeCheck = Date.now();
      for (;;) {
        const next = await Promise.race([iterator.next(), stopped]);
        if (next.done) break;
        const ev = next.value;
        if (streaming && wantedAt !== null) arm(deadlineMs);
        if (ev.type === 'status') {
          this.status(ref, ev.status);
        } else if (ev.type === 'delta') {
          if (Date.now() - lastModeCheck >= this.options.modeCheckIntervalMs) {
            lastModeCheck = Date.now();
            if ((await core.currentMode(ref.clientId, ref.conversationId)) !== 'ai') {
              outer.abort('human_mode');
              throw new Error('aborted');
            }
          }
          if (!streaming) {
            streaming = true;
            if (wantedAt !== null) observeReplyFirstToken(wantedAt);
            if (wantedAt !== null) arm(deadlineMs);
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
      if (inner.signal.aborted) throw new Error('aborted');
      flush();
      if (!result || !text.trim()) throw new Error('the engine gave no reply');
      return { messageId, text: text.trim(), result, engine, streaming };
    } catch (err) {
      if (streaming && !withdrawn) {
        withdrawn = true;
        bus.emit('reply.aborted', {
          ...ref,
          messageId,
          reason: wireReason(inner.signal.aborted ? inner.signal.reason : 'failed'),
        });
      }
      if (inner.signal.reason === 'deadline' && !outer.signal.aborted) throw new DeadlineError('deadline');
      throw err;
    } finally {
      if (deadline) clearTimeout(deadline);
      outer.signal.removeEventListener('abort', forward);
      // An engine still waiting on something is told to stop; nothing waits for it.
      iterator.return?.().catch(() => {});
    }
  }

  /** Stores the reply under the lease, then applies what it asked for. */
  private async store(
    turn: ReplyTurn,
    context: ReplyContext,
    answersSeq: number,
    written: Written,
    started: number,
  ): Promise<TurnOutcome> {
    const { core, logger } = this.options;
    const { ref } = turn;
    const { result, messageId, engine } = written;
    const quickReplies: QuickReply[] = result.quickReplies;
    let stored: Awaited<ReturnType<ConversationCore['storeReply']>>;
    try {
      stored = await core.storeReply({
        id: messageId,
        clientId: ref.clientId,
        conversationId: ref.conversationId,
        role: 'ai',
        content: written.text,
        answersSeq,
        ai: {
          ...result.metadata,
          // What this reply answered: every message up to this sequence number (one reply may cover several).
          entities: { ...result.metadata.entities, answersSeq },
          provider: result.metadata.provider ?? engine.name,
          processingMs: Date.now() - started,
          ...(quickReplies.length ? { quickReplies } : {}),
        },
      });
    } catch (err) {
      if (err instanceof ModeChangedError || err instanceof LeaseLostError) {
        if (written.streaming) {
          core.events.emit('reply.aborted', {
            ...ref,
            messageId,
            reason: err instanceof ModeChangedError ? 'human_mode' : 'failed',
          });
        }
        this.status(ref, 'idle');
        return err instanceof ModeChangedError ? { kind: 'settled' } : { kind: 'lease_lost' };
      }
      if (written.streaming) core.events.emit('reply.aborted', { ...ref, messageId, reason: 'failed' });
      throw err;
    }
    const { message } = stored;
    core.events.emit('reply.ended', { ...ref, messageId, message, quickReplies });
    this.status(ref, 'idle');

    // After the reply is stored (the lead has their answer): lead updates, escalations, delivery.
    const leadId = context.lead?.id;
    if (leadId && result.leadUpdates && Object.keys(result.leadUpdates).length) {
      await core.updateLead(ref.clientId, leadId, result.leadUpdates, { locale: context.client.locale });
    }
    if (result.escalation) {
      await core.escalate({ ...result.escalation, clientId: ref.clientId, conversationId: ref.conversationId });
    }
    if (written.fallback) {
      await core.escalate({
        clientId: ref.clientId,
        conversationId: ref.conversationId,
        reason: 'ai_failure',
        priority: 'high',
        detail: written.fallback,
      });
    }
    if (this.options.afterReply) {
      await this.options
        .afterReply({ context, result, message })
        .catch((err: unknown) =>
          logger.error({ err, conversationId: ref.conversationId }, 'post-reply actions failed'),
        );
    }
    await this.deliver(ref, message).catch((err: unknown) =>
      logger.error({ err, conversationId: ref.conversationId }, 'reply delivery not queued'),
    );
    return stored.next ? { kind: 'next', lease: stored.next } : { kind: 'answered' };
  }

  /** Channels without a socket (email, WhatsApp, SMS) get the stored reply through their sender. */
  private async deliver(ref: ConversationRef, message: MessageDto) {
    const sender = ref.channel === 'web' ? undefined : this.options.outbound.get(ref.channel);
    if (!sender) return;
    const em = this.options.orm.em.fork();
    const client = await em.findOneOrFail(Client, { id: ref.clientId });
    const conversation = await this.options.core.getConversation(ref.clientId, ref.conversationId);
    const lead = conversation?.leadId ? await em.findOne(Lead, { id: conversation.leadId }) : null;
    await sender.send({ client, lead, conversationId: ref.conversationId, message });
  }

  private async buildContext(
    turn: ReplyTurn,
  ): Promise<{ context: ReplyContext; mode: ConversationMode; answersSeq: number } | null> {
    const limit = this.options.historyLimit;
    const { carried, ref } = turn;
    const changed = this.modeChangedAt.get(ref.conversationId);
    const usable = carried && limit <= REPLY_HISTORY_LIMIT && (changed === undefined || changed < carried.requestedAt);
    const snapshot = usable
      ? { ...carried.snapshot, history: carried.snapshot.history.slice(-limit) }
      : await this.options.core.replySnapshot(ref.clientId, ref.conversationId, limit);
    if (snapshot?.client.status !== 'active') return null;
    // The message that asked, when it is still the latest; otherwise the latest (it covers the ones before).
    const last = snapshot.history.at(-1);
    const trigger = (turn.triggerId && last?.id === turn.triggerId ? last : undefined) ?? last;
    if (!trigger) return null;
    const quickReplyId = trigger.id === turn.triggerId ? turn.quickReplyId : undefined;
    const context = buildReplyContext(snapshot, trigger, { quickReplyId });
    return { context, mode: snapshot.conversation.mode, answersSeq: snapshot.conversation.lastSeq };
  }
}

interface Written {
  messageId: string;
  text: string;
  result: ReplyResult;
  engine: ReplyEngine;
  streaming: boolean;
  /** Why the fallback answered (escalated to staff). */
  fallback?: string;
}

function abortReason(signal: AbortSignal): AbortReason | null {
  if (!signal.aborted) return null;
  const reason = signal.reason;
  return reason === 'human_mode' || reason === 'shutdown' || reason === 'lease_lost' || reason === 'deadline'
    ? reason
    : 'failed';
}

function wireReason(reason: unknown): 'human_mode' | 'failed' | 'shutdown' {
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
