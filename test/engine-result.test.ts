import { describe, expect, test, vi } from 'vitest';
import { z } from 'zod';
import { createSwitchyard, workflow, type RunEvent } from '../src/index.js';
import { simulated } from '../src/testing/index.js';

const input = z.object({ ticket: z.string() });
const Kind = z.object({ kind: z.enum(['bug', 'question']) });

describe('structured output', () => {
  test('a reply that fails validation gets one repair, and the node succeeds with the parsed object', async () => {
    const sim = simulated({ reply: [{ text: '{"kind":"feature"}' }, { text: '{"kind":"bug"}' }] });
    const sy = createSwitchyard({ providers: [sim] });
    const wf = workflow({ name: 'repair', input })
      .llm('classify', { model: 'gpt-5.4', prompt: ({ input: i }) => i.ticket, output: Kind })
      .step('use', { after: ['classify'], run: ({ classify }) => classify.kind.toUpperCase() });
    const run = sy.run(wf, { ticket: 'it crashes' });
    const events: RunEvent[] = [];
    for await (const event of run) events.push(event);
    const result = await run.result;
    expect(result.outputs).toEqual({ classify: { kind: 'bug' }, use: 'BUG' });
    expect(sim.requests).toHaveLength(2);
    // The validation error was fed back to the model.
    expect(JSON.stringify(sim.requests[1]!.request.messages)).toContain('feature');
    const retry = events.find((e) => e.type === 'node-retry');
    expect(retry).toMatchObject({ nodeId: 'classify', discard: true, error: { kind: 'invalid_output' } });
    expect(result.nodes.classify.attempts).toBe(2);
  });

  test('a second invalid reply fails the node with kind invalid_output', async () => {
    const sim = simulated({ reply: { text: '{"kind":"feature"}' } });
    const sy = createSwitchyard({ providers: [sim] });
    const wf = workflow({ name: 'repair', input }).llm('classify', { model: 'gpt-5.4', prompt: 'x', output: Kind });
    const result = await sy.run(wf, { ticket: 't' }).result;
    expect(result.status).toBe('failed');
    expect(result.nodes.classify.error?.kind).toBe('invalid_output');
    expect(sim.requests).toHaveLength(2);
  });
});

describe('usage and cost', () => {
  test('per node, per model and in total; a step costs nothing', async () => {
    const sim = simulated({ reply: { text: 'answer', usage: { inputTokens: 1000, outputTokens: 100 } } });
    const sy = createSwitchyard({ providers: [sim] });
    const wf = workflow({ name: 'costs', input })
      .llm('a', { model: 'gpt-5.4', prompt: 'a' })
      .llm('b', { model: 'gpt-5.4', prompt: 'b' })
      .llm('c', { model: 'gpt-5.5', after: ['a', 'b'], prompt: 'c' })
      .step('d', { after: ['c'], run: ({ c }) => c.length });
    const result = await sy.run(wf, { ticket: 't' }).result;
    // gpt-5.4: $2.50 in / $15 out per million; gpt-5.5: $5 / $30.
    expect(result.nodes.a).toMatchObject({ status: 'succeeded', model: 'gpt-5.4', provider: 'simulated', attempts: 1 });
    expect(result.nodes.a.costUsd).toBeCloseTo(0.004, 10);
    expect(result.nodes.c.costUsd).toBeCloseTo(0.008, 10);
    expect(result.nodes.d).toMatchObject({ attempts: 0, costUsd: 0, usage: { inputTokens: 0, outputTokens: 0 } });
    expect(result.nodes.d.model).toBeUndefined();
    expect(result.byModel['gpt-5.4']).toMatchObject({ calls: 2, usage: { inputTokens: 2000, outputTokens: 200 } });
    expect(result.byModel['gpt-5.4']!.costUsd).toBeCloseTo(0.008, 10);
    expect(result.byModel['gpt-5.5']).toMatchObject({ calls: 1, usage: { inputTokens: 1000, outputTokens: 100 } });
    expect(result.usage).toMatchObject({ inputTokens: 3000, outputTokens: 300 });
    expect(result.costUsd).toBeCloseTo(0.016, 10);
  });

  test('node-end and run-end events carry the same figures as the result', async () => {
    const sy = createSwitchyard({ providers: [simulated({ reply: { text: 'x y z' } })] });
    const wf = workflow({ name: 'events', input }).llm('a', { model: 'gpt-5.4', prompt: 'a' });
    const run = sy.run(wf, { ticket: 't' });
    const events: RunEvent[] = [];
    run.on('*', (event) => events.push(event));
    const result = await run.result;
    const end = events.find((e) => e.type === 'node-end');
    expect(end).toMatchObject({ nodeId: 'a', model: 'gpt-5.4', provider: 'simulated', costUsd: result.nodes.a.costUsd, finishReason: 'stop' });
    expect(events.at(-1)).toMatchObject({ type: 'run-end', status: 'succeeded', costUsd: result.costUsd, usage: result.usage });
  });

  test('node times are recorded', async () => {
    const sy = createSwitchyard({ providers: [simulated({ firstTokenMs: 20 })] });
    const wf = workflow({ name: 'times', input })
      .llm('a', { model: 'gpt-5.4', prompt: 'a' })
      .step('b', { after: ['a'], run: () => 1 });
    const before = Date.now();
    const result = await sy.run(wf, { ticket: 't' }).result;
    const { a, b } = result.nodes;
    expect(a.startedAt).toBeGreaterThanOrEqual(before - 1);
    expect(a.endedAt).toBeGreaterThanOrEqual(a.startedAt! + 15);
    expect(b.startedAt).toBeGreaterThanOrEqual(a.endedAt!);
    expect(result.durationMs).toBeGreaterThanOrEqual(a.durationMs!);
  });

  test('times start on the wall clock, however far it is from the process clock, and durations are measured', async () => {
    // The wall clock moved an hour ahead of the process's monotonic clock (a clock step) and then stands still: a
    // run's times start on it, and its durations still come out.
    const wall = Date.now() + 3_600_000;
    vi.useFakeTimers({ toFake: ['Date'], now: wall });
    try {
      const sy = createSwitchyard({ providers: [simulated({ firstTokenMs: 20 })] });
      const wf = workflow({ name: 'clock', input }).llm('a', { model: 'gpt-5.4', prompt: 'a' });
      const result = await sy.run(wf, { ticket: 't' }).result;
      const { a } = result.nodes;
      expect(result.startedAt).toBeGreaterThanOrEqual(wall);
      expect(a.startedAt).toBeGreaterThanOrEqual(result.startedAt);
      expect(a.startedAt).toBeLessThan(wall + 60_000);
      expect(a.durationMs).toBeGreaterThanOrEqual(15);
      expect(result.endedAt - result.startedAt).toBe(result.durationMs);
      expect(result.endedAt).toBeGreaterThanOrEqual(a.endedAt!);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('run budget', () => {
  test('the run budget reaches the calls: a call that cannot fit fails the node with budget_exceeded', async () => {
    const sim = simulated();
    const sy = createSwitchyard({ providers: [sim] });
    const wf = workflow({ name: 'budget', input }).llm('a', { model: 'gpt-5.5', prompt: 'a', maxOutputTokens: 10_000 });
    const result = await sy.run(wf, { ticket: 't' }, { budget: { usd: 0.0001 } }).result;
    expect(result.status).toBe('failed');
    expect(result.nodes.a.error?.kind).toBe('budget_exceeded');
    expect(sim.requests).toHaveLength(0);
    expect(result.budget.some((level) => level.level === 'run' && level.limitUsd === 0.0001)).toBe(true);
  });
});
