import { describe, expect, it } from 'vitest';
import { SwitchyardError } from '../src/errors/index.js';
import {
  createCatalog,
  defaultCatalog,
  defaultRoutes,
  isCatalog,
  TASK_KINDS,
  type ModelInfo,
} from '../src/models/index.js';
import { createSwitchyard } from '../src/index.js';
import { simulated } from '../src/testing/index.js';

function thrown(fn: () => unknown): SwitchyardError {
  try {
    fn();
  } catch (error) {
    if (SwitchyardError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a SwitchyardError');
}

const llama: Omit<ModelInfo, 'id'> = {
  provider: 'openai',
  contextWindow: 128_000,
  maxOutputTokens: 8_192,
  pricing: { input: 0, output: 0, source: 'self-hosted vLLM', asOf: '2026-11-01' },
  capabilities: { tools: true, structuredOutput: true, vision: false, reasoning: false },
  tasks: ['chat'],
};

describe('defaultCatalog', () => {
  it('holds the GPT-5.x, Claude and Gemini models of the issue', () => {
    for (const id of [
      'gpt-5.5',
      'gpt-5.5-pro',
      'gpt-5.4',
      'gpt-5.4-mini',
      'gpt-5.4-nano',
      'claude-opus-4-7',
      'claude-sonnet-4-6',
      'claude-haiku-4-5',
      'gemini-3.1-pro',
      'gemini-3-flash',
    ]) {
      expect(defaultCatalog.has(id), id).toBe(true);
    }
    expect(isCatalog(defaultCatalog)).toBe(true);
  });

  it('carries the published prices, tiers and windows', () => {
    const gpt55 = defaultCatalog.get('gpt-5.5');
    expect(gpt55.pricing).toMatchObject({ input: 5, cachedInput: 0.5, output: 30 });
    expect(gpt55.pricing.tiers).toEqual([{ aboveInputTokens: 272_000, input: 10, cachedInput: 1, output: 45 }]);
    const gpt54 = defaultCatalog.get('gpt-5.4');
    expect(gpt54.pricing.tiers).toEqual([{ aboveInputTokens: 272_000, input: 5, cachedInput: 0.5, output: 22.5 }]);
    expect(gpt54.usableInputTokens).toBe(256_000);
    expect(gpt54.maxOutputTokens).toBe(128_000);
    expect(defaultCatalog.get('gpt-5.5-pro').pricing).toMatchObject({ input: 30, output: 180 });
    expect(defaultCatalog.get('claude-opus-4-7').pricing).toMatchObject({ input: 5, cachedInput: 0.5, output: 25 });
    expect(defaultCatalog.get('claude-opus-4-7').pricing.cacheWrite).toBeGreaterThan(5);
    expect(defaultCatalog.get('claude-haiku-4-5').contextWindow).toBe(200_000);
    expect(defaultCatalog.get('gemini-3.1-pro').pricing.tiers?.[0]?.aboveInputTokens).toBe(200_000);
    expect(defaultCatalog.get('gemini-3.1-pro').apiModel).toBe('gemini-3.1-pro-preview');
  });

  it('gives every entry a source and a date for its prices', () => {
    for (const model of defaultCatalog.list()) {
      expect(model.pricing.source.length, model.id).toBeGreaterThan(0);
      expect(model.pricing.asOf, model.id).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });

  it('has a default route for every task kind, naming catalog models that list that task', () => {
    expect(Object.keys(defaultRoutes).sort()).toEqual([...TASK_KINDS].sort());
    for (const kind of TASK_KINDS) {
      expect(defaultRoutes[kind].length, kind).toBeGreaterThan(0);
      for (const id of defaultRoutes[kind]) expect(defaultCatalog.get(id).tasks, `${kind} → ${id}`).toContain(kind);
    }
    expect(defaultRoutes['agentic-coding'][0]).toBe('gpt-5.5');
    expect(defaultRoutes.classification[0]).toBe('gpt-5.4');
    expect(defaultRoutes.critical.slice(0, 2)).toEqual(['gpt-5.5-pro', 'gpt-5.5']);
    expect(defaultRoutes['long-context']).not.toContain('gpt-5.4');
  });

  it('freezes entries so a shared catalog cannot be changed by accident', () => {
    const model = defaultCatalog.get('gpt-5.5');
    expect(() => {
      (model.pricing as { input: number }).input = 0;
    }).toThrow(TypeError);
    expect(defaultCatalog.get('gpt-5.5').pricing.input).toBe(5);
  });
});

describe('catalog lookups', () => {
  it('lists, counts and iterates entries in order', () => {
    const ids = defaultCatalog.list().map((m) => m.id);
    expect(defaultCatalog.ids()).toEqual(ids);
    expect([...defaultCatalog].map((m) => m.id)).toEqual(ids);
    expect(defaultCatalog.size).toBe(ids.length);
    expect(defaultCatalog.find('nope')).toBeUndefined();
  });

  it('rejects an unknown id with kind unknown_model, near matches and how to add a model', () => {
    const error = thrown(() => defaultCatalog.get('gpt-55'));
    expect(error.kind).toBe('unknown_model');
    expect(error.model).toBe('gpt-55');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain("'gpt-5.5'");
    expect(error.message).toContain('createCatalog(defaultCatalog');
  });

  it('says how to use a model of your own (createCatalog, then createSwitchyard({ catalog })), from a call too', async () => {
    const sy = createSwitchyard({ providers: [simulated()] });
    const fromCall = await sy.generate({ model: 'my-llama', prompt: 'hi' }).then(() => undefined, (e: unknown) => e);
    expect(SwitchyardError.isInstance(fromCall) && fromCall.kind).toBe('unknown_model');
    for (const error of [thrown(() => defaultCatalog.get('my-llama')), fromCall as SwitchyardError]) {
      expect(error.message).toContain("Unknown model 'my-llama': it is not in the catalog.");
      expect(error.message).toContain("createCatalog(defaultCatalog, { 'my-llama': { provider, contextWindow, maxOutputTokens");
      expect(error.message).toContain('createSwitchyard({ catalog, providers })');
    }
  });

  it('finds near matches by edit distance and by containment, at most three', () => {
    expect(defaultCatalog.nearMatches('claude-opus-4.7')[0]).toBe('claude-opus-4-7');
    expect(defaultCatalog.nearMatches('opus')).toEqual(['claude-opus-4-7']);
    expect(defaultCatalog.nearMatches('gemini-3-pro')).toContain('gemini-3.1-pro');
    expect(defaultCatalog.nearMatches('gpt-5')).toHaveLength(3);
    expect(thrown(() => defaultCatalog.get('zzzzzzzz')).message).not.toContain('Did you mean');
  });
});

describe('createCatalog overrides', () => {
  it('merges a partial override into an existing entry and leaves the base unchanged', () => {
    const mine = createCatalog(defaultCatalog, { 'gpt-5.5': { pricing: { input: 4.5 } } });
    const model = mine.get('gpt-5.5');
    expect(model.pricing.input).toBe(4.5);
    expect(model.pricing.output).toBe(30);
    expect(model.pricing.tiers?.[0]?.input).toBe(10);
    expect(model.capabilities).toEqual(defaultCatalog.get('gpt-5.5').capabilities);
    expect(defaultCatalog.get('gpt-5.5').pricing.input).toBe(5);
    expect(mine.size).toBe(defaultCatalog.size);
  });

  it('merges capabilities field by field and replaces tasks whole', () => {
    const mine = defaultCatalog.extend({ 'gpt-5.4-nano': { capabilities: { vision: false }, tasks: ['chat'] } });
    const capabilities = { tools: true, structuredOutput: true, vision: false, reasoning: true, documents: true };
    expect(mine.get('gpt-5.4-nano').capabilities).toEqual(capabilities);
    expect(mine.get('gpt-5.4-nano').tasks).toEqual(['chat']);
  });

  it('adds a new model given a full entry', () => {
    const mine = createCatalog(defaultCatalog, { 'llama-4-70b': llama });
    expect(mine.get('llama-4-70b')).toMatchObject({ id: 'llama-4-70b', provider: 'openai', contextWindow: 128_000 });
    expect(mine.size).toBe(defaultCatalog.size + 1);
  });

  it('rejects an incomplete new entry with invalid_config listing every missing field', () => {
    const error = thrown(() =>
      createCatalog(defaultCatalog, { 'my-model': { provider: 'openai', pricing: { input: 1, output: 2 } } }),
    );
    expect(error.kind).toBe('invalid_config');
    expect(error.model).toBe('my-model');
    const fields = ['contextWindow', 'maxOutputTokens', 'pricing.source', 'pricing.asOf', 'capabilities', 'tasks'];
    for (const field of fields) expect(error.message).toContain(field);
    expect(error.message).not.toContain('provider (');
  });

  it('points at the existing id when a partial override names a near miss', () => {
    const error = thrown(() => createCatalog(defaultCatalog, { 'gpt-5.55': { pricing: { input: 4 } } }));
    expect(error.kind).toBe('invalid_config');
    expect(error.message).toContain('gpt-5.5');
  });

  it('validates values, not only presence', () => {
    const bad = { ...llama, contextWindow: -1, tasks: ['dancing'] } as unknown as ModelInfo;
    const error = thrown(() => createCatalog([{ ...bad, id: 'x' }]));
    expect(error.message).toContain('contextWindow');
    expect(error.message).toContain('tasks');
    expect(thrown(() => createCatalog([{ ...llama, id: 'x' }, { ...llama, id: 'x' }])).message).toContain('twice');
  });

  it('builds from plain entries without freezing the caller objects', () => {
    const entry: ModelInfo = { ...llama, id: 'local', pricing: { ...llama.pricing } };
    const catalog = createCatalog([entry]);
    expect(catalog.get('local').pricing.source).toBe('self-hosted vLLM');
    entry.pricing.input = 1;
    expect(catalog.get('local').pricing.input).toBe(0);
  });
});
