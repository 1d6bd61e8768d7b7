/**
 * The serializers between a run and the outside: `boundedJson` (traces, events on the wire, reports, span
 * attributes) never throws and says what it cut; `storedJson` (checkpoints, committed results, job data) refuses
 * what JSON cannot hold with a typed error; `exceedsDepth` measures nesting without recursion.
 */
import { describe, expect, test } from 'vitest';
import { SwitchyardError } from '../src/index.js';
import { boundedJson, exceedsDepth, MAX_JSON_DEPTH, storedJson } from '../src/data/index.js';

const deep = (depth: number): unknown => JSON.parse('{"a":'.repeat(depth) + '1' + '}'.repeat(depth));

describe('boundedJson', () => {
  test('plain data gives exactly what JSON.stringify gives', () => {
    const value = { a: [1, 'two', null, true, { b: new Date(0) }], c: undefined, d: () => 1, e: 'é\u2028"' };
    expect(boundedJson(value)).toBe(JSON.stringify(value));
  });

  test('5,000 levels deep: cut at 128 with a marker, and the text parses', () => {
    const text = boundedJson(deep(5_000));
    let node = JSON.parse(text) as Record<string, unknown>;
    for (let level = 1; level < MAX_JSON_DEPTH; level++) node = node['a'] as Record<string, unknown>;
    expect(node['a']).toBe(`[cut: nested deeper than ${MAX_JSON_DEPTH} levels]`);
  });

  test('what JSON cannot serialize is replaced in place, never thrown', () => {
    const circular: Record<string, unknown> = { name: 'loop' };
    circular['self'] = circular;
    const value = {
      circular,
      big: 12n,
      get broken() {
        throw new Error('getter failed');
      },
      badJson: { toJSON: () => { throw new TypeError('no'); } },
    };
    expect(JSON.parse(boundedJson(value))).toEqual({
      circular: { name: 'loop', self: '[cut: circular reference]' },
      big: '[cut: bigint 12]',
      broken: '[cut: threw Error: getter failed]',
      badJson: '[cut: threw TypeError: no]',
    });
  });

  test('size: long strings keep their head, long lists and objects end with how much was cut', () => {
    const text = JSON.parse(boundedJson('x'.repeat(5_000), { maxChars: 1_000 })) as string;
    expect(text).toMatch(/^x{1000}\[cut: 4000 more characters\]$/);
    const list = JSON.parse(boundedJson(Array.from({ length: 1_000 }, (_, i) => i), { maxChars: 100 })) as unknown[];
    expect(list.length).toBeLessThan(30);
    expect(list.at(-1)).toMatch(/^\[cut: \d+ more items\]$/);
    const record = JSON.parse(boundedJson({ first: 'y'.repeat(200), second: 1, third: 2 }, { maxChars: 100 })) as Record<string, unknown>;
    expect(record['[cut]']).toBe('[cut: 2 more keys]');
  });

  test('a shared subtree is not a cycle, and a key named __proto__ stays a key', () => {
    const shared = { v: 1 };
    expect(JSON.parse(boundedJson({ a: shared, b: shared }))).toEqual({ a: { v: 1 }, b: { v: 1 } });
    expect(boundedJson(JSON.parse('{"__proto__":{"x":1}}'))).toBe('{"__proto__":{"x":1}}');
  });
});

describe('exceedsDepth', () => {
  test('counts levels of objects and arrays; scalars are depth 0', () => {
    expect(exceedsDepth('text', 0)).toBe(false);
    expect(exceedsDepth({ a: [1] }, 2)).toBe(false);
    expect(exceedsDepth({ a: [{}] }, 2)).toBe(true);
    expect(exceedsDepth(deep(MAX_JSON_DEPTH))).toBe(false);
    expect(exceedsDepth(deep(MAX_JSON_DEPTH + 1))).toBe(true);
    expect(exceedsDepth(deep(100_000))).toBe(true);
  });

  test('a cycle is nesting without end; a DAG that doubles at every level is walked in linear time', () => {
    const circular: Record<string, unknown> = {};
    circular['self'] = circular;
    expect(exceedsDepth(circular)).toBe(true);
    let dag: unknown = { leaf: true };
    for (let i = 0; i < 100; i++) dag = { left: dag, right: dag }; // 2^100 paths, 101 objects
    expect(exceedsDepth(dag)).toBe(false);
    expect(exceedsDepth(dag, 50)).toBe(true);
  });
});

describe('storedJson', () => {
  test.each([
    ['a circular reference', (() => { const v: Record<string, unknown> = {}; v['v'] = v; return v; })()],
    ['a BigInt', { n: 1n }],
    ['nesting too deep for the stack', deep(100_000)],
  ])('refuses %s with kind invalid_output naming what it stores', (_what, value) => {
    let error: unknown;
    try {
      storedJson(value, "the output of node 'n'");
    } catch (e) {
      error = e;
    }
    expect(SwitchyardError.isInstance(error) && error.kind).toBe('invalid_output');
    expect((error as Error).message).toContain("the output of node 'n'");
  });

  test('plain data round-trips exactly', () => {
    const value = { a: [1, { b: 'c' }], d: null };
    expect(JSON.parse(storedJson(value, 'x'))).toEqual(value);
  });
});
