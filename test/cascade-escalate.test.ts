import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { costOf, createSwitchyard, defaultCatalog, SwitchyardError, workflow } from '../src/index.js';
import { simulated, type ScriptRequestInfo } from '../src/testing/index.js';
import { collect, ofType } from './e2e-kit.js';

const input = z.object({ q: z.string() });
const needsFinal = (text: string) => (text.includes('FINAL') ? { ok: true as const } : { ok: false as const, feedback: 'Say FINAL.' });

/** Replies by model: a cheap model and a strong one answer differently. */
const byModel = (replies: Record<string, string | string[]>) => {
  const seen: Record<string, number> = {};
  return simulated({
    reply: (info: ScriptRequestInfo) => {
      const r = replies[info.model] ?? 'n/a';
      const i = (seen[info.model] = (seen[info.model] ?? -1) + 1);
      return { text: Array.isArray(r) ? (r[i] ?? r.at(-1)!) : r };
    },
  });
};

describe('cascades', () => {
  test('escalates once when the cheap tier fails the verifier; the report compares with the strongest model', async () => {
    const sim = byModel({ 'gpt-5.4': 'a draft', 'gpt-5.5': 'FINAL answer' });
    const sy = createSwitchyard({ providers: [sim] });
    const wf = workflow({ name: 'c', input }).llm('a', { cascade: ['gpt-5.4', 'gpt-5.5'], prompt: 'Answer', verify: needsFinal });
    const { events, result } = await collect(sy.run(wf, { q: '' }));

    expect(result.outputs.a).toBe('FINAL answer');
    expect(sim.requests.map((r) => r.model)).toEqual(['gpt-5.4', 'gpt-5.5']); // one round per tier by default
    expect(sim.requests[1]!.request.messages).toHaveLength(1); // the strong tier starts fresh
    expect(ofType(events, 'node-escalate').map((e) => [e.from, e.to])).toEqual([['gpt-5.4', 'gpt-5.5']]);
    expect(ofType(events, 'node-escalate')[0]!.reason).toContain('Say FINAL.');
    const cascade = result.nodes.a.cascade!;
    expect(cascade.tiers.map((t) => [t.tier, t.model, t.passed])).toEqual([
      ['gpt-5.4', 'gpt-5.4', false],
      ['gpt-5.5', 'gpt-5.5', true],
    ]);
    expect(cascade.model).toBe('gpt-5.5');
    expect(cascade.baselineModel).toBe('gpt-5.5');
    // the strongest tier produced the answer: going straight there would have cost what it cost; the cheap try is the loss
    expect(cascade.baselineCostUsd).toBeCloseTo(cascade.tiers[1]!.costUsd, 12);
    expect(cascade.savingUsd).toBeCloseTo(-cascade.tiers[0]!.costUsd, 12);
    expect(result.nodes.a.rounds!.map((r) => [r.tier, r.verdict.ok])).toEqual([[0, false], [1, true]]);
    expect(result.nodes.a.verified).toBe(true);
  });

  test('when the cheap tier passes, the saving is the strongest price of the same usage minus the cost', async () => {
    const sim = byModel({ 'gpt-5.4': 'FINAL cheap answer' });
    const sy = createSwitchyard({ providers: [sim] });
    const wf = workflow({ name: 'c', input }).llm('a', { cascade: ['gpt-5.4', 'gpt-5.5'], prompt: 'Answer', verify: needsFinal });
    const result = await sy.run(wf, { q: '' }).result;
    expect(result.outputs.a).toBe('FINAL cheap answer');
    expect(sim.requests).toHaveLength(1);
    const cascade = result.nodes.a.cascade!;
    const usage = sim.requests[0]!.usage!;
    expect(cascade.baselineCostUsd).toBeCloseTo(costOf(defaultCatalog.get('gpt-5.5'), usage), 12);
    expect(cascade.savingUsd).toBeCloseTo(cascade.baselineCostUsd! - result.nodes.a.costUsd, 12);
    expect(cascade.savingUsd).toBeGreaterThan(0);
    expect(cascade.tiers).toHaveLength(1);
  });

  test('escalates when the structured output does not validate (after its one repair)', async () => {
    const sim = byModel({ 'gpt-5.4': 'not json', 'gpt-5.5': '{"label":"bug"}' });
    const sy = createSwitchyard({ providers: [sim] });
    const wf = workflow({ name: 'c', input }).llm('a', {
      cascade: ['gpt-5.4', 'gpt-5.5'],
      prompt: 'Label',
      output: z.object({ label: z.enum(['bug', 'question']) }),
    });
    const result = await sy.run(wf, { q: '' }).result;
    expect(result.outputs.a).toEqual({ label: 'bug' });
    expect(sim.requests.map((r) => r.model)).toEqual(['gpt-5.4', 'gpt-5.4', 'gpt-5.5']);
    expect(result.nodes.a.cascade!.tiers[0]!.reason).toMatch(/did not validate/);
  });

  test('tiers may be routed by task; an agent escalates when it runs out of steps', async () => {
    const sim = simulated({
      reply: (info) => (info.model === 'gpt-5.4' ? { toolCalls: [{ name: 'look', args: {} }] } : { text: 'done' }),
    });
    const sy = createSwitchyard({ providers: [sim] });
    const wf = workflow({ name: 'c', input }).agent('a', {
      cascade: [{ task: 'classification' }, { task: 'agentic-coding' }],
      prompt: 'Go',
      tools: { look: { parameters: z.object({}), execute: () => 'nothing here' } },
      maxSteps: 2,
    });
    const result = await sy.run(wf, { q: '' }).result;
    expect(result.outputs.a).toBe('done');
    expect(sim.requests.map((r) => r.model)).toEqual(['gpt-5.4', 'gpt-5.4', 'gpt-5.5']);
    const cascade = result.nodes.a.cascade!;
    expect(cascade.tiers.map((t) => [t.tier, t.model, t.passed])).toEqual([
      ['task:classification', 'gpt-5.4', false],
      ['task:agentic-coding', 'gpt-5.5', true],
    ]);
    expect(cascade.baselineModel).toBe('gpt-5.5');
  });

  test('when every tier fails, the node fails with the last feedback', async () => {
    const sy = createSwitchyard({ providers: [byModel({ 'gpt-5.4': 'nope', 'gpt-5.5': 'still nope' })] });
    const wf = workflow({ name: 'c', input }).llm('a', { cascade: ['gpt-5.4', 'gpt-5.5'], prompt: 'Answer', verify: needsFinal });
    const result = await sy.run(wf, { q: '' }).result;
    const error = result.nodes.a.error!;
    expect(SwitchyardError.isInstance(error) && error.kind).toBe('verification_failed');
    expect(error.message).toContain('gpt-5.4 → gpt-5.5');
    expect(error.message).toContain('Say FINAL.');
    expect(result.nodes.a.cascade!.tiers.every((t) => !t.passed)).toBe(true);
    expect(result.nodes.a.cascade!.savingUsd).toBeUndefined();
  });
});
