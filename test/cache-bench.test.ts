/**
 * The prompt-caching benchmark, small: over the wire, the breakpoints and layouts switchyard sends make each
 * provider's cache hit (by its rules), and the input bill falls; without caching nothing is cached.
 */
import { describe, expect, test } from 'vitest';
import { measureCaching } from '../bench/caching.js';

describe('bench/caching.ts', () => {
  test('many questions over one document: most input is cached and the input cost falls by more than 70%', async () => {
    const rows = await measureCaching(8, 6000);
    expect(rows.map((r) => r.c.label)).toEqual(['Anthropic', 'OpenAI', 'Gemini']);
    for (const r of rows) {
      expect(r.without.cachedTokens, r.c.label).toBe(0);
      expect(r.with.cachedTokens / r.with.inputTokens, r.c.label).toBeGreaterThan(0.75);
      expect(1 - r.with.inputUsd / r.without.inputUsd, r.c.label).toBeGreaterThan(0.7);
      expect(r.with.calls).toBe(8);
    }
    const claude = rows[0]!;
    expect(claude.with.writtenTokens).toBeGreaterThan(5000); // the first call wrote the document to the cache, once
    expect(claude.with.writtenTokens).toBeLessThan(7000);
  }, 120_000);
});
