/**
 * The budget invariant under load: hundreds of `.llm` nodes reserving at once, in two concurrent runs sharing a
 * small instance budget, on two simulated endpoints with random real usage and random faults (429, 5xx, cut and
 * hung streams, empty replies, streams that never end, garbage usage reports). For several seeds:
 * - at every level, in both units, spent + reserved never exceeds a limit in any `budget` event, and spend
 *   never exceeds a limit at the end;
 * - nothing stays reserved after the runs;
 * - every request the endpoints received is an attempt the results report, and the money they settled is the
 *   money the results report.
 */
import { seededRandom } from '../src/testing/seeded-random.js';
import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import {
  countTokens,
  createSwitchyard,
  defaultCatalog,
  workflow,
  type BudgetFigures,
  type ModelRequest,
  type RunEvent,
  type RunResult,
} from '../src/index.js';
import type { NodeDefinition } from '../src/workflow/node-definition.js';
import { simulated, type Fault, type ScriptedReply, type ScriptRequestInfo } from '../src/testing/index.js';
import { assembledText } from './e2e-kit.js';


const MODELS = ['gpt-5.4', 'gpt-5.4-mini', 'gpt-5.4-nano', 'claude-haiku-4-5', 'gemini-3-flash'];
const FAULTS: Array<Fault | number> = [
  { type: 'http', status: 429, retryAfterMs: 5 },
  500,
  503,
  { type: 'cut', afterTokens: 2 },
  { type: 'hang', afterTokens: 1 },
  { type: 'empty' },
  // A stream that never ends (cut past its output cap) and usage reports no one should trust (replaced, charged).
  { type: 'endless', chunkDelayMs: 1 },
  { type: 'bad-usage', usage: { outputTokens: '-5', inputTokens: 'null' } },
  { type: 'bad-usage', usage: { outputTokens: '1e999', cachedInputTokens: '"12"' } },
];
const NANO = 1e-9; // the ledger counts integer nano-dollars; figures are rounded to them

/** Random real usage for each request: output up to the request's maxOutputTokens, some cached input and reasoning. */
function randomUsage(seed: number) {
  return (info: ScriptRequestInfo): ScriptedReply => {
    const random = seededRandom(seed * 7919 + info.index);
    const request = info.body as ModelRequest;
    const max = request.maxOutputTokens ?? 100;
    const outputTokens = Math.floor(random() * (max + 1));
    const input = countTokens(defaultCatalog.get(info.model), request);
    return {
      text: Array.from({ length: Math.min(outputTokens, 8) + 1 }, (_, i) => `w${i}`).join(' '),
      usage: {
        outputTokens,
        cachedInputTokens: Math.floor(random() * input),
        reasoningTokens: Math.floor(random() * outputTokens),
      },
    };
  };
}

/** `count` llm nodes with random models, output limits, prompts, node budgets and downgrade flags. */
function randomNodes(seed: number, count: number): NodeDefinition[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, i): NodeDefinition => {
    const pick = random();
    const budget = pick < 0.15 ? { usd: 0.0005 + random() * 0.003 } : pick < 0.25 ? { tokens: 200 + Math.floor(random() * 600) } : undefined;
    return {
      kind: 'llm',
      id: `n${i}`,
      ...(random() < 0.5 ? { model: MODELS[Math.floor(random() * MODELS.length)]! } : { task: random() < 0.5 ? 'classification' : 'chat' }),
      prompt: `node ${i}: ${'lorem ipsum '.repeat(1 + Math.floor(random() * 40))}`,
      maxOutputTokens: 20 + Math.floor(random() * 380),
      downgrade: random() < 0.5,
      ...(budget ? { budget } : {}),
    } as NodeDefinition;
  });
}

function expectWithin(levels: readonly BudgetFigures[]): void {
  for (const l of levels) {
    if (l.limitUsd !== undefined) expect(l.spentUsd + l.reservedUsd).toBeLessThanOrEqual(l.limitUsd + NANO);
    if (l.limitTokens !== undefined) expect(l.spentTokens + l.reservedTokens).toBeLessThanOrEqual(l.limitTokens);
  }
}

async function drive(run: AsyncIterable<RunEvent> & { result: Promise<RunResult> }) {
  const events: RunEvent[] = [];
  for await (const event of run) events.push(event);
  return { events, result: await run.result };
}

describe('budget invariant under load', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    test(`seed ${seed}: 2 runs × 200 nodes, 20% faults, small budgets`, async () => {
      const endpoints = ['east', 'west'].map((name, k) =>
        simulated({ name, reply: randomUsage(seed * 10 + k), faults: { rate: 0.2, kinds: FAULTS, seed: seed * 100 + k } }),
      );
      const sy = createSwitchyard({
        providers: endpoints,
        budget: { usd: 0.4 },
        retry: { baseDelayMs: 2, maxDelayMs: 20, idleTimeoutMs: 40 },
      });
      const input = z.object({});
      const runs = [
        sy.run(workflow({ name: 'load-a', input, nodes: randomNodes(seed, 200) }), {}, { budget: { usd: 0.25 }, onError: 'continue' }),
        sy.run(workflow({ name: 'load-b', input, nodes: randomNodes(seed + 1000, 200) }), {}, { budget: { usd: 0.3, tokens: 60_000 }, onError: 'continue' }),
      ];
      const done = await Promise.all(runs.map(drive));

      let settled = 0;
      for (const { events, result } of done) {
        const budgetEvents = events.filter((e): e is Extract<RunEvent, { type: 'budget' }> => e.type === 'budget');
        expect(budgetEvents.length).toBeGreaterThan(100);
        for (const e of budgetEvents) expectWithin(e.levels);
        for (const e of budgetEvents) if (e.phase === 'settle') settled += e.amountUsd;
        expectWithin(result.budget);
        const run = result.budget.find((l) => l.level === 'run')!; // the instance level is shared with the other run
        expect(run.reservedUsd).toBe(0);
        expect(run.reservedTokens).toBe(0);
        expect(run.spentUsd).toBeCloseTo(result.costUsd, 6);
        // Every failure is a budget refusal, a fault the policy could not get past, or every circuit open; never a crash.
        for (const { error } of result.errors) expect(['budget_exceeded', 'no_provider', 'rate_limit', 'server', 'overloaded', 'network', 'timeout']).toContain(error.kind);
        expect(Object.values(result.nodes).filter((n) => n.status === 'succeeded').length).toBeGreaterThan(20);
        // What a consumer assembles (deltas minus discarded attempts) is each node's output, cut streams included.
        for (const [id, node] of Object.entries(result.nodes)) {
          if (node.status === 'succeeded') expect(assembledText(events, id)).toBe(result.outputs[id]);
        }
      }
      const instance = sy.run(workflow({ name: 'probe', input, nodes: [{ kind: 'step', id: 's', run: () => 1 } as NodeDefinition] }), {});
      const after = (await instance.result).budget.find((l) => l.level === 'instance')!;
      expect(after.reservedUsd).toBe(0);
      expect(after.spentUsd).toBeLessThanOrEqual(0.4 + NANO);
      expect(after.spentUsd).toBeCloseTo(settled, 6);

      // Garbage reports were replaced and said so; every endless stream was cut.
      const notes = done.flatMap(({ events }) => events.filter((e) => e.type === 'budget' && e.phase === 'settle' && e.note !== undefined));
      expect(notes.length).toBeGreaterThan(0);
      const endless = endpoints.flatMap((e) => e.requests).filter((r) => r.fault?.type === 'endless');
      expect(endless.length).toBeGreaterThan(0);
      expect(endless.every((r) => r.outcome !== 'streaming')).toBe(true);
      const requests = endpoints.reduce((sum, e) => sum + e.requests.length, 0);
      const attempts = done.reduce((sum, { result }) => sum + Object.values(result.nodes).reduce((s, n) => s + n.attempts, 0), 0);
      expect(attempts).toBe(requests);
      expect(endpoints.every((e) => e.requests.some((r) => r.fault !== undefined))).toBe(true);
      expect(done.some(({ result }) => result.errors.some((e) => e.error.kind === 'budget_exceeded'))).toBe(true);
    });
  }
});
