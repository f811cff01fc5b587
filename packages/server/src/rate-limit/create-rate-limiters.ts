import { Redis } from 'ioredis';
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { Config } from '../config/config.js';
import { AppError } from '../errors/app-error.js';

/**
 * Rate limits for the public entry points (widget messages per visitor and
 * per site key, web-form submissions per IP and site key). With REDIS_URL the
 * counters live in Redis, so every server process shares them; a memory
 * limiter insures against Redis being down (limits then hold per process).
 */
export interface RateLimiters {
  /** Throws AppError `rate_limited` when any of the keyed limits is exhausted. */
  consume(limits: Array<{ limiter: keyof LimiterSet; key: string }>): Promise<void>;
  close(): Promise<void>;
}

interface LimiterSet {
  visitor: RateLimiterAbstract;
  siteKey: RateLimiterAbstract;
  webForm: RateLimiterAbstract;
}

export function createRateLimiters(config: Config): RateLimiters {
  const env = config.raw;
  const definitions = {
    visitor: { points: env.WIDGET_RATE_VISITOR_PER_MINUTE, duration: 60 },
    siteKey: { points: env.WIDGET_RATE_SITE_PER_MINUTE, duration: 60 },
    webForm: { points: env.WEB_FORM_RATE_PER_MINUTE, duration: 60 },
  } as const;
  let redis: Redis | undefined;
  if (config.redisUrl) {
    redis = new Redis(config.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2000 });
    redis.on('error', () => {});
  }
  const make = (name: keyof LimiterSet): RateLimiterAbstract => {
    const { points, duration } = definitions[name];
    const memory = new RateLimiterMemory({ points, duration, keyPrefix: `ld-rl-${name}` });
    if (!redis) return memory;
    return new RateLimiterRedis({
      storeClient: redis,
      points,
      duration,
      // Under the deployment's prefix (REDIS_PREFIX): two deployments on one Redis count apart.
      keyPrefix: `${config.rateLimit.redisPrefix}${name}`,
      insuranceLimiter: memory,
    });
  };
  const limiters: LimiterSet = { visitor: make('visitor'), siteKey: make('siteKey'), webForm: make('webForm') };

  return {
    async consume(limits) {
      for (const { limiter, key } of limits) {
        try {
          await limiters[limiter].consume(key);
        } catch (err) {
          if (err instanceof RateLimiterRes) {
            const seconds = Math.max(1, Math.ceil(err.msBeforeNext / 1000));
            throw new AppError('rate_limited', `too many messages; try again in ${seconds} s`, [
              { path: 'retryAfterSeconds', message: String(seconds) },
            ]);
          }
          throw err;
        }
      }
    },
    async close() {
      redis?.disconnect();
    },
  };
}
