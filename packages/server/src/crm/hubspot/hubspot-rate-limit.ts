import type { Redis } from 'ioredis';
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

/**
 * HubSpot's per-account budget (about 100 requests per 10 s for a private
 * app), kept per tenant. With Redis the counter is shared by every process of
 * the deployment, so three workers syncing one tenant's backlog together stay
 * inside one budget; a memory limiter insures against Redis being down (the
 * budget then holds per process, and HubSpot's own 429 is still honoured).
 */
export interface HubSpotRateLimiter {
  /** Waits until one request of this tenant's budget is free, then takes it. */
  take(tenantKey: string): Promise<void>;
  /** HubSpot said 429: nobody calls for this tenant during `ms`. */
  pause(tenantKey: string, ms: number): Promise<void>;
}

export interface HubSpotRateLimiterOptions {
  /** Requests per 10 s per tenant. @default 100 */
  perTenGiven?: number;
  redis?: Redis;
  /** Under the deployment's REDIS_PREFIX. */
  keyPrefix: string;
  sleep?: (ms: number) => Promise<void>;
}

export function createHubSpotRateLimiter(options: HubSpotRateLimiterOptions): HubSpotRateLimiter {
  const points = options.perTenGiven ?? 100;
  const sleep = options.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
  const memory = new RateLimiterMemory({ points, duration: 10, keyPrefix: 'ld-hubspot' });
  const limiter: RateLimiterAbstract = options.redis
    ? new RateLimiterRedis({
        storeClient: options.redis,
        points,
        duration: 10,
        keyPrefix: `${options.keyPrefix}hubspot`,
        insuranceLimiter: memory,
      })
    : memory;
  return {
    async take(tenantKey) {
      for (;;) {
        try {
          await limiter.consume(tenantKey);
          return;
        } catch (err) {
          if (!(err instanceof RateLimiterRes)) throw err;
          // Spread the waiters a little so they do not all come back in the same millisecond.
          await sleep(err.msBeforeNext + Math.floor(Math.random() * 50));
        }
      }
    },
    async pause(tenantKey, ms) {
      // block() makes every consume() fail until it ends: the waiters above sleep it out.
      await limiter.block(tenantKey, Math.max(1, Math.ceil(ms / 1000)));
    },
  };
}
