import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.js';
import { classifyProviderError, parseRetryAfter } from './classify-error.js';
import { ProviderError } from './provider.js';

const options = { baseMs: 100, maxMs: 2000 };

describe('backoff', () => {
  it('grows exponentially with jitter between half and all of the ceiling, capped', () => {
    const error = new ProviderError('anthropic', 'overloaded', 'Overloaded', 529);
    expect(backoffDelay(0, error, { ...options, random: () => 0 })).toBe(50);
    expect(backoffDelay(0, error, { ...options, random: () => 1 })).toBe(100);
    expect(backoffDelay(3, error, { ...options, random: () => 0.5 })).toBe(600);
    expect(backoffDelay(10, error, { ...options, random: () => 1 })).toBe(2000);
  });

  it('uses retry-after when the provider sends it', () => {
    const error = new ProviderError('anthropic', 'rate_limited', 'rate limited', 429, 1500);
    expect(backoffDelay(0, error, { ...options, random: () => 0 })).toBe(1500);
  });

  it('parses retry-after as seconds, as an HTTP date, and retry-after-ms', () => {
    expect(parseRetryAfter(new Headers({ 'retry-after': '23' }))).toBe(23_000);
    expect(parseRetryAfter(new Headers({ 'retry-after-ms': '250' }))).toBe(250);
    const date = new Date(Date.now() + 5000).toUTCString();
    expect(parseRetryAfter(new Headers({ 'retry-after': date }))).toBeGreaterThan(3000);
    expect(parseRetryAfter(new Headers())).toBeUndefined();
  });

  it('classifies provider failures: retryable or not', () => {
    const status = (s: number, headers: Record<string, string> = {}) =>
      classifyProviderError('x', Object.assign(new Error('boom'), { status: s, headers: new Headers(headers) }));
    expect(status(429, { 'retry-after': '2' })).toMatchObject({
      kind: 'rate_limited',
      retryable: true,
      retryAfterMs: 2000,
    });
    expect(status(529)).toMatchObject({ kind: 'overloaded', retryable: true });
    expect(status(503)).toMatchObject({ kind: 'server', retryable: true });
    expect(status(400)).toMatchObject({ kind: 'client', retryable: false });
    expect(status(401)).toMatchObject({ kind: 'client', retryable: false });
    expect(
      classifyProviderError('x', Object.assign(new Error('Request timed out.'), { name: 'APIConnectionTimeoutError' }))
        .kind,
    ).toBe('timeout');
    // Anthropic's mid-stream SSE error event carries no status, only the error type.
    expect(
      classifyProviderError(
        'x',
        Object.assign(new Error('Overloaded'), { error: { type: 'error', error: { type: 'overloaded_error' } } }),
      ).kind,
    ).toBe('overloaded');
  });
});
