/**
 * The response cache: opt-in per node, call or run; a hit sends no request, costs $0 and is marked in events,
 * the result and metrics; a different model, tools, output schema or prompt misses; entries expire; stores are
 * pluggable and a failing store never fails a call.
 */
import { afterEach, describe, expect, test, vi } from 'vitest';
import { z } from 'zod';
import { createSwitchyard, openai, workflow, type CallRequest, type RunEvent } from '../src/index.js';
import { memoryResponseStore, type CachedResponse, type ResponseCacheStore } from '../src/cache/index.js';
import { simulated, startMockServer, type MockServer } from '../src/testing/index.js';

const input = z.object({ q: z.string() });

function answerWorkflow(cache?: { response?: boolean | { ttlMs?: number } }) {
  return workflow({ name: 'qa', input }).llm('answer', { model: 'gpt-5.4', prompt: ({ input }) => input.q, maxOutputTokens: 100, cache });
}

async function runWithEvents<R>(run: { on(type: '*', h: (e: RunEvent) => void): unknown; result: Promise<R> }) {
  const events: RunEvent[] = [];
  run.on('*', (e) => events.push(e));
  return { events, result: await run.result };
}

describe('a response-cache hit', () => {
  test('sends no request, costs $0, and is marked in events, the node result and metrics', async () => {
    const sim = simulated({ reply: { text: 'forty-two' } });
    const sy = createSwitchyard({ providers: [sim] });
    const wf = answerWorkflow({ response: true });
    const first = await runWithEvents(sy.run(wf, { q: 'the answer?' }));
    const second = await runWithEvents(sy.run(wf, { q: 'the answer?' }));

    expect(sim.requests).toHaveLength(1);
    expect(first.result.costUsd).toBeGreaterThan(0);
    expect(second.result.outputs.answer).toBe('forty-two');
    expect(second.result.costUsd).toBe(0);
    expect(second.result.nodes.answer).toMatchObject({ status: 'succeeded', costUsd: 0, attempts: 0, model: 'gpt-5.4' });

    const lookups = (events: RunEvent[]) => events.filter((e) => e.type === 'cache-lookup');
    expect(lookups(first.events)).toMatchObject([{ hit: false, nodeId: 'answer', model: 'gpt-5.4' }]);
    expect(lookups(second.events)).toMatchObject([{ hit: true, nodeId: 'answer', model: 'gpt-5.4', provider: 'simulated', savedUsd: first.result.costUsd }]);
    expect(second.events.filter((e) => e.type === 'budget')).toHaveLength(0);
    expect(second.events.find((e) => e.type === 'node-end')).toMatchObject({ cached: true, costUsd: 0 });
    expect(first.events.find((e) => e.type === 'node-end')).not.toHaveProperty('cached');
    // stream consumers still see the reply
    expect(second.events.filter((e) => e.type === 'text-delta').map((e) => (e as { text: string }).text).join('')).toBe('forty-two');

    expect(second.result.metrics.total.responseCache).toEqual({ lookups: 1, hits: 1, hitRate: 1, savedUsd: first.result.costUsd });
    expect(second.result.metrics.nodes.cached).toBe(1);
    expect(sy.metrics().total.responseCache).toMatchObject({ lookups: 2, hits: 1, hitRate: 0.5 });
  });

  test('sy.generate with cache.response returns cached: true and $0 the second time', async () => {
    const sim = simulated({ reply: { text: 'pong' } });
    const sy = createSwitchyard({ providers: [sim] });
    const call = { model: 'gpt-5.4-mini', prompt: 'ping', cache: { response: true } } as const;
    const a = await sy.generate(call);
    const b = await sy.generate(call);
    expect(a.cached).toBeUndefined();
    expect(b).toMatchObject({ text: 'pong', cached: true, costUsd: 0, attempts: 0, model: 'gpt-5.4-mini' });
    expect(sim.requests).toHaveLength(1);
  });

  test('structured output and tool calls are served from the cache and validated again', async () => {
    const sim = simulated({ reply: { text: '{"kind":"bug"}', toolCalls: [{ id: 't1', name: 'lookup', args: { id: 7 } }] } });
    const sy = createSwitchyard({ providers: [sim] });
    const call = {
      model: 'gpt-5.4',
      prompt: 'classify',
      output: z.object({ kind: z.enum(['bug', 'other']) }),
      tools: { lookup: { parameters: z.object({ id: z.number() }) } },
      cache: { response: true },
    };
    await sy.generate(call);
    const hit = await sy.generate(call);
    expect(hit).toMatchObject({ cached: true, object: { kind: 'bug' }, toolCalls: [{ id: 't1', name: 'lookup', args: { id: 7 } }] });
    expect(sim.requests).toHaveLength(1);
  });
});

describe('never serves a reply for something else', () => {
  const base = { model: 'gpt-5.4', prompt: 'classify this', cache: { response: true } };

  test('a changed output schema misses', async () => {
    const sim = simulated();
    const sy = createSwitchyard({ providers: [sim] });
    await sy.generate({ ...base, output: z.object({ kind: z.string() }) });
    const changed = await sy.generate({ ...base, output: z.object({ kind: z.string(), confidence: z.number() }) });
    expect(changed.cached).toBeUndefined();
    expect(changed.object).toHaveProperty('confidence');
    expect(sim.requests).toHaveLength(2);
  });

  test('another model, other tools, another prompt or other settings miss; the same request hits', async () => {
    const sim = simulated({ reply: { text: 'ok' } });
    const sy = createSwitchyard({ providers: [sim] });
    const tool = { parameters: z.object({ q: z.string() }) };
    const variants: CallRequest[] = [
      base,
      { ...base, model: 'gpt-5.5' },
      { ...base, tools: { search: tool } },
      { ...base, tools: { fetch: tool } },
      { ...base, prompt: 'classify that' },
      { ...base, system: 'be brief' },
      { ...base, temperature: 0.5 },
      { ...base, maxOutputTokens: 10 },
    ];
    for (const v of variants) expect((await sy.generate(v)).cached).toBeUndefined();
    expect(sim.requests).toHaveLength(variants.length);
    for (const v of variants) expect((await sy.generate(v)).cached).toBe(true);
    expect(sim.requests).toHaveLength(variants.length);
  });

  test('calls that do not opt in are not looked up or stored', async () => {
    const sim = simulated({ reply: { text: 'ok' } });
    const sy = createSwitchyard({ providers: [sim] });
    const wf = answerWorkflow();
    const { events } = await runWithEvents(sy.run(wf, { q: 'x' }));
    await sy.run(wf, { q: 'x' }).result;
    expect(sim.requests).toHaveLength(2);
    expect(events.some((e) => e.type === 'cache-lookup')).toBe(false);
  });
});

describe('opt-in, expiry and stores', () => {
  test('a run can opt every call in; a node can opt out', async () => {
    const sim = simulated({ reply: { text: 'ok' } });
    const sy = createSwitchyard({ providers: [sim] });
    const wf = workflow({ name: 'two', input })
      .llm('a', { model: 'gpt-5.4', prompt: 'a' })
      .llm('b', { model: 'gpt-5.4', prompt: 'b', cache: { response: false } });
    await sy.run(wf, { q: '' }, { cache: { response: true } }).result;
    const again = await sy.run(wf, { q: '' }, { cache: { response: true } }).result;
    expect(again.nodes.a.costUsd).toBe(0);
    expect(again.nodes.b.costUsd).toBeGreaterThan(0);
    expect(sim.requests.map((r) => r.request.messages[0]!.content).sort()).toEqual(['a', 'b', 'b']);
  });

  test('an entry is not served after its time to live', async () => {
    // The cache's clock is the wall clock: faked (and moved by hand), so a slow machine cannot age the entry early.
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const sim = simulated({ reply: { text: 'ok' } });
      const sy = createSwitchyard({ providers: [sim] });
      const call = { model: 'gpt-5.4', prompt: 'ttl', cache: { response: { ttlMs: 20 } } };
      await sy.generate(call);
      vi.setSystemTime(Date.now() + 19);
      expect((await sy.generate(call)).cached).toBe(true);
      vi.setSystemTime(Date.now() + 1);
      expect((await sy.generate(call)).cached).toBeUndefined();
      expect(sim.requests).toHaveLength(2);
    } finally {
      vi.useRealTimers();
    }
  });

  test('a pluggable store receives hashed keys and plain-data entries; replies cut by the length limit are not stored', async () => {
    const saved = new Map<string, CachedResponse>();
    const store: ResponseCacheStore = {
      get: async (key) => saved.get(key),
      set: async (key, entry) => void saved.set(key, structuredClone(entry)),
      delete: (key) => void saved.delete(key),
    };
    const sim = simulated({ reply: (info) => (info.text.includes('long') ? { text: 'cut', finishReason: 'length' } : { text: 'fine' }) });
    const sy = createSwitchyard({ providers: [sim], responseCache: { store, ttlMs: 60_000 } });
    await sy.generate({ model: 'gpt-5.4', prompt: 'a secret prompt', cache: { response: true } });
    await sy.generate({ model: 'gpt-5.4', prompt: 'long one', cache: { response: true } });
    expect(saved.size).toBe(1);
    const [key, entry] = [...saved][0]!;
    expect(key).toMatch(/^sy1:[0-9a-f]{64}$/);
    expect(key).not.toContain('secret');
    expect(entry).toMatchObject({ key, model: 'gpt-5.4', provider: 'simulated', text: 'fine', finishReason: 'stop' });
    expect(entry.expiresAt - entry.storedAt).toBe(60_000);
    expect((await sy.generate({ model: 'gpt-5.4', prompt: 'a secret prompt', cache: { response: true } })).cached).toBe(true);
  });

  test('a failing store never fails the call', async () => {
    const broken: ResponseCacheStore = {
      get: () => Promise.reject(new Error('store down')),
      set: () => {
        throw new Error('store down');
      },
      delete: () => {},
    };
    const sy = createSwitchyard({ providers: [simulated({ reply: { text: 'still fine' } })], responseCache: { store: broken } });
    const call = { model: 'gpt-5.4', prompt: 'x', cache: { response: true } };
    expect((await sy.generate(call)).text).toBe('still fine');
    expect((await sy.generate(call)).cached).toBeUndefined();
  });

  test('the in-memory store evicts the least recently used entry', () => {
    const store = memoryResponseStore({ maxEntries: 2 });
    const entry = (key: string) => ({ key, expiresAt: Date.now() + 1000 }) as CachedResponse;
    store.set('a', entry('a'), 1000);
    store.set('b', entry('b'), 1000);
    expect(store.get('a')).toBeDefined(); // a is now the most recently used
    store.set('c', entry('c'), 1000);
    expect(store.get('b')).toBeUndefined();
    expect(store.get('a')).toBeDefined();
    expect(store.size).toBe(2);
  });
});

describe('over the wire', () => {
  let server: MockServer | undefined;
  afterEach(async () => server?.close());

  test('a hit makes no HTTP request', async () => {
    server = await startMockServer({ text: 'from the wire' });
    const sy = createSwitchyard({ providers: [openai({ baseURL: server.openaiBaseURL, apiKey: 'k' })] });
    const call = { model: 'gpt-5.4', prompt: 'once', cache: { response: true } };
    const a = await sy.generate(call);
    const b = await sy.generate(call);
    expect(a.text).toBe('from the wire');
    expect(b).toMatchObject({ text: 'from the wire', cached: true, costUsd: 0 });
    expect(server.requests).toHaveLength(1);
  });
});
