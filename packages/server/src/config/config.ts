import path from 'node:path';

import { type Env, envSchema } from './env-schema.js';

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
  };
  logLevel: Env['LOG_LEVEL'];
  dataDir: string;
  database: { kind: 'embedded'; dataDir: string; port: number } | { kind: 'external'; url: string; poolMax: number };
  redisUrl: string | undefined;
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
  email: { smtpUrl: string | undefined; from: string };
  raw: Env;
}

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
  if (!parsed.success || problems.length) throw new ConfigError(problems);
  const env = parsed.data;
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
    },
    logLevel: env.LOG_LEVEL,
    dataDir,
    database: env.DATABASE_URL
      ? { kind: 'external', url: env.DATABASE_URL, poolMax: env.DATABASE_POOL_MAX }
      : { kind: 'embedded', dataDir: path.join(dataDir, 'pglite'), port: env.EMBEDDED_DB_PORT },
    redisUrl: env.REDIS_URL,
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
    rateLimit: {
      windowMs: env.RATE_LIMIT_WINDOW_MS,
      perPlan: { starter: env.RATE_LIMIT_STARTER, growth: env.RATE_LIMIT_GROWTH, scale: env.RATE_LIMIT_SCALE },
      perIp: env.RATE_LIMIT_PER_IP,
      auth: env.RATE_LIMIT_AUTH,
      authWindowMs: env.RATE_LIMIT_AUTH_WINDOW_MS,
      redisPrefix: env.RATE_LIMIT_REDIS_PREFIX,
    },
    email: { smtpUrl: env.SMTP_URL, from: env.EMAIL_FROM },
    raw: env,
  };
}
