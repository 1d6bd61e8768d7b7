import { describe, expect, it } from 'vitest';
import { SwitchyardError } from '../src/errors/index.js';
import { createCatalog } from '../src/models/catalog.js';
import { worstCaseCostOf } from '../src/models/cost.js';
import { defaultCatalog } from '../src/models/default-catalog.js';
import type { ModelInfo } from '../src/models/types.js';
import { route, routeEventOf, type RouteEndpoint, type RouteInput, type RouteState, type RouterConfig } from '../src/route/index.js';

const endpoint = (name: string, family: string, serves: (m: ModelInfo) => boolean): RouteEndpoint => ({ name, family, serves });
const openai = endpoint('openai', 'openai', (m) => m.provider === 'openai');
const hub = endpoint('hub', 'openai', (m) => ['gpt-5.5', 'gpt-5.4'].includes(m.id));
const anthropic = endpoint('anthropic', 'anthropic', (m) => m.provider === 'anthropic');

const config: RouterConfig = { catalog: defaultCatalog, endpoints: [openai, hub, anthropic] };
const plan = (input: Partial<RouteInput>, state: RouteState = {}, cfg: RouterConfig = config) =>
  route({ inputTokens: 1_000, ...input }, state, cfg);
const order = (p: ReturnType<typeof plan>) => p.candidates.map((c) => `${c.endpoint}/${c.model.id}`);

function thrown(fn: () => unknown): SwitchyardError {
  try {
    fn();
  } catch (error) {
    if (SwitchyardError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a SwitchyardError');
}

describe('route: preference order (quality mode)', () => {
  it('follows the task table and puts the same model on a second endpoint right after the first', () => {
    const p = plan({ task: 'classification' });
    expect(order(p)).toEqual(['openai/gpt-5.4', 'hub/gpt-5.4', 'openai/gpt-5.4-mini', 'anthropic/claude-haiku-4-5']);
    expect(p.rejected).toContainEqual({ model: 'gemini-3-flash', reason: 'no configured endpoint serves it' });
    expect(p.reason).toBe('gpt-5.4: 1st choice for classification; reasoning low, the default for classification');
    expect(p.candidates[1]?.reason).toContain('same model on another endpoint (hub)');
    expect(p.downgraded).toBe(false);
  });

  it('tries endpoints in the order they are configured', () => {
    expect(order(plan({ task: 'classification' }, {}, { ...config, endpoints: [hub, openai, anthropic] })).slice(0, 2)).toEqual([
      'hub/gpt-5.4',
      'openai/gpt-5.4',
    ]);
  });

  it('uses the instance override of a task list, and chat when nothing is named', () => {
    const routes = { classification: ['claude-haiku-4-5', 'gpt-5.4-mini'] };
    expect(order(plan({ task: 'classification' }, {}, { ...config, routes }))).toEqual(['anthropic/claude-haiku-4-5', 'openai/gpt-5.4-mini']);
    expect(order(plan({}))[0]).toBe('openai/gpt-5.4');
    expect(plan({}).reason).toContain('for chat');
  });

  it("takes a route function's ids over the task list", () => {
    expect(order(plan({ task: 'classification', prefer: ['claude-sonnet-4-6', 'gpt-5.4-nano'] }))).toEqual([
      'anthropic/claude-sonnet-4-6',
      'openai/gpt-5.4-nano',
    ]);
    expect(order(plan({ prefer: 'gpt-5.5' }))).toEqual(['openai/gpt-5.5', 'hub/gpt-5.5']);
  });

  it("a pinned model gives just that model's endpoints, or the task list after it when a task is named too", () => {
    expect(order(plan({ model: 'gpt-5.5' }))).toEqual(['openai/gpt-5.5', 'hub/gpt-5.5']);
    expect(plan({ model: 'gpt-5.5' }).reason).toBe('gpt-5.5: pinned model');
    expect(order(plan({ model: 'claude-haiku-4-5', task: 'classification' }))[0]).toBe('anthropic/claude-haiku-4-5');
    expect(order(plan({ model: 'claude-haiku-4-5', task: 'classification' })).slice(1, 3)).toEqual(['openai/gpt-5.4', 'hub/gpt-5.4']);
  });

  it('a pinned model that is not in the catalog is unknown_model, naming near matches', () => {
    const error = thrown(() => plan({ model: 'gpt-55' }));
    expect(error.kind).toBe('unknown_model');
    expect(error.message).toContain('gpt-5.5');
  });
});

describe('route: hard filters', () => {
  it('never sends input above a model\'s usable window (gpt-5.4 retrieval collapses past 256K)', () => {
    const p = plan({ task: 'summarization', inputTokens: 300_000 });
    expect(order(p).some((c) => c.endsWith('/gpt-5.4'))).toBe(false);
    expect(p.rejected).toContainEqual({ model: 'gpt-5.4', reason: 'input of 300,000 tokens exceeds its usable input of 256,000' });
    expect(p.rejected).toContainEqual({ model: 'claude-haiku-4-5', reason: 'input of 300,000 tokens exceeds its context window of 200,000' });
  });

  it('requires the window to hold input + output', () => {
    const p = plan({ prefer: ['gpt-5.4-mini', 'gpt-5.5'], inputTokens: 300_000, maxOutputTokens: 128_000 });
    expect(order(p)).toEqual(['openai/gpt-5.5', 'hub/gpt-5.5']);
    expect(p.rejected[0]).toEqual({ model: 'gpt-5.4-mini', reason: '300,000 input + 128,000 output tokens do not fit its 400,000-token window' });
  });

  it("unset maxOutputTokens reserves the model's max output, or what the window leaves when less", () => {
    const small = plan({ prefer: ['gpt-5.4', 'claude-haiku-4-5'], inputTokens: 1_000 });
    expect(small.candidates.map((c) => c.maxOutputTokens)).toEqual([128_000, 128_000, 64_000]);
    const large = plan({ prefer: ['gpt-5.4-mini'], inputTokens: 350_000 });
    expect(large.candidates[0]?.maxOutputTokens).toBe(50_000);
    expect(large.candidates[0]?.worstCaseTokens).toBe(400_000);
  });

  it("caps an explicit maxOutputTokens at the model's max", () => {
    expect(plan({ prefer: ['claude-haiku-4-5'], maxOutputTokens: 100_000 }).candidates[0]?.maxOutputTokens).toBe(64_000);
  });

  it('prices the worst case at the tier the input falls into (the 272K cliff)', () => {
    const gpt55 = defaultCatalog.get('gpt-5.5');
    const below = plan({ model: 'gpt-5.5', inputTokens: 272_000, maxOutputTokens: 1_000 }).candidates[0]!;
    const above = plan({ model: 'gpt-5.5', inputTokens: 272_001, maxOutputTokens: 1_000 }).candidates[0]!;
    expect(below.worstCaseUsd).toBeCloseTo(272_000 * 5e-6 + 1_000 * 30e-6, 9);
    expect(above.worstCaseUsd).toBeCloseTo(272_001 * 10e-6 + 1_000 * 45e-6, 9);
    expect(above.worstCaseUsd).toBe(worstCaseCostOf(gpt55, 272_001, 1_000));
  });

  it('filters by capabilities', () => {
    const catalog = createCatalog(defaultCatalog, { 'gpt-5.4': { capabilities: { tools: false } }, 'gpt-5.4-mini': { capabilities: { structuredOutput: false } } });
    const cfg = { ...config, catalog };
    expect(order(plan({ task: 'classification', requires: { tools: true } }, {}, cfg))[0]).toBe('openai/gpt-5.4-mini');
    const p = plan({ task: 'classification', requires: { tools: true, structuredOutput: true } }, {}, cfg);
    expect(order(p)).toEqual(['anthropic/claude-haiku-4-5']);
    expect(p.rejected).toContainEqual({ model: 'gpt-5.4', reason: 'it does not support tools' });
    expect(p.rejected).toContainEqual({ model: 'gpt-5.4-mini', reason: 'it does not support structuredOutput' });
  });

  it('keeps only allowed providers (an endpoint name or a model vendor)', () => {
    expect(order(plan({ task: 'classification', providers: ['anthropic'] }))).toEqual(['anthropic/claude-haiku-4-5']);
    expect(order(plan({ task: 'classification', providers: ['hub'] }))).toEqual(['hub/gpt-5.4']);
  });

  it('rejects candidates whose worst case exceeds maxPriceUsd', () => {
    const p = plan({ task: 'classification', maxOutputTokens: 10_000, maxPriceUsd: 0.1 });
    expect(order(p)).toEqual(['openai/gpt-5.4-mini', 'anthropic/claude-haiku-4-5']);
    expect(p.rejected).toContainEqual({ model: 'gpt-5.4', reason: 'its worst case $0.15 exceeds maxPriceUsd $0.10' });
  });

  it('skips endpoints whose circuit is open, keeping the same model elsewhere', () => {
    const p = plan({ model: 'gpt-5.5' }, { isOpen: (e, m) => e === 'openai' && m === 'gpt-5.5' });
    expect(order(p)).toEqual(['hub/gpt-5.5']);
    expect(p.rejected).toContainEqual({ model: 'gpt-5.5', endpoint: 'openai', reason: 'its circuit is open (repeated failures)' });
  });

  it('when nothing qualifies, throws no_provider listing each candidate and why', () => {
    const error = thrown(() => plan({ model: 'gpt-5.5' }, { isOpen: () => true }));
    expect(error.kind).toBe('no_provider');
    expect(error.message).toContain('gpt-5.5 on openai: its circuit is open');
    expect(error.message).toContain('gpt-5.5 on hub: its circuit is open');
    const tooLong = thrown(() => plan({ task: 'classification', inputTokens: 2_000_000 }));
    expect(tooLong.message).toMatch(/gpt-5\.4: input of 2,000,000 tokens exceeds .*; gpt-5\.4-mini: .*claude-haiku-4-5: .*gemini-3-flash: /);
  });
});

describe('route: modes', () => {
  it('cost: cheapest worst case first, same model kept together', () => {
    const p = plan({ task: 'classification', mode: 'cost', maxOutputTokens: 1_000 });
    expect(order(p)).toEqual(['openai/gpt-5.4-mini', 'anthropic/claude-haiku-4-5', 'openai/gpt-5.4', 'hub/gpt-5.4']);
    const costs = p.candidates.map((c) => c.worstCaseUsd);
    expect([...costs].sort((a, b) => a - b)).toEqual(costs);
    expect(p.reason).toContain('cheapest that qualifies');
  });

  it('latency: lowest observed first, endpoints of a model ordered by latency, never-observed last', () => {
    const latency: Record<string, number> = { 'hub/gpt-5.4': 100, 'openai/gpt-5.4': 300, 'openai/gpt-5.4-mini': 200 };
    const p = plan({ task: 'classification', mode: 'latency' }, { latencyMs: (e, m) => latency[`${e}/${m}`] });
    expect(order(p)).toEqual(['hub/gpt-5.4', 'openai/gpt-5.4', 'openai/gpt-5.4-mini', 'anthropic/claude-haiku-4-5']);
    expect(p.reason).toContain('lowest observed latency (100 ms)');
    // nothing observed yet: preference order
    expect(order(plan({ task: 'classification', mode: 'latency' }))).toEqual(order(plan({ task: 'classification' })));
  });
});

describe('route: budget-aware downgrade', () => {
  const coding = { task: 'agentic-coding' as const, inputTokens: 10_000, maxOutputTokens: 10_000 };

  it('takes the best candidate that fits the budget left, and says so', () => {
    const p = plan({ ...coding, downgrade: true }, { budgetLeftUsd: 0.2 });
    expect(p.downgraded).toBe(true);
    expect(order(p)).toEqual(['openai/gpt-5.4', 'hub/gpt-5.4', 'openai/gpt-5.5', 'hub/gpt-5.5', 'anthropic/claude-opus-4-7']);
    expect(p.reason).toContain('gpt-5.5 needs $0.35 worst case, $0.20 left; took gpt-5.4');
    expect(routeEventOf(p)).toMatchObject({ type: 'node-route', downgraded: true, reason: p.reason });
  });

  it('does not reorder without the downgrade flag, or when the first choice fits', () => {
    expect(plan({ ...coding }, { budgetLeftUsd: 0.2 }).downgraded).toBe(false);
    expect(order(plan({ ...coding }, { budgetLeftUsd: 0.2 }))[0]).toBe('openai/gpt-5.5');
    expect(plan({ ...coding, downgrade: true }, { budgetLeftUsd: 1 }).downgraded).toBe(false);
  });

  it('keeps the order when nothing fits (the reservation then refuses with the budget figures)', () => {
    const p = plan({ ...coding, downgrade: true }, { budgetLeftUsd: 0.01 });
    expect(p.downgraded).toBe(false);
    expect(order(p)[0]).toBe('openai/gpt-5.5');
    expect(p.reason).toContain('no candidate fits the budget left');
  });

  it('also downgrades on a token budget', () => {
    const p = plan({ task: 'classification', inputTokens: 1_000, downgrade: true }, { budgetLeftTokens: 70_000 });
    expect(p.downgraded).toBe(true);
    expect(p.candidates[0]?.model.id).toBe('claude-haiku-4-5');
  });
});

describe('routeEventOf', () => {
  it('gives the reason, the first choice and the remaining candidates in failover order', () => {
    expect(routeEventOf(plan({ model: 'gpt-5.5' }))).toEqual({
      type: 'node-route',
      reason: 'gpt-5.5: pinned model',
      candidates: [{ model: 'gpt-5.5', provider: 'hub', reason: 'gpt-5.5: pinned model; the same model on another endpoint (hub)' }],
      model: 'gpt-5.5',
      provider: 'openai',
    });
  });
});

describe('route (property, seeded): every candidate passes every filter', () => {
  it('holds over 2,000 random calls', () => {
    let seed = 12345;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
    const tasks = ['agentic-coding', 'long-context', 'classification', 'chat', 'critical', 'summarization'] as const;
    for (let i = 0; i < 2_000; i++) {
      const input: RouteInput = {
        task: pick(tasks),
        inputTokens: Math.floor(random() ** 3 * 1_100_000),
        maxOutputTokens: random() < 0.5 ? undefined : Math.floor(random() * 150_000),
        requires: { tools: random() < 0.5, structuredOutput: random() < 0.5 },
        providers: random() < 0.3 ? [pick(['openai', 'hub', 'anthropic'])] : undefined,
        maxPriceUsd: random() < 0.3 ? random() * 5 : undefined,
        mode: pick(['quality', 'cost', 'latency'] as const),
      };
      let p;
      try {
        p = route(input, { latencyMs: () => (random() < 0.5 ? random() * 1000 : undefined) }, config);
      } catch (error) {
        expect((error as SwitchyardError).kind).toBe('no_provider');
        continue;
      }
      const seen = new Set<string>();
      let last = '';
      for (const c of p.candidates) {
        const m = c.model;
        const inputTokens = input.inputTokens as number;
        expect(inputTokens).toBeLessThanOrEqual(m.usableInputTokens ?? m.contextWindow);
        expect(inputTokens + c.maxOutputTokens).toBeLessThanOrEqual(m.contextWindow);
        expect(c.maxOutputTokens).toBeLessThanOrEqual(input.maxOutputTokens ?? m.maxOutputTokens);
        if (input.requires?.tools) expect(m.capabilities.tools).toBe(true);
        if (input.providers) expect(input.providers.includes(c.endpoint) || input.providers.includes(m.provider)).toBe(true);
        if (input.maxPriceUsd !== undefined) expect(c.worstCaseUsd).toBeLessThanOrEqual(input.maxPriceUsd);
        expect(c.worstCaseUsd).toBe(worstCaseCostOf(m, inputTokens, c.maxOutputTokens));
        // a model's endpoints are adjacent
        if (m.id !== last) expect(seen.has(m.id)).toBe(false);
        seen.add(m.id);
        last = m.id;
      }
    }
  });
});
