/**
 * The tokenizer is paid for only where an exact count changes a decision: a budgeted workflow of ordinary
 * prompts on simulated() runs without building the o200k encoder (its memory and its seconds), while a prompt
 * whose byte bound crosses a price cliff, and a route function that reads `inputTokens`, are counted exactly.
 * The tests in this file run in order in one module registry: the encoder is built for the first time in the
 * third one.
 */
import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { createSwitchyard, workflow } from '../src/index.js';
import { o200kLoaded } from '../src/models/index.js';
import { simulated } from '../src/testing/index.js';
import { exactCountReason } from '../src/call/exact-count.js';
import { defaultCatalog } from '../src/models/index.js';

const wf = workflow({ name: 'triage', input: z.object({ ticket: z.string() }) })
  .llm('classify', { task: 'classification', prompt: ({ input }) => input.ticket, output: z.object({ kind: z.enum(['bug', 'question']) }) })
  .llm('fix', { task: 'agentic-coding', after: ['classify'], prompt: ({ input, classify }) => `${classify.kind}: ${input.ticket}` });

describe('the tokenizer is built only when an exact count changes a decision', () => {
  test('a budgeted workflow of ordinary prompts, structured output included: no encoder', async () => {
    const sy = createSwitchyard({ providers: [simulated()], budget: { usd: 5 } });
    const result = await sy.run(wf, { ticket: 'Login fails with a 500' }, { budget: { usd: 0.5 } }).result;
    expect(result.status).toBe('succeeded');
    expect(result.nodes.fix.outputCap?.fitted).toBe(true);
    expect(o200kLoaded()).toBe(false);
  });

  test('the policy: small prompts need no exact count; a bound above a cliff, a window or a tenth of the budget does', () => {
    const gpt55 = defaultCatalog.get('gpt-5.5');
    const haiku = defaultCatalog.get('claude-haiku-4-5');
    expect(exactCountReason({ bound: 500, models: [gpt55, haiku], budgetLeft: () => ({ usd: 0.5 }) })).toBeUndefined();
    expect(exactCountReason({ bound: 300_000, models: [gpt55] })).toContain("gpt-5.5's price cliff at 272000");
    expect(exactCountReason({ bound: 150_000, models: [haiku] })).toContain("window");
    expect(exactCountReason({ bound: 150_000, models: [haiku], maxOutputTokens: 1_000 })).toBeUndefined();
    // 20,000 tokens of gpt-5.5 input at $5/M is $0.10: a fifth of $0.50 left (for haiku the bound is what it reserves).
    expect(exactCountReason({ bound: 20_000, models: [gpt55], budgetLeft: () => ({ usd: 0.5 }) })).toContain('tenth of the budget');
    expect(exactCountReason({ bound: 20_000, models: [haiku], budgetLeft: () => ({ usd: 0.5 }) })).toBeUndefined();
    expect(exactCountReason({ bound: 20_000, models: [gpt55], budgetLeft: () => ({ usd: 10 }) })).toBeUndefined();
    expect(exactCountReason({ bound: 20_000, models: [gpt55], budgetLeft: () => ({ tokens: 100_000 }) })).toContain('token budget');
    expect(exactCountReason({ bound: 900, models: [gpt55], budgetLeft: () => ({ usd: 0.0001 }) })).toBeUndefined();
  });

  test('a prompt whose bound is above the price cliff is counted exactly, and priced at the tier it falls into', { timeout: 120_000 }, async () => {
    const sim = simulated();
    const sy = createSwitchyard({ providers: [sim] });
    // ~280K bytes of prose: the bound is above 272K, the exact count (~62K tokens) far below it.
    const prompt = 'The quick brown fox jumps over the lazy dog. '.repeat(6_300);
    const run = sy.run(workflow({ name: 'long', input: z.object({}) }).llm('read', { model: 'gpt-5.5', prompt, maxOutputTokens: 100 }), {});
    const events = [];
    for await (const event of run) events.push(event);
    expect(o200kLoaded()).toBe(true);
    const reserve = events.find((e) => e.type === 'budget' && e.phase === 'reserve') as { amountUsd: number } | undefined;
    // Base prices ($5/M in, $30/M out) on the exact count, not the long-context tier on the bound.
    expect(reserve!.amountUsd).toBeLessThan(((70_000 * 5 + 100 * 30) / 1e6) * 1.01);
  });

  test('a route function reads the counted tokens (counted when read)', async () => {
    const seen: number[] = [];
    const sy = createSwitchyard({ providers: [simulated()] });
    await sy.generate({
      prompt: 'Hello, world!',
      route: (ctx) => {
        seen.push(ctx.inputTokens, ctx.inputTokenBound);
        return 'gpt-5.4';
      },
    });
    expect(seen).toEqual([11, expect.any(Number)]); // 3 priming + [3 + 1 ('user') + 4 ('Hello, world!')]
    expect(seen[1]).toBeGreaterThanOrEqual(seen[0]!);
  });
});
