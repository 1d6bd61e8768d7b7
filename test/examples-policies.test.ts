/** Runs the policy examples (budget downgrade, hub failover) offline, so they cannot rot. */
import { describe, expect, test } from 'vitest';
import { main as budgetDowngrade } from '../examples/budget-downgrade.js';
import { main as hubFailover } from '../examples/hub-failover.js';
import { main as fittedOutputCap } from '../examples/fitted-output-cap.js';

const PRICE_ORDER = ['gpt-5.5', 'gpt-5.4', 'gpt-5.4-mini', 'gpt-5.4-nano'];

describe('examples/budget-downgrade.ts', () => {
  test('answers early questions on gpt-5.5, later ones on cheaper models, and never passes the cap', async () => {
    const lines: string[] = [];
    const { result, items, capUsd, spentUsd } = await budgetDowngrade((line) => lines.push(line));
    expect(spentUsd).toBeLessThanOrEqual(capUsd);
    expect(result.budget.every((b) => b.reservedUsd === 0)).toBe(true);
    const answered = items.filter((i) => i.model !== undefined);
    expect(answered[0]!.model).toBe('gpt-5.5');
    expect(answered[0]!.downgraded).toBe(false);
    const used = new Set(answered.map((i) => i.model));
    expect(used.size).toBeGreaterThanOrEqual(3);
    // Later answers never use a pricier tier than the first answers, and the last one is cheaper than the first.
    const rank = (model?: string) => PRICE_ORDER.indexOf(model ?? '');
    expect(rank(answered.at(-1)!.model)).toBeGreaterThan(rank(answered[0]!.model));
    for (const item of answered.filter((i) => i.model !== 'gpt-5.5')) expect(item.downgraded).toBe(true);
    // What could not fit failed with the budget's refusal, not anything else.
    for (const { error } of result.errors) expect(error.kind).toBe('budget_exceeded');
    expect(lines.at(-1)).toMatch(/^spent \$0\.\d{4} of the \$0\.20 cap/);
    expect(lines.some((l) => l.includes('(downgraded)'))).toBe(true);
  });
});

describe('examples/hub-failover.ts', () => {
  test('the hub answers 503 and the call fails over to the same model on the direct endpoint', async () => {
    const lines: string[] = [];
    const { result, fallback, hubModels, directModels } = await hubFailover((line) => lines.push(line));
    expect(result.status).toBe('succeeded');
    expect(result.outputs.answer).toBe('Paris is the capital of France.');
    expect(fallback).toMatchObject({
      from: { model: 'gpt-5.5', provider: 'hub' },
      to: { model: 'gpt-5.5', provider: 'direct' },
      error: { kind: 'overloaded', status: 503 },
    });
    expect(hubModels).toEqual(['openai/gpt-5.5']); // the hub's own id for the model, once: no retry on the hub
    expect(directModels).toEqual(['gpt-5.5']);
    expect(result.nodes.answer.attempts).toBe(hubModels.length + directModels.length);
    expect(lines.some((l) => l.startsWith('node-fallback: gpt-5.5 on hub → gpt-5.5 on direct'))).toBe(true);
  });
});

describe('examples/fitted-output-cap.ts', () => {
  test('six calls at once under $0.10, no maxOutputTokens: each cap is fitted and said, all succeed, spend under the cap', async () => {
    const lines: string[] = [];
    const { result, caps } = await fittedOutputCap((line) => lines.push(line));
    expect(result.status).toBe('succeeded');
    expect(caps).toHaveLength(6);
    for (const { cap } of caps) {
      expect(cap.fitted).toBe(true);
      expect(cap.tokens).toBeGreaterThanOrEqual(1_024);
      expect(cap.reason).toContain('run budget');
    }
    // The first call took at most half of the $0.10: about 11K tokens of gpt-5.4-mini at $4.50/M.
    expect(caps[0]!.cap.tokens).toBeLessThanOrEqual(Math.floor(0.05 / 4.5e-6));
    expect(result.costUsd).toBeLessThanOrEqual(0.1);
    expect(lines.at(-1)).toMatch(/^succeeded: 6 answers for \$0\.\d{6} of the \$0\.10 run budget$/);
  });
});
