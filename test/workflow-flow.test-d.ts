import { describe, expectTypeOf, test } from 'vitest';
import { z } from 'zod';
import { createSwitchyard, tool, workflow, type RunResult, type ToolApprovalAnswer, type WaitingEntry } from '../src/index.js';
import { simulated } from '../src/testing/index.js';

const sy = createSwitchyard({ providers: [simulated()] });

const revise = workflow({ name: 'revise', input: z.object({ draft: z.string() }) })
  .llm('text', { model: 'gpt-5.4', prompt: ({ input }) => input.draft })
  .step('score', { after: ['text'], run: ({ text }) => ({ score: text.length, ok: text.length > 10 }) });

const legal = workflow({ name: 'legal', input: z.object({ text: z.string() }) })
  .llm('check', { model: 'gpt-5.4', prompt: ({ input }) => input.text, output: z.object({ ok: z.boolean() }) })
  .approval('sign', { after: ['check'], prompt: 'Sign?', answer: z.object({ signer: z.string() }) });

describe('.loop', () => {
  test("`last` is the body's outputs or undefined; the output is the body's outputs, typed in dependents", () => {
    const wf = workflow({ name: 'w', input: z.object({ text: z.string() }) })
      .loop('refine', {
        body: revise,
        maxIterations: 3,
        input: ({ input }, last, { iteration }) => {
          expectTypeOf(last).toEqualTypeOf<{ text: string; score: { score: number; ok: boolean } } | undefined>();
          expectTypeOf(iteration).toEqualTypeOf<number>();
          return { draft: last?.text ?? input.text };
        },
        until: ({ output, iteration }) => {
          expectTypeOf(output.score.ok).toEqualTypeOf<boolean>();
          expectTypeOf(iteration).toEqualTypeOf<number>();
          return output.score.ok;
        },
      })
      .step('final', { after: ['refine'], run: ({ refine }) => refine.text });
    expectTypeOf(wf['~types']!.outputs.refine).toEqualTypeOf<{ text: string; score: { score: number; ok: boolean } }>();
    expectTypeOf(wf['~types']!.outputs.final).toEqualTypeOf<string>();
  });

  test("`input` must build the body's input", () => {
    workflow({ name: 'w', input: z.object({}) }).loop('refine', {
      body: revise,
      maxIterations: 3,
      // @ts-expect-error — the body's input is { draft: string }
      input: () => ({ draft: 1 }),
      until: () => true,
    });
  });
});

describe('.workflow', () => {
  test("the node's output is the nested workflow's outputs; its answers are under its path", async () => {
    const wf = workflow({ name: 'w', input: z.object({ text: z.string() }) })
      .workflow('legal', { workflow: legal, input: ({ input }) => ({ text: input.text }) })
      .step('done', { after: ['legal'], run: ({ legal }) => `${legal.check.ok} ${legal.sign.signer}` });
    expectTypeOf(wf['~types']!.outputs.legal).toEqualTypeOf<{ check: { ok: boolean }; sign: { signer: string } }>();
    expectTypeOf(wf['~types']!.answers).toEqualTypeOf<{ 'legal/sign': { signer: string } }>();
    const result = await sy.resume('r', wf, { answers: { 'legal/sign': { signer: 'Ada' } } }).result;
    if (result.status === 'succeeded') expectTypeOf(result.outputs.done).toEqualTypeOf<string>();
    // @ts-expect-error — answers are typed by the approval's schema
    sy.resume('r', wf, { answers: { 'legal/sign': { signer: 1 } } });
    // @ts-expect-error — only waiting-capable nodes can be answered
    sy.resume('r', wf, { answers: { done: 'x' } });
  });

  test('the nested input is checked against the nested workflow', () => {
    // @ts-expect-error — legal takes { text: string }
    workflow({ name: 'w', input: z.object({}) }).workflow('legal', { workflow: legal, input: () => ({ body: 'x' }) });
  });
});

describe('branches', () => {
  test('the branch output is its paths; nodes on a path are possibly absent downstream', () => {
    const wf = workflow({ name: 'w', input: z.object({ ticket: z.string() }) })
      .llm('classify', { model: 'gpt-5.4', prompt: 'x', output: z.object({ kind: z.enum(['bug', 'question']) }) })
      .branch('route', { after: ['classify'], paths: ['bug', 'question'], choose: ({ classify }) => classify.kind })
      .step('fix', { after: ['route'], when: { route: 'bug' }, run: () => 'patched' })
      .step('answer', { after: ['route'], when: { route: ['question'] }, run: () => 42 })
      .step('reply', {
        after: ['route', 'fix', 'answer'],
        run: ({ route, fix, answer }) => {
          expectTypeOf(route).toEqualTypeOf<'bug' | 'question'>();
          expectTypeOf(fix).toEqualTypeOf<string | undefined>();
          expectTypeOf(answer).toEqualTypeOf<number | undefined>();
          return 'ok';
        },
      });
    expectTypeOf(wf['~types']!.outputs.route).toEqualTypeOf<'bug' | 'question'>();
    expectTypeOf(wf['~types']!.outputs.fix).toEqualTypeOf<string | undefined>();
  });

  test('a path must be one the dependency can output, and the dependency must be in after', () => {
    const base = workflow({ name: 'w', input: z.object({}) }).branch('route', { paths: ['a', 'b'], choose: () => 'a' as const });
    // @ts-expect-error — 'c' is not a path of route
    base.step('x', { after: ['route'], when: { route: 'c' }, run: () => 1 });
    // @ts-expect-error — route is not in after
    base.step('y', { when: { route: 'a' }, run: () => 1 });
    // @ts-expect-error — choose must return one of the paths
    base.branch('r2', { paths: ['x', 'y'], choose: () => 'z' as const });
  });
});

describe('.approval and resume', () => {
  test("the node's output is the answer's output type; answers are typed by schema; agents take tool decisions", async () => {
    const refund = tool({ parameters: z.object({ amount: z.number() }), needsApproval: ({ amount }) => amount > 100, execute: () => 'ok' });
    const wf = workflow({ name: 'w', input: z.object({}) })
      .approval('approve', { prompt: 'Go?', answer: z.object({ ok: z.boolean(), note: z.string().default('') }) })
      .agent('agent', { model: 'gpt-5.4', after: ['approve'], prompt: ({ approve }) => (approve.ok ? approve.note : 'no'), tools: { refund } });
    expectTypeOf(wf['~types']!.outputs.approve).toEqualTypeOf<{ ok: boolean; note: string }>();
    expectTypeOf(wf['~types']!.answers).toEqualTypeOf<{ approve: { ok: boolean; note?: string | undefined }; agent: ToolApprovalAnswer }>();
    sy.resume('r', wf, { answers: { approve: { ok: true } } });
    sy.resume('r', wf, { answers: { agent: { approved: false, message: 'no' } } });
    sy.resume('r', wf, { answers: { agent: { call_1: true } } });
    // @ts-expect-error — ok is a boolean
    sy.resume('r', wf, { answers: { approve: { ok: 'yes' } } });
    const result = await sy.run(wf, {}).result;
    expectTypeOf(result.waiting).toEqualTypeOf<WaitingEntry[]>();
    expectTypeOf(result.status).toEqualTypeOf<'succeeded' | 'failed' | 'cancelled' | 'waiting'>();
    expectTypeOf(result).toMatchTypeOf<RunResult>();
  });
});
