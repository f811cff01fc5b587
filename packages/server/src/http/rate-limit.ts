import type { Plan } from '@leaddesk/shared';
import type { Request, RequestHandler } from 'express';
import { ipKeyGenerator, type Options, rateLimit, type Store } from 'express-rate-limit';
import { Redis } from 'ioredis';
import { RedisStore } from 'rate-limit-redis';
import type { Config } from '../config/config.js';
import { AppError } from '../errors/app-error.js';
import type { Logger } from '../logger.js';

/**
 * API rate limits (express-rate-limit, IETF draft-8 `RateLimit` and
 * `RateLimit-Policy` headers):
 * - per IP on every /api/v1 route, before authentication (guessing keys costs too);
 * - per client, sized by its plan, after authentication;
 * - a stricter per-IP limit on login, 2FA, refresh, reset and invitation routes.
 * Counters live in Redis when REDIS_URL is set (shared by every instance),
 * in memory otherwise. Webhooks are not mounted under /api/v1 and are not
 * limited per IP: providers send from few addresses; their signatures protect them.
 */
export interface RateLimits {
  perIp: RequestHandler;
  perClient: RequestHandler;
  auth: RequestHandler;
  close(): void;
}

export function createRateLimits(config: Config, logger: Logger): RateLimits {
  const rl = config.rateLimit;
  let redis: Redis | undefined;
  if (config.redisUrl) {
    // Fail fast: with Redis down a request is let through (passOnStoreError), never held.
    redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 1, connectTimeout: 2000, lazyConnect: false });
    redis.on('error', () => {});
  }
  const store = (name: string): Store | undefined =>
    redis
      ? new RedisStore({
          prefix: `${rl.redisPrefix}${name}:`,
          sendCommand: (command: string, ...args: string[]) =>
            redis.call(command, ...args) as Promise<number | string | (number | string)[]>,
        })
      : undefined;

  const common: Partial<Options> = {
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    passOnStoreError: true,
    handler: (_req, res, next, options) => {
      const retry = res.getHeader('retry-after');
      next(
        new AppError(
          'rate_limited',
          `too many requests; try again${retry ? ` in ${retry} seconds` : ' later'} (limit ${String(options.limit)})`,
        ),
      );
    },
  };
  const ipKey = (req: Request) => ipKeyGenerator(req.ip ?? 'unknown', 56);

  const perIp = rateLimit({
    ...common,
    identifier: 'ip',
    windowMs: rl.windowMs,
    limit: rl.perIp,
    keyGenerator: ipKey,
    store: store('ip'),
  });
  const perClient = rateLimit({
    ...common,
    identifier: 'client',
    windowMs: rl.windowMs,
    limit: (req: Request) => (req.client ? rl.perPlan[req.client.plan as Plan] : rl.perPlan.starter),
    // A super admin or agency staff member without a selected client is counted on their own account.
    keyGenerator: (req: Request) => req.client?.id ?? `user:${req.principal?.userId ?? ipKey(req)}`,
    store: store('client'),
  });
  const auth = rateLimit({
    ...common,
    identifier: 'auth',
    windowMs: rl.authWindowMs,
    limit: rl.auth,
    keyGenerator: ipKey,
    store: store('auth'),
  });
  if (redis) logger.debug('rate limits counted in Redis');
  return {
    perIp,
    perClient,
    auth,
    close() {
      redis?.disconnect();
    },
  };
}
