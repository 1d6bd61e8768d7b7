import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { createSwitchyard, SwitchyardError, workflow, type RunEvent } from '../src/index.js';
import { simulated } from '../src/testing/index.js';
import type { NodeDefinition } from '../src/workflow/index.js';

const input = z.object({ ticket: z.string() });

function buildError(nodes: NodeDefinition[]): SwitchyardError {
  try {
    workflow({ name: 'wf', input, nodes }).build();
  } catch (error) {
    if (SwitchyardError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected build() to throw');
}

const step = (id: string, after: string[] = []): NodeDefinition => ({ kind: 'step', id, after, run: () => id });

describe('build-time validation (kind invalid_workflow)', () => {
  test('an unknown dependency names it and lists the known ids', () => {
    const error = buildError([step('classify'), step('fix', ['clasify'])]);
    expect(error.kind).toBe('invalid_workflow');
    expect(error.message).toContain("node 'fix' depends on unknown node 'clasify'");
    expect(error.message).toContain('Known nodes: classify, fix');
  });

  test('a duplicate id', () => {
    const error = buildError([step('a'), step('a')]);
    expect(error.kind).toBe('invalid_workflow');
    expect(error.message).toContain("duplicate node id 'a'");
  });

  test("the reserved id 'input'", () => {
    const error = buildError([step('input')]);
    expect(error.message).toContain("'input' is reserved");
  });

  test('a cycle prints its path', () => {
    const error = buildError([step('a', ['c']), step('b', ['a']), step('c', ['b']), step('d', ['a'])]);
    expect(error.kind).toBe('invalid_workflow');
    // a → b → c → a, starting anywhere on the cycle.
    expect(error.message).toMatch(/cycle: (a → b → c → a|b → c → a → b|c → a → b → c)/);
  });

  test('a node that depends on itself is a cycle', () => {
    expect(buildError([step('a', ['a'])]).message).toContain('cycle: a → a');
  });

  test('a map without a list', () => {
    const map = { kind: 'map', id: 'each', node: { run: () => 1 } } as unknown as NodeDefinition;
    expect(buildError([map]).message).toContain("node 'each' has no `over`");
  });

  test('an llm node without prompt or messages, a step without run, a bad policy', () => {
    const error = buildError([
      { kind: 'llm', id: 'a', model: 'gpt-5.4' } as NodeDefinition,
      { kind: 'step', id: 'b' } as unknown as NodeDefinition,
      { kind: 'step', id: 'c', run: () => 1, onError: 'ignore' } as unknown as NodeDefinition,
    ]);
    expect(error.message).toContain("node 'a' needs exactly one of `prompt`");
    expect(error.message).toContain("node 'b' needs a `run` function");
    expect(error.message).toContain("onError 'ignore'");
  });

  test('the typed builder validates on build() too (forward references through a cast)', () => {
    const wf = workflow({ name: 'wf', input })
      .step('a', { after: ['b' as never], run: () => 1 })
      .step('b', { after: ['a'], run: () => 2 });
    expect(() => wf.build()).toThrow(/cycle: (a → b → a|b → a → b)/);
  });

  test('a valid graph with forward references builds', () => {
    const wf = workflow({ name: 'wf', input, nodes: [step('late', ['early']), step('early')] });
    expect(wf.build().nodes.map((n) => n.id)).toEqual(['late', 'early']);
  });
});

describe('run-time validation', () => {
  const sy = createSwitchyard({ providers: [simulated()] });

  test('an invalid workflow rejects run.result and ends the stream with the error, before any node runs', async () => {
    let ran = false;
    const wf = workflow({
      name: 'wf',
      input,
      nodes: [{ kind: 'step', id: 'a', run: () => (ran = true) }, step('b', ['zzz'])],
    });
    const run = sy.run(wf, { ticket: 't' });
    const events: RunEvent[] = [];
    const iterate = (async () => {
      for await (const event of run) events.push(event);
    })();
    await expect(run.result).rejects.toMatchObject({ kind: 'invalid_workflow' });
    await expect(iterate).rejects.toMatchObject({ kind: 'invalid_workflow' });
    expect(events).toEqual([]);
    expect(ran).toBe(false);
  });

  test('an input that fails the schema → invalid_input with the zod issues, before any node runs', async () => {
    let ran = false;
    const wf = workflow({ name: 'wf', input }).step('a', { run: () => (ran = true) });
    const run = sy.run(wf, { ticket: 42 } as never);
    const error = await run.result.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(SwitchyardError.isInstance(error) && error.kind).toBe('invalid_input');
    expect((error as Error).message).toMatch(/ticket: .*expected string/i);
    expect(ran).toBe(false);
  });

  test('the callbacks see the parsed input (defaults and transforms applied)', async () => {
    const wf = workflow({ name: 'wf', input: z.object({ n: z.string().transform(Number), tag: z.string().default('x') }) })
      .step('a', { run: ({ input: i }) => `${i.n + 1}${i.tag}` });
    const result = await sy.run(wf, { n: '41' } as never).result;
    expect(result.outputs.a).toBe('42x');
  });

  test('a map whose over returns a non-array fails the node and says what it got', async () => {
    const wf = workflow({ name: 'wf', input }).map('each', {
      over: ({ input: i }) => i.ticket as unknown as string[],
      node: { run: (item) => item },
    });
    const result = await sy.run(wf, { ticket: 'abc' }).result;
    expect(result.status).toBe('failed');
    expect(result.nodes.each.status).toBe('failed');
    expect(result.nodes.each.error?.message).toContain('`over` returned a string ("abc"); it must return an array');
  });

  test('bad run options reject the result', async () => {
    const wf = workflow({ name: 'wf', input }).step('a', { run: () => 1 });
    await expect(sy.run(wf, { ticket: 't' }, { concurrency: 0 }).result).rejects.toMatchObject({ kind: 'invalid_request' });
  });
});
