/**
 * When the next attempt of a failed delivery runs. Exponential (base, 2×base,
 * 4×base …, at most `maxMs`), with ±25 % jitter so the deliveries that failed
 * together (an endpoint that was down) do not all come back at the same
 * instant. Attempts stop once `windowMs` has passed since the first attempt;
 * the last retry is moved to the window's end rather than past it.
 */
export interface RetryPolicy {
  baseMs: number;
  maxMs: number;
  windowMs: number;
}

/** Null: give up (the window is spent). `attempt` is the attempt that just failed (1 = the first). */
export function nextRetryAt(
  policy: RetryPolicy,
  attempt: number,
  firstAttemptAt: Date,
  now: Date,
  random: () => number = Math.random,
): Date | null {
  const end = firstAttemptAt.getTime() + policy.windowMs;
  if (now.getTime() >= end) return null;
  const exponential = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(attempt - 1, 40));
  const delay = Math.round(exponential * (0.75 + random() * 0.5));
  return new Date(Math.min(end, now.getTime() + delay));
}
