import { describe, expectTypeOf, test } from 'vitest';
import { z } from 'zod';
import { tool, verifiers, workflow, type EnsembleCandidateOf, type RunResult, type VerifyContext } from '../src/index.js';

const input = z.object({ repo: z.string() });
const Fix = z.object({ patch: z.string(), files: z.array(z.string()) });
const Vote = z.object({ answer: z.enum(['yes', 'no']) });

describe('.agent', () => {
  test('tool arguments are typed by their schema; the output is text or the output schema', () => {
    const wf = workflow({ name: 'w', input })
      .agent('explore', {
        task: 'agent',
        prompt: ({ input: i }) => i.repo,
        tools: {
          readFile: {
            description: 'Read a file',
            parameters: z.object({ path: z.string(), maxBytes: z.number().optional() }),
            execute: async (args, { signal, toolCallId }) => {
              expectTypeOf(args).toEqualTypeOf<{ path: string; maxBytes?: number | undefined }>();
              expectTypeOf(signal).toEqualTypeOf<AbortSignal>();
              expectTypeOf(toolCallId).toEqualTypeOf<string>();
              return 'contents';
            },
          },
          count: { parameters: z.object({ n: z.number() }), execute: ({ n }) => n + 1 },
        },
        maxSteps: 5,
      })
      .agent('fix', {
        after: ['explore'],
        model: 'gpt-5.5',
        prompt: ({ explore }) => {
          expectTypeOf(explore).toEqualTypeOf<string>();
          return explore;
        },
        tools: {},
        output: Fix,
        verify: (fix) => {
          expectTypeOf(fix).toEqualTypeOf<{ patch: string; files: string[] }>();
          return fix.files.length > 0 ? { ok: true } : { ok: false, feedback: 'name the files' };
        },
      })
      .step('report', { after: ['fix'], run: ({ fix }) => fix.files.length });
    type Outputs = NonNullable<(typeof wf)['~types']>['outputs'];
    expectTypeOf<Extract<RunResult<Outputs>, { status: 'succeeded' }>['outputs']['fix']>().toEqualTypeOf<{ patch: string; files: string[] }>();
  });

  test('a tool defined apart with tool() keeps its types', () => {
    const grep = tool({
      parameters: z.object({ pattern: z.string() }),
      execute: (args) => {
        expectTypeOf(args).toEqualTypeOf<{ pattern: string }>();
        return [args.pattern];
      },
    });
    workflow({ name: 'w', input }).agent('a', { prompt: 'x', tools: { grep } });
  });

  test('wrong argument use and a missing tools field are compile errors', () => {
    workflow({ name: 'w', input }).agent('a', {
      prompt: 'x',
      tools: {
        // @ts-expect-error `path` is a string, not a number
        readFile: { parameters: z.object({ path: z.string() }), execute: ({ path }) => path.toFixed(2) },
      },
    });
    // @ts-expect-error an agent needs tools
    workflow({ name: 'w', input }).agent('a', { prompt: 'x' });
  });
});

describe('verify and cascade', () => {
  test('verify sees the node output and context; built-ins fit any node', () => {
    workflow({ name: 'w', input })
      .llm('plain', {
        model: 'gpt-5.4',
        prompt: 'x',
        verify: (text, ctx) => {
          expectTypeOf(text).toEqualTypeOf<string>();
          expectTypeOf(ctx).toMatchTypeOf<VerifyContext<{ input: { repo: string } }>>();
          expectTypeOf(ctx.context.input.repo).toEqualTypeOf<string>();
          return { ok: true };
        },
        maxRounds: 3,
        acceptLast: true,
      })
      .llm('structured', { cascade: ['gpt-5.4', 'gpt-5.5'], prompt: 'x', output: Vote, verify: verifiers.schema(Vote) })
      .llm('code', {
        cascade: [{ task: 'classification' }, { model: 'gpt-5.5' }],
        prompt: 'x',
        verify: verifiers.runTests({ files: (code) => ({ 'a.mjs': code }), testFile: 'a.mjs' }),
      });
  });

  test('a verdict without feedback is a compile error', () => {
    workflow({ name: 'w', input }).llm('a', {
      prompt: 'x',
      // @ts-expect-error { ok: false } needs feedback
      verify: () => ({ ok: false }),
    });
  });
});

describe('.ensemble', () => {
  test('first, vote and judge return the candidate output type; concat an array; a reducer its return', () => {
    const wf = workflow({ name: 'w', input })
      .ensemble('first', { models: ['gpt-5.5', 'claude-opus-4-7'], prompt: 'x', merge: 'first' })
      .ensemble('vote', { models: ['gpt-5.5', 'claude-opus-4-7', 'gemini-3.1-pro'], prompt: 'x', output: Vote, merge: 'vote' })
      .ensemble('judged', { candidates: 3, task: 'research', prompt: 'x', output: Vote, merge: { judge: { task: 'critical' } } })
      .ensemble('all', { models: ['gpt-5.5', { task: 'chat', temperature: 1 }], prompt: 'x', merge: 'concat' })
      .ensemble('count', {
        candidates: 2,
        model: 'gpt-5.4',
        prompt: 'x',
        output: Vote,
        merge: (candidates) => {
          expectTypeOf(candidates).toEqualTypeOf<EnsembleCandidateOf<{ answer: 'yes' | 'no' }>[]>();
          return candidates.filter((c) => c.output?.answer === 'yes').length;
        },
      })
      .step('use', {
        after: ['first', 'vote', 'judged', 'all', 'count'],
        run: (ctx) => {
          expectTypeOf(ctx.first).toEqualTypeOf<string>();
          expectTypeOf(ctx.vote).toEqualTypeOf<{ answer: 'yes' | 'no' }>();
          expectTypeOf(ctx.judged).toEqualTypeOf<{ answer: 'yes' | 'no' }>();
          expectTypeOf(ctx.all).toEqualTypeOf<string[]>();
          expectTypeOf(ctx.count).toEqualTypeOf<number>();
          return null;
        },
      });
    expectTypeOf(wf).not.toBeAny();
  });

  test('models and candidates are exclusive; an unknown merge is a compile error', () => {
    // @ts-expect-error give models or candidates, not both
    workflow({ name: 'w', input }).ensemble('a', { models: ['gpt-5.5'], candidates: 2, prompt: 'x', merge: 'first' });
    // @ts-expect-error 'average' is not a merge
    workflow({ name: 'w', input }).ensemble('a', { models: ['gpt-5.5'], prompt: 'x', merge: 'average' });
  });
});
