import path from 'node:path';
import type { EffectiveBranding, Plan, PlanChannel } from '@leaddesk/shared';

import { type AiPriceTable, priceTable } from './ai-prices.js';
import { type Env, envSchema, PLATFORM_PRODUCT_NAME } from './env-schema.js';

export interface Config {
  env: Env['NODE_ENV'];
  isProduction: boolean;
  http: {
    port: number;
    host: string;
    publicUrl: string | undefined;
    corsOrigins: string[];
    bodyLimit: string;
    shutdownTimeoutMs: number;
    /** SIGTERM: `/readyz` answers 503 this long first, then sockets close over `socketDrainMs` (both fit the timeout). */
    readyGraceMs: number;
    socketDrainMs: number;
  };
  /** What this process runs: `web` (HTTP, sockets), `worker` (jobs, sweeps, schedules) or `all`. */
  role: Role;
  /** Apply pending migrations at start; otherwise refuse to start while any is pending. */
  migrateOnStart: boolean;
  logLevel: Env['LOG_LEVEL'];
  dataDir: string;
  database: { kind: 'embedded'; dataDir: string; port: number } | { kind: 'external'; url: string; poolMax: number };
  redisUrl: string | undefined;
  /** Prefix of every Redis key and channel of this deployment. */
  redisPrefix: string;
  realtime: { requestTimeoutMs: number };
  seedDemo: boolean;
  appSecret: string | undefined;
  auth: {
    accessTtlSeconds: number;
    refreshTtlDays: number;
    lockoutAttempts: number;
    lockoutMinutes: number;
    invitationTtlHours: number;
    emailVerificationTtlHours: number;
    passwordResetTtlMinutes: number;
    passwordMinScore: number;
  };
  rateLimit: {
    windowMs: number;
    perPlan: { starter: number; growth: number; scale: number };
    perIp: number;
    auth: number;
    authWindowMs: number;
    redisPrefix: string;
  };
  /** Per plan: seats (null = unlimited) and the channels it includes. */
  plans: Record<Plan, { seats: number | null; channels: PlanChannel[] }>;
  /** Public sign-up: whether it is open, and the plan a new business starts on. */
  signup: { enabled: boolean; plan: Plan };
  email: { smtpUrl: string | undefined; from: string };
  /** The deployment's own branding, under every agency's and client's (docs/white-label.md). */
  branding: {
    defaults: EffectiveBranding;
    cacheTtlMs: number;
    /** The deployment's own hosts (PUBLIC_URL's and BRAND_RESERVED_HOSTS), never a brand domain. */
    reservedHosts: string[];
    /** The deployment's own host serves the widget loader with the deprecated platform-named aliases (WIDGET_LEGACY_API). */
    legacyWidgetApi: boolean;
    /** Ownership checks of brand domains by DNS TXT record (docs/white-label.md, "Domains"). */
    domains: {
      /** The record's label under the host: `<txtLabel>.<host>`. */
      txtLabel: string;
      pendingTtlMs: number;
      /** 0: no periodic re-check. */
      recheckMs: number;
      /** How often a verified domain is looked up again (0: never), and how long a missing record is tolerated. */
      reverifyMs: number;
      reverifyGraceMs: number;
      /** Empty: the system's resolvers. */
      dnsServers: string[];
      dnsTimeoutMs: number;
    };
  };
  /** AI model prices for the ROI report's AI spend (AI_MODEL_PRICES over the defaults). */
  aiPrices: AiPriceTable;
  raw: Env;
}

export type Role = Env['ROLE'];

/** Whether a process of this role serves HTTP and sockets / runs job workers, sweeps and schedules. */
export const servesWeb = (role: Role) => role !== 'worker';
export const runsWorkers = (role: Role) => role !== 'web';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment once. Throws a ConfigError naming every bad variable. */
export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(source);
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  // Development and tests generate a secret under DATA_DIR (auth/app-secret.ts); production must choose one.
  if (source.NODE_ENV === 'production' && !source.APP_SECRET?.trim()) {
    problems.push('APP_SECRET: is required in production (32+ random characters)');
  }
  if (parsed.success && parsed.data.ROLE !== 'all') {
    // One role alone assumes other processes share its state: a database server, and Redis to reach their sockets.
    if (!parsed.data.DATABASE_URL) problems.push(`ROLE: ${parsed.data.ROLE} needs DATABASE_URL (a PostgreSQL server)`);
    if (!parsed.data.REDIS_URL) problems.push(`ROLE: ${parsed.data.ROLE} needs REDIS_URL (sockets across processes)`);
  }
  if (!parsed.success || problems.length) throw new ConfigError(problems);
  const env = parsed.data;
  const drain = fitDrain(env.SHUTDOWN_TIMEOUT_MS, env.SHUTDOWN_READY_GRACE_MS, env.SHUTDOWN_SOCKET_DRAIN_MS);
  const dataDir = path.resolve(env.DATA_DIR);
  return {
    env: env.NODE_ENV,
    isProduction: env.NODE_ENV === 'production',
    http: {
      port: env.PORT,
      host: env.HOST,
      publicUrl: env.PUBLIC_URL?.replace(/\/$/, ''),
      corsOrigins: env.CORS_ORIGINS,
      bodyLimit: env.BODY_LIMIT,
      shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
      ...drain,
    },
    role: env.ROLE,
    migrateOnStart: env.MIGRATE_ON_START,
    logLevel: env.LOG_LEVEL,
    dataDir,
    database: env.DATABASE_URL
      ? { kind: 'external', url: env.DATABASE_URL, poolMax: env.DATABASE_POOL_MAX }
      : { kind: 'embedded', dataDir: path.join(dataDir, 'pglite'), port: env.EMBEDDED_DB_PORT },
    redisUrl: env.REDIS_URL,
    redisPrefix: env.REDIS_PREFIX,
    realtime: { requestTimeoutMs: env.REALTIME_REQUEST_TIMEOUT_MS },
    seedDemo: env.SEED_DEMO,
    appSecret: env.APP_SECRET,
    auth: {
      accessTtlSeconds: env.JWT_ACCESS_TTL_SECONDS,
      refreshTtlDays: env.REFRESH_TOKEN_TTL_DAYS,
      lockoutAttempts: env.AUTH_LOCKOUT_ATTEMPTS,
      lockoutMinutes: env.AUTH_LOCKOUT_MINUTES,
      invitationTtlHours: env.INVITATION_TTL_HOURS,
      emailVerificationTtlHours: env.EMAIL_VERIFICATION_TTL_HOURS,
      passwordResetTtlMinutes: env.PASSWORD_RESET_TTL_MINUTES,
      passwordMinScore: env.PASSWORD_MIN_SCORE,
    },
    signup: { enabled: env.PUBLIC_SIGNUP, plan: env.SIGNUP_PLAN },
    plans: {
      starter: { seats: env.PLAN_SEATS_STARTER || null, channels: env.PLAN_CHANNELS_STARTER },
      growth: { seats: env.PLAN_SEATS_GROWTH || null, channels: env.PLAN_CHANNELS_GROWTH },
      scale: { seats: env.PLAN_SEATS_SCALE || null, channels: env.PLAN_CHANNELS_SCALE },
    },
    rateLimit: {
      windowMs: env.RATE_LIMIT_WINDOW_MS,
      perPlan: { starter: env.RATE_LIMIT_STARTER, growth: env.RATE_LIMIT_GROWTH, scale: env.RATE_LIMIT_SCALE },
      perIp: env.RATE_LIMIT_PER_IP,
      auth: env.RATE_LIMIT_AUTH,
      authWindowMs: env.RATE_LIMIT_AUTH_WINDOW_MS,
      redisPrefix: env.RATE_LIMIT_REDIS_PREFIX ?? `${env.REDIS_PREFIX}rl:`,
    },
    email: { smtpUrl: env.SMTP_URL, from: env.EMAIL_FROM },
    branding: {
      defaults: defaultBranding(env),
      cacheTtlMs: env.BRANDING_CACHE_TTL_MS,
      reservedHosts: [...(env.PUBLIC_URL ? [new URL(env.PUBLIC_URL).hostname] : []), ...env.BRAND_RESERVED_HOSTS].map(
        (h) => h.toLowerCase(),
      ),
      legacyWidgetApi: env.WIDGET_LEGACY_API ?? env.BRAND_PRODUCT_NAME === PLATFORM_PRODUCT_NAME,
      domains: {
        txtLabel: env.BRAND_DOMAIN_TXT_LABEL,
        pendingTtlMs: env.BRAND_DOMAIN_PENDING_HOURS * 3_600_000,
        recheckMs: env.BRAND_DOMAIN_RECHECK_MS,
        reverifyMs: Math.round(env.BRAND_DOMAIN_REVERIFY_HOURS * 3_600_000),
        reverifyGraceMs: Math.round(env.BRAND_DOMAIN_REVERIFY_GRACE_HOURS * 3_600_000),
        dnsServers: env.BRAND_DNS_SERVERS,
        dnsTimeoutMs: env.BRAND_DNS_TIMEOUT_MS,
      },
    },
    aiPrices: priceTable(env.AI_PRICE_CURRENCY, env.AI_MODEL_PRICES),
    raw: env,
  };
}

/** The deployment's branding from BRAND_* and EMAIL_FROM (`Name <address>` or a bare address). */
function defaultBranding(env: Env): EffectiveBranding {
  const from = /^\s*"?(.*?)"?\s*<([^>]+)>\s*$/.exec(env.EMAIL_FROM);
  return {
    productName: env.BRAND_PRODUCT_NAME,
    logoUrl: env.BRAND_LOGO_URL,
    faviconUrl: env.BRAND_FAVICON_URL,
    primaryColor: env.BRAND_PRIMARY_COLOR,
    accentColor: env.BRAND_ACCENT_COLOR,
    emailFromName: from?.[1] || env.BRAND_PRODUCT_NAME,
    emailFromAddress: from?.[2]?.trim() ?? env.EMAIL_FROM.trim(),
    ...(env.BRAND_SUPPORT_URL ? { supportUrl: env.BRAND_SUPPORT_URL } : {}),
    // No label: the widget says "Powered by <product name>" in the visitor's language.
    poweredBy: { hidden: false, ...(env.BRAND_POWERED_BY_URL ? { url: env.BRAND_POWERED_BY_URL } : {}) },
  };
}

/**
 * The ready grace and the socket drain, shrunk in proportion when together they would leave less than a
 * fifth of SHUTDOWN_TIMEOUT_MS for the rest of the shutdown (replies handed over, connections closed).
 */
function fitDrain(timeoutMs: number, readyGraceMs: number, socketDrainMs: number) {
  const budget = Math.floor(timeoutMs * 0.8);
  const wanted = readyGraceMs + socketDrainMs;
  if (wanted <= budget) return { readyGraceMs, socketDrainMs };
  const scale = budget / wanted;
  return { readyGraceMs: Math.floor(readyGraceMs * scale), socketDrainMs: Math.floor(socketDrainMs * scale) };
}
