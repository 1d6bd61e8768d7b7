/**
 * Metrics from run events: every figure is checked against the per-attempt usages the `budget` settle events
 * carry (and against run.result), on a run with a cut stream (retry + discard), a failover to a second endpoint,
 * a map fan-out and scripted cached input.
 */
import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { addUsage, createSwitchyard, workflow, ZERO_USAGE, type RunEvent, type RunEventOf, type Switchyard, type Usage, type Workflow } from '../src/index.js';
import type { Outputs } from '../src/workflow/workflow-types.js';
import { MetricsCollector } from '../src/observe/metrics-collector.js';
import { addSample, mergeSamples, sampleStats } from '../src/observe/sample-slot.js';
import { quantile } from '../src/observe/quantile.js';
import { Samples } from '../src/observe/samples.js';
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

/** Runs `wf` on `sy` with a `'*'` handler: every event of the run, and its result. */
async function heard<I, O extends Outputs>(sy: Switchyard, wf: Workflow<I, O, Record<string, never>>) {
  const events: RunEvent[] = [];
  const run = sy.run(wf, {});
  run.on('*', (e) => events.push(e));
  return { events, result: await run.result };
}

describe('run.result.metrics', () => {
  test('sums equal the per-attempt usages and costs, in total and per node, model and endpoint', async () => {
    const { sy, wf } = scenario();
    const { events, result } = await heard(sy, wf);
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
    const { events, result: { metrics: m } } = await heard(sy, wf);
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
    const { events, result: { metrics: m } } = await heard(sy, wf);
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

describe('Samples.merge', () => {
  const filled = (values: readonly number[], capacity?: number) => {
    const s = new Samples(capacity);
    for (const v of values) s.add(v);
    return s;
  };

  test('under capacity, merging is exactly adding the values one by one; the merged-in side is left as it is', () => {
    const a = [5, 1, 9, 3];
    const b = [7, 2, 8, 4, 6];
    const merged = filled(a);
    const other = filled(b);
    merged.merge(other);
    expect(merged.stats()).toEqual(filled([...a, ...b]).stats());
    expect(other.stats()).toEqual(filled(b).stats());
    // singles (the common case of a node) and an empty side
    const one = filled([4]);
    one.merge(filled([2]));
    one.merge(new Samples());
    expect(one.stats()).toEqual({ count: 2, median: 3, p95: 4, max: 4 });
    const empty = new Samples();
    empty.merge(filled([1.5]));
    expect(empty.stats()).toEqual({ count: 1, median: 1.5, p95: 1.5, max: 1.5 });
  });

  test('over capacity: count and max stay exact, each side is kept in proportion to its count', () => {
    const ones = Array.from({ length: 3000 }, () => 1);
    const twos = Array.from({ length: 1000 }, () => 2);
    const a = filled(ones, 100);
    a.merge(filled([...twos, 50], 100));
    const stats = a.stats();
    expect(stats.count).toBe(4001);
    expect(stats.max).toBe(50); // the one 50 may not be among the kept values; the maximum is exact anyway
    expect(stats.median).toBe(1); // ~3/4 of the kept values are 1s
    expect(stats.p95).toBe(2);
    // the two sides the other way round: 2s now weigh 3 to 1
    const b = filled([...twos, ...twos, ...twos], 100);
    b.merge(filled(ones.slice(0, 1000), 100));
    expect(b.stats().median).toBe(2);
  });

  test('percentiles (by selection, not a sort) are the nearest-rank figures of the sorted values', () => {
    const bySort = (values: number[], q: number) => {
      const s = [...values].sort((a, b) => a - b);
      if (q === 0.5 && s.length % 2 === 0) return (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
      return s[Math.min(s.length, Math.max(1, Math.ceil(q * s.length))) - 1]!;
    };
    let seed = 7;
    const next = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (let t = 0; t < 400; t++) {
      const n = 1 + (t % 37);
      const values = Array.from({ length: n }, (_, i) => (t % 3 === 0 ? Math.floor(next() * 4) : t % 3 === 1 ? n - i : next() * 100));
      for (const q of [0.5, 0.95]) expect(quantile(Float64Array.from(values), q)).toBe(bySort(values, q));
    }
  });

  test('a full reservoir merged with a few exact values keeps a proportional few of them', () => {
    const big = filled(Array.from({ length: 10_000 }, () => 1), 100);
    big.merge(filled([9, 9, 9, 9, 9, 9, 9, 9, 9, 9], 100)); // 10 of 10,010: about 0.1 of 100 kept slots
    const stats = big.stats();
    expect(stats).toMatchObject({ count: 10_010, median: 1, p95: 1, max: 9 });
  });
});

describe('sample slots (a slice’s durations)', () => {
  test('one value is kept as a number; the second makes Samples; merging slots is adding their values', () => {
    const one = addSample(undefined, 2.5);
    expect(one).toBe(2.5);
    expect(sampleStats(one)).toEqual({ count: 1, median: 2.5, p95: 2.5, max: 2.5 });
    expect(sampleStats(undefined)).toEqual({ count: 0, median: 0, p95: 0, max: 0 });
    const two = addSample(one, 1);
    expect(two).toBeInstanceOf(Samples);
    expect(sampleStats(two)).toEqual({ count: 2, median: 1.75, p95: 2.5, max: 2.5 });
    expect(sampleStats(mergeSamples(3, 5))).toEqual({ count: 2, median: 4, p95: 5, max: 5 });
    expect(mergeSamples(undefined, 7)).toBe(7);
    const other = addSample(addSample(undefined, 10), 20);
    const merged = mergeSamples(undefined, other);
    expect(merged).not.toBe(other); // a copy: the run's own figures are never shared with the instance's
    expect(sampleStats(mergeSamples(merged, 4))).toEqual({ count: 3, median: 10, p95: 20, max: 20 });
    expect(sampleStats(other)).toEqual({ count: 2, median: 15, p95: 20, max: 20 });
  });
});

describe('sy.metrics() from the runs’ own collectors', () => {
  function twoWorkflows() {
    const sim = simulated({ reply: (info): ScriptedReply => ({ text: words(3), usage: { inputTokens: 10 + info.index, outputTokens: 3 } }) });
    const sy = createSwitchyard({ providers: [sim] });
    const alpha = workflow({ name: 'alpha', input: z.object({}) })
      .llm('a', { model: 'gpt-5.4', prompt: 'one', maxOutputTokens: 20 })
      .llm('b', { model: 'gpt-5.4-mini', prompt: 'two', after: ['a'], maxOutputTokens: 20 });
    const beta = workflow({ name: 'beta', input: z.object({}) }).llm('a', { model: 'gpt-5.5', prompt: 'three', maxOutputTokens: 20 });
    return { sy, alpha, beta };
  }

  test('after two runs of different workflows, it is the sum of the two runs’ metrics, nodes keyed by workflow', async () => {
    const { sy, alpha, beta } = twoWorkflows();
    const first = await sy.run(alpha, {}).result;
    const second = await sy.run(beta, {}).result;
    const m = sy.metrics();
    expect(m.runs).toEqual({ started: 2, ended: 2 });
    expect(Object.keys(m.byNode).sort()).toEqual(['alpha/a', 'alpha/b', 'beta/a']);
    expect(m.byNode['alpha/a']).toEqual(first.metrics.byNode.a);
    expect(m.byNode['alpha/b']).toEqual(first.metrics.byNode.b);
    expect(m.byNode['beta/a']).toEqual(second.metrics.byNode.a);
    const [x, y] = [first.metrics, second.metrics];
    expect(m.total.tokens).toEqual({
      input: x.total.tokens.input + y.total.tokens.input,
      cachedInput: 0,
      cacheWrite: 0,
      output: x.total.tokens.output + y.total.tokens.output,
      reasoning: 0,
    });
    expect(m.total.costUsd).toBeCloseTo(x.total.costUsd + y.total.costUsd, 12);
    expect(m.total.attempts).toBe(3);
    expect(m.total.calls).toBe(3);
    expect(m.total.latencyMs.count).toBe(3);
    expect(m.total.latencyMs.max).toBe(Math.max(x.total.latencyMs.max, y.total.latencyMs.max));
    expect(m.nodes).toEqual({ total: 3, started: 3, succeeded: 3, failed: 0, cancelled: 0, skipped: 0, cached: 0 });
    expect(Object.keys(m.byModel).sort()).toEqual(['gpt-5.4', 'gpt-5.4-mini', 'gpt-5.5']);
    expect(m.byModel['gpt-5.5']).toEqual(y.byModel['gpt-5.5']);
  });

  test('an in-flight run is in sy.metrics() already in its own node-end, run-end and * handlers', async () => {
    const { sy, alpha, beta } = twoWorkflows();
    await sy.run(beta, {}).result;
    const seen: Array<{ type: string; succeeded: number; runs: object; alphaA?: number }> = [];
    const run = sy.run(alpha, {});
    const look = (type: string) => {
      const m = sy.metrics();
      seen.push({ type, succeeded: m.nodes.succeeded, runs: m.runs, alphaA: m.byNode['alpha/a']?.attempts });
    };
    run.on('node-end', () => look('node-end'));
    run.on('*', (e) => e.type === 'node-end' && look('*'));
    run.on('run-end', () => look('run-end'));
    await run.result;
    expect(seen).toEqual([
      { type: 'node-end', succeeded: 2, runs: { started: 2, ended: 1 }, alphaA: 1 },
      { type: '*', succeeded: 2, runs: { started: 2, ended: 1 }, alphaA: 1 },
      { type: 'node-end', succeeded: 3, runs: { started: 2, ended: 1 }, alphaA: 1 },
      { type: '*', succeeded: 3, runs: { started: 2, ended: 1 }, alphaA: 1 },
      { type: 'run-end', succeeded: 3, runs: { started: 2, ended: 2 }, alphaA: 1 },
    ]);
    expect(sy.metrics().runs).toEqual({ started: 2, ended: 2 });
  });

  test('a run’s metrics are what a collector fed its events gives, and later runs leave them as they were', async () => {
    const { sy, wf } = scenario();
    const { events, result } = await heard(sy, wf);
    const alone = new MetricsCollector();
    for (const e of events) alone.observe(e);
    expect(result.metrics).toEqual(alone.snapshot());
    const before = structuredClone(result.metrics);
    await sy.run(wf, {}).result;
    sy.metrics();
    expect(result.metrics).toEqual(before);
    // with one run of each, the instance's figures are the runs' own, node keys qualified
    const { sy: fresh, wf: again } = scenario();
    const only = await fresh.run(again, {}).result;
    const m = fresh.metrics();
    expect(m.total).toEqual(only.metrics.total);
    expect(m.byModel).toEqual(only.metrics.byModel);
    expect(m.byEndpoint).toEqual(only.metrics.byEndpoint);
    expect(Object.fromEntries(Object.entries(only.metrics.byNode).map(([k, v]) => [`mix/${k}`, v]))).toEqual(m.byNode);
  });

  test('result.metrics, made when first read, is what the run gave even when read after later runs; JSON and spreads see it', async () => {
    const { sy, wf } = scenario();
    const { events, result } = await heard(sy, wf);
    await sy.run(wf, {}).result;
    sy.metrics();
    const alone = new MetricsCollector();
    for (const e of events) alone.observe(e);
    expect(Object.keys(result).at(-1)).toBe('metrics');
    expect(JSON.parse(JSON.stringify(result)).metrics).toEqual(JSON.parse(JSON.stringify(alone.snapshot())));
    expect(result.metrics).toEqual(alone.snapshot());
    expect({ ...result }.metrics).toBe(result.metrics); // made once
    expect(structuredClone(result).metrics).toEqual(alone.snapshot());
  });

  test('a run nobody listens to has the metrics of one whose every event is listened to', async () => {
    // Nobody listening, the hub builds no event and feeds the run's collector the payloads alone.
    const counted = (metrics: object) =>
      JSON.parse(JSON.stringify(metrics, (key, value: unknown) => (key === 'ttftMs' || key === 'latencyMs' ? (value as { count: number }).count : value)));
    const { sy, wf } = scenario();
    const unheard = await sy.run(wf, {}).result;
    const { sy: other, wf: same } = scenario();
    const run = other.run(same, {});
    let heard = 0;
    run.on('*', () => heard++);
    const listened = await run.result;
    expect(heard).toBeGreaterThan(20);
    expect(unheard.metrics.total.attempts).toBeGreaterThan(unheard.metrics.total.calls); // the retry and the failover
    expect(counted(unheard.metrics)).toEqual(counted(listened.metrics));
    expect(counted(sy.metrics())).toEqual(counted(other.metrics()));
  });

  test('a run that never starts adds nothing', async () => {
    const { sy, alpha } = twoWorkflows();
    await sy.run(alpha, {}).result;
    const before = sy.metrics();
    await expect(sy.run(alpha, 'not an object' as never).result).rejects.toThrow();
    expect(sy.metrics()).toEqual(before);
  });
});
