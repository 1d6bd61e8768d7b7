import { describe, expectTypeOf, test } from 'vitest';
import { z } from 'zod';
import {
  createSwitchyard,
  workflow,
  type CancelledRunResult,
  type FailedRunResult,
  type WaitingEntry,
  type OutputCap,
  type PartialOutputs,
  type Run,
  type RunResult,
  type SucceededRunResult,
  type Workflow,
} from '../src/index.js';
import type { NotAnEarlierNode } from '../src/workflow/workflow-types.js';
import { simulated } from '../src/testing/index.js';

const input = z.object({ ticket: z.string(), urgent: z.boolean().optional() });
const Kind = z.object({ kind: z.enum(['bug', 'question']) });

describe('callback contexts', () => {
  test('input and declared dependencies are typed from zod, text and step outputs', () => {
    workflow({ name: 'w', input })
      .llm('classify', {
        task: 'classification',
        prompt: ({ input: i }) => {
          expectTypeOf(i).toEqualTypeOf<{ ticket: string; urgent?: boolean | undefined }>();
          return i.ticket;
        },
        output: Kind,
      })
      .llm('fix', {
        after: ['classify'],
        task: 'agentic-coding',
        prompt: (ctx) => {
          expectTypeOf(ctx.classify).toEqualTypeOf<{ kind: 'bug' | 'question' }>();
          return ctx.classify.kind;
        },
      })
      .step('count', {
        after: ['fix', 'classify'],
        run: async ({ fix, classify }, { signal, runId, nodeId }) => {
          expectTypeOf(fix).toEqualTypeOf<string>();
          expectTypeOf(signal).toEqualTypeOf<AbortSignal>();
          expectTypeOf(runId).toEqualTypeOf<string>();
          expectTypeOf(nodeId).toEqualTypeOf<string>();
          return { length: fix.length, kind: classify.kind };
        },
      })
      .step('use', {
        after: ['count'],
        run: ({ count }) => expectTypeOf(count).toEqualTypeOf<{ length: number; kind: 'bug' | 'question' }>(),
      });
  });

  test('a node sees only its declared dependencies', () => {
    workflow({ name: 'w', input })
      .llm('a', { prompt: 'a' })
      .llm('b', { prompt: 'b' })
      // @ts-expect-error 'a' is not declared in after
      .llm('c', { after: ['b'], prompt: ({ a }) => a });
    workflow({ name: 'w', input })
      .llm('a', { prompt: 'a' })
      // @ts-expect-error no dependencies declared: only input is in the context
      .step('s', { run: (ctx) => ctx.a });
  });

  test('after only accepts ids of earlier nodes', () => {
    workflow({ name: 'w', input })
      .llm('a', { prompt: 'a' })
      // @ts-expect-error 'nope' is not a node
      .llm('b', { after: ['nope'], prompt: 'b' });
    workflow({ name: 'w', input })
      .llm('classify', { prompt: 'a' })
      // @ts-expect-error 'fix' is added after this node
      .llm('summary', { after: ['fix'], prompt: 'b' })
      .llm('fix', { after: ['classify'], prompt: 'c' });
    workflow({ name: 'w', input })
      .step('a', { run: () => 1 })
      // @ts-expect-error one good id does not excuse a bad one
      .step('b', { after: ['a', 'zz'], run: ({ a }) => a });
  });

  test('the type error for a later or unknown node in after says so', () => {
    const base = workflow({ name: 'w', input }).llm('classify', { prompt: 'a' });
    type After<D extends string> = NonNullable<Parameters<typeof base.step<'report', unknown, D>>[1]['after']>[number];
    expectTypeOf<After<'fix'>>().toEqualTypeOf<"'fix' is not an earlier node: `after` may name only nodes added before this one">();
    expectTypeOf<After<'classify' | 'fix'>>().toEqualTypeOf<'classify' | NotAnEarlierNode<'fix'>>();
    expectTypeOf<After<'classify'>>().toEqualTypeOf<'classify'>();
  });

  test('duplicate and reserved ids do not compile', () => {
    workflow({ name: 'w', input })
      .llm('a', { prompt: 'a' })
      // @ts-expect-error duplicate id
      .step('a', { run: () => 1 });
    workflow({ name: 'w', input })
      // @ts-expect-error 'input' is reserved
      .step('input', { run: () => 1 });
  });

  test('prompt and messages are exclusive', () => {
    workflow({ name: 'w', input })
      // @ts-expect-error both prompt and messages
      .llm('a', { prompt: 'x', messages: () => [] });
    workflow({ name: 'w', input }).llm('a', {
      messages: ({ input: i }) => [{ role: 'user', content: i.ticket }],
    });
  });
});

describe('skippable nodes', () => {
  const wf = workflow({ name: 'w', input })
    .llm('classify', { prompt: 'x', output: Kind })
    .llm('fix', { after: ['classify'], when: ({ classify }) => classify.kind === 'bug', prompt: 'fix it' })
    .step('onlyFix', { after: ['fix'], run: ({ fix }) => fix?.length ?? 0 })
    .step('both', { after: ['fix', 'classify'], run: ({ fix, classify }) => `${classify.kind}${fix ?? ''}` })
    .step('async', { after: ['classify'], when: async () => true, run: () => 1 });
  type O = NonNullable<(typeof wf)['~types']>['outputs'];

  test('a node with when is T | undefined downstream and in outputs', () => {
    expectTypeOf<O['fix']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<O['async']>().toEqualTypeOf<number | undefined>();
    wf.step('check', {
      after: ['fix'],
      run: ({ fix }) => {
        expectTypeOf(fix).toEqualTypeOf<string | undefined>();
        // @ts-expect-error fix may be undefined
        return fix.length;
      },
    });
  });

  test('a node depending only on skippable nodes is skippable; one with a node that always runs is not', () => {
    expectTypeOf<O['onlyFix']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<O['both']>().toEqualTypeOf<string>();
    expectTypeOf<O['classify']>().toEqualTypeOf<{ kind: 'bug' | 'question' }>();
  });
});

describe('map nodes', () => {
  test('items are typed from over; outputs are arrays of the item output', () => {
    const wf = workflow({ name: 'w', input })
      .step('split', { run: ({ input: i }) => i.ticket.split(' ').map((word, n) => ({ word, n })) })
      .map('texts', {
        after: ['split'],
        over: ({ split }) => split,
        concurrency: 4,
        node: {
          task: 'summarization',
          prompt: (item, ctx) => {
            expectTypeOf(item).toEqualTypeOf<{ word: string; n: number }>();
            expectTypeOf(ctx.split).toEqualTypeOf<{ word: string; n: number }[]>();
            return item.word;
          },
        },
      })
      .map('objects', { over: ({ input: i }) => [i.ticket], node: { prompt: (item) => item, output: Kind } })
      .map('lengths', {
        over: ({ input: i }) => [i.ticket],
        node: {
          run: async (item, _ctx, { index, signal }) => {
            expectTypeOf(index).toEqualTypeOf<number>();
            expectTypeOf(signal).toEqualTypeOf<AbortSignal>();
            return item.length;
          },
        },
      });
    type O = NonNullable<(typeof wf)['~types']>['outputs'];
    expectTypeOf<O['texts']>().toEqualTypeOf<string[]>();
    expectTypeOf<O['objects']>().toEqualTypeOf<{ kind: 'bug' | 'question' }[]>();
    expectTypeOf<O['lengths']>().toEqualTypeOf<number[]>();
  });
});

type Triage = { classify: { kind: 'bug' | 'question' }; fix: string; report: number };

describe('runs and results', () => {
  const wf = workflow({ name: 'triage', input })
    .llm('classify', { task: 'classification', prompt: ({ input: i }) => i.ticket, output: Kind })
    .llm('fix', { task: 'agentic-coding', after: ['classify'], prompt: ({ classify }) => classify.kind })
    .step('report', { after: ['fix'], run: ({ fix }) => fix.length });

  test('sy.run returns a typed run whose result outputs are typed', async () => {
    const sy = createSwitchyard({ providers: [simulated()] });
    const run = sy.run(wf, { ticket: 't' });
    expectTypeOf(run).toMatchTypeOf<Run<{ classify: { kind: 'bug' | 'question' }; fix: string; report: number }>>();
    const result = await run.result;
    expectTypeOf(result.nodes.fix.status).toEqualTypeOf<'succeeded' | 'failed' | 'skipped' | 'cancelled' | 'waiting' | 'pending'>();
    expectTypeOf(result).toMatchTypeOf<RunResult>();
    if (result.status === 'succeeded') {
      expectTypeOf(result.outputs.classify.kind).toEqualTypeOf<'bug' | 'question'>();
      expectTypeOf(result.outputs.report).toEqualTypeOf<number>();
    }
  });

  test('outputs are complete only under status succeeded; otherwise each may be undefined', async () => {
    const sy = createSwitchyard({ providers: [simulated()] });
    const result = await sy.run(wf, { ticket: 't' }).result;
    // Before narrowing, an output may be missing: reading through it is a compile error, not a runtime TypeError.
    expectTypeOf(result.outputs.classify).toEqualTypeOf<{ kind: 'bug' | 'question' } | undefined>();
    // @ts-expect-error 'result.outputs.classify' is possibly 'undefined'
    void result.outputs.classify.kind;
    expectTypeOf(result.outputs.classify?.kind).toEqualTypeOf<'bug' | 'question' | undefined>();
    expectTypeOf(result.status).toEqualTypeOf<'succeeded' | 'failed' | 'cancelled' | 'waiting'>();
    // The fields every status has need no narrowing.
    expectTypeOf(result.costUsd).toEqualTypeOf<number>();
    expectTypeOf(result.nodes.classify.outputCap).toEqualTypeOf<OutputCap | undefined>();
    switch (result.status) {
      case 'succeeded':
        expectTypeOf(result.outputs).toEqualTypeOf<{ classify: { kind: 'bug' | 'question' }; fix: string; report: number }>();
        break;
      case 'failed':
      case 'cancelled':
        expectTypeOf(result.outputs).toEqualTypeOf<{ classify?: { kind: 'bug' | 'question' }; fix?: string; report?: number }>();
        expectTypeOf(result).toEqualTypeOf<FailedRunResult<Triage> | CancelledRunResult<Triage>>();
        break;
      case 'waiting':
        expectTypeOf(result.outputs).toEqualTypeOf<{ classify?: { kind: 'bug' | 'question' }; fix?: string; report?: number }>();
        expectTypeOf(result.waiting).toEqualTypeOf<WaitingEntry[]>();
        break;
      default:
        // Every status is handled above: a new one shows up here as a compile error.
        expectTypeOf(result).toEqualTypeOf<never>();
    }
  });

  test('a skippable node stays T | undefined even under succeeded', async () => {
    const maybe = workflow({ name: 'maybe', input })
      .step('kind', { run: () => 'bug' as const })
      .step('fix', { after: ['kind'], when: () => false, run: () => 'patched' });
    const result = await createSwitchyard({ providers: [simulated()] }).run(maybe, { ticket: 't' }).result;
    if (result.status === 'succeeded') {
      expectTypeOf(result.outputs.kind).toEqualTypeOf<'bug'>();
      expectTypeOf(result.outputs.fix).toEqualTypeOf<string | undefined>();
    }
    expectTypeOf<SucceededRunResult<{ a: number }>>().toMatchTypeOf<RunResult<{ a: number }>>();
    expectTypeOf<PartialOutputs<{ a: number; b?: string }>>().toEqualTypeOf<{ a?: number; b?: string }>();
  });

  test('run.on handlers receive the event of their type', () => {
    const sy = createSwitchyard({ providers: [simulated()] });
    const run = sy.run(wf, { ticket: 't' });
    run.on('text-delta', (event) => expectTypeOf(event.text).toEqualTypeOf<string>());
    run.on('node-skip', (event) => expectTypeOf(event.reason).toEqualTypeOf<string>());
    run.on('*', (event) => expectTypeOf(event.seq).toEqualTypeOf<number>());
  });

  test('the input before parsing (defaults, transforms) is kept beside the parsed input', () => {
    const withDefaults = workflow({ name: 'd', input: z.object({ n: z.string().transform(Number), tag: z.string().default('x') }) })
      .step('a', { run: ({ input: i }) => expectTypeOf(i).toEqualTypeOf<{ n: number; tag: string }>() });
    type T = NonNullable<(typeof withDefaults)['~types']>;
    expectTypeOf<T['rawInput']>().toEqualTypeOf<{ n: string; tag?: string | undefined }>();
    expectTypeOf(withDefaults).toMatchTypeOf<Workflow<{ n: number; tag: string }, { a: true }, { n: string; tag?: string | undefined }>>();
  });

  test('a built workflow is a Workflow of its input and outputs', () => {
    expectTypeOf(wf.build()).toMatchTypeOf<Workflow<{ ticket: string; urgent?: boolean | undefined }>>();
  });
});
