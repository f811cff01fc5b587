import type { Channel } from '@leaddesk/shared';
import { Router as createRouter, type Router } from 'express';
import type { AppContext } from './app-context.js';
import type { ChannelComponents } from './attach-channels.js';
import type { ConversationComponents } from './attach-conversation-core.js';
import { DigestService } from './automation/digests/index.js';
import { RetentionService, retentionRoutes } from './automation/retention/index.js';
import { ReviewCapture, reviewRedirectRoutes } from './automation/reviews/index.js';
import {
  type AutomationClock,
  AutomationSettingsStore,
  automationClock,
  FollowUpSequences,
  followUpRoutes,
  type SequenceControl,
} from './automation/sequences/index.js';
import { brandingOf } from './branding/branding-service.js';
import { storedSettings } from './channels/settings/channel-settings.js';
import { sqlOf } from './db/sql.js';
import type { OpenApiRegistry } from './http/openapi.js';

export interface FollowUpComponents {
  /** What the rules engine calls to start or stop a sequence. */
  sequences: SequenceControl;
  followUps: FollowUpSequences;
  reviews: ReviewCapture;
  digests: DigestService;
  retention: RetentionService;
  settings: AutomationSettingsStore;
  clock: AutomationClock;
  /** Tenant API under `/api/v1` (behind authentication). */
  api: Router;
  /** Public routes (`/r/:token`, the tracked review link). */
  public: Router;
  /** Job workers and sweeps (the worker processes' part). */
  start(): Promise<void>;
  close(): void;
}

/**
 * Composition for issue 14's follow-ups, review capture, digests and
 * retention: listeners on the core's domain events, the job workers, the
 * REST routes. Messages go out through the channels' outbound delivery.
 */
export function attachFollowUps(
  ctx: AppContext,
  deps: { conversation: ConversationComponents; channels: ChannelComponents; openapi: OpenApiRegistry },
): FollowUpComponents {
  const { config, logger, jobs } = ctx;
  const env = config.raw;
  const orm = ctx.db.orm;
  const clock = automationClock({ scale: env.AUTOMATION_TIME_SCALE, anchorMs: env.AUTOMATION_TIME_ANCHOR_MS });
  const settings = new AutomationSettingsStore(orm);
  const { delivery } = deps.channels;
  const followUps = new FollowUpSequences({
    orm,
    core: deps.conversation.core,
    jobs,
    settings,
    clock,
    logger,
    deliver: (job) => deliver(job),
    canDeliver: (channel) => canDeliver(channel),
    hasWhatsAppTemplate: async (clientId) => {
      const rows = await sqlOf(orm).query<{ channel_settings: Record<string, unknown> }[]>(
        'select channel_settings from clients where id = ?',
        [clientId],
      );
      const row = rows[0];
      return Boolean(row && storedSettings({ channelSettings: row.channel_settings }).whatsapp?.followUpTemplate);
    },
  });
  const deliver = (job: { clientId: string; conversationId: string; messageId: string; channel: Channel }) =>
    delivery.enqueue({ ...job, purpose: 'follow_up' });
  const canDeliver = (channel: Channel) => Boolean(delivery.adapter(channel));
  const reviews = new ReviewCapture({
    orm,
    core: deps.conversation.core,
    jobs,
    settings,
    clock,
    logger,
    deliver,
    canDeliver,
    publicUrl: config.http.publicUrl ?? `http://localhost:${config.http.port}`,
  });

  const publicUrl = config.http.publicUrl ?? `http://localhost:${config.http.port}`;
  const digests = new DigestService({
    orm,
    jobs,
    settings,
    clock,
    logger,
    mailer: deps.channels.mailer,
    dashboardUrl: `${publicUrl}/dashboard`,
    branding: brandingOf(ctx),
    leaseMs: env.DIGEST_LEASE_MS,
  });
  const retention = new RetentionService({ orm, jobs, settings, clock, logger });
  const events = deps.conversation.core.events;
  const stopListening = [followUps.listen(events), reviews.listen(events)];

  const api = createRouter();
  api.use(
    followUpRoutes(deps.openapi, {
      orm,
      settings,
      sequences: followUps,
      // A new digest time is queued at once (any process may: the job id is tenant + period).
      changed: (clientId) => digests.scheduleNext(clientId).then(() => undefined),
    }),
  );
  api.use(retentionRoutes(deps.openapi, retention));
  const publicRoutes = createRouter();
  publicRoutes.use(reviewRedirectRoutes(reviews));

  return {
    sequences: followUps,
    followUps,
    reviews,
    digests,
    retention,
    settings,
    clock,
    api,
    public: publicRoutes,
    async start() {
      await followUps.startWorkers(env.FOLLOW_UP_SWEEP_INTERVAL_MS);
      await reviews.startWorkers(env.FOLLOW_UP_SWEEP_INTERVAL_MS);
      await digests.startWorkers(env.FOLLOW_UP_SWEEP_INTERVAL_MS);
      await retention.startWorkers();
    },
    close() {
      for (const off of stopListening) off();
      followUps.close();
      reviews.close();
      digests.close();
    },
  };
}
