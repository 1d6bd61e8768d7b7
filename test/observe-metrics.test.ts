/**
 * Metrics from run events: every figure is checked against the per-attempt usages the `budget` settle events
 * carry (and against run.result), on a run with a cut stream (retry + discard), a failover to a second endpoint,
 * a map fan-out and scripted cached input.
 */
import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { addUsage, createSwitchyard, workflow, ZERO_USAGE, type RunEvent, type RunEventOf, type Usage } from '../src/index.js';
import { MetricsCollector } from '../src/observe/metrics-collector.js';
import { simulated, type ScriptedReply } from '../src/testing/index.js';

type Settle = RunEventOf<'budget'>;

const settles = (events: readonly RunEvent[]) => events.filter((e): e is Settle => e.type === 'budget' && e.phase === 'settle');

function sumUsage(list: readonly Settle[]): Usage {
  return list.reduce((sum, e) => addUsage(sum, e.usage ?? ZERO_USAGE), { ...ZERO_USAGE } as Usage);
}

const tokensOf = (u: Usage) => ({
  input: u.inputTokens,
  cachedInput: u.cachedInputTokens,
  cacheWrite: u.cacheWriteTokens,
  output: u.outputTokens,
  reasoning: u.reasoningTokens,
});

const words = (n: number) => Array.from({ length: n }, (_, i) => `w${i}`).join(' ');

/** A three-part workflow: a cut-then-retried node, a node that fails over to a second endpoint, a 3-item map. */
function scenario() {
  const primary = simulated({
    name: 'primary',
    reply: (info): ScriptedReply => {
      if (info.text.includes('cut me')) return info.index === 0 ? { text: words(30), fault: { type: 'cut', afterTokens: 10 } } : { text: words(30) };
      if (info.text.includes('fail over')) return { fault: { type: 'http', status: 503 } };
      return { text: 'item answer', usage: { inputTokens: 1000, cachedInputTokens: 600, reasoningTokens: 3, outputTokens: 5 } };
    },
  });
  const backup = simulated({ name: 'backup', models: ['gpt-5.4'], reply: { text: 'from backup', usage: { inputTokens: 50, cacheWriteTokens: 20 } } });
  const sy = createSwitchyard({ providers: [primary, backup], retry: { baseDelayMs: 1 } });
  const wf = workflow({ name: 'mix', input: z.object({}) })
    .llm('cut', { model: 'gpt-5.5', prompt: 'cut me', maxOutputTokens: 200 })
    .llm('over', { model: 'gpt-5.4', prompt: 'fail over', maxOutputTokens: 200 })
    .map('fan', { after: ['cut'], over: () => ['a', 'b', 'c'], node: { model: 'claude-sonnet-4-6', prompt: (x: string) => `item ${x}`, maxOutputTokens: 100 } });
  return { sy, wf, primary, backup };
}

describe('run.result.metrics', () => {
  test('sums equal the per-attempt usages and costs, in total and per node, model and endpoint', async () => {
    const { sy, wf } = scenario();
    const events: RunEvent[] = [];
    const run = sy.run(wf, {});
    run.on('*', (e) => events.push(e));
    const result = await run.result;
    expect(result.status).toBe('succeeded');
    const m = result.metrics;
    const all = settles(events);
    expect(all.length).toBe(m.total.attempts);

    expect(m.total.tokens).toEqual(tokensOf(sumUsage(all)));
    expect(m.total.costUsd).toBeCloseTo(all.reduce((s, e) => s + e.amountUsd, 0), 12);
    // the run's own totals agree
    expect(m.total.tokens).toEqual(tokensOf(result.usage));
    expect(m.total.costUsd).toBeCloseTo(result.costUsd, 12);

    for (const [node, slice] of Object.entries(m.byNode)) {
      const mine = all.filter((e) => e.nodeId === node);
      expect(slice.tokens, node).toEqual(tokensOf(sumUsage(mine)));
      expect(slice.costUsd).toBeCloseTo(mine.reduce((s, e) => s + e.amountUsd, 0), 12);
      expect(slice.attempts).toBe(mine.length);
      expect(slice.costUsd).toBeCloseTo(result.nodes[node as keyof typeof result.nodes].costUsd, 12);
    }
    for (const [model, slice] of Object.entries(m.byModel)) {
      expect(slice.tokens, model).toEqual(tokensOf(sumUsage(all.filter((e) => e.model === model))));
    }
    for (const [endpoint, slice] of Object.entries(m.byEndpoint)) {
      expect(slice.tokens, endpoint).toEqual(tokensOf(sumUsage(all.filter((e) => e.provider === endpoint))));
    }
    const sumOf = (key: 'costUsd' | 'attempts') => (group: Record<string, { costUsd: number; attempts: number }>) =>
      Object.values(group).reduce((s, g) => s + g[key], 0);
    for (const group of [m.byNode, m.byModel, m.byEndpoint]) {
      expect(sumOf('costUsd')(group)).toBeCloseTo(m.total.costUsd, 12);
      expect(sumOf('attempts')(group)).toBe(m.total.attempts);
    }
  });

  test('retries, fallbacks and wasted spend match the events; the cut attempt is the waste', async () => {
    const { sy, wf } = scenario();
    const events: RunEvent[] = [];
    const run = sy.run(wf, {});
    run.on('*', (e) => events.push(e));
    const { metrics: m } = await run.result;
    const retries = events.filter((e) => e.type === 'node-retry');
    const fallbacks = events.filter((e) => e.type === 'node-fallback');
    expect(retries.length).toBeGreaterThanOrEqual(1);
    expect(fallbacks.length).toBe(1);
    expect(m.total.retries).toBe(retries.length);
    expect(m.total.fallbacks).toBe(1);
    expect(m.byNode.over!.fallbacks).toBe(1);
    expect(m.byEndpoint.primary!.fallbacks).toBe(1);
    expect(m.byNode.cut!.retries).toBe(1);

    // The cut attempt of 'cut' streamed 10 chunks and was charged (estimated); that charge is the node's waste.
    const cutSettles = settles(events).filter((e) => e.nodeId === 'cut');
    expect(cutSettles).toHaveLength(2);
    expect(cutSettles[0]!.amountUsd).toBeGreaterThan(0);
    expect(m.byNode.cut!.wastedAttempts).toBe(1);
    expect(m.byNode.cut!.wastedUsd).toBeCloseTo(cutSettles[0]!.amountUsd, 12);
    // The 503 cost nothing: one wasted attempt, $0 wasted.
    expect(m.byNode.over!.wastedAttempts).toBe(1);
    expect(m.byNode.over!.wastedUsd).toBe(0);
    expect(m.total.wastedUsd).toBeCloseTo(cutSettles[0]!.amountUsd, 12);
  });

  test('cache hit rate is cached input over input; calls, attempts and node counts add up', async () => {
    const { sy, wf } = scenario();
    const { metrics: m } = await sy.run(wf, {}).result;
    const fan = m.byNode.fan!;
    expect(fan.tokens.input).toBe(3000);
    expect(fan.tokens.cachedInput).toBe(1800);
    expect(fan.tokens.reasoning).toBe(9);
    expect(fan.cacheHitRate).toBeCloseTo(0.6, 12);
    expect(fan.calls).toBe(3);
    expect(m.byModel['claude-sonnet-4-6']!.cacheHitRate).toBeCloseTo(0.6, 12);
    expect(m.byEndpoint.backup!.tokens.cacheWrite).toBe(20);
    expect(m.total.cacheHitRate).toBeCloseTo(m.total.tokens.cachedInput / m.total.tokens.input, 12);
    expect(m.nodes).toMatchObject({ total: 3, started: 3, succeeded: 3, failed: 0, skipped: 0 });
    expect(m.total.responseCache).toEqual({ lookups: 0, hits: 0, hitRate: 0, savedUsd: 0 });
  });

  test('time to first token and attempt latency come from the event times', async () => {
    const sim = simulated({ reply: { text: words(5), firstTokenMs: 40, chunkDelayMs: 10 } });
    const sy = createSwitchyard({ providers: [sim] });
    const wf = workflow({ name: 'slow', input: z.object({}) }).llm('a', { model: 'gpt-5.4', prompt: 'hi', maxOutputTokens: 50 });
    const events: RunEvent[] = [];
    const run = sy.run(wf, {});
    run.on('*', (e) => events.push(e));
    const { metrics: m } = await run.result;
    const reserve = events.find((e) => e.type === 'budget' && e.phase === 'reserve')!;
    const first = events.find((e) => e.type === 'text-delta')!;
    const settle = settles(events)[0]!;
    expect(m.total.ttftMs.count).toBe(1);
    expect(m.total.ttftMs.median).toBeCloseTo(first.t - reserve.t, 6);
    expect(m.total.latencyMs.median).toBeCloseTo(settle.t - reserve.t, 6);
    expect(m.total.ttftMs.median).toBeGreaterThanOrEqual(35); // the provider waited 40 ms before the first chunk
    expect(m.total.latencyMs.median).toBeGreaterThan(m.total.ttftMs.median);
  });
});

describe('sy.metrics()', () => {
  test('covers every run and call of the instance, live, with nodes keyed by workflow', async () => {
    const { sy, wf } = scenario();
    const first = await sy.run(wf, {}).result;
    const mid: number[] = [];
    const run = sy.run(wf, {});
    run.on('node-end', () => mid.push(sy.metrics().nodes.succeeded));
    const second = await run.result;
    await sy.generate({ model: 'gpt-5.4-mini', prompt: 'one more' });
    const m = sy.metrics();
    expect(m.runs).toEqual({ started: 3, ended: 3 });
    expect(mid).toEqual([4, 5, 6]); // live: the first run's 3 nodes, then each node of the second as it ends
    expect(m.total.costUsd).toBeCloseTo(first.costUsd + second.costUsd + m.byNode['call/call']!.costUsd, 12);
    expect(m.byNode['mix/fan']!.calls).toBe(6);
    expect(m.total.attempts).toBe(first.metrics.total.attempts + second.metrics.total.attempts + 1);
  });
});

describe('MetricsCollector', () => {
  test('a retry after a new call does not mark the previous call wasted', () => {
    const c = new MetricsCollector();
    const base = { runId: 'r', nodeId: 'n', model: 'gpt-5.4', provider: 'p' };
    let seq = 0;
    const ev = (e: object) => c.observe({ ...base, seq: ++seq, t: seq, ...e } as RunEvent);
    const usage = { ...ZERO_USAGE, inputTokens: 10, outputTokens: 5 };
    ev({ type: 'run-start', workflow: 'w', nodes: 1 });
    ev({ type: 'node-route', reason: 'pinned', candidates: [] });
    ev({ type: 'budget', phase: 'reserve', amountUsd: 1, levels: [], attempt: 1 });
    ev({ type: 'budget', phase: 'settle', amountUsd: 0.5, usage, levels: [], attempt: 1 });
    ev({ type: 'node-route', reason: 'pinned', candidates: [] }); // a second call of the same node (an agent step)
    ev({ type: 'node-retry', discard: false, error: { name: 'SwitchyardError', kind: 'rate_limit', message: 'x' }, delayMs: 0 });
    const m = c.snapshot();
    expect(m.total.wastedAttempts).toBe(0);
    expect(m.total.retries).toBe(1);
    expect(m.total.calls).toBe(2);
  });
});
