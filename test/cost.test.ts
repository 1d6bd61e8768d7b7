import { describe, expect, it } from 'vitest';
import {
  costBreakdownOf,
  costOf,
  createCatalog,
  defaultCatalog,
  priceTierFor,
  worstCaseCostOf,
  type ModelInfo,
  type Usage,
} from '../src/models/index.js';

const usage = (partial: Partial<Usage>): Usage => ({
  inputTokens: 0,
  cachedInputTokens: 0,
  cacheWriteTokens: 0,
  outputTokens: 0,
  reasoningTokens: 0,
  ...partial,
});

const gpt55 = defaultCatalog.get('gpt-5.5');
const gpt54 = defaultCatalog.get('gpt-5.4');
const opus = defaultCatalog.get('claude-opus-4-7');
const geminiPro = defaultCatalog.get('gemini-3.1-pro');

describe('costOf', () => {
  it('bills input and output at the base prices', () => {
    // 1,000 × $5/M + 500 × $30/M
    expect(costOf(gpt55, usage({ inputTokens: 1_000, outputTokens: 500 }))).toBeCloseTo(0.02, 10);
    // 1,234 × $0.75/M + 567 × $4.50/M = 0.0009255 + 0.0025515
    const mini = defaultCatalog.get('gpt-5.4-mini');
    expect(costOf(mini, usage({ inputTokens: 1_234, outputTokens: 567 }))).toBeCloseTo(0.003477, 10);
  });

  it('bills 272,000 input tokens at the base price and 272,001 at the long-context tier, whole request', () => {
    // 272,000 × $5/M + 1,000 × $30/M = 1.36 + 0.03
    expect(costOf(gpt55, usage({ inputTokens: 272_000, outputTokens: 1_000 }))).toBeCloseTo(1.39, 10);
    // 272,001 × $10/M + 1,000 × $45/M = 2.72001 + 0.045
    expect(costOf(gpt55, usage({ inputTokens: 272_001, outputTokens: 1_000 }))).toBeCloseTo(2.76501, 10);
    // gpt-5.4: 272,001 × $5/M + 1,000 × $22.50/M
    expect(costOf(gpt54, usage({ inputTokens: 272_001, outputTokens: 1_000 }))).toBeCloseTo(1.360005 + 0.0225, 10);
    expect(costOf(gpt54, usage({ inputTokens: 272_000, outputTokens: 1_000 }))).toBeCloseTo(0.68 + 0.015, 10);
  });

  it('bills cached input at the cached price and the rest at the input price', () => {
    // 20,000 × $5/M + 80,000 × $0.50/M + 2,000 × $30/M = 0.1 + 0.04 + 0.06
    const cached = usage({ inputTokens: 100_000, cachedInputTokens: 80_000, outputTokens: 2_000 });
    expect(costOf(gpt55, cached)).toBeCloseTo(0.2, 10);
    // Above the cliff the cached price doubles too: 100,000 × $5/M + 200,000 × $0.50/M + 10,000 × $22.50/M
    const long = usage({ inputTokens: 300_000, cachedInputTokens: 200_000, outputTokens: 10_000 });
    expect(costOf(gpt54, long)).toBeCloseTo(0.5 + 0.1 + 0.225, 10);
  });

  it('bills cache writes at the cache-write price', () => {
    // Opus 4.7: 10,000 plain × $5/M + 10,000 read × $0.50/M + 30,000 written × $6.25/M + 1,000 × $25/M
    const u = usage({ inputTokens: 50_000, cachedInputTokens: 10_000, cacheWriteTokens: 30_000, outputTokens: 1_000 });
    expect(costOf(opus, u)).toBeCloseTo(0.05 + 0.005 + 0.1875 + 0.025, 10);
    const parts = costBreakdownOf(opus, u);
    expect(parts.cacheWrite).toBeCloseTo(0.1875, 10);
    expect(parts.input + parts.cachedInput + parts.cacheWrite + parts.output).toBeCloseTo(parts.total, 10);
  });

  it('falls back to the input price where no cached or cache-write price is set', () => {
    // gpt-5.5-pro has no cache discount: 1,000 cached tokens bill like input
    const pro = defaultCatalog.get('gpt-5.5-pro');
    expect(costOf(pro, usage({ inputTokens: 1_000, cachedInputTokens: 1_000 }))).toBeCloseTo(0.03, 10);
    // Gemini has no cache-write premium
    expect(costOf(geminiPro, usage({ inputTokens: 1_000, cacheWriteTokens: 1_000 }))).toBeCloseTo(0.002, 10);
  });

  it('bills reasoning tokens as output once (they are inside outputTokens)', () => {
    // 3,000 output of which 2,000 reasoning: 3,000 × $30/M, not 5,000 × $30/M
    expect(costOf(gpt55, usage({ outputTokens: 3_000, reasoningTokens: 2_000 }))).toBeCloseTo(0.09, 10);
    // A provider that reported reasoning outside the output count still pays for the reasoning
    expect(costOf(gpt55, usage({ outputTokens: 100, reasoningTokens: 2_000 }))).toBeCloseTo(0.06, 10);
  });

  it('is exact where naive floating-point sums drift', () => {
    const cheap = createCatalog([
      {
        id: 'cheap',
        provider: 'openai',
        contextWindow: 10_000_000,
        maxOutputTokens: 10_000_000,
        pricing: { input: 0.1, output: 0.2, source: 'test', asOf: '2026-01-01' },
        capabilities: { tools: false, structuredOutput: false, vision: false, reasoning: false },
        tasks: [],
      },
    ]).get('cheap');
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(costOf(cheap, usage({ inputTokens: 1_000_000, outputTokens: 1_000_000 }))).toBe(0.3);
  });

  it('prices Gemini Pro above 200K at its long-context tier', () => {
    // 200,000 × $2/M + 1,000 × $12/M vs 200,001 × $4/M + 1,000 × $18/M
    expect(costOf(geminiPro, usage({ inputTokens: 200_000, outputTokens: 1_000 }))).toBeCloseTo(0.412, 10);
    expect(costOf(geminiPro, usage({ inputTokens: 200_001, outputTokens: 1_000 }))).toBeCloseTo(0.800004 + 0.018, 10);
  });
});

describe('priceTierFor', () => {
  it('picks the tier the input strictly exceeds, with unset prices resolved', () => {
    const base = { input: 5, cachedInput: 0.5, cacheWrite: 5, output: 30, aboveInputTokens: 0 };
    expect(priceTierFor(gpt55, 272_000)).toEqual(base);
    const tier = { input: 10, cachedInput: 1, cacheWrite: 10, output: 45, aboveInputTokens: 272_000 };
    expect(priceTierFor(gpt55, 272_001)).toEqual(tier);
  });

  it('picks the highest matching tier whatever their order', () => {
    const tiered: ModelInfo = {
      ...gpt55,
      pricing: {
        ...gpt55.pricing,
        tiers: [
          { aboveInputTokens: 500_000, input: 20, output: 60 },
          { aboveInputTokens: 100_000, input: 8, output: 40 },
        ],
      },
    };
    expect(priceTierFor(tiered, 100_000).input).toBe(5);
    expect(priceTierFor(tiered, 100_001).input).toBe(8);
    expect(priceTierFor(tiered, 500_001)).toMatchObject({ input: 20, cachedInput: 20, output: 60 });
  });
});

describe('worstCaseCostOf', () => {
  it('reserves all input at the tier price plus max output at the tier output price', () => {
    // 272,000 × $5/M + 10,000 × $30/M
    expect(worstCaseCostOf(gpt55, 272_000, 10_000)).toBeCloseTo(1.36 + 0.3, 10);
    // 272,001 × $10/M + 10,000 × $45/M
    expect(worstCaseCostOf(gpt55, 272_001, 10_000)).toBeCloseTo(2.72001 + 0.45, 10);
  });

  it('reserves input at the cache-write price where writes bill above input', () => {
    // Opus: 10,000 × $6.25/M + 1,000 × $25/M
    expect(worstCaseCostOf(opus, 10_000, 1_000)).toBeCloseTo(0.0625 + 0.025, 10);
  });

  it('is never below the settled cost of a call within its limits', () => {
    for (const model of defaultCatalog.list()) {
      for (const [input, cached, written, output] of [
        [1_000, 0, 0, 500],
        [300_000, 100_000, 0, 4_000],
        [250_000, 0, 250_000, 4_000],
        [199_999, 199_999, 0, 1],
      ] as const) {
        const u = usage({ inputTokens: input, cachedInputTokens: cached, cacheWriteTokens: written, outputTokens: output });
        const settled = costOf(model, u);
        expect(settled, model.id).toBeLessThanOrEqual(worstCaseCostOf(model, input, output));
      }
    }
  });
});
