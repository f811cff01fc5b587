import { randomUUID } from 'node:crypto';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import cors from 'cors';
import express, { type Express } from 'express';
import { pinoHttp } from 'pino-http';
import { adminAgencyRoutes, agencyRoutes } from './agencies/index.js';
import { PromptVariants } from './ai/experiments/prompt-variants.js';
import { UsageMeter } from './ai/usage/usage-meter.js';
import type { AppContext } from './app-context.js';
import { type AutomationComponents, attachAutomation } from './attach-automation.js';
import { attachBooking, type BookingComponents } from './attach-booking.js';
import { attachChannels, type ChannelComponents } from './attach-channels.js';
import { attachConversationCore, type ConversationComponents } from './attach-conversation-core.js';
import { attachCrm, type CrmComponents } from './attach-crm.js';
import { attachFollowUps, type FollowUpComponents } from './attach-followups.js';
import { attachPrivacy, type PrivacyComponents } from './attach-privacy.js';
import { attachScoringReports, type ScoringReportComponents } from './attach-scoring-reports.js';
import { attachStaffDesk, type StaffComponents } from './attach-staff-desk.js';
import { attachWebhooks, type OutgoingWebhookComponents } from './attach-webhooks.js';
import { AuthService } from './auth/auth-service.js';
import { brandAssets } from './branding/brand-assets.js';
import { brandDomainsOf } from './branding/brand-domains.js';
import { brandingRoutes, publicBrandingRoutes } from './branding/branding-routes.js';
import { brandingOf } from './branding/branding-service.js';
import { DOMAIN_NOTICE_LEASE_MS, DomainNotices } from './branding/domain-notices.js';
import { domainRecheck } from './branding/domain-recheck.js';
import { mailerFromConfig } from './channels/email/mailer.js';
import { runsWorkers, servesWeb } from './config/config.js';
import { sqlOf } from './db/sql.js';
import { createEmailSender } from './email/email-sender.js';
import { authenticate } from './http/authenticate.js';
import { dashboardAssets } from './http/dashboard-assets.js';
import { errorHandler, notFoundHandler } from './http/error-handler.js';
import { OpenApiRegistry } from './http/openapi.js';
import { createRateLimits, type RateLimits } from './http/rate-limit.js';
import { adminClientRoutes } from './http/routes/admin-clients.js';
import { adminDeadLetterRoutes } from './http/routes/admin-dead-letters.js';
import { auditLogRoutes } from './http/routes/audit-logs.js';
import { authRoutes } from './http/routes/auth.js';
import { clientRoutes, publicWidgetRoutes } from './http/routes/client.js';
import { conversationRoutes } from './http/routes/conversations.js';
import { exportRoutes } from './http/routes/exports.js';
import { healthRoutes } from './http/routes/health.js';
import { knowledgeRoutes } from './http/routes/knowledge.js';
import { leadTagRoutes } from './http/routes/lead-tags.js';
import { leadRoutes } from './http/routes/leads.js';
import { staffDeskRoutes } from './http/routes/staff-desk.js';
import { usageRoutes } from './http/routes/usage.js';
import { userRoutes } from './http/routes/users.js';
import { securityHeaders } from './http/security-headers.js';
import { refuseUnstorableUrl } from './http/storable-url.js';
import { widgetAssets, widgetDemoPage } from './http/widget-assets.js';
import { redactUrl } from './logger.js';
import { httpObservability, observeComponents, reportUnexpectedErrors } from './observability/index.js';
import { planRoutes } from './plans/plan-routes.js';
import { createRealtime, type Realtime } from './realtime/socket-server.js';
import { publicResponseTimeRoutes, ReportService, reportsRoutes } from './reports/index.js';
import { insightsRoutes } from './reports/insights/index.js';
import { OverviewService, overviewRoutes } from './reports/overview/index.js';
import { RoiService, roiReportRoutes } from './reports/roi/index.js';
import { signupRoutes } from './tenants/signup/signup-routes.js';

export interface LeadDeskApp {
  express: Express;
  httpServer: HttpServer;
  realtime: Realtime;
  openapi: OpenApiRegistry;
  /** Conversation core, reply orchestrator, /widget namespace and web form. */
  conversation: ConversationComponents;
  /** Staff authentication (the staff socket verifies its JWTs with it). */
  auth: AuthService;
  /** Staff desk and the /staff namespace (issue 8). */
  staff: StaffComponents;
  /** WhatsApp, SMS, missed calls and email (issue 6). */
  channels: ChannelComponents;
  /** Outgoing webhooks to the tenants' own endpoints (issue 15). */
  outgoingWebhooks: OutgoingWebhookComponents;
  /** Cal.com booking (issue 15). */
  booking: BookingComponents;
  /** Automation rules and business hours (issue 14). */
  automation: AutomationComponents;
  /** Follow-up sequences, review capture, digests, retention (issue 14). */
  followUps: FollowUpComponents;
  /** Response-time SLA and missed-revenue reports, from the daily rollup (issue 17). */
  reports: ReportService;
  listen(port?: number, host?: string): Promise<number>;
  /**
   * Stops accepting, lets in-flight requests finish (up to the deadline), closes sockets.
   * `drain` (SIGTERM): first keeps serving for SHUTDOWN_READY_GRACE_MS while /readyz answers 503 and new
   * sockets are refused, then closes the sockets one by one over SHUTDOWN_SOCKET_DRAIN_MS.
   * `stopJobs` runs once no input comes any more and before the realtime adapter closes, so the jobs
   * still running can reach other processes' sockets.
   */
  close(options?: { drain?: boolean; stopJobs?: () => Promise<void> }): Promise<void>;
}

/**
 * The composition root for HTTP and realtime. It takes its components and
 * builds nothing external itself, so tests hand it real local services.
 */
export function createApp(ctx: AppContext): LeadDeskApp {
  const app = express();
  const httpServer = createServer(app);
  // ROLE=worker: no sockets and no API over HTTP (only the probes), but everything it emits to rooms
  // reaches the web processes' sockets through the adapter.
  const web = servesWeb(ctx.config.role);
  const realtime = createRealtime(web ? httpServer : null, {
    redisUrl: ctx.config.redisUrl,
    redisPrefix: ctx.config.redisPrefix,
    requestTimeoutMs: ctx.config.realtime.requestTimeoutMs,
    refuseNew: () => ctx.shuttingDown(),
    logger: ctx.logger,
  });
  const openapi = new OpenApiRegistry();
  const booking = attachBooking(ctx, openapi);
  const conversation = attachConversationCore(ctx, realtime.io, booking.conversation);
  // One mailer for the deployment: channel email and staff alerts, and the account emails.
  const mailer = mailerFromConfig(ctx.config);
  const email = ctx.email ?? createEmailSender(ctx.config, ctx.logger, mailer);
  const branding = brandingOf(ctx);
  const auth = new AuthService({ config: ctx.config, logger: ctx.logger, email, now: ctx.clock, branding });
  const limits = web ? createRateLimits(ctx.config, ctx.logger) : null;
  const staff = attachStaffDesk(ctx, realtime.io, { conversation, auth, email, engine: conversation.engine });
  const channels = attachChannels(ctx, conversation, openapi, mailer);
  const outgoingWebhooks = attachWebhooks(ctx, { events: conversation.core.events, box: channels.box, email, openapi });
  const crm = attachCrm(ctx, { conversation, openapi, box: channels.box });
  const followUps = attachFollowUps(ctx, { conversation, channels, openapi });
  const privacy = attachPrivacy(ctx, { openapi, crm });
  // Rules start and stop follow-up sequences (actions start_sequence / stop_sequence).
  const automation = attachAutomation(ctx, openapi, {
    conversation,
    staff,
    channels,
    email,
    sequences: followUps.sequences,
  });
  const reports = new ReportService({
    sql: sqlOf(ctx.db.orm),
    logger: ctx.logger,
    now: ctx.clock,
    maxStalenessMs: ctx.config.raw.REPORTS_MAX_STALENESS_MS,
  });
  const scoring = attachScoringReports(ctx, { openapi, reports, mailer });
  const domains = brandDomainsOf(ctx);
  const brandDomains = domainRecheck({
    jobs: ctx.jobs,
    domains,
    logger: ctx.logger,
    everyMs: ctx.config.branding.domains.recheckMs,
    notices: new DomainNotices({
      branding,
      email,
      logger: ctx.logger,
      recordName: (host) => domains.recordName(host),
      graceMs: ctx.config.branding.domains.reverifyGraceMs,
      leaseMs: DOMAIN_NOTICE_LEASE_MS,
      now: ctx.clock,
    }),
  });
  // Deliveries, webhook retries, CRM sync, bookings' reminders and automation: the worker processes' part (ROLE).
  if (runsWorkers(ctx.config.role)) {
    const workers: Array<[string, { start(): Promise<void> }]> = [
      ['channel', channels],
      ['outgoing webhook', outgoingWebhooks],
      ['booking', booking],
      ['CRM sync', crm],
      ['automation', automation],
      ['follow-up', followUps],
      ['privacy', privacy],
      ['scoring report', scoring],
      ['brand domain', brandDomains],
    ];
    for (const [name, part] of workers) {
      part.start().catch((err: unknown) => ctx.logger.error({ err }, `${name} workers failed to start`));
    }
    reports.startSweep(ctx.config.raw.REPORTS_SWEEP_INTERVAL_MS);
  }
  const stopObserving = observeComponents(ctx, { io: realtime.io, events: conversation.core.events });
  let inFlight = 0;
  let drained: (() => void) | undefined;

  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback, linklocal, uniquelocal');
  // Before the request log: scrapes of /metrics are not logged.
  app.use(httpObservability(ctx));
  app.use(
    pinoHttp({
      logger: ctx.logger,
      genReqId: (req, res) => {
        const incoming = req.headers['x-request-id'];
        const id = typeof incoming === 'string' && /^[\w.-]{1,100}$/.test(incoming) ? incoming : randomUUID();
        res.setHeader('x-request-id', id);
        return id;
      },
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' },
      serializers: {
        req: (req: { url?: string }) => {
          if (req.url) req.url = redactUrl(req.url);
          return req;
        },
      },
    }),
  );
  app.use((_req, res, next) => {
    // Draining: each keep-alive connection ends after its current answer, so its client reconnects elsewhere.
    if (ctx.shuttingDown()) res.setHeader('connection', 'close');
    inFlight++;
    res.on('close', () => {
      inFlight--;
      if (inFlight === 0) drained?.();
    });
    next();
  });
  app.use(securityHeaders());
  app.use(refuseUnstorableUrl());
  app.use((req, _res, next) => {
    req.em = ctx.db.orm.em.fork();
    next();
  });
  app.use(healthRoutes(ctx));
  if (limits) {
    mountWeb(app, ctx, {
      openapi,
      auth,
      limits,
      channels,
      conversation,
      outgoingWebhooks,
      booking,
      crm,
      automation,
      followUps,
      privacy,
      reports,
      scoring,
    });
  }
  app.use(notFoundHandler);
  app.use(reportUnexpectedErrors());
  app.use(errorHandler(ctx.logger));

  return {
    express: app,
    httpServer,
    realtime,
    openapi,
    conversation,
    auth,
    staff,
    channels,
    outgoingWebhooks,
    booking,
    automation,
    followUps,
    reports,
    listen(port = ctx.config.http.port, host = ctx.config.http.host) {
      // A worker listens too, for its probes only (/healthz, /readyz).
      return new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => {
          httpServer.off('error', reject);
          resolve((httpServer.address() as AddressInfo).port);
        });
      });
    },
    async close({ drain = false, stopJobs } = {}) {
      const { shutdownTimeoutMs, readyGraceMs, socketDrainMs } = ctx.config.http;
      const deadline = Date.now() + shutdownTimeoutMs;
      // Replies in flight, while their visitors' sockets are open and /readyz already answers 503: no new
      // leases from now on (messages stored meanwhile go to the other processes); running replies finish
      // within the drain or half the deadline, or hand their leases to another process.
      const replies = conversation.orchestrator.close(
        drain ? readyGraceMs + socketDrainMs : Math.floor(shutdownTimeoutMs / 2),
      );
      if (drain) {
        // The load balancer needs a few probes to see the 503; until then traffic still comes and is served.
        await new Promise((resolve) => setTimeout(resolve, readyGraceMs));
        await realtime.drain(socketDrainMs);
      }
      await replies;
      const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      httpServer.closeIdleConnections();
      if (inFlight > 0) {
        await Promise.race([
          new Promise<void>((resolve) => {
            drained = resolve;
          }),
          new Promise((resolve) => setTimeout(resolve, Math.max(0, deadline - Date.now())).unref()),
        ]);
      }
      httpServer.closeAllConnections();
      // No more input: this process's sockets close now, but the adapter stays open until everything that
      // may still emit to rooms (sweeps, job workers, presence after a staff socket left) has stopped.
      realtime.disconnectLocal();
      staff.close();
      await outgoingWebhooks.close();
      automation.close();
      followUps.close();
      reports.stop();
      scoring.close();
      brandDomains.close();
      await channels.close();
      await crm.close();
      await conversation.close();
      await stopJobs?.();
      await realtime.close();
      await closed;
      limits?.close();
      await stopObserving();
      if (!ctx.email) email.close();
    },
  };
}

/** Everything but the probes: assets, the API, webhooks (not on ROLE=worker). */
function mountWeb(
  app: Express,
  ctx: AppContext,
  deps: {
    openapi: OpenApiRegistry;
    auth: AuthService;
    limits: RateLimits;
    channels: ChannelComponents;
    conversation: ConversationComponents;
    outgoingWebhooks: OutgoingWebhookComponents;
    booking: BookingComponents;
    crm: CrmComponents;
    automation: AutomationComponents;
    followUps: FollowUpComponents;
    privacy: PrivacyComponents;
    reports: ReportService;
    scoring: ScoringReportComponents;
  },
): void {
  const {
    openapi,
    auth,
    limits,
    channels,
    conversation,
    outgoingWebhooks,
    booking,
    crm,
    automation,
    followUps,
    privacy,
    reports,
  } = deps;
  const branding = brandingOf(ctx);
  app.use(
    '/widget',
    widgetAssets({
      distDir: ctx.config.raw.WIDGET_DIST_DIR,
      logger: ctx.logger,
      // The deprecated platform-named API only where the platform's name is shown anyway (docs/white-label.md).
      legacyLoader: async (req) =>
        ctx.config.branding.legacyWidgetApi && (await branding.forHost(req.get('host'))).owner === null,
    }),
  );
  app.use(
    '/dashboard',
    dashboardAssets({
      distDir: ctx.config.raw.DASHBOARD_DIST_DIR,
      logger: ctx.logger,
      branding: (host) => branding.forHost(host),
    }),
  );
  app.use('/brand-assets', brandAssets());
  if (!ctx.config.isProduction) app.use('/demo', widgetDemoPage({ em: () => ctx.db.orm.em.fork() }));

  const corsForApi = cors({
    origin: ctx.config.http.corsOrigins.length ? ctx.config.http.corsOrigins : false,
    credentials: true,
  });
  // PATCH bodies are JSON Merge Patch documents; callers may label them so (RFC 7396).
  const json = express.json({
    limit: ctx.config.http.bodyLimit,
    type: ['application/json', 'application/merge-patch+json'],
  });

  // Public, keyed by the widget's site key: any origin may read it.
  // (CORS for any origin only on the widget's own paths: preflights for the staff API must not pass here.)
  app.use('/api/v1/widget', cors({ origin: true }));
  app.use('/api/v1', publicWidgetRoutes(openapi, branding));
  app.use('/api/v1', publicResponseTimeRoutes(openapi, reports));

  openapi.add({ method: 'get', path: '/openapi.json', summary: 'This document', tag: 'meta', auth: 'none' });
  app.get('/api/v1/openapi.json', async (req, res) => {
    // Under a brand domain: that brand's name, and the brand's own host as the server (docs/white-label.md).
    const { branding: brand, owner } = await branding.forHost(req.get('host'));
    const base =
      owner || !ctx.config.http.publicUrl ? `${req.protocol}://${req.get('host')}` : ctx.config.http.publicUrl;
    res.json(
      openapi.document({
        title: `${brand.productName} API`,
        description: `The ${brand.productName} REST API: leads, conversations, knowledge, reports and settings of a business.`,
        version: '1',
        serverUrl: `${base}/api/v1`,
      }),
    );
  });

  const api = express.Router();
  api.use(corsForApi, json, limits.perIp);
  api.use(authRoutes(openapi, auth, ctx.config, limits));
  // Public (the dashboard's brand by Host), rate-limited per IP like sign-in.
  api.use(publicBrandingRoutes(openapi, branding));
  api.use(signupRoutes(openapi, { auth, config: ctx.config, limit: limits.auth, knowledge: ctx.knowledge }));
  // Everything below needs a tenant API key or a staff JWT; each route checks the policy table.
  api.use(authenticate(auth), limits.perClient);
  api.use(leadRoutes(openapi, sqlOf(ctx.db.orm), conversation.core.events));
  api.use(privacy.api);
  api.use(leadTagRoutes(openapi, sqlOf(ctx.db.orm)));
  api.use(exportRoutes(openapi, sqlOf(ctx.db.orm)));
  api.use(conversationRoutes(openapi));
  api.use(clientRoutes(openapi));
  api.use(userRoutes(openapi, auth, ctx.config));
  api.use(auditLogRoutes(openapi));
  api.use(adminClientRoutes(openapi, ctx.config, ctx.knowledge));
  api.use(adminDeadLetterRoutes(openapi, { inboxes: [channels.whatsappInbox], jobs: ctx.jobs }));
  api.use(staffDeskRoutes(openapi));
  api.use(reportsRoutes(openapi, reports));
  const roi = new RoiService({ sql: sqlOf(ctx.db.orm), reports, prices: ctx.config.aiPrices, branding });
  api.use(roiReportRoutes(openapi, reports, roi));
  const overview = new OverviewService({ sql: sqlOf(ctx.db.orm), reports, roi });
  api.use(overviewRoutes(openapi, overview));
  api.use(adminAgencyRoutes(openapi, { auth, config: ctx.config }));
  api.use(agencyRoutes(openapi, { auth, config: ctx.config, overview, knowledge: ctx.knowledge }));
  api.use(insightsRoutes(openapi, ctx, reports));
  api.use(deps.scoring.api);
  if (ctx.knowledge) {
    api.use(knowledgeRoutes(openapi, ctx.knowledge, { maxUploadBytes: ctx.config.raw.KNOWLEDGE_MAX_UPLOAD_BYTES }));
  }
  api.use(channels.api);
  api.use(outgoingWebhooks.api);
  api.use(booking.api);
  api.use(crm.api);
  api.use(automation.api);
  api.use(followUps.api);
  api.use(
    usageRoutes(openapi, { meter: new UsageMeter(ctx.db.orm, ctx.logger), variants: new PromptVariants(ctx.db.orm) }),
  );
  api.use(planRoutes(openapi, ctx.config));
  api.use(brandingRoutes(openapi, branding, brandDomainsOf(ctx), ctx.config.branding.reservedHosts));
  app.use('/api/v1', api);

  app.use(channels.webhooks);
  app.use(booking.webhooks);
  app.use(crm.webhooks);
  app.use(followUps.public);
  app.use(conversation.routes);
}
