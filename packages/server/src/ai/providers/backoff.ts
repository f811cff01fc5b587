import type { ProviderError } from './provider.js';

export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
  /** Injected in tests; Math.random otherwise. */
  random?: () => number;
}

/**
 * Wait before retry `attempt` (0-based): exponential with full jitter, or the
 * provider's `retry-after` when it sent one (the engine falls back to the next
 * provider instead when that is longer than `maxMs`).
 */
export function backoffDelay(attempt: number, error: ProviderError, options: BackoffOptions): number {
  if (error.retryAfterMs !== undefined) return Math.min(error.retryAfterMs, options.maxMs);
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** attempt);
  const random = options.random ?? Math.random;
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted || ms <= 0) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
