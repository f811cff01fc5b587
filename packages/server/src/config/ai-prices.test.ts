import { describe, expect, it } from 'vitest';
import { DEFAULT_MODEL_PRICES, priceKeyOf, priceTable } from './ai-prices.js';
import { loadConfig } from './config.js';

describe('AI price table', () => {
  const table = priceTable('USD', {});

  it('prices a model by its name or as the model it is a dated snapshot of, and nothing else', () => {
    expect(priceKeyOf(table, 'claude-sonnet-4-6')).toBe('claude-sonnet-4-6');
    expect(priceKeyOf(table, 'claude-haiku-4-5-20251001')).toBe('claude-haiku-4-5');
    expect(priceKeyOf(table, 'gpt-4o-mini-2024-07-18')).toBe('gpt-4o-mini');
    expect(priceKeyOf(table, 'gpt-4o-2024-08-06')).toBe('gpt-4o');
    expect(priceKeyOf(table, 'claude-opus-4-5-20251101')).toBe('claude-opus-4-5');
    // A newer model of a family is not priced as an older one, nor is anything unknown.
    expect(priceKeyOf(table, 'claude-opus-4-7')).toBeNull();
    expect(priceKeyOf(table, 'gpt-4o-mini-tts')).toBeNull();
    expect(priceKeyOf(table, 'toString')).toBeNull();
    expect(priceKeyOf(table, 'fake-model')).toBeNull();
  });

  it('lays AI_MODEL_PRICES over the defaults, null removing one, and refuses a bad table at boot', () => {
    const config = loadConfig({
      NODE_ENV: 'test',
      AI_PRICE_CURRENCY: 'EUR',
      AI_MODEL_PRICES: JSON.stringify({
        'house-model': { input: 1, output: 2, cacheRead: 0.1, cacheWrite: 1 },
        'gpt-4o': null,
        'claude-haiku-4-5': { input: 9, output: 9, cacheRead: 9, cacheWrite: 9 },
      }),
    });
    expect(config.aiPrices.currency).toBe('EUR');
    expect(config.aiPrices.models['house-model']).toEqual({ input: 1, output: 2, cacheRead: 0.1, cacheWrite: 1 });
    expect(config.aiPrices.models['gpt-4o']).toBeUndefined();
    expect(config.aiPrices.models['claude-haiku-4-5']?.input).toBe(9);
    expect(config.aiPrices.models['claude-sonnet-4-6']).toEqual(DEFAULT_MODEL_PRICES['claude-sonnet-4-6']);
    expect(() => loadConfig({ NODE_ENV: 'test', AI_MODEL_PRICES: '{not json' })).toThrow(/AI_MODEL_PRICES/);
    expect(() =>
      loadConfig({ NODE_ENV: 'test', AI_MODEL_PRICES: '{"m":{"input":-1,"output":1,"cacheRead":1,"cacheWrite":1}}' }),
    ).toThrow(/AI_MODEL_PRICES/);
    expect(() => loadConfig({ NODE_ENV: 'test', AI_PRICE_CURRENCY: 'dollars' })).toThrow(/AI_PRICE_CURRENCY/);
  });
});
