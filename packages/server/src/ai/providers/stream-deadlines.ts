import { type AiProvider, ProviderError, type ProviderEvent, type ProviderRequest } from './provider.js';

/**
 * The deadlines of one provider attempt. The SDKs' own `timeout` covers only
 * the wait for response headers: a provider that sends its headers and then
 * nothing would hold the reply (and every later message of the conversation)
 * for ever. These are enforced around the stream by the caller instead.
 */
export interface AttemptDeadlines {
  /** Longest wait from sending the request to the provider's first stream event (headers alone do not count). */
  firstEventMs: number;
  /** Longest silence between two stream events once the first has arrived. */
  idleMs: number;
  /** Absolute time (epoch ms) at which the attempt is cut whatever it is doing (the reply's total deadline). */
  endAt: number;
  /**
   * Absolute time at which an attempt that has not streamed visible text yet is cut: past it the engine
   * answers in structured mode rather than keep the visitor waiting (the fallback budget).
   */
  textBy?: number;
}

/**
 * Streams one provider attempt under `deadlines`. A deadline that passes
 * aborts the attempt's own signal (the SDK's request, and with it the socket:
 * `node-http-fetch.ts` destroys the request on abort) and fails the stream
 * with a `timeout` ProviderError at once, without waiting for the SDK to
 * notice. An abort of `signal` ends it the same way, promptly. Whenever the
 * attempt stops before its end (a deadline, the caller breaking out of the
 * loop), the request is aborted, so no connection outlives its attempt.
 *
 * One timer per attempt, re-armed lazily: an event only stamps the time, so
 * the per-delta cost on the streaming path is a `Date.now()` and a race.
 * When it fires early it re-arms for what is left.
 */
export async function* streamWithDeadlines(
  provider: AiProvider,
  request: ProviderRequest,
  signal: AbortSignal,
  deadlines: AttemptDeadlines,
  now: () => number = Date.now,
): AsyncGenerator<ProviderEvent, void, undefined> {
  const controller = new AbortController();
  const started = now();
  let lastEventAt: number | undefined;
  let sawText = false;
  let fail: (err: unknown) => void = () => {};
  const stopped = new Promise<never>((_, reject) => {
    fail = reject;
  });
  // Raced on every read; this only keeps a rejection that lands between two reads from being reported as unhandled.
  stopped.catch(() => {});

  const next = (): { at: number; why: string } => {
    const candidates: Array<{ at: number; why: string }> = [
      lastEventAt === undefined
        ? { at: started + deadlines.firstEventMs, why: `no stream event within ${deadlines.firstEventMs} ms` }
        : { at: lastEventAt + deadlines.idleMs, why: `stream idle for ${deadlines.idleMs} ms` },
      { at: deadlines.endAt, why: 'reply deadline reached' },
    ];
    if (!sawText && deadlines.textBy !== undefined) {
      candidates.push({ at: deadlines.textBy, why: 'no reply text before the fallback budget ran out' });
    }
    return candidates.reduce((a, b) => (b.at < a.at ? b : a));
  };
  let timer: NodeJS.Timeout | undefined;
  const watch = () => {
    const deadline = next();
    const wait = deadline.at - now();
    if (wait > 0) {
      timer = setTimeout(watch, wait);
      return;
    }
    timer = undefined;
    const error = new ProviderError(provider.name, 'timeout', deadline.why);
    controller.abort(error);
    fail(error);
  };
  const onAbort = () => {
    controller.abort(signal.reason);
    fail(signal.reason ?? new DOMException('This operation was aborted', 'AbortError'));
  };
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  watch();

  const iterator = provider.stream(request, controller.signal)[Symbol.asyncIterator]();
  let finished = false;
  try {
    for (;;) {
      const result = await Promise.race([iterator.next(), stopped]);
      if (result.done) {
        finished = true;
        return;
      }
      const first = lastEventAt === undefined;
      lastEventAt = now();
      if (result.value.type === 'text') sawText = true;
      // Every later change moves the deadline later (the timer catches up when it fires), but the idle
      // deadline after the first event may fall before the first-event one the timer was set for.
      if (first) {
        clearTimeout(timer);
        watch();
      }
      yield result.value;
    }
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
    if (!finished) {
      // Cut short: tear the request down (a completed one is left alone, its socket goes back to the pool).
      if (!controller.signal.aborted) controller.abort(new Error('provider attempt stopped'));
      // Not awaited: with a read still pending, `return` waits for it, and the abort is what ends that read.
      iterator.return?.().catch(() => {});
    }
  }
}
