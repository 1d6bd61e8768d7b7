import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { SwitchyardError } from '../src/errors/index.js';
import { countTokens, defaultCatalog, inputTokenBound, inputTokenEstimate } from '../src/models/index.js';
import type { ModelEvent, ModelInfo, ModelRequest } from '../src/models/index.js';
import type { Fault } from '../src/testing/script.js';
import { simulated, type SimulatedProvider } from '../src/testing/simulated.js';

const gpt55 = defaultCatalog.get('gpt-5.5');
const haiku = defaultCatalog.get('claude-haiku-4-5');
const ask = (content = 'Is this a bug?', extra: Partial<ModelRequest> = {}): ModelRequest => ({
  messages: [{ role: 'user', content }],
  ...extra,
});

async function collect(sim: SimulatedProvider, request = ask(), model: ModelInfo = gpt55, signal?: AbortSignal) {
  const events: ModelEvent[] = [];
  try {
    for await (const event of sim.stream({ model, request, signal })) events.push(event);
    return { events, error: undefined };
  } catch (error) {
    if (!SwitchyardError.isInstance(error)) throw error;
    return { events, error };
  }
}

const textOf = (events: ModelEvent[]) => events.map((e) => (e.type === 'text-delta' ? e.text : '')).join('');

afterEach(() => {
  vi.restoreAllMocks();
});

describe('simulated replies', () => {
  it('streams text deltas, then one usage, then one finish, with realistic usage', async () => {
    const sim = simulated();
    const request = ask('Is this a bug?', { system: 'Answer briefly.' });
    const { events, error } = await collect(sim, request);
    expect(error).toBeUndefined();
    const types = events.map((e) => e.type);
    const deltas = types.filter((t) => t === 'text-delta').length;
    expect(deltas).toBeGreaterThan(1);
    expect(types).toEqual([...Array(deltas).fill('text-delta'), 'usage', 'finish']);
    expect(textOf(events)).toContain('gpt-5.5');
    const usage = events.find((e) => e.type === 'usage');
    expect(usage).toEqual({
      type: 'usage',
      usage: {
        inputTokens: inputTokenEstimate(request),
        cachedInputTokens: 0,
        cacheWriteTokens: 0,
        outputTokens: deltas,
        reasoningTokens: 0,
      },
    });
    expect(events.at(-1)).toEqual({ type: 'finish', reason: 'stop' });
    // A realistic figure (the exact o200k count here is 19), below the byte bound budgets reserve, and found
    // without building the tokenizer.
    expect(inputTokenEstimate(request)).toBeGreaterThanOrEqual(countTokens(gpt55, request));
    expect(inputTokenEstimate(request)).toBeLessThanOrEqual(countTokens(gpt55, request) * 1.5);
    expect(inputTokenEstimate(request)).toBeLessThan(inputTokenBound(request));
  });

  it('is deterministic: the same request gets the same reply', async () => {
    const a = await collect(simulated(), ask('Summarize the ticket'));
    const b = await collect(simulated(), ask('Summarize the ticket'));
    expect(a.events).toEqual(b.events);
  });

  it('serves every catalog model, or only the ones listed', () => {
    const all = simulated();
    expect(defaultCatalog.list().every((m) => all.serves(m))).toBe(true);
    expect(all.family).toBe('simulated');
    expect(all.name).toBe('simulated');
    const some = simulated({ name: 'sim-b', models: ['gpt-5.5'], maxConcurrency: 2 });
    expect(some.serves(gpt55)).toBe(true);
    expect(some.serves(haiku)).toBe(false);
    expect(some.maxConcurrency).toBe(2);
  });

  it('consumes a scripted list in request order, then falls back to generated replies', async () => {
    const sim = simulated({ reply: [{ text: 'first' }, { text: 'second reply' }] });
    expect(textOf((await collect(sim)).events)).toBe('first');
    expect(textOf((await collect(sim)).events)).toBe('second reply');
    expect(textOf((await collect(sim)).events)).toContain('Simulated reply from gpt-5.5');
    expect(sim.requests.map((r) => [r.index, r.outcome])).toEqual([[0, 'ok'], [1, 'ok'], [2, 'ok']]);
  });

  it('passes a script function the request index, model and text', async () => {
    const seen: unknown[] = [];
    const sim = simulated({
      reply: (info) => {
        seen.push({ index: info.index, model: info.model, family: info.family, text: info.text });
        return { text: info.text.toUpperCase() };
      },
    });
    const { events } = await collect(sim, ask('hello there'), haiku);
    expect(textOf(events)).toBe('HELLO THERE');
    expect(seen).toEqual([{ index: 0, model: 'claude-haiku-4-5', family: 'simulated', text: 'hello there' }]);
  });

  it('returns scripted tool calls and reports scripted usage figures as given', async () => {
    const sim = simulated({
      reply: {
        text: 'Let me look.',
        toolCalls: [{ name: 'lookup', args: { q: 'crash' } }],
        usage: { inputTokens: 1_000, cachedInputTokens: 800 },
      },
    });
    const { events } = await collect(sim);
    expect(events.filter((e) => e.type === 'tool-call')).toEqual([
      { type: 'tool-call', call: { id: 'call_0_0', name: 'lookup', args: { q: 'crash' } } },
    ]);
    const usage = events.find((e) => e.type === 'usage');
    expect(usage?.type === 'usage' && usage.usage).toMatchObject({ inputTokens: 1_000, cachedInputTokens: 800 });
    expect(events.at(-1)).toEqual({ type: 'finish', reason: 'tool-calls' });
  });

  it('generates structured output that validates against the zod schema', async () => {
    interface TreeNode {
      name: string;
      children: TreeNode[];
    }
    const Tree: z.ZodType<TreeNode> = z.object({ name: z.string(), get children() { return z.array(Tree); } });
    const schema = z.object({
      kind: z.enum(['bug', 'question']),
      severity: z.int().min(1).max(5),
      score: z.number().gt(0).lte(1),
      email: z.email(),
      id: z.uuid(),
      at: z.iso.datetime(),
      tags: z.array(z.string().min(3)).min(2),
      pair: z.tuple([z.string(), z.number()]),
      note: z.string().nullable(),
      urgent: z.boolean().optional(),
      either: z.union([z.object({ a: z.literal('x') }), z.number()]),
      counts: z.record(z.string(), z.number()),
      tree: Tree,
    });
    const jsonSchema = z.toJSONSchema(schema) as Record<string, unknown>;
    const request = ask('Classify', { output: { name: 'triage', schema: jsonSchema } });
    const { events } = await collect(simulated(), request);
    const value = schema.parse(JSON.parse(textOf(events)));
    expect(value.kind).toBe('bug');
    expect(value.tags).toHaveLength(2);
    expect(value.urgent).toBe(true);
  });
});

describe('simulated faults', () => {
  const cases: Array<[Fault, string, number | undefined]> = [
    [{ type: 'http', status: 429, retryAfter: '2' }, 'rate_limit', 2_000],
    [{ type: 'http', status: 429, retryAfterMs: 1_500 }, 'rate_limit', 1_500],
    [{ type: 'http', status: 500 }, 'server', undefined],
    [{ type: 'http', status: 503 }, 'overloaded', undefined],
    [{ type: 'http', status: 529 }, 'overloaded', undefined],
    [{ type: 'http', status: 401 }, 'auth', undefined],
    [{ type: 'http', status: 400 }, 'bad_request', undefined],
    [{ type: 'http', status: 413 }, 'context_length', undefined],
    [{ type: 'http', status: 408 }, 'timeout', undefined],
  ];

  it.each(cases)('turns %j into kind %s with its status and retry-after', async (fault, kind, retryAfterMs) => {
    const sim = simulated({ faults: [fault] });
    const { events, error } = await collect(sim);
    expect(events).toEqual([]);
    expect(error?.kind).toBe(kind);
    expect(error?.status).toBe((fault as { status: number }).status);
    expect(error?.retryAfterMs).toBe(retryAfterMs);
    expect(error?.provider).toBe('simulated');
    expect(error?.model).toBe('gpt-5.5');
    expect(sim.requests[0]).toMatchObject({ outcome: 'error', fault });
  });

  it('reads retry-after given as an HTTP date', async () => {
    const when = new Date(Date.now() + 30_000).toUTCString();
    const { error } = await collect(simulated({ faults: [{ type: 'http', status: 429, retryAfter: when }] }));
    expect(error?.retryAfterMs).toBeGreaterThan(20_000);
    expect(error?.retryAfterMs).toBeLessThanOrEqual(30_000);
  });

  it('cuts the stream after some deltas with kind network, never a finish', async () => {
    const sim = simulated({ reply: { text: 'one two three four five', fault: { type: 'cut', afterTokens: 2 } } });
    const { events, error } = await collect(sim);
    expect(events).toEqual([
      { type: 'text-delta', text: 'one' },
      { type: 'text-delta', text: ' two' },
    ]);
    expect(error?.kind).toBe('network');
    expect(error?.retryable).toBe(true);
    expect(sim.requests[0]?.text).toBe('one two');
  });

  it('fails an empty stream with kind network and a malformed one with kind server', async () => {
    const empty = await collect(simulated({ faults: [{ type: 'empty' }] }));
    expect(empty.events).toEqual([]);
    expect(empty.error?.kind).toBe('network');
    const malformed = await collect(simulated({ faults: [{ type: 'malformed', afterTokens: 1 }] }));
    expect(malformed.events).toHaveLength(1);
    expect(malformed.error?.kind).toBe('server');
    expect(malformed.error?.retryable).toBe(true);
  });

  it('applies a fault list by request index, so a retry after a failure succeeds', async () => {
    const sim = simulated({ faults: [{ type: 'http', status: 503 }, undefined, { type: 'http', status: 500 }] });
    const kinds = [];
    for (let i = 0; i < 4; i++) kinds.push((await collect(sim)).error?.kind ?? 'ok');
    expect(kinds).toEqual(['overloaded', 'ok', 'server', 'ok']);
    expect(sim.requests.map((r) => r.outcome)).toEqual(['error', 'ok', 'error', 'ok']);
  });

  it('applies a fault function of the request', async () => {
    const sim = simulated({ faults: (info) => (info.model === 'gpt-5.5' ? { type: 'http', status: 529 } : undefined) });
    expect((await collect(sim, ask(), gpt55)).error?.kind).toBe('overloaded');
    expect((await collect(sim, ask(), haiku)).error).toBeUndefined();
  });

  it('draws random faults deterministically from the seed', async () => {
    const pattern = async (seed: number) => {
      const sim = simulated({ faults: { rate: 0.3, kinds: [500, 429, { type: 'cut', afterTokens: 1 }], seed } });
      const out: string[] = [];
      for (let i = 0; i < 60; i++) out.push((await collect(sim)).error?.kind ?? 'ok');
      return out;
    };
    const first = await pattern(7);
    expect(await pattern(7)).toEqual(first);
    expect(await pattern(8)).not.toEqual(first);
    const failures = first.filter((k) => k !== 'ok').length;
    expect(failures).toBeGreaterThan(5);
    expect(failures).toBeLessThan(35);
    expect(new Set(first)).toEqual(new Set(['ok', 'server', 'rate_limit', 'network']));
  });

  it('rejects a random fault rate outside [0, 1]', async () => {
    const { error } = await collect(simulated({ faults: { rate: 2 } }));
    expect(error?.kind).toBe('invalid_config');
  });
});

describe('simulated timing and abort', () => {
  it('sets no timer at all with the default timing', async () => {
    const spy = vi.spyOn(globalThis, 'setTimeout');
    const { error } = await collect(simulated({ reply: { text: 'a b c d e f g h' } }));
    expect(error).toBeUndefined();
    expect(spy).not.toHaveBeenCalled();
  });

  it('waits firstTokenMs before the first chunk and paces the rest', async () => {
    const sim = simulated({ firstTokenMs: 30, tokensPerSecond: 200, reply: { text: 'a b c d' } });
    const started = performance.now();
    const { events } = await collect(sim);
    // Timers never fire early by more than a millisecond; the upper side is left unbounded on purpose.
    expect(performance.now() - started).toBeGreaterThanOrEqual(30 + 3 * 5 - 2);
    expect(textOf(events)).toBe('a b c d');
  });

  it('ends a hang with kind aborted as soon as the signal aborts', async () => {
    const sim = simulated({ reply: { text: 'one two three', fault: { type: 'hang', afterTokens: 1 } } });
    const controller = new AbortController();
    const events: ModelEvent[] = [];
    const started = performance.now();
    const failure = (async () => {
      for await (const event of sim.stream({ model: gpt55, request: ask(), signal: controller.signal })) {
        events.push(event);
        setTimeout(() => controller.abort(), 20);
      }
    })().catch((error: unknown) => error);
    const error = (await failure) as SwitchyardError;
    expect(SwitchyardError.isInstance(error)).toBe(true);
    expect(error.kind).toBe('aborted');
    expect(events).toEqual([{ type: 'text-delta', text: 'one' }]);
    expect(performance.now() - started).toBeLessThan(10_000); // a hang never ends by itself: this is 'ended at all'
    expect(sim.requests[0]?.outcome).toBe('error');
  });

  it('ends an unpaced stream with kind aborted at the first chunk after the signal aborts, and records what was sent', async () => {
    const sim = simulated({ reply: { text: 'one two three four five' } });
    const controller = new AbortController();
    const events: ModelEvent[] = [];
    const failure = (async () => {
      for await (const event of sim.stream({ model: gpt55, request: ask(), signal: controller.signal })) {
        events.push(event);
        if (events.length === 2) controller.abort();
      }
    })().catch((error: unknown) => error);
    const error = (await failure) as SwitchyardError;
    expect(error.kind).toBe('aborted');
    expect(textOf(events)).toBe('one two');
    expect(sim.requests[0]).toMatchObject({ outcome: 'error', text: 'one two', chunksSent: 2 });
    expect(sim.requests[0]?.error?.kind).toBe('aborted');
  });

  it('aborts during a long first-token delay, via the request signal too', async () => {
    const controller = new AbortController();
    const sim = simulated({ firstTokenMs: 60_000 });
    const pending = collect(sim, ask('hi', { signal: controller.signal }));
    setTimeout(() => controller.abort(), 10);
    const { events, error } = await pending;
    expect(events).toEqual([]);
    expect(error?.kind).toBe('aborted');
  });

  it('refuses to start with an already aborted signal', async () => {
    const { events, error } = await collect(simulated(), ask(), gpt55, AbortSignal.abort());
    expect(events).toEqual([]);
    expect(error?.kind).toBe('aborted');
  });

  it('records a consumer that stopped reading as cancelled, and reset() starts over', async () => {
    const sim = simulated({ reply: [{ text: 'one two three' }] });
    for await (const event of sim.stream({ model: gpt55, request: ask() })) {
      expect(event.type).toBe('text-delta');
      break;
    }
    expect(sim.requests[0]).toMatchObject({ outcome: 'cancelled', text: 'one', model: 'gpt-5.5' });
    sim.reset();
    expect(sim.requests).toEqual([]);
    expect(textOf((await collect(sim)).events)).toBe('one two three');
  });
});
