import { z } from 'zod';

/**
 * What AI tokens cost, per model: the ROI report's AI spend (docs/reports.md).
 * Prices are per million tokens, in the table's currency (USD: what the
 * providers bill in). A model is priced by its exact name, else by the longest
 * key it is a dated snapshot of (`claude-haiku-4-5-20251001`,
 * `gpt-4o-mini-2024-07-18`). A model found nowhere is unpriced: reported,
 * never counted as 0.
 */
export const modelPriceSchema = z.object({
  /** Uncached input tokens. */
  input: z.number().min(0).max(10_000),
  output: z.number().min(0).max(10_000),
  /** Input read from the prompt cache. */
  cacheRead: z.number().min(0).max(10_000),
  /** Input written to the prompt cache (Anthropic bills it above input; OpenAI's caching has no write price). */
  cacheWrite: z.number().min(0).max(10_000),
});
export type ModelPrice = z.infer<typeof modelPriceSchema>;

export interface AiPriceTable {
  currency: string;
  models: Record<string, ModelPrice>;
}

const anthropic = (input: number, output: number): ModelPrice => ({
  input,
  output,
  cacheRead: input / 10,
  cacheWrite: input * 1.25,
});
const openai = (input: number, output: number, cacheRead: number): ModelPrice => ({
  input,
  output,
  cacheRead,
  cacheWrite: input,
});

/**
 * The providers' list prices (USD per million tokens) for the models Lead Desk
 * uses by default and their neighbours, as published in late 2025. Prices
 * change: override or add models with AI_MODEL_PRICES rather than editing this.
 */
export const DEFAULT_MODEL_PRICES: Record<string, ModelPrice> = {
  'claude-opus-4-5': anthropic(5, 25),
  'claude-opus-4-1': anthropic(15, 75),
  'claude-opus-4': anthropic(15, 75),
  'claude-sonnet-4-6': anthropic(3, 15),
  'claude-sonnet-4-5': anthropic(3, 15),
  'claude-sonnet-4': anthropic(3, 15),
  'claude-3-7-sonnet': anthropic(3, 15),
  'claude-haiku-4-5': anthropic(1, 5),
  'claude-3-5-haiku': anthropic(0.8, 4),
  'gpt-5': openai(1.25, 10, 0.125),
  'gpt-5-mini': openai(0.25, 2, 0.025),
  'gpt-5-nano': openai(0.05, 0.4, 0.005),
  'gpt-4.1': openai(2, 8, 0.5),
  'gpt-4.1-mini': openai(0.4, 1.6, 0.1),
  'gpt-4.1-nano': openai(0.1, 0.4, 0.025),
  'gpt-4o': openai(2.5, 10, 1.25),
  'gpt-4o-mini': openai(0.15, 0.6, 0.075),
  'text-embedding-3-small': openai(0.02, 0, 0.02),
  'text-embedding-3-large': openai(0.13, 0, 0.13),
};

/**
 * `AI_MODEL_PRICES`: a JSON object of model → price (per million tokens) laid
 * over the defaults; `null` removes a default (its model becomes unpriced).
 */
export const modelPricesOverrideSchema = z
  .string()
  .optional()
  .transform((text, ctx) => {
    if (text === undefined || text.trim() === '') return {};
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({
        code: 'custom',
        message: 'must be a JSON object of model → { input, output, cacheRead, cacheWrite }',
      });
      return z.NEVER;
    }
  })
  .pipe(z.record(z.string().min(1).max(100), modelPriceSchema.nullable()));

export function priceTable(currency: string, overrides: Record<string, ModelPrice | null>): AiPriceTable {
  const models: Record<string, ModelPrice> = { ...DEFAULT_MODEL_PRICES };
  for (const [model, price] of Object.entries(overrides)) {
    if (price === null) delete models[model];
    else models[model] = price;
  }
  return { currency, models };
}

/** What may follow a priced name in a snapshot's name: a date (`-20251001`, `-2024-07-18`) or `-latest`. */
const SNAPSHOT_SUFFIX = /^-(\d{8}|\d{4}-\d{2}-\d{2}|latest)$/;

/**
 * The key that prices `model`: its exact name, else the key it is a dated
 * snapshot of. Only a date may follow, so a newer model of a family
 * (`claude-opus-4-7`) is unpriced rather than priced as an older one.
 */
export function priceKeyOf(table: AiPriceTable, model: string): string | null {
  if (Object.hasOwn(table.models, model)) return model;
  for (const key of Object.keys(table.models)) {
    if (model.startsWith(key) && SNAPSHOT_SUFFIX.test(model.slice(key.length))) return key;
  }
  return null;
}
