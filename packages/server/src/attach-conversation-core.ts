import type { Router } from 'express';
import type { Server } from 'socket.io';
import { AiReplyEngine, type KnowledgeSource } from './ai/ai-reply-engine.js';
import { createReplyEngine } from './ai/create-reply-engine.js';
import { type BookingIntegration, createPostReplyActions } from './ai/post-reply-actions.js';
import type { AppContext } from './app-context.js';
import { resolveAppSecret } from './auth/app-secret.js';
import { webFormRoutes } from './channels/web-form/web-form-routes.js';
import { VisitorTokens } from './channels/widget/visitor-token.js';
import { runsWorkers } from './config/config.js';
import { ConversationCore } from './conversation/conversation-core.js';
import { DomainEventBus } from './conversation/domain-events.js';
import { OutboundRegistry } from './conversation/outbound.js';
import { createRateLimiters } from './rate-limit/create-rate-limiters.js';
import { interServer } from './realtime/inter-server.js';
import { LiveReplies } from './realtime/live-replies.js';
import { attachWidgetFanout } from './realtime/widget-fanout.js';
import { attachWidgetNamespace, type WidgetNamespace } from './realtime/widget-namespace.js';
import type { ReplyEngine } from './replies/reply-engine.js';
import { ReplyOrchestrator } from './replies/reply-orchestrator.js';
import { StructuredEngine } from './replies/structured/structured-engine.js';

export interface ConversationComponents {
  core: ConversationCore;
  orchestrator: ReplyOrchestrator;
  outbound: OutboundRegistry;
  /** The reply engine (staff copilot drafts use it too). */
  engine: ReplyEngine;
  widget: WidgetNamespace;
  /** Widget visitor tokens (derived from APP_SECRET, so every process accepts the others'). */
  visitorTokens: VisitorTokens;
  /** Replies streaming in this process, for sockets that join mid-reply. */
  live: LiveReplies;
  /** Mount on the app (web-form webhook). */
  routes: Router;
  /** Lets replies in flight finish (up to `graceMs`), hands the rest over, releases the rate-limit store. */
  close(graceMs?: number): Promise<void>;
}

/**
 * Composition for issue 3 (called by createApp). It sits beside app.ts, not
 * inside conversation/, so that dependencies keep pointing one way:
 * realtime, channels and replies → conversation → shared.
 *
 * Wires the conversation core to its adapters: the `/widget` namespace and its
 * fan-out listener, the reply orchestrator with the engine the config selects
 * (AI with fallbacks, or structured mode), and the web-form channel.
 */
export function attachConversationCore(
  ctx: AppContext,
  io: Server,
  options: {
    engine?: ReplyEngine;
    bookingFor?: (clientId: string) => BookingIntegration | undefined;
    /** Wraps the engine the orchestrator answers with (the booking flow answers slot choices itself). */
    wrapEngine?: (engine: ReplyEngine, parts: { core: ConversationCore; outbound: OutboundRegistry }) => ReplyEngine;
  } = {},
): ConversationComponents {
  const bus = new DomainEventBus(ctx.logger);
  const core = new ConversationCore(ctx.db.orm, bus);
  const outbound = new OutboundRegistry();
  const limits = createRateLimiters(ctx.config);
  // AI keys configured → the AI engine with its fallback chain; none → structured mode.
  const knowledge = (ctx as AppContext & { knowledge?: { retriever?: KnowledgeSource } }).knowledge?.retriever;
  const engine = options.engine ?? createReplyEngine(ctx.config, { orm: ctx.db.orm, logger: ctx.logger, knowledge });
  const env = ctx.config.raw;
  const peers = interServer(io, Boolean(ctx.config.redisUrl));
  const answers = runsWorkers(ctx.config.role);
  const orchestrator = new ReplyOrchestrator({
    orm: ctx.db.orm,
    core,
    engine: options.wrapEngine ? options.wrapEngine(engine, { core, outbound }) : engine,
    // When the AI misses the lead's deadline or keeps failing: the structured mode, with the knowledge bases.
    fallback:
      engine instanceof StructuredEngine
        ? engine
        : new StructuredEngine({ chunkDelayMs: env.STRUCTURED_CHUNK_DELAY_MS, knowledge }),
    outbound,
    logger: ctx.logger,
    leaseMs: env.REPLY_LEASE_MS,
    sweepMs: env.REPLY_SWEEP_INTERVAL_MS,
    deadlineMs: env.REPLY_DEADLINE_MS,
    maxAttempts: env.REPLY_MAX_ATTEMPTS,
    // The embedded database has one owner process: leases found at start belong to its previous run.
    soleProcess: ctx.db.kind === 'embedded',
    clock: ctx.clock,
    // ROLE=web stores and acknowledges; the worker processes answer, told at once rather than at their next sweep.
    takesLeases: answers,
    onUnclaimed: () => peers.announceRepliesDue(),
    afterReply: createPostReplyActions({ core, logger: ctx.logger, bookingFor: options.bookingFor }),
    // AI replies mostly wait on the provider: many run at once without loading this process. Structured
    // replies mostly wait on the database: 8 at once held a worker to ~50 replies/s whatever its CPU.
    maxConcurrentReplies: engine instanceof AiReplyEngine ? ctx.config.raw.AI_MAX_CONCURRENT_REPLIES : 32,
  });
  if (answers) peers.onRepliesDue(() => orchestrator.sweepSoon());
  const live = new LiveReplies(bus);
  const visitorTokens = VisitorTokens.fromAppSecret(resolveAppSecret(ctx.config, ctx.logger));
  const widget = attachWidgetNamespace(io, { orm: ctx.db.orm, core, limits, live, logger: ctx.logger, visitorTokens });
  const detachFanout = attachWidgetFanout(bus, widget);
  const routes = webFormRoutes({ core, outbound, limits, bodyLimit: ctx.config.http.bodyLimit });
  return {
    core,
    orchestrator,
    outbound,
    engine,
    widget,
    visitorTokens,
    live,
    routes,
    async close(graceMs = 0) {
      await orchestrator.close(graceMs);
      detachFanout();
      live.close();
      await limits.close();
    },
  };
}
