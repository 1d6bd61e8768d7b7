/**
 * Budgets end to end, through the official OpenAI SDK against the mock server: a call whose worst case fits no
 * level never reaches the wire and fails with the refusing level's figures; `downgrade: true` takes a cheaper
 * model (at routing, or when a reservation is refused mid-run); `budget` events and `run.result.budget` report
 * the spend per level; and nothing stays reserved after a run.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { z } from 'zod';
import { BudgetExceededError, createSwitchyard, type BudgetFigures, defaultCatalog, openai, workflow, worstCaseCostOf } from '../src/index.js';
import type { MockServer } from '../src/testing/index.js';
import { attemptsOf, collect, oneNode, ofType, timedServer, words } from './e2e-kit.js';

const servers: MockServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A hub serving every OpenAI model; each reply is 20 tokens and reports 900 output tokens. */
async function hub(outputTokens = 900) {
  const server = await timedServer(() => ({ text: words(20), usage: { outputTokens } }));
  servers.push(server);
  const provider = openai({ name: 'hub', baseURL: server.openaiBaseURL, apiKey: 'k' });
  return { server, provider };
}

const level = (budget: readonly BudgetFigures[], name: BudgetFigures['level']): BudgetFigures => budget.find((b) => b.level === name)!;

describe('BudgetExceededError when nothing fits', () => {
  test('run level: the node fails with the figures, and no HTTP request is made', async () => {
    const { server, provider } = await hub();
    const sy = createSwitchyard({ providers: [provider] });
    const run = sy.run(oneNode({ model: 'gpt-5.5', prompt: 'hi', maxOutputTokens: 1000 }), {}, { budget: { usd: 0.001 } });
    const { events, result } = await collect(run);
    expect(result.status).toBe('failed');
    const error = result.nodes.node.error;
    expect(BudgetExceededError.isInstance(error)).toBe(true);
    const refusal = error as BudgetExceededError;
    expect(refusal).toMatchObject({ kind: 'budget_exceeded', level: 'run', unit: 'usd', limit: 0.001, spent: 0, reserved: 0 });
    expect(refusal.requested).toBeGreaterThan(1000 * 30e-6); // 1,000 output tokens at $30/M, plus the input
    expect(refusal.message).toContain('downgrade: true');
    expect(server.requests).toHaveLength(0);
    expect(result.nodes.node.attempts).toBe(0);
    expect(ofType(events, 'budget')).toHaveLength(0);
    expect(ofType(events, 'node-retry')).toHaveLength(0);
    expect(level(result.budget, 'run')).toMatchObject({ spentUsd: 0, reservedUsd: 0 });
  });

  test('instance, node and token limits each refuse with their own level and unit', async () => {
    const { server, provider } = await hub();
    const instance = createSwitchyard({ providers: [provider], budget: { usd: 0.001 } });
    const a = await instance.run(oneNode({ model: 'gpt-5.4', prompt: 'hi', maxOutputTokens: 1000 }), {}).result;
    expect(a.nodes.node.error).toMatchObject({ kind: 'budget_exceeded', level: 'instance', unit: 'usd', limit: 0.001 });

    const sy = createSwitchyard({ providers: [provider] });
    const b = await sy.run(oneNode({ model: 'gpt-5.4', prompt: 'hi', maxOutputTokens: 1000, budget: { usd: 0.002 } }), {}).result;
    expect(b.nodes.node.error).toMatchObject({ level: 'node', unit: 'usd', limit: 0.002 });

    const c = await sy.run(oneNode({ model: 'gpt-5.4', prompt: 'hi', maxOutputTokens: 1000 }), {}, { budget: { tokens: 500 } }).result;
    expect(c.nodes.node.error).toMatchObject({ level: 'run', unit: 'tokens', limit: 500, spent: 0 });
    expect((c.nodes.node.error as BudgetExceededError).requested).toBeGreaterThan(1000);
    expect(server.requests).toHaveLength(0);
  });

  test('spend so far is in the error: the second call does not fit what the first left', async () => {
    const { server, provider } = await hub(900);
    const sy = createSwitchyard({ providers: [provider] });
    const wf = workflow({ name: 'two', input: z.object({}) })
      .llm('a', { model: 'gpt-5.4', prompt: 'first', maxOutputTokens: 1000 })
      .llm('b', { model: 'gpt-5.4', prompt: 'second', maxOutputTokens: 1000, after: ['a'] });
    const worst = worstCaseCostOf(defaultCatalog.get('gpt-5.4'), 20, 1000);
    const { result } = await collect(sy.run(wf, {}, { budget: { usd: worst * 1.5 } }));
    expect(result.nodes.a.status).toBe('succeeded');
    const error = result.nodes.b.error as BudgetExceededError;
    expect(error).toMatchObject({ level: 'run', reserved: 0 });
    expect(error.spent).toBeCloseTo(result.nodes.a.costUsd, 9);
    expect(error.spent + error.requested).toBeGreaterThan(error.limit);
    expect(server.requests).toHaveLength(1);
    expect(attemptsOf(result)).toBe(1);
    expect(level(result.budget, 'run').spentUsd).toBeLessThanOrEqual(worst * 1.5);
    expect(level(result.budget, 'run').reservedUsd).toBe(0);
  });

  test('the instance budget is shared by runs: a later run is refused at the instance level', async () => {
    const { server, provider } = await hub(900);
    const worst = worstCaseCostOf(defaultCatalog.get('gpt-5.4'), 20, 1000);
    const sy = createSwitchyard({ providers: [provider], budget: { usd: worst * 2.5 } });
    const wf = oneNode({ model: 'gpt-5.4', prompt: 'hi', maxOutputTokens: 1000 });
    const statuses: string[] = [];
    let refusal: BudgetExceededError | undefined;
    for (let i = 0; i < 6 && !refusal; i++) {
      const result = await sy.run(wf, {}).result;
      statuses.push(result.status);
      const instance = level(result.budget, 'instance');
      expect(instance.spentUsd).toBeLessThanOrEqual(worst * 2.5);
      expect(instance.reservedUsd).toBe(0);
      if (result.nodes.node.error) refusal = result.nodes.node.error as BudgetExceededError;
    }
    expect(refusal).toMatchObject({ level: 'instance', kind: 'budget_exceeded' });
    expect(statuses.filter((s) => s === 'succeeded').length).toBe(server.requests.length);
    expect(server.requests.length).toBeGreaterThanOrEqual(2);
  });
});

describe('downgrade', () => {
  test('a node with downgrade: true takes a cheaper model when the preferred worst case does not fit', async () => {
    const { server, provider } = await hub(500);
    const sy = createSwitchyard({ providers: [provider] });
    const wf = oneNode({ task: 'agentic-coding', prompt: 'fix it', maxOutputTokens: 1000, downgrade: true });
    const { events, result } = await collect(sy.run(wf, {}, { budget: { usd: 0.02 } }));
    expect(result.status).toBe('succeeded');
    const [route] = ofType(events, 'node-route');
    expect(route).toMatchObject({ downgraded: true, model: 'gpt-5.4', provider: 'hub' });
    expect(route!.reason).toMatch(/gpt-5\.5 needs \$[\d.]+ worst case, \$0\.02\d* left; took gpt-5\.4/);
    expect(result.nodes.node.model).toBe('gpt-5.4');
    expect(server.requests.map((r) => r.model)).toEqual(['gpt-5.4']);
    expect(level(result.budget, 'run').spentUsd).toBeLessThanOrEqual(0.02);
  });

  test('without downgrade the same node fails with BudgetExceededError and makes no request', async () => {
    const { server, provider } = await hub(500);
    const sy = createSwitchyard({ providers: [provider] });
    const wf = oneNode({ task: 'agentic-coding', prompt: 'fix it', maxOutputTokens: 1000 });
    const { events, result } = await collect(sy.run(wf, {}, { budget: { usd: 0.02 } }));
    expect(result.nodes.node.error).toMatchObject({ kind: 'budget_exceeded', level: 'run', model: 'gpt-5.5' });
    expect(ofType(events, 'node-route')[0]!.downgraded).toBeUndefined();
    expect(server.requests).toHaveLength(0);
  });

  test('items that find the budget held by their siblings downgrade when their reservation is refused', async () => {
    const { server, provider } = await hub(900);
    const sy = createSwitchyard({ providers: [provider] });
    const worst55 = worstCaseCostOf(defaultCatalog.get('gpt-5.5'), 30, 1000);
    const limit = worst55 * 3.5;
    const wf = workflow({ name: 'fan', input: z.object({}) }).map('answers', {
      over: () => Array.from({ length: 12 }, (_, i) => i),
      onError: 'continue',
      node: { task: 'agentic-coding', prompt: (i) => `question ${i}`, maxOutputTokens: 1000, downgrade: true },
    });
    const { events, result } = await collect(sy.run(wf, {}, { budget: { usd: limit } }));
    const byItem = new Map<number, string>();
    for (const e of ofType(events, 'budget')) if (e.phase === 'settle' && e.item !== undefined) byItem.set(e.item, e.model!);
    for (const { error } of result.errors) expect(error.kind).toBe('budget_exceeded'); // the rest did not fit at all
    const downgrades = ofType(events, 'node-fallback').filter((e) => e.error?.kind === 'budget_exceeded');
    const routed = ofType(events, 'node-route').filter((e) => e.downgraded);
    expect(downgrades.length + routed.length).toBeGreaterThan(0);
    for (const d of downgrades) expect(d.reason).toContain('Downgrading to');
    expect([...byItem.values()].filter((m) => m === 'gpt-5.5').length).toBeGreaterThan(0);
    expect([...byItem.values()].filter((m) => m !== 'gpt-5.5').length).toBeGreaterThan(0);
    const run = level(result.budget, 'run');
    expect(run.spentUsd).toBeLessThanOrEqual(limit);
    expect(run.reservedUsd).toBe(0);
    expect(attemptsOf(result)).toBe(server.requests.length);
  });
});

describe('budget held by calls in flight', () => {
  test('a call whose worst case fits once its siblings settle waits for them instead of failing', async () => {
    let peak = 0;
    const server = await timedServer(() => {
      peak = Math.max(peak, server.requests.filter((r) => !r.completed && !r.closedByClient).length);
      return { text: words(10), chunkDelayMs: 10, usage: { outputTokens: 10 } };
    });
    servers.push(server);
    const sy = createSwitchyard({ providers: [openai({ name: 'hub', baseURL: server.openaiBaseURL, apiKey: 'k' })] });
    const worst = worstCaseCostOf(defaultCatalog.get('gpt-5.4'), 20, 1000);
    const wf = workflow({ name: 'fan', input: z.object({}) }).map('m', {
      over: () => Array.from({ length: 10 }, (_, i) => i),
      node: { model: 'gpt-5.4', prompt: (i) => `item ${i}`, maxOutputTokens: 1000 },
    });
    const { events, result } = await collect(sy.run(wf, {}, { budget: { usd: worst * 2.5 } }));
    expect(result.status).toBe('succeeded');
    expect(peak).toBeLessThanOrEqual(2); // never more worst cases in flight than the budget holds
    expect(server.requests).toHaveLength(10);
    for (const e of ofType(events, 'budget')) {
      const run = e.levels.find((l) => l.level === 'run')!;
      expect(run.spentUsd + run.reservedUsd).toBeLessThanOrEqual(worst * 2.5 + 1e-9);
    }
    expect(level(result.budget, 'run').reservedUsd).toBe(0);
  });
});

describe('budget events and run.result.budget', () => {
  test('every attempt reserves then settles, with figures per level; the result reports spend per level', async () => {
    const { provider } = await hub(300);
    const sy = createSwitchyard({ providers: [provider], budget: { usd: 10 } });
    const wf = oneNode({ model: 'gpt-5.4', prompt: 'hi', maxOutputTokens: 1000, budget: { usd: 1 } });
    const { events, result } = await collect(sy.run(wf, {}, { budget: { usd: 2 } }));
    const budget = ofType(events, 'budget');
    expect(budget.map((e) => e.phase)).toEqual(['reserve', 'settle']);
    const [reserve, settle] = budget;
    expect(reserve!.levels.map((l) => l.level)).toEqual(['instance', 'run', 'node']);
    const worst = worstCaseCostOf(defaultCatalog.get('gpt-5.4'), reserve!.levels[0]!.reservedTokens - 1000, 1000);
    expect(reserve!.amountUsd).toBeCloseTo(worst, 9);
    for (const l of reserve!.levels) {
      expect(l.reservedUsd).toBeCloseTo(reserve!.amountUsd, 9);
      expect(l.remainingUsd).toBeCloseTo(l.limitUsd! - reserve!.amountUsd, 9);
    }
    expect(settle!.usage?.outputTokens).toBe(300);
    for (const l of settle!.levels) {
      expect(l).toMatchObject({ reservedUsd: 0, reservedTokens: 0 });
      expect(l.spentUsd).toBeCloseTo(settle!.amountUsd, 9);
    }
    expect(settle!.amountUsd).toBeLessThan(reserve!.amountUsd);
    expect(result.costUsd).toBeCloseTo(settle!.amountUsd, 12);
    expect(result.budget.map((b) => b.level)).toEqual(['instance', 'run']);
    expect(level(result.budget, 'instance')).toMatchObject({ limitUsd: 10, reservedUsd: 0 });
    expect(level(result.budget, 'run')).toMatchObject({ limitUsd: 2, reservedUsd: 0 });
    expect(level(result.budget, 'run').spentUsd).toBeCloseTo(result.costUsd, 9);
    expect(level(result.budget, 'run').remainingUsd).toBeCloseTo(2 - result.costUsd, 9);
  });

  test('nothing stays reserved after a run that failed, fell back or was cancelled', async () => {
    // Every third item fails its first attempt; item 19 always fails.
    const seen = new Set<string>();
    const server = await timedServer((info) => {
      const item = Number(/item (\d+)/.exec(info.text)?.[1]);
      const first = !seen.has(info.text);
      seen.add(info.text);
      if (item === 19 || (item % 3 === 0 && first)) return { fault: { type: 'http', status: 500 } };
      return { text: words(30), chunkDelayMs: 5 };
    });
    servers.push(server);
    const sy = createSwitchyard({
      providers: [openai({ name: 'hub', baseURL: server.openaiBaseURL, apiKey: 'k' })],
      budget: { usd: 5 },
      retry: { baseDelayMs: 1 },
      circuitBreaker: { failureThreshold: 1000, failureRate: 2 },
    });
    const wf = workflow({ name: 'many', input: z.object({}) }).map('m', {
      over: () => Array.from({ length: 20 }, (_, i) => i),
      onError: 'continue',
      node: { model: 'gpt-5.4', prompt: (i) => `item ${i}`, maxOutputTokens: 200 },
    });
    const finished = await sy.run(wf, {}, { budget: { usd: 1 } }).result;
    expect(finished.status).toBe('failed');
    expect(finished.errors.map((e) => e.item)).toEqual([19]);
    expect(finished.nodes.m.partialOutput?.filter((o) => o === words(30))).toHaveLength(19);
    expect(attemptsOf(finished)).toBe(server.requests.length);
    const before = server.requests.length;
    const cancelled = sy.run(wf, {}, { budget: { usd: 1 } });
    cancelled.once('text-delta', () => cancelled.cancel()); // mid-stream: the streamed part is charged
    const ended = await cancelled.result;
    expect(ended.status).toBe('cancelled');
    expect(ended.costUsd).toBeGreaterThan(0);
    for (const result of [finished, ended]) {
      for (const l of result.budget) expect(l.reservedUsd).toBe(0);
      expect(level(result.budget, 'run').spentUsd).toBeCloseTo(result.costUsd, 9);
    }
    expect(level(ended.budget, 'instance').spentUsd).toBeCloseTo(finished.costUsd + ended.costUsd, 9);
    // A cancelled attempt whose request had not left the process yet counts as an attempt: requests <= attempts.
    expect(server.requests.length - before).toBeLessThanOrEqual(attemptsOf(ended));
  });
});
