import type { Router } from 'express';
import { Router as createRouter } from 'express';
import type { AppContext } from './app-context.js';
import type { ConversationComponents } from './attach-conversation-core.js';
import { brandingOf } from './branding/branding-service.js';
import { EmailAdapter } from './channels/email/email-adapter.js';
import type { Mailer } from './channels/email/mailer.js';
import { StaffAlerts } from './channels/email/staff-alerts.js';
import { missedCallRoutes } from './channels/missed-call/missed-call-routes.js';
import { OutboundDelivery } from './channels/outbound/outbound-delivery.js';
import { channelSettingsRoutes } from './channels/settings/channel-settings-routes.js';
import { SecretBox } from './channels/settings/secret-box.js';
import { SmsAdapter } from './channels/sms/sms-adapter.js';
import { smsRoutes } from './channels/sms/sms-routes.js';
import { WebhookInbox } from './channels/webhook-inbox.js';
import { processWhatsAppWebhook } from './channels/whatsapp/process-webhook.js';
import { WhatsAppAdapter } from './channels/whatsapp/whatsapp-adapter.js';
import { whatsappRoutes } from './channels/whatsapp/whatsapp-routes.js';
import type { OpenApiRegistry } from './http/openapi.js';

export interface ChannelComponents {
  delivery: OutboundDelivery;
  whatsapp: WhatsAppAdapter;
  /** Stored WhatsApp webhooks and the drain job that processes them. */
  whatsappInbox: WebhookInbox;
  sms: SmsAdapter;
  email: EmailAdapter | null;
  alerts: StaffAlerts | null;
  mailer: Mailer | null;
  box: SecretBox | null;
  /** Public webhooks (`/webhooks/whatsapp`, `/webhooks/sms`, `/webhooks/missed-call`). */
  webhooks: Router;
  /** Tenant API under `/api/v1` (behind API-key auth): `/channels`. */
  api: Router;
  /** Starts the job workers (outbound delivery, WhatsApp webhook processing, email). */
  start(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Composition for issue 6, beside app.ts like attach-conversation-core.ts:
 * the channel bridges (WhatsApp, SMS, missed calls, email) as adapters into
 * the same conversation core, with outbound delivery behind one
 * ChannelAdapter contract registered in the core's OutboundRegistry.
 */
export function attachChannels(
  ctx: AppContext,
  conversation: ConversationComponents,
  openapi: OpenApiRegistry,
  /** The deployment's mailer (SMTP or SendGrid), shared with the account emails; null when unconfigured. */
  mailer: Mailer | null,
): ChannelComponents {
  const { config, logger, jobs } = ctx;
  const env = config.raw;
  const orm = ctx.db.orm;
  const box = SecretBox.create({
    appSecret: config.appSecret,
    dataDir: config.dataDir,
    production: config.isProduction,
  });
  if (!box) logger.warn('APP_SECRET is not set: channel credentials cannot be stored or read');
  const delivery = new OutboundDelivery({
    orm,
    jobs,
    events: conversation.core.events,
    logger,
    sweepMs: env.OUTBOUND_SWEEP_INTERVAL_MS,
  });
  const unregister: Array<() => void> = [];
  const registerAll = (senders: ReturnType<OutboundDelivery['register']>) => {
    for (const sender of senders) unregister.push(conversation.outbound.register(sender));
  };

  const whatsapp = new WhatsAppAdapter({ orm, box, graphBaseUrl: env.META_GRAPH_BASE_URL });
  registerAll(delivery.register(whatsapp));
  const statusCallbackUrl = config.http.publicUrl ? `${config.http.publicUrl}/webhooks/sms/status` : undefined;
  const sms = new SmsAdapter({ box, twilioBaseUrl: env.TWILIO_BASE_URL, statusCallbackUrl });
  registerAll(delivery.register(sms));

  let email: EmailAdapter | null = null;
  let alerts: StaffAlerts | null = null;
  let stopAlerts: (() => void) | undefined;
  if (mailer) {
    email = new EmailAdapter(mailer, brandingOf(ctx));
    // Web-form leads get their reply by email; so do email conversations.
    registerAll(delivery.register(email, ['web_form', 'email']));
    alerts = new StaffAlerts({
      orm,
      jobs,
      mailer,
      logger,
      branding: brandingOf(ctx),
      baseUrl: config.http.publicUrl ?? `http://localhost:${config.http.port}`,
      fallbackRecipients: env.STAFF_ALERT_EMAILS,
    });
    stopAlerts = alerts.listen(conversation.core.events);
  } else {
    logger.info('email is not configured (SMTP_URL or SENDGRID_API_KEY): email replies and staff alerts are skipped');
  }

  const whatsappInbox = new WebhookInbox({
    orm,
    jobs,
    logger,
    provider: 'whatsapp',
    jobName: 'whatsapp.drain-events',
    maxAttempts: env.WEBHOOK_MAX_ATTEMPTS,
    retryBaseMs: env.WEBHOOK_RETRY_BASE_MS,
    claimTimeoutMs: env.WEBHOOK_CLAIM_TIMEOUT_MS,
    process: processWhatsAppWebhook({ orm, core: conversation.core, delivery, adapter: whatsapp, logger }),
  });

  const bodyLimit = config.http.bodyLimit;
  const webhooks = createRouter();
  webhooks.use(
    whatsappRoutes({
      inbox: whatsappInbox,
      box,
      appSecret: env.META_APP_SECRET,
      verifyToken: env.META_VERIFY_TOKEN,
      bodyLimit,
      plans: config.plans,
    }),
  );
  webhooks.use(
    smsRoutes({ core: conversation.core, delivery, box, logger, publicUrl: config.http.publicUrl, bodyLimit }),
  );
  webhooks.use(
    missedCallRoutes({
      core: conversation.core,
      delivery,
      box,
      publicUrl: config.http.publicUrl,
      telephonySecret: env.TELEPHONY_WEBHOOK_SECRET,
      bodyLimit,
      plans: config.plans,
    }),
  );

  return {
    delivery,
    whatsapp,
    whatsappInbox,
    sms,
    email,
    alerts,
    mailer,
    box,
    webhooks,
    api: channelSettingsRoutes(openapi, box, {
      publicUrl: config.http.publicUrl,
      plans: config.plans,
      platform: {
        whatsappAppSecret: Boolean(env.META_APP_SECRET),
        whatsappVerifyToken: Boolean(env.META_VERIFY_TOKEN),
        email: mailer?.kind ?? null,
      },
    }),
    async start() {
      await delivery.start();
      await whatsappInbox.start();
      await alerts?.start();
    },
    async close() {
      delivery.stop();
      whatsappInbox.close();
      stopAlerts?.();
      for (const off of unregister) off();
      mailer?.close();
    },
  };
}
