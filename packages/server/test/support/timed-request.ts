/** What one request got: a status within the deadline, or nothing (`hung`). */
export type Answer = { status: number; ms: number; body: string } | { status: 'hung'; ms: number; body: '' };

/**
 * A request that must be answered within `deadlineMs`. A request that is
 * not counts as hung (the socket is dropped) rather than failing the test at
 * once, so a run reports every hang it found.
 */
export async function timedRequest(url: string, init: RequestInit, deadlineMs = 2000): Promise<Answer> {
  const started = performance.now();
  try {
    const res = await fetch(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(deadlineMs) });
    const body = await res.text();
    const ms = performance.now() - started;
    // Headers within the deadline but a body that never ends is a hang too.
    return ms > deadlineMs ? { status: 'hung', ms, body: '' } : { status: res.status, ms, body };
  } catch (err) {
    const ms = performance.now() - started;
    if ((err as Error).name === 'TimeoutError' || (err as Error).name === 'AbortError') {
      return { status: 'hung', ms, body: '' };
    }
    throw err;
  }
}
