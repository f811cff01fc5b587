import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { MessageDto } from '@leaddesk/shared';
import type { ConversationCore } from '../conversation/conversation-core.js';
import type { ConversationRef, DomainEvents, ReplyLease } from '../conversation/domain-events.js';
import type { OutboundRegistry } from '../conversation/outbound.js';
import { claimDueObligations, claimObligation, releaseLease, renewLeases } from '../conversation/reply-obligations.js';
import { REPLY_HISTORY_LIMIT } from '../conversation/reply-snapshot.js';
import type { Orm } from '../db/orm.js';
import { type Sql, sqlOf } from '../db/sql.js';
import type { Logger } from '../logger.js';
import type { ReplyContext, ReplyEngine, ReplyResult } from './reply-engine.js';
import { type ReplyTurn, ReplyWriter, type TurnOutcome } from './reply-writer.js';

export interface ReplyOrchestratorOptions {
  orm: Orm;
  core: ConversationCore;
  engine: ReplyEngine;
  /** Answers when the engine misses the deadline or keeps failing. @default the engine itself */
  fallback?: ReplyEngine;
  /** The server clock (`AppContext.clock`), which the reply context's `now` follows. */
  clock?: () => Date;
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
  /** A reply lease lasts this long unless renewed (renewed every third of it). @default 6000 */
  leaseMs?: number;
  /** How often every process looks for obligations whose lease expired or was released. @default 1000 */
  sweepMs?: number;
  /** A lead waits at most this long for an answer before the fallback answers. @default 20000 */
  deadlineMs?: number;
  /** Replies started for one obligation before the fallback answers instead. @default 3 */
  maxAttempts?: number;
  /**
   * Leases held by anyone are void when this process starts: true when no
   * other process can share the database (the embedded one has one owner).
   * @default false
   */
  soleProcess?: boolean;
  /**
   * False in a `web` process (ROLE): it stores messages and records their obligations but takes no
   * lease and runs no sweep; the worker processes answer (see `onUnclaimed`). @default true
   */
  takesLeases?: boolean;
  /**
   * A message was stored here with nobody holding its conversation's lease (this process takes none, or
   * is shutting down): tell the processes that answer, so they need not wait for their next sweep.
   */
  onUnclaimed?: () => void;
}

/**
 * Runs a reply for every conversation whose reply obligation this process
 * holds the lease of, and makes sure every obligation gets an answer whatever
 * fails.
 *
 * The obligation lives in the database (migration 20261202000000): the
 * transaction that stores a visitor's message records it and, when the
 * conversation's lease is free, gives it to the storing process — the reply
 * starts at once, as before, with the snapshot read in that transaction.
 * Replies of one conversation run one after the other under its lease, across
 * processes: a message stored while another process answers is answered by
 * that process next, with the history complete. The lease is renewed while a
 * reply runs, and released in the transaction that stores the reply.
 *
 * What happens when things fail:
 * - the process dies mid-reply: its leases expire and every process's sweep
 *   (`sweepMs`) takes them over; the half-streamed reply is withdrawn
 *   (`reply.aborted`) and the lead is answered once;
 * - shutdown: running replies get the grace period to finish; the rest give
 *   their leases back at once for another process (or this one after restart);
 * - the engine hangs or shows nothing by the lead's deadline, or the
 *   obligation keeps failing: the fallback (structured mode) answers and staff
 *   get an escalation (see ReplyWriter);
 * - a reply from a process whose lease was taken over is refused by the
 *   store, so nothing is answered twice.
 *
 * Human mode is checked when the reply starts (read from the database, or
 * with the message that asked for the reply when nothing ran in between),
 * every `modeCheckIntervalMs` while streaming, at once when this process sees
 * a takeover, and atomically when the reply is stored.
 */
export class ReplyOrchestrator {
  /** This process's lease owner id (host, pid and a random part: a restarted process is another owner). */
  readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly writer: ReplyWriter;
  private readonly loops = new Map<string, { again: boolean; done: Promise<void> }>();
  private readonly unsubscribe: Array<() => void> = [];
  private readonly waiting: Array<() => void> = [];
  private readonly leaseMs: number;
  private readonly sweepMs: number;
  private readonly maxConcurrent: number;
  private readonly sql: Sql;
  private running = 0;
  /** No new leases (shutting down); replies running may finish. */
  private closing = false;
  private closed = false;
  private sweepTimer: NodeJS.Timeout | undefined;
  private renewTimer: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> | undefined;
  /** Runs a sweep and schedules the next; set once sweeping started. */
  private tick: (() => Promise<void>) | undefined;
  private sweepAgain = false;
  private readonly takesLeases: boolean;
  private lastSweepError = 0;

  constructor(private readonly options: ReplyOrchestratorOptions) {
    this.leaseMs = options.leaseMs ?? 6000;
    this.sweepMs = options.sweepMs ?? 1000;
    this.maxConcurrent = options.maxConcurrentReplies ?? 8;
    this.sql = sqlOf(options.orm);
    this.takesLeases = options.takesLeases ?? true;
    this.writer = new ReplyWriter({
      orm: options.orm,
      core: options.core,
      engine: options.engine,
      fallback: options.fallback ?? options.engine,
      outbound: options.outbound,
      logger: options.logger,
      owner: this.owner,
      modeCheckIntervalMs: options.modeCheckIntervalMs ?? 250,
      historyLimit: options.historyLimit ?? REPLY_HISTORY_LIMIT,
      deadlineMs: options.deadlineMs ?? 20_000,
      maxAttempts: options.maxAttempts ?? 3,
      clock: options.clock,
      // Read at each reply, so the post-reply actions can be swapped on a running server (tests do).
      afterReply: (input) => this.options.afterReply?.(input) ?? Promise.resolve(),
    });
    const holder = { owner: () => (this.closing || !this.takesLeases ? null : this.owner), leaseMs: this.leaseMs };
    options.core.replyLeases = holder;
    const bus = options.core.events;
    this.unsubscribe.push(bus.on('reply.requested', (event) => this.request(event)));
    this.unsubscribe.push(
      bus.on('conversation.mode_changed', (event) => this.writer.modeChanged(event.conversationId, event.mode)),
    );
    if (!this.takesLeases) return;
    this.renewTimer = setInterval(() => void this.renew(), Math.max(50, Math.floor(this.leaseMs / 3)));
    this.renewTimer.unref();
    this.sweepTimer = setTimeout(() => void this.startSweeping(), 0);
    this.sweepTimer.unref();
  }

  /** Looks for unanswered messages now rather than at the next sweep (another process stored one). */
  sweepSoon(): void {
    if (this.closing || !this.tick) return;
    if (this.sweeping) {
      this.sweepAgain = true;
      return;
    }
    if (this.sweepTimer) clearTimeout(this.sweepTimer);
    void this.tick();
  }

  /** Answers a stored message: at once when its store gave this process the lease, else later by whoever holds it. */
  request(event: DomainEvents['reply.requested']): Promise<void> {
    if (this.closing || !this.takesLeases) {
      // Stored here, answered by another process: a web process still shows "thinking" at once.
      if (!this.closing) this.writer.status(refOf(event), 'thinking');
      if (!event.lease?.owner) this.options.onUnclaimed?.();
      return Promise.resolve();
    }
    const ref = refOf(event);
    // The status goes out now, before any database work: the visitor sees
    // "thinking" within milliseconds of the ack.
    this.writer.status(ref, 'thinking');
    const loop = this.loops.get(event.conversationId);
    if (loop) {
      // A reply of this conversation runs here: it answers this message next.
      loop.again = true;
      return loop.done;
    }
    const lease = event.lease;
    if (lease?.acquired) {
      return this.drive({
        ref,
        lease,
        carried: event.snapshot && { snapshot: event.snapshot, requestedAt: performance.now() },
        triggerId: event.messageId,
        quickReplyId: event.quickReplyId,
      });
    }
    if (lease?.owner === this.owner) {
      // Ours, with no reply running (it just ended): take it again.
      return this.drive(null, ref);
    }
    // Another process answers it (then this one), or the sweep will.
    return Promise.resolve();
  }

  /** Waits until no reply runs in this process (tests and benchmarks). */
  async idle(): Promise<void> {
    while (this.loops.size) await Promise.all([...this.loops.values()].map((l) => l.done));
  }

  /**
   * Stops taking leases; replies running get `graceMs` to finish, then stop
   * and give their leases back (another process, or this one after restart,
   * answers them).
   */
  async close(graceMs = 0): Promise<void> {
    this.closing = true;
    if (this.sweepTimer) clearTimeout(this.sweepTimer);
    if (graceMs > 0 && this.loops.size) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        this.idle(),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, graceMs);
        }),
      ]);
      clearTimeout(timer);
    }
    this.closed = true;
    for (const id of this.loops.keys()) this.writer.abort(id, 'shutdown');
    await this.idle();
    await this.sweeping;
    if (this.renewTimer) clearInterval(this.renewTimer);
    for (const off of this.unsubscribe.splice(0)) off();
  }

  /**
   * Answers one conversation until its obligation is met or handed back.
   * Pass a turn (the lease is held) or a ref (the lease is claimed first).
   */
  private drive(first: ReplyTurn | null, ref?: ConversationRef): Promise<void> {
    const conversationId = first?.ref.conversationId ?? (ref as ConversationRef).conversationId;
    const entry = { again: false, done: Promise.resolve() };
    this.loops.set(conversationId, entry);
    entry.done = (async () => {
      let turn: ReplyTurn | null = first;
      try {
        if (!turn && ref) {
          const lease = await claimObligation(this.sql, this.owner, this.leaseMs, ref);
          turn = lease ? { ref, lease } : null;
        }
        while (turn) {
          const current: ReplyTurn = turn;
          const outcome: TurnOutcome = await this.withSlot(() =>
            this.closed
              ? Promise.resolve<TurnOutcome>({ kind: 'unanswered', retry: false })
              : this.writer.write(current),
          );
          turn = null;
          if (outcome.kind === 'next') {
            if (this.closing) await releaseLease(this.sql, this.owner, conversationId);
            else turn = { ref: current.ref, lease: outcome.lease };
          } else if (outcome.kind === 'unanswered') {
            // A failure waits for a backoff (the sweep retries it); a shutdown hands it over at once.
            const retryInMs = outcome.retry ? Math.min(1000 * 2 ** (current.lease.attempts - 1), 10_000) : null;
            await releaseLease(this.sql, this.owner, conversationId, retryInMs);
          } else if ((outcome.kind === 'answered' || outcome.kind === 'settled') && entry.again && !this.closing) {
            // A message arrived as the lease was released: if nobody took it, answer it here.
            entry.again = false;
            const lease = await claimObligation(this.sql, this.owner, this.leaseMs, current.ref);
            if (lease) turn = { ref: current.ref, lease };
          }
        }
      } catch (err) {
        // The database is away: the lease expires and a sweep (here or elsewhere) answers later.
        this.options.logger.error({ err, conversationId }, 'reply lease could not be settled; the sweep retries');
      } finally {
        if (this.loops.get(conversationId) === entry) this.loops.delete(conversationId);
      }
    })();
    return entry.done;
  }

  private async withSlot<T>(fn: () => Promise<T>): Promise<T> {
    if (this.running >= this.maxConcurrent) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running++;
    try {
      return await fn();
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }

  /** Keeps this process's leases (replies running or waiting for a slot); a lost one stops its reply. */
  private async renew(): Promise<void> {
    const ids = [...this.loops.keys()];
    if (!ids.length || this.closed) return;
    try {
      const lost = await renewLeases(this.sql, this.owner, ids, this.leaseMs);
      for (const id of lost) {
        // Claimed but not yet written, or written and released: only a running reply can lose anything.
        if (this.loops.has(id)) this.writer.abort(id, 'lease_lost');
      }
    } catch (err) {
      this.options.logger.warn({ err }, 'reply leases not renewed');
    }
  }

  private async startSweeping(): Promise<void> {
    if (this.options.soleProcess) {
      // The previous run of this (only) process died holding them.
      await this.sql
        .query(
          `update conversations set reply_owner = null, reply_lease_until = null
           where reply_wanted_seq > reply_answered_seq and reply_owner is not null and reply_owner <> ?`,
          [this.owner],
        )
        .catch((err: unknown) => this.options.logger.warn({ err }, 'stale reply leases not cleared'));
    }
    const tick = async () => {
      if (this.closing) return;
      do {
        this.sweepAgain = false;
        this.sweeping = this.sweep();
        await this.sweeping;
      } while (this.sweepAgain && !this.closing);
      this.sweeping = undefined;
      if (this.closing) return;
      // Jitter: processes started together do not sweep in lockstep.
      this.sweepTimer = setTimeout(() => void tick(), this.sweepMs * (0.8 + Math.random() * 0.4));
      this.sweepTimer.unref();
    };
    this.tick = tick;
    await tick();
  }

  /** Takes over obligations whose lease expired (a process died) or was handed back. */
  private async sweep(): Promise<void> {
    const free = this.maxConcurrent - this.loops.size;
    if (free <= 0) return;
    try {
      const claimed = await claimDueObligations(this.sql, this.owner, this.leaseMs, Math.min(free, 50));
      for (const { lease, ...ref } of claimed) {
        if (this.closing) {
          await releaseLease(this.sql, this.owner, ref.conversationId);
          continue;
        }
        if (this.loops.has(ref.conversationId)) continue;
        this.options.logger.info(
          { conversationId: ref.conversationId, attempts: lease.attempts },
          'taking over an unanswered message',
        );
        this.writer.status(ref, 'thinking');
        void this.drive({ ref, lease: lease as ReplyLease });
      }
    } catch (err) {
      // Logged once a minute at most: a database restart makes every sweep fail for a while.
      if (Date.now() - this.lastSweepError > 60_000) {
        this.lastSweepError = Date.now();
        this.options.logger.warn({ err }, 'reply sweep failed');
      }
    }
  }
}

function refOf(e: ConversationRef): ConversationRef {
  return { clientId: e.clientId, conversationId: e.conversationId, channel: e.channel, visitorId: e.visitorId };
}
