import { Router as createRouter, type Router } from 'express';
import type { BookingIntegration } from './ai/post-reply-actions.js';
import type { AppContext } from './app-context.js';
import { BookingConversation } from './booking/booking-conversation.js';
import { BookingReminders } from './booking/booking-reminders.js';
import { BookingReplyEngine } from './booking/booking-reply-engine.js';
import { bookingRoutes } from './booking/booking-routes.js';
import { BookingService } from './booking/booking-service.js';
import { calcomWebhookRoutes } from './booking/calcom-webhook.js';
import { SecretBox } from './channels/settings/secret-box.js';
import type { ConversationCore } from './conversation/conversation-core.js';
import type { OutboundRegistry } from './conversation/outbound.js';
import type { OpenApiRegistry } from './http/openapi.js';
import type { ReplyEngine } from './replies/reply-engine.js';

export interface BookingComponents {
  service: BookingService;
  reminders: BookingReminders;
  /** Handed to attachConversationCore: the booking seam and the reply-engine wrapper. */
  conversation: {
    bookingFor: (clientId: string) => BookingIntegration | undefined;
    wrapEngine: (engine: ReplyEngine, parts: { core: ConversationCore; outbound: OutboundRegistry }) => ReplyEngine;
  };
  /** Tenant API under `/api/v1` (behind auth): `/integrations/calcom`, `/leads/:id/bookings`, `/bookings/:id/…`. */
  api: Router;
  /** Public: `/webhooks/calcom`. */
  webhooks: Router;
  /** The reminder worker (worker processes). */
  start(): Promise<void>;
}

/**
 * Composition for the Cal.com booking integration (issue 15), beside app.ts.
 * Tenants without a Cal.com connection keep the old behaviour (a booking
 * request goes to staff as an escalation in AI mode).
 */
export function attachBooking(ctx: AppContext, openapi: OpenApiRegistry): BookingComponents {
  const { config, logger } = ctx;
  // The same key derivation as the channel credentials: one APP_SECRET seals every tenant secret.
  const box = SecretBox.create({
    appSecret: config.appSecret,
    dataDir: config.dataDir,
    production: config.isProduction,
  });
  const calcomBaseUrl = config.raw.CALCOM_BASE_URL;
  let reminders: BookingReminders | undefined;
  const service = new BookingService({
    orm: ctx.db.orm,
    box,
    calcomBaseUrl,
    logger,
    clock: ctx.clock ?? (() => new Date()),
    onChanged: (row) => reminders?.schedule(row) ?? Promise.resolve(),
  });
  reminders = new BookingReminders(service, ctx.jobs, logger);
  const flow = new BookingConversation(service);
  const integration: BookingIntegration = {
    requestBooking: (input) => flow.requestBooking(input),
  };
  if (config.raw.CALCOM_API_KEY) {
    logger.info('CALCOM_API_KEY is set, but Cal.com is connected per client (Settings → Integrations); it is not used');
  }

  const api = bookingRoutes(openapi, service, { box, calcomBaseUrl, publicUrl: config.http.publicUrl });
  const webhooks = createRouter();
  webhooks.use(calcomWebhookRoutes(service, { bodyLimit: config.http.bodyLimit }));
  return {
    service,
    reminders,
    conversation: {
      bookingFor: () => integration,
      wrapEngine: (engine, parts) => {
        service.bind(parts);
        return new BookingReplyEngine(engine, () => flow, logger);
      },
    },
    api,
    webhooks,
    start: () => (reminders as BookingReminders).start(),
  };
}
