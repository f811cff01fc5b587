import { PLAN_CHANNELS, type PlanChannel } from '@leaddesk/shared';
import { z } from 'zod';
import { modelPricesOverrideSchema } from './ai-prices.js';

/**
 * The channels a plan adds to what every plan has (web chat, web forms, email): those a tenant connects
 * with its own provider account. A comma-separated list (`sms,voice`); absent means all of them, empty
 * (`PLAN_CHANNELS_STARTER=none`) none.
 */
const channelList = z
  .string()
  .optional()
  .transform((v, ctx) => {
    if (v === undefined) return [...PLAN_CHANNELS];
    const list = [
      ...new Set(
        v
          .split(',')
          .map((c) => c.trim())
          .filter((c) => c && c !== 'none'),
      ),
    ];
    const unknown = list.filter((c) => !(PLAN_CHANNELS as readonly string[]).includes(c));
    if (unknown.length) {
      ctx.addIssue({
        code: 'custom',
        message: `unknown channel ${unknown.join(', ')} (one of ${PLAN_CHANNELS.join(', ')}, or none)`,
      });
      return z.NEVER;
    }
    return list as PlanChannel[];
  });

/**
 * Every environment variable the server reads, grouped by integration.
 * `.env.example` documents the same list; nothing else reads process.env.
 */

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const optionalUrl = optionalString.pipe(z.string().url().optional());

/** The platform's own name: the deployment's default product name (a deployment that sets another is white-labelled). */
export const PLATFORM_PRODUCT_NAME = 'Lead Desk';

const booleanFlag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .optional()
    .transform((v) => (v === undefined ? fallback : ['true', '1', 'yes'].includes(v)));

const csv = optionalString.transform((v) =>
  v
    ? v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : [],
);

export const envSchema = z.object({
  // HTTP
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  /** Public base URL, used in snippets, webhook URLs and email links. */
  PUBLIC_URL: optionalUrl,
  /** Origins allowed to call the REST API from a browser (the dashboard's). */
  CORS_ORIGINS: csv,
  BODY_LIMIT: z.string().default('1mb'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Email addresses and phone numbers are replaced in every log line (docs/privacy.md); `false` keeps them. */
  LOG_REDACT_PERSONAL_DATA: booleanFlag(true),
  /** The whole graceful shutdown: past it the process exits 1 whatever is left. */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  /**
   * On SIGTERM, how long `/readyz` answers 503 while the process keeps serving, so a load balancer
   * or Kubernetes stops sending it traffic before its sockets close.
   */
  SHUTDOWN_READY_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(5000),
  /** After the ready grace, the process's sockets are closed one by one over this long (not all at once). */
  SHUTDOWN_SOCKET_DRAIN_MS: z.coerce.number().int().min(0).max(600_000).default(3000),

  // Roles and several processes (docs/deploy.md)
  /**
   * `web`: HTTP and Socket.IO, no job workers or sweeps; `worker`: jobs, reply sweeps, deliveries, webhook
   * retries and schedules, with only /healthz and /readyz over HTTP; `all`: both (one process).
   */
  ROLE: z.enum(['all', 'web', 'worker']).default('all'),
  /** Apply pending migrations at start (under an advisory lock); false: refuse to start while any is pending. */
  MIGRATE_ON_START: booleanFlag(true),
  /** Prefix of every Redis key and channel: Socket.IO adapter, BullMQ, rate limits. One per deployment. */
  REDIS_PREFIX: z
    .string()
    .regex(/^[\w.:{}-]{1,64}$/, 'letters, digits and _ . : { } - (at most 64)')
    .default('ld:'),
  /** Longest wait for another process's answer (presence across processes); then the local answer is used. */
  REALTIME_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(50).max(30_000).default(1000),

  /** Folder with the built widget (loader.js, widget.*.js) served at /widget/; defaults to packages/widget/dist. */
  WIDGET_DIST_DIR: optionalString,
  /**
   * Whether /widget/loader.js on the deployment's own host (not a brand domain) keeps the deprecated
   * platform-named aliases (`window.LeadDesk`, `<leaddesk-widget>`, `leaddesk:ready`; docs/white-label.md).
   * @default true while BRAND_PRODUCT_NAME is the platform's own name, false for a white-labelled deployment
   */
  WIDGET_LEGACY_API: z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .optional()
    .transform((v) => (v === undefined ? undefined : ['true', '1', 'yes'].includes(v))),

  // Storage
  DATA_DIR: z.string().default('.data'),
  DATABASE_URL: optionalString.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
      .optional(),
  ),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  /** Port of the embedded PGlite socket; 0 picks a free one. */
  EMBEDDED_DB_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  REDIS_URL: optionalString.pipe(
    z
      .string()
      .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
      .optional(),
  ),

  // First run
  SEED_DEMO: booleanFlag(true),
  /** A public sign-up page (`/dashboard/signup`, `POST /api/v1/signup`): a business creates its own client. Off unless switched on. */
  PUBLIC_SIGNUP: booleanFlag(false),
  /** The plan a signed-up business starts on. */
  SIGNUP_PLAN: z.enum(['starter', 'growth', 'scale']).default('starter'),

  // Widget and web form (conversation core)
  /** Messages one widget visitor may send per minute. */
  WIDGET_RATE_VISITOR_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(30),
  /** Messages all visitors of one site key may send per minute. */
  WIDGET_RATE_SITE_PER_MINUTE: z.coerce.number().int().min(1).max(10_000_000).default(3000),
  /** Web-form submissions per minute from one IP address for one site key. */
  WEB_FORM_RATE_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(10),
  /**
   * Reply obligations (replies/reply-orchestrator.ts). A lease lasts this long unless renewed; a process
   * that dies holding one is taken over once it expires.
   */
  REPLY_LEASE_MS: z.coerce.number().int().min(500).max(600_000).default(6000),
  /** How often every process looks for unanswered messages whose lease expired or was handed back (ms). */
  REPLY_SWEEP_INTERVAL_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
  /** How often AI replies stored but never queued for their channel (a crash in between) are looked for. */
  OUTBOUND_SWEEP_INTERVAL_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  /** A lead waits at most this long for an answer; then the structured mode answers and staff get an escalation (ms). */
  REPLY_DEADLINE_MS: z.coerce.number().int().min(1000).max(600_000).default(20_000),
  /** Replies started for one message before the structured mode answers instead (a reply that keeps failing). */
  REPLY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(3),
  /** Pause between streamed chunks of a structured-mode reply (ms). */
  STRUCTURED_CHUNK_DELAY_MS: z.coerce.number().int().min(0).max(1000).default(20),
  /** Length of one minute of the "no staff reply in N minutes" rule (ms); shortened only by tests and demos. */
  STAFF_REPLY_MINUTE_MS: z.coerce.number().int().min(10).max(60_000).default(60_000),
  /** Length of one minute of the automation rules' timers (no staff reply, lead silent) (ms); shortened only by tests. */
  AUTOMATION_MINUTE_MS: z.coerce.number().int().min(1).max(60_000).default(60_000),
  /** Where the built dashboard is served from. @default packages/dashboard/dist */
  DASHBOARD_DIST_DIR: optionalString,
  /**
   * Automation time (follow-ups, review requests, digests, retention: automation/sequences/automation-clock.ts)
   * runs this many times faster than real time from AUTOMATION_TIME_ANCHOR_MS (epoch ms, shared by every
   * process). Tests and demos only: three days of follow-ups in seconds. @default 1
   */
  AUTOMATION_TIME_SCALE: z.coerce.number().min(1).max(10_000_000).default(1),
  AUTOMATION_TIME_ANCHOR_MS: z.coerce.number().int().min(0).optional(),
  /** How often runs whose follow-up step is overdue (its job lost in a crash) are looked for (ms). */
  FOLLOW_UP_SWEEP_INTERVAL_MS: z.coerce.number().int().min(100).max(3_600_000).default(60_000),
  /**
   * How often the reports' daily rollup is brought up to date for every tenant in the background (ms; 0:
   * only when a report is asked for, which refreshes that tenant first anyway). @default 300000 (5 min)
   */
  REPORTS_SWEEP_INTERVAL_MS: z.coerce.number().int().min(0).max(86_400_000).default(300_000),
  /**
   * A report refreshes its tenant's rollup first unless it was refreshed this recently (ms): a busy tenant's
   * today is then recomputed at most once per period rather than on every read. Settings that change the
   * rollup (zone, hours, services) always rebuild it at once. @default 60000
   */
  REPORTS_MAX_STALENESS_MS: z.coerce.number().int().min(0).max(86_400_000).default(60_000),
  /**
   * How long a process that claimed a staff digest may take to send it (real time, ms) before another
   * process may claim it again and send to the recipients not yet recorded as sent. Longer than a slow SMTP
   * exchange, shorter than the wait a crashed send may cause. @default 900000 (15 min)
   */
  DIGEST_LEASE_MS: z.coerce.number().int().min(500).max(86_400_000).default(900_000),

  // AI providers
  ANTHROPIC_API_KEY: optionalString,
  ANTHROPIC_BASE_URL: optionalUrl,
  ANTHROPIC_MODEL: z.string().default('claude-sonnet-4-6'),
  ANTHROPIC_FAST_MODEL: z.string().default('claude-haiku-4-5'),
  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: optionalUrl,
  OPENAI_MODEL: z.string().default('gpt-4o-mini'),
  OPENAI_EMBEDDING_MODEL: z.string().default('text-embedding-3-small'),
  /** Cheaper OpenAI-compatible model for routing, summaries and the soft budget step (defaults to OPENAI_MODEL). */
  OPENAI_FAST_MODEL: optionalString,
  /**
   * Prices of AI models for the ROI report's AI spend, per million tokens: a JSON object laid over the defaults
   * (config/ai-prices.ts), e.g. `{"my-model":{"input":1,"output":4,"cacheRead":0.1,"cacheWrite":1.25}}`;
   * `null` removes a default. A model without a price is reported as unpriced, never as free.
   */
  AI_MODEL_PRICES: modelPricesOverrideSchema,
  /** The currency of AI_MODEL_PRICES (and of the defaults: USD). */
  AI_PRICE_CURRENCY: z
    .string()
    .regex(/^[A-Z]{3}$/, 'expected an ISO 4217 code such as USD')
    .default('USD'),
  /** Provider order for the fallback chain; only providers with a key take part. */
  AI_PROVIDERS: z
    .string()
    .default('anthropic,openai')
    .pipe(z.string().regex(/^(anthropic|openai)(,(anthropic|openai))*$/, 'comma-separated: anthropic, openai')),
  /** Retries per provider on 429/5xx/529 and dropped connections, within AI_FALLBACK_AFTER_MS; a timeout is not retried. */
  AI_MAX_RETRIES: z.coerce.number().int().min(0).max(10).default(2),
  AI_RETRY_BASE_MS: z.coerce.number().int().min(1).max(60_000).default(500),
  /** Longest wait between retries, also the cap on a provider's retry-after. */
  AI_RETRY_MAX_MS: z.coerce.number().int().min(1).max(120_000).default(8000),
  /** The SDKs' own cap on one request until its response headers arrive (a backstop; the deadlines below bound a reply). */
  AI_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  /** Longest wait from a provider request to its first stream event; then the next provider is tried at once. */
  AI_FIRST_TOKEN_TIMEOUT_MS: z.coerce.number().int().min(50).max(120_000).default(5000),
  /** Longest silence between two stream events; mid-reply, the reply is closed with an apology and escalated. */
  AI_STREAM_IDLE_TIMEOUT_MS: z.coerce.number().int().min(50).max(120_000).default(8000),
  /** Longest a whole AI reply may take, streaming included. */
  AI_REPLY_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(60_000),
  /** From the start of a reply: past it no provider is tried any more and the visitor gets the structured-mode answer. */
  AI_FALLBACK_AFTER_MS: z.coerce.number().int().min(100).max(600_000).default(12_000),
  /** AI replies generated at once per process (they mostly wait on the provider, so many fit). */
  AI_MAX_CONCURRENT_REPLIES: z.coerce.number().int().min(1).max(100_000).default(500),
  AI_MAX_OUTPUT_TOKENS: z.coerce.number().int().min(64).max(8192).default(700),
  /** Above this many messages a conversation keeps a rolling summary of what came before. */
  AI_SUMMARY_AFTER_MESSAGES: z.coerce.number().int().min(6).max(500).default(24),

  // Knowledge bases
  /** Largest document upload accepted (bytes); larger → 413. */
  KNOWLEDGE_MAX_UPLOAD_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(10 * 1024 * 1024),
  /** Inputs per embeddings request. */
  KNOWLEDGE_EMBEDDING_BATCH_SIZE: z.coerce.number().int().min(1).max(2048).default(64),
  /** Cosine similarity a chunk needs for a question to count as answered. */
  KNOWLEDGE_MIN_SIMILARITY: z.coerce.number().min(0).max(1).default(0.4),
  /** Share of the question's words a chunk must contain to count as answered (full-text leg). */
  KNOWLEDGE_MIN_COVERAGE: z.coerce.number().min(0).max(1).default(0.6),

  // Secrets
  /** Key for encrypting tenant credentials at rest and signing tokens; 32+ chars. */
  APP_SECRET: optionalString.pipe(z.string().min(32, 'must be at least 32 characters').optional()),

  // Staff accounts and security (docs/auth.md)
  /** Lifetime of a staff JWT access token. */
  JWT_ACCESS_TTL_SECONDS: z.coerce.number().int().min(30).max(86_400).default(900),
  /** Idle lifetime of a refresh token (each rotation starts it again). */
  REFRESH_TOKEN_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  AUTH_LOCKOUT_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(5),
  AUTH_LOCKOUT_MINUTES: z.coerce.number().int().min(1).max(1440).default(30),
  INVITATION_TTL_HOURS: z.coerce.number().int().min(1).max(720).default(72),
  EMAIL_VERIFICATION_TTL_HOURS: z.coerce.number().int().min(1).max(720).default(48),
  PASSWORD_RESET_TTL_MINUTES: z.coerce.number().int().min(5).max(1440).default(60),
  /** Minimum zxcvbn score (0-4) a new password must reach. */
  PASSWORD_MIN_SCORE: z.coerce.number().int().min(0).max(4).default(3),
  /** Rate limits: one window for the API, requests per window per client plan and per IP. */
  RATE_LIMIT_WINDOW_MS: z.coerce.number().int().min(1000).max(3_600_000).default(60_000),
  RATE_LIMIT_STARTER: z.coerce.number().int().min(1).default(120),
  RATE_LIMIT_GROWTH: z.coerce.number().int().min(1).default(300),
  RATE_LIMIT_SCALE: z.coerce.number().int().min(1).default(600),
  /**
   * Plans: seats (staff accounts with access: enabled members and pending invitations; 0 = unlimited)
   * and the provider channels a tenant may connect and receive on, per plan. Unlimited and every channel unless the
   * operator sets its own tiers (an agency reselling Lead Desk decides what each tier includes).
   */
  PLAN_SEATS_STARTER: z.coerce.number().int().min(0).default(0),
  PLAN_SEATS_GROWTH: z.coerce.number().int().min(0).default(0),
  PLAN_SEATS_SCALE: z.coerce.number().int().min(0).default(0),
  PLAN_CHANNELS_STARTER: channelList,
  PLAN_CHANNELS_GROWTH: channelList,
  PLAN_CHANNELS_SCALE: channelList,
  RATE_LIMIT_PER_IP: z.coerce.number().int().min(1).default(600),
  /** Stricter limit per IP on login, 2FA, refresh, password reset and invitation acceptance. */
  RATE_LIMIT_AUTH: z.coerce.number().int().min(1).default(20),
  RATE_LIMIT_AUTH_WINDOW_MS: z.coerce.number().int().min(1000).max(86_400_000).default(900_000),
  /** Deprecated (use REDIS_PREFIX): key prefix of the API rate-limit counters. @default `${REDIS_PREFIX}rl:` */
  RATE_LIMIT_REDIS_PREFIX: optionalString.pipe(z.string().max(100).optional()),

  // Observability (docs/deploy.md). Only /metrics is on by default; traces and error reports need an endpoint.
  /** Serve Prometheus metrics at /metrics (counts and latencies only: no tenant data, no secrets). */
  METRICS_ENABLED: booleanFlag(true),
  /** When set, /metrics wants `Authorization: Bearer <token>` (for a /metrics reachable from outside). */
  METRICS_TOKEN: optionalString.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
  /** OTLP/HTTP endpoint (e.g. http://otel-collector:4318): traces of HTTP, Express and PostgreSQL calls; off when unset. */
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalUrl,
  /** The service name on traces. */
  OTEL_SERVICE_NAME: z.string().min(1).default('leaddesk'),
  /** Sentry (or a Sentry-compatible service such as GlitchTip): unexpected errors are reported there; off when unset. */
  SENTRY_DSN: optionalUrl,
  /** The environment name on Sentry events. @default NODE_ENV */
  SENTRY_ENVIRONMENT: optionalString,

  // Outgoing webhooks (issue 15, docs/outgoing-webhooks.md)
  /** Allow endpoints on private, loopback, link-local and other non-public addresses (development and tests only). */
  OUTGOING_WEBHOOKS_ALLOW_PRIVATE: booleanFlag(false),
  /** Allow plain http:// endpoint URLs (development and tests only); otherwise https is required. */
  OUTGOING_WEBHOOKS_ALLOW_HTTP: booleanFlag(false),
  /** One delivery attempt's deadline (connect, send, answer). */
  OUTGOING_WEBHOOKS_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  /** Wait before the first retry; doubles per attempt (with jitter) up to OUTGOING_WEBHOOKS_RETRY_MAX_MS. */
  OUTGOING_WEBHOOKS_RETRY_BASE_MS: z.coerce.number().int().min(1).max(3_600_000).default(5000),
  OUTGOING_WEBHOOKS_RETRY_MAX_MS: z.coerce.number().int().min(1).max(86_400_000).default(7_200_000),
  /** How long a delivery is retried; then it fails, and an endpoint with no success for as long is disabled. */
  OUTGOING_WEBHOOKS_RETRY_WINDOW_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .max(7 * 86_400_000)
    .default(86_400_000),
  /** How often workers look for deliveries whose job was lost (a process killed between commit and enqueue). */
  OUTGOING_WEBHOOKS_SWEEP_INTERVAL_MS: z.coerce.number().int().min(50).max(600_000).default(30_000),
  /** Deliveries in flight per worker process. */
  OUTGOING_WEBHOOKS_CONCURRENCY: z.coerce.number().int().min(1).max(500).default(16),

  // Channels and integrations
  META_APP_SECRET: optionalString,
  META_GRAPH_BASE_URL: z.string().url().default('https://graph.facebook.com/v21.0'),
  /** Answers Meta's webhook verification (GET /webhooks/whatsapp) for the platform's own app. */
  META_VERIFY_TOKEN: optionalString,
  /** Webhook inbox (docs/channels.md): tries per stored event before it is set aside as a dead letter. */
  WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(5),
  /** Wait before a failed webhook event's second try; doubles per try (at most 5 minutes). */
  WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(10).max(300_000).default(2000),
  /** A webhook event claimed longer than this (its worker died or hung) is taken over. */
  WEBHOOK_CLAIM_TIMEOUT_MS: z.coerce.number().int().min(1000).max(3_600_000).default(120_000),
  /** Generic telephony webhooks (POST /webhooks/missed-call, JSON): HMAC-SHA256 key when the tenant has none. */
  TELEPHONY_WEBHOOK_SECRET: optionalString,
  /** SendGrid's v3 HTTP API base URL (tests point it at a local fake). */
  SENDGRID_BASE_URL: z.string().url().default('https://api.sendgrid.com'),
  /** Staff alert recipients when a tenant has none configured (comma-separated). */
  STAFF_ALERT_EMAILS: csv,
  TWILIO_BASE_URL: z.string().url().default('https://api.twilio.com'),
  SMTP_URL: optionalString,
  EMAIL_FROM: z.string().default('Lead Desk <no-reply@leaddesk.local>'),
  /**
   * The deployment's own branding (docs/white-label.md): what an agency's or a client's branding overrides.
   * The logo and favicon default to the server's own assets (/brand-assets/…).
   */
  BRAND_PRODUCT_NAME: z.string().trim().min(1).max(60).default(PLATFORM_PRODUCT_NAME),
  BRAND_LOGO_URL: z.string().trim().min(1).default('/brand-assets/logo.svg'),
  BRAND_FAVICON_URL: z.string().trim().min(1).default('/brand-assets/favicon.svg'),
  BRAND_PRIMARY_COLOR: z
    .string()
    .regex(/^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/)
    .default('#0f172a'),
  BRAND_ACCENT_COLOR: z
    .string()
    .regex(/^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/)
    .default('#4f46e5'),
  BRAND_SUPPORT_URL: optionalUrl,
  /** The widget's default "Powered by" link (the label is "Powered by <product name>"). */
  BRAND_POWERED_BY_URL: optionalUrl,
  /** How long a process keeps a resolved branding (brand domains, agency and client branding) before reading it again. */
  BRANDING_CACHE_TTL_MS: z.coerce.number().int().min(0).max(300_000).default(5_000),
  /**
   * The platform's own dashboard hosts besides PUBLIC_URL's (comma-separated): no agency or client may claim
   * one as its brand domain.
   */
  BRAND_RESERVED_HOSTS: csv,
  /**
   * Brand domain verification (docs/white-label.md, "Domains"): the label of the DNS TXT record a tenant
   * publishes under its host (`<label>.<host>`). Neutral on purpose: white-label customers must not see the
   * platform's name in it.
   */
  BRAND_DOMAIN_TXT_LABEL: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^_?[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, 'expected one DNS label, like _domain-verification')
    .default('_domain-verification'),
  /** How long an unverified claim holds its host: after that another tenant may claim it. */
  BRAND_DOMAIN_PENDING_HOURS: z.coerce.number().int().min(1).max(8760).default(168),
  /** How often a worker looks up the TXT records of pending claims (once across processes); 0 turns it off. */
  BRAND_DOMAIN_RECHECK_MS: z.coerce.number().int().min(0).max(86_400_000).default(600_000),
  /**
   * How often a verified domain's TXT record is looked up again (by the same re-check rounds); 0: never. A
   * domain whose record is gone keeps being served for BRAND_DOMAIN_REVERIFY_GRACE_HOURS, then is pending
   * again, so a host that changed hands stops showing the old tenant's brand.
   */
  BRAND_DOMAIN_REVERIFY_HOURS: z.coerce.number().min(0).max(8760).default(24),
  BRAND_DOMAIN_REVERIFY_GRACE_HOURS: z.coerce.number().min(0).max(8760).default(72),
  /**
   * DNS servers to ask for TXT records (comma-separated `ip` or `ip:port`); empty: the system's resolvers.
   * Tests point it at a local DNS server.
   */
  BRAND_DNS_SERVERS: csv.pipe(
    z.array(
      z
        .string()
        .regex(
          /^(?:\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?|\[[0-9a-fA-F:]+\](?::\d{1,5})?|[0-9a-fA-F:]+)$/,
          'expected an IP address, optionally with :port',
        ),
    ),
  ),
  /** One TXT lookup's time limit (per try; two tries). */
  BRAND_DNS_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(3_000),
  SENDGRID_API_KEY: optionalString,
  CALCOM_API_KEY: optionalString,
  CALCOM_BASE_URL: z.string().url().default('https://api.cal.com'),
  HUBSPOT_ACCESS_TOKEN: optionalString,
  HUBSPOT_BASE_URL: z.string().url().default('https://api.hubapi.com'),
  /** HubSpot API calls per tenant per 10 s (HubSpot allows 100 for private apps), shared across processes with Redis. */
  HUBSPOT_RATE_PER_10S: z.coerce.number().int().min(1).max(1000).default(100),
  /** A lead's changes within this window reach HubSpot as one sync (bursts of qualification updates). */
  HUBSPOT_SYNC_DELAY_MS: z.coerce.number().int().min(0).max(600_000).default(2000),
  /** How long one process holds a lead's sync; a killed process's lease runs out after it. */
  HUBSPOT_SYNC_LEASE_MS: z.coerce.number().int().min(500).max(3_600_000).default(60_000),
  /** How often a worker looks for leads left pending (a killed worker, a lost job) and queues them again. */
  HUBSPOT_SYNC_SWEEP_MS: z.coerce.number().int().min(200).max(3_600_000).default(30_000),
  HUBSPOT_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(15_000),
  /**
   * After erasing a lead, how long until a second pass removes what work in flight at that moment wrote
   * after it (an outbox copy of a reply that finished just after, an automation firing); docs/privacy.md.
   */
  PRIVACY_ERASE_SWEEP_MS: z.coerce.number().int().min(100).max(3_600_000).default(120_000),
});

export type Env = z.infer<typeof envSchema>;
