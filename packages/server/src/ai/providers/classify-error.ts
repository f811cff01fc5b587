import { ProviderError } from './provider.js';

/**
 * Turns whatever an SDK threw into a ProviderError: 429 → rate_limited,
 * 529 (and Anthropic's `overloaded_error`, also sent mid-stream as an SSE
 * `error` event) → overloaded, other 5xx → server, timeouts and dropped
 * connections → retryable; other 4xx → client (not retried). Both SDKs' errors
 * carry `status`, `headers` and a class name, so no SDK type is imported here.
 */
export function classifyProviderError(provider: string, err: unknown): ProviderError {
  if (err instanceof ProviderError) return err;
  const e = err as {
    name?: string;
    constructor?: { name?: string };
    status?: number;
    headers?: Headers | Record<string, string>;
    error?: { type?: string; error?: { type?: string } };
    message?: string;
  };
  const cls = `${e?.constructor?.name ?? ''} ${e?.name ?? ''}`;
  const status = typeof e?.status === 'number' ? e.status : undefined;
  const retryAfterMs = parseRetryAfter(e?.headers);
  const errorType = e?.error?.error?.type ?? e?.error?.type ?? '';
  const detail = String(e?.message ?? err).slice(0, 300);
  if (/Timeout/i.test(cls) || status === 408)
    return new ProviderError(provider, 'timeout', detail, status, retryAfterMs);
  if (status === 429) return new ProviderError(provider, 'rate_limited', detail, status, retryAfterMs);
  if (status === 529 || errorType === 'overloaded_error' || /overloaded/i.test(detail)) {
    return new ProviderError(provider, 'overloaded', detail, status, retryAfterMs);
  }
  if (status !== undefined && status >= 500) return new ProviderError(provider, 'server', detail, status, retryAfterMs);
  if (status !== undefined && status >= 400) return new ProviderError(provider, 'client', detail, status);
  if (/Connection|ECONNRESET|ECONNREFUSED|socket hang up|terminated|fetch failed/i.test(`${cls} ${detail}`)) {
    return new ProviderError(provider, 'connection', detail);
  }
  // A stream that ended abnormally without a status (SSE error event, parse failure).
  return new ProviderError(provider, errorType ? 'server' : 'connection', detail);
}

/** `retry-after` in seconds or as an HTTP date; `retry-after-ms` when a provider sends it. */
export function parseRetryAfter(headers: Headers | Record<string, string> | undefined): number | undefined {
  if (!headers) return undefined;
  const get = (name: string) =>
    typeof (headers as Headers).get === 'function'
      ? (headers as Headers).get(name)
      : ((headers as Record<string, string>)[name] ?? null);
  const ms = Number(get('retry-after-ms'));
  if (Number.isFinite(ms) && ms > 0) return ms;
  const raw = get('retry-after');
  if (!raw) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(raw);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}
