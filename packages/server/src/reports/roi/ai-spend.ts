import type { AiModelSpend, AiSpendDto } from '@leaddesk/shared';
import { type AiPriceTable, priceKeyOf } from '../../config/ai-prices.js';
import type { Sql } from '../../db/sql.js';

type Query = Pick<Sql, 'query'>;

/** Rounds money to 1/10,000 (a cheap model's spend over a day is a fraction of a cent). */
const round4 = (v: number) => Math.round(v * 10_000) / 10_000;

/**
 * The AI spend of one tenant over the dates `from`..`to`: the usage rows
 * (`usage_logs`, one per model and day, kept by the usage meter) priced with
 * the server's table. `usage_logs.day` is the UTC date of the calls, so the
 * period's dates are read as UTC dates here (docs/reports.md).
 */
export async function aiSpend(
  q: Query,
  prices: AiPriceTable,
  clientId: string,
  from: string,
  to: string,
): Promise<AiSpendDto> {
  const rows = await q.query<
    Array<{
      model: string;
      requests: number;
      input_tokens: string;
      output_tokens: string;
      cache_read_tokens: string;
      cache_write_tokens: string;
    }>
  >(
    `select model, sum(requests)::int as requests, sum(input_tokens) as input_tokens, sum(output_tokens) as output_tokens,
       sum(cache_read_tokens) as cache_read_tokens, sum(cache_write_tokens) as cache_write_tokens
     from usage_logs where client_id = ? and day between ?::date and ?::date group by model order by model`,
    [clientId, from, to],
  );
  let cost = 0;
  let tokens = 0;
  let unpricedTokens = 0;
  const unpricedModels: string[] = [];
  const byModel: AiModelSpend[] = rows.map((r) => {
    const usage = {
      inputTokens: Number(r.input_tokens),
      outputTokens: Number(r.output_tokens),
      cacheReadTokens: Number(r.cache_read_tokens),
      cacheWriteTokens: Number(r.cache_write_tokens),
    };
    const total = usage.inputTokens + usage.outputTokens + usage.cacheReadTokens + usage.cacheWriteTokens;
    tokens += total;
    const key = priceKeyOf(prices, r.model);
    const price = key ? prices.models[key] : undefined;
    let modelCost: number | null = null;
    if (price) {
      modelCost =
        (usage.inputTokens * price.input +
          usage.outputTokens * price.output +
          usage.cacheReadTokens * price.cacheRead +
          usage.cacheWriteTokens * price.cacheWrite) /
        1_000_000;
      cost += modelCost;
    } else {
      unpricedTokens += total;
      unpricedModels.push(r.model);
    }
    return {
      model: r.model,
      requests: Number(r.requests),
      ...usage,
      pricedAs: key,
      cost: modelCost === null ? null : round4(modelCost),
    };
  });
  return { currency: prices.currency, cost: round4(cost), tokens, unpricedTokens, unpricedModels, byModel };
}
