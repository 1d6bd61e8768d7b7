/**
 * The budget-fitted output cap as a pure policy: at most half of what each limited level has left, between the
 * least and the most cap; the least when half is too little but the whole holds it; refused at the outermost
 * level that cannot hold even the least.
 */
import { describe, expect, it } from 'vitest';
import { fitOutputTokens, type LevelRoom } from '../src/budget/index.js';
import { seededRandom } from '../src/testing/index.js';

const fit = { minTokens: 1_024, maxTokens: 128_000, nanoPerToken: 15_000 }; // gpt-5.4: $15 per million output tokens
const fixed = { nano: 250_000, tokens: 100 }; // 100 input tokens at $2.50/M

describe('fitOutputTokens', () => {
  it('takes the most cap when no level has a limit, or when half of every limit covers it', () => {
    expect(fitOutputTokens([{}, {}], fixed, fit)).toEqual({ ok: true, tokens: 128_000 });
    expect(fitOutputTokens([{ nano: 10e9 }, { tokens: 1e6 }], fixed, fit)).toEqual({ ok: true, tokens: 128_000 });
  });

  it('fits the whole hold into half of what the tightest level has left, and names that level and unit', () => {
    // $0.50 left in the run: half is $0.25; minus the input's $0.00025, at $15/M that is 16,650 tokens.
    const result = fitOutputTokens([{ nano: 5e9 }, { nano: 0.5e9 }], fixed, fit);
    expect(result).toEqual({ ok: true, tokens: 16_650, limitedBy: { index: 1, unit: 'usd' } });
    const held = fixed.nano + 16_650 * fit.nanoPerToken;
    expect(held).toBeLessThanOrEqual(0.25e9);
    expect(held + fit.nanoPerToken).toBeGreaterThan(0.25e9);
  });

  it('fits tokens budgets the same way, input included', () => {
    const result = fitOutputTokens([{ tokens: 10_100 }], fixed, fit);
    expect(result).toEqual({ ok: true, tokens: 4_950, limitedBy: { index: 0, unit: 'tokens' } }); // 5,050 - 100
  });

  it('takes the least cap when half is too little but what is left holds it', () => {
    const least = fixed.nano + fit.minTokens * fit.nanoPerToken; // $0.01561
    const result = fitOutputTokens([{ nano: least + 1 }], fixed, fit);
    expect(result).toEqual({ ok: true, tokens: 1_024, limitedBy: { index: 0, unit: 'usd' } });
  });

  it('refuses at the outermost level that cannot hold the least cap, with what that would hold', () => {
    const least = fixed.nano + fit.minTokens * fit.nanoPerToken;
    const result = fitOutputTokens([{ nano: least - 1 }, { nano: 0 }], fixed, fit);
    expect(result).toEqual({ ok: false, refusedBy: { index: 0, unit: 'usd' }, requested: { nano: least, tokens: 100 + 1_024 } });
    expect(fitOutputTokens([{ nano: 1e12 }, { tokens: 1_000 }], fixed, fit)).toMatchObject({ ok: false, refusedBy: { index: 1, unit: 'tokens' } });
  });

  it('never asks for more than the most cap, even below the least (a window that leaves little)', () => {
    expect(fitOutputTokens([{}], fixed, { ...fit, maxTokens: 300 })).toEqual({ ok: true, tokens: 300 });
    expect(fitOutputTokens([{ nano: 1e9 }], fixed, { ...fit, maxTokens: 300 })).toEqual({ ok: true, tokens: 300 });
  });

  it('over random figures: the hold fits every level, and takes at most half of it unless it is the least', () => {
    const random = seededRandom(11);
    for (let round = 0; round < 5_000; round++) {
      const rooms: LevelRoom[] = Array.from({ length: 1 + Math.floor(random() * 3) }, () => ({
        ...(random() < 0.7 ? { nano: Math.floor(random() * 2e9) - 1e8 } : {}),
        ...(random() < 0.4 ? { tokens: Math.floor(random() * 200_000) - 1_000 } : {}),
      }));
      const spec = { minTokens: Math.floor(random() * 4_000), maxTokens: Math.floor(random() * 130_000), nanoPerToken: Math.floor(random() * 60_000) };
      const hold = { nano: Math.floor(random() * 5e7), tokens: Math.floor(random() * 50_000) };
      const result = fitOutputTokens(rooms, hold, spec);
      if (!result.ok) {
        const room = rooms[result.refusedBy.index]!;
        const over = result.refusedBy.unit === 'usd' ? result.requested.nano > room.nano! : result.requested.tokens > room.tokens!;
        expect(over).toBe(true);
        continue;
      }
      expect(result.tokens).toBeLessThanOrEqual(spec.maxTokens);
      const held = { nano: hold.nano + result.tokens * spec.nanoPerToken, tokens: hold.tokens + result.tokens };
      const least = result.tokens === Math.min(spec.minTokens, spec.maxTokens);
      for (const room of rooms) {
        if (room.nano !== undefined) expect(held.nano).toBeLessThanOrEqual(least ? room.nano : Math.floor(room.nano / 2));
        if (room.tokens !== undefined) expect(held.tokens).toBeLessThanOrEqual(least ? room.tokens : Math.floor(room.tokens / 2));
      }
    }
  });
});
