import type { ProviderUsage } from '../providers/provider.js';

/** One provider call of a reply, with the usage its provider has reported so far. */
export interface UsageEntry {
  kind: 'reply' | 'router';
  model: string;
  usage: ProviderUsage | undefined;
  metered: boolean;
}

export const NO_USAGE: ProviderUsage = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };

export function tokensOf(usage: ProviderUsage | undefined): number {
  return usage ? usage.inputTokens + usage.outputTokens + usage.cacheReadTokens + usage.cacheWriteTokens : 0;
}

/**
 * The tokens one reply spent, call by call, kept up to date while each
 * stream runs, so that every outcome is metered: a finished reply, a reply
 * stopped by the output guard, cut off mid-stream, aborted (staff took over,
 * shutdown) or failed over to the next provider. Before, only a finished
 * call was metered, and a cut-off reply's tokens leaked out of the budget.
 *
 * `flush` meters each call once; it is safe to call again (from a `finally`
 * after an abort) and meters only what is left.
 */
export class ReplyUsage {
  private readonly entries: UsageEntry[] = [];

  constructor(private readonly record: (model: string, usage: ProviderUsage) => Promise<void>) {}

  /** A new provider call; update its `usage` as the provider reports it. */
  begin(kind: UsageEntry['kind'], model: string): UsageEntry {
    const entry: UsageEntry = { kind, model, usage: undefined, metered: false };
    this.entries.push(entry);
    return entry;
  }

  /** Tokens of the reply's own calls (the router's are metered but not part of the reply's metadata). */
  replyTotal(): ProviderUsage {
    const total = { ...NO_USAGE };
    for (const e of this.entries) {
      if (e.kind !== 'reply' || !e.usage) continue;
      total.inputTokens += e.usage.inputTokens;
      total.outputTokens += e.usage.outputTokens;
      total.cacheReadTokens += e.usage.cacheReadTokens;
      total.cacheWriteTokens += e.usage.cacheWriteTokens;
    }
    return total;
  }

  /** Meters every call not metered yet that reported tokens. */
  flush(): Promise<void> {
    const due = this.entries.filter((e) => !e.metered && tokensOf(e.usage) > 0);
    for (const e of due) e.metered = true;
    return Promise.all(due.map((e) => this.record(e.model, e.usage as ProviderUsage))).then(() => undefined);
  }
}
