import { describe, expect, it } from 'vitest';
import { type AiProvider, ProviderError, type ProviderEvent, type ProviderRequest } from './provider.js';
import { streamWithDeadlines } from './stream-deadlines.js';

const request: ProviderRequest = { tier: 'reply', systemStable: '', systemDynamic: '', messages: [], maxTokens: 10 };

/**
 * A provider playing a timeline: each step waits `afterMs`, then yields its
 * event (or nothing, for a stall). It ignores its signal on purpose, like a
 * stuck SDK would: the deadlines must not depend on it noticing.
 */
function scripted(steps: Array<{ afterMs: number; event?: ProviderEvent }>) {
  const seen: { signal?: AbortSignal } = {};
  const provider: AiProvider = {
    name: 'anthropic',
    modelFor: () => 'm',
    async *stream(_request, signal) {
      seen.signal = signal;
      for (const step of steps) {
        await new Promise((r) => setTimeout(r, step.afterMs));
        if (step.event) yield step.event;
      }
    },
  };
  return { provider, seen };
}

const done: ProviderEvent = {
  type: 'done',
  model: 'm',
  usage: { inputTokens: 1, outputTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0 },
  toolInput: undefined,
  stopReason: 'end_turn',
};

async function drain(stream: AsyncIterable<ProviderEvent>) {
  const events: ProviderEvent[] = [];
  const started = performance.now();
  try {
    for await (const ev of stream) events.push(ev);
    return { events, error: undefined, ms: performance.now() - started };
  } catch (error) {
    return { events, error, ms: performance.now() - started };
  }
}

const far = () => Date.now() + 60_000;

describe('streamWithDeadlines', () => {
  it('fails with a timeout when no event comes within the first-event deadline, and aborts the request', async () => {
    const { provider, seen } = scripted([{ afterMs: 5_000, event: done }]);
    const out = await drain(
      streamWithDeadlines(provider, request, new AbortController().signal, {
        firstEventMs: 80,
        idleMs: 1000,
        endAt: far(),
      }),
    );
    expect(out.error).toBeInstanceOf(ProviderError);
    expect((out.error as ProviderError).kind).toBe('timeout');
    expect((out.error as ProviderError).message).toMatch(/no stream event within 80 ms/);
    expect(out.ms).toBeLessThan(1000);
    expect(seen.signal?.aborted).toBe(true);
  });

  it('fails when the stream goes idle after some events, keeping what came before', async () => {
    const { provider } = scripted([
      { afterMs: 10, event: { type: 'progress' } },
      { afterMs: 10, event: { type: 'text', text: 'Hi' } },
      { afterMs: 5_000, event: done },
    ]);
    const out = await drain(
      streamWithDeadlines(provider, request, new AbortController().signal, {
        firstEventMs: 1000,
        idleMs: 100,
        endAt: far(),
      }),
    );
    expect(out.events.map((e) => e.type)).toEqual(['progress', 'text']);
    expect((out.error as ProviderError).message).toMatch(/stream idle for 100 ms/);
    expect(out.ms).toBeLessThan(1000);
  });

  it('lets a stream that keeps sending events outlast the idle deadline, and leaves a completed request alone', async () => {
    const steps = Array.from({ length: 8 }, () => ({ afterMs: 40, event: { type: 'progress' } as ProviderEvent }));
    const { provider, seen } = scripted([...steps, { afterMs: 40, event: done }]);
    const out = await drain(
      streamWithDeadlines(provider, request, new AbortController().signal, {
        firstEventMs: 100,
        idleMs: 100,
        endAt: far(),
      }),
    );
    expect(out.error).toBeUndefined();
    expect(out.events.at(-1)).toEqual(done);
    expect(out.ms).toBeGreaterThan(300);
    expect(seen.signal?.aborted).toBe(false);
  });

  it('cuts an attempt without visible text at the fallback budget, but not one already streaming text', async () => {
    const progress = Array.from({ length: 20 }, () => ({ afterMs: 20, event: { type: 'progress' } as ProviderEvent }));
    const silent = scripted([...progress, { afterMs: 20, event: done }]);
    const cut = await drain(
      streamWithDeadlines(silent.provider, request, new AbortController().signal, {
        firstEventMs: 1000,
        idleMs: 1000,
        endAt: far(),
        textBy: Date.now() + 150,
      }),
    );
    expect((cut.error as ProviderError).message).toMatch(/fallback budget/);
    expect(cut.ms).toBeLessThan(350);

    const talking = scripted([
      { afterMs: 10, event: { type: 'text', text: 'Hello' } },
      ...progress,
      { afterMs: 20, event: done },
    ]);
    const kept = await drain(
      streamWithDeadlines(talking.provider, request, new AbortController().signal, {
        firstEventMs: 1000,
        idleMs: 1000,
        endAt: far(),
        textBy: Date.now() + 150,
      }),
    );
    expect(kept.error).toBeUndefined();
    expect(kept.events.at(-1)).toEqual(done);
  });

  it('ends at the total deadline however lively the stream is', async () => {
    const lively = Array.from({ length: 100 }, () => ({
      afterMs: 10,
      event: { type: 'text', text: 'x' } as ProviderEvent,
    }));
    const { provider } = scripted(lively);
    const out = await drain(
      streamWithDeadlines(provider, request, new AbortController().signal, {
        firstEventMs: 1000,
        idleMs: 1000,
        endAt: Date.now() + 200,
      }),
    );
    expect((out.error as ProviderError).message).toMatch(/reply deadline/);
    expect(out.ms).toBeLessThan(600);
  });

  it('stops promptly when the caller aborts, even if the provider ignores its signal', async () => {
    const { provider, seen } = scripted([{ afterMs: 5_000, event: done }]);
    const controller = new AbortController();
    setTimeout(() => controller.abort('human_mode'), 50);
    const out = await drain(
      streamWithDeadlines(provider, request, controller.signal, { firstEventMs: 10_000, idleMs: 10_000, endAt: far() }),
    );
    expect(out.error).toBe('human_mode');
    expect(out.ms).toBeLessThan(1000);
    expect(seen.signal?.aborted).toBe(true);
  });

  it('aborts the request when the caller stops reading early (the output guard)', async () => {
    const { provider, seen } = scripted([
      { afterMs: 5, event: { type: 'text', text: 'a' } },
      { afterMs: 5, event: { type: 'text', text: 'b' } },
      { afterMs: 5, event: done },
    ]);
    for await (const ev of streamWithDeadlines(provider, request, new AbortController().signal, {
      firstEventMs: 1000,
      idleMs: 1000,
      endAt: far(),
    })) {
      if (ev.type === 'text') break;
    }
    expect(seen.signal?.aborted).toBe(true);
  });
});
