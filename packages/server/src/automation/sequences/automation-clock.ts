/**
 * The time follow-ups, review requests, digests and retention are measured
 * on, and how a wait on that clock becomes a real delay for the job backend.
 *
 * Design note: the job backends keep their own time (Redis for BullMQ's
 * delayed jobs, PostgreSQL's `now()` for the embedded queue), so a test cannot
 * move them with an injected `() => Date`. Instead automation time may run
 * `scale` times faster than real time from an `anchor` instant shared by every
 * process (AUTOMATION_TIME_SCALE, AUTOMATION_TIME_ANCHOR_MS): three days pass in
 * a few seconds, jobs are delayed by the scaled-down real wait, and two
 * processes (or a restarted one) agree on what time it is. In production the
 * scale is 1 and this is the wall clock.
 */
export interface AutomationClock {
  now(): Date;
  /** The real delay after which `at` (automation time) is reached; 0 when it has passed. */
  delayUntil(at: Date): number;
  readonly scale: number;
}

export function automationClock(options: { scale?: number; anchorMs?: number } = {}): AutomationClock {
  const scale = options.scale ?? 1;
  const anchor = options.anchorMs ?? Date.now();
  const now = () => new Date(scale === 1 ? Date.now() : anchor + (Date.now() - anchor) * scale);
  return {
    scale,
    now,
    delayUntil: (at) => Math.max(0, Math.ceil((at.getTime() - now().getTime()) / scale)),
  };
}
