/**
 * Names that reach into JavaScript prototypes. A node named `__proto__` once vanished from `result.nodes`, its
 * dependent received `Object.prototype`, and its object output became the prototype of `result.outputs`. Now
 * `__proto__`, `constructor` and `prototype` are refused as node ids, endpoint names and model ids, and every
 * record keyed by such names is prototype-free, so names like `toString` or `hasOwnProperty` are plain keys.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { z } from 'zod';
import { createCatalog, createSwitchyard, defaultCatalog, SwitchyardError, sqliteStore, workflow } from '../src/index.js';
import { simulated } from '../src/testing/index.js';

const empty = z.object({});
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function rejection(work: () => unknown): Promise<SwitchyardError> {
  try {
    await work();
  } catch (error) {
    expect(SwitchyardError.isInstance(error)).toBe(true);
    return error as SwitchyardError;
  }
  throw new Error('expected a SwitchyardError');
}

describe('reserved names are refused', () => {
  test('node ids __proto__, constructor and prototype: invalid_workflow naming each', async () => {
    const sy = createSwitchyard({ providers: [simulated()] });
    const wf = workflow({ name: 'reserved', input: empty })
      .step('__proto__', { run: () => ({ polluted: true }) })
      .step('constructor', { run: () => 1 })
      .step('prototype', { run: () => 2 })
      .step('after', { after: ['__proto__'], run: (deps) => deps.__proto__ });
    const error = await rejection(() => sy.run(wf, {}).result);
    expect(error.kind).toBe('invalid_workflow');
    for (const id of ['__proto__', 'constructor', 'prototype']) expect(error.message).toContain(`'${id}' is reserved`);
  });

  test('endpoint names and model ids: invalid_config', async () => {
    const provider = await rejection(() => createSwitchyard({ providers: [simulated({ name: '__proto__' })] }));
    expect(provider.kind).toBe('invalid_config');
    expect(provider.message).toContain("'__proto__'");
    const entry = { ...defaultCatalog.get('gpt-5.4')!, id: undefined };
    const model = await rejection(() => createCatalog(defaultCatalog, { constructor: entry }));
    expect(model.kind).toBe('invalid_config');
    expect(model.message).toContain("'constructor' is reserved");
  });
});

describe('records keyed by names are prototype-free', () => {
  /** Node ids, an endpoint name and a model id that are all members of Object.prototype. */
  function setup() {
    const { id: _id, ...base } = defaultCatalog.get('gpt-5.4')!;
    const catalog = createCatalog(defaultCatalog, { toString: base });
    const sim = simulated({ name: 'hasOwnProperty', reply: { text: 'from the model' } });
    const sy = createSwitchyard({ catalog, providers: [sim] });
    let failOnce = true;
    const wf = workflow({ name: 'names', input: empty })
      .llm('toString', { model: 'toString', prompt: 'hi', maxOutputTokens: 50 })
      .step('valueOf', { after: ['toString'], run: (deps) => ({ got: deps.toString }) })
      .step('isPrototypeOf', {
        after: ['valueOf'],
        run: (deps) => {
          if (failOnce) {
            failOnce = false;
            throw new Error('first run fails here');
          }
          return deps.valueOf;
        },
      });
    return { sy, wf, sim };
  }

  test('outputs, node results, dependency context, byModel and metrics keep every name as an own key', async () => {
    const { sy, wf } = setup();
    const result = await sy.run(wf, {}, { onError: 'continue' }).result;
    expect(Object.getPrototypeOf(result.outputs)).toBeNull();
    expect(Object.getPrototypeOf(result.nodes)).toBeNull();
    expect(Object.keys(result.nodes)).toEqual(['toString', 'valueOf', 'isPrototypeOf']);
    expect(result.outputs.toString).toBe('from the model');
    expect(result.outputs.valueOf).toEqual({ got: 'from the model' });
    expect(result.nodes.toString.status).toBe('succeeded');
    expect(Object.keys(result.byModel)).toEqual(['toString']);
    const model = result.byModel['toString' as string]!;
    expect(model.calls).toBe(1);
    expect(model.costUsd).toBeCloseTo(result.costUsd, 12);
    expect(Object.keys(result.metrics.byEndpoint)).toEqual(['hasOwnProperty']);
    expect(Object.keys(result.metrics.byNode)).toContain('toString');
  });

  test('a resumed run restores completed outputs under such names and hands them to dependents', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'reserved-names-'));
    dirs.push(dir);
    const store = sqliteStore({ path: join(dir, 'runs.db') });
    const { sy, wf, sim } = setup();
    const first = await sy.run(wf, {}, { store, runId: 'names-1' }).result;
    expect(first.status).toBe('failed');
    const resumed = await sy.resume('names-1', wf, { store }).result;
    await store.close?.();
    expect(resumed.status).toBe('succeeded');
    expect(sim.requests).toHaveLength(1); // the model node was restored, not called again
    expect((resumed.outputs as Record<string, unknown>)['isPrototypeOf']).toEqual({ got: 'from the model' });
    expect(Object.getPrototypeOf(resumed.outputs)).toBeNull();
  });
});
