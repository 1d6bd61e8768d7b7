/**
 * `.loop` on the dataflow engine, against a loopback server through the real OpenAI SDK: a loop that converges in
 * 3 iterations makes exactly 3 model calls; `maxIterations` bounds a loop that never converges (returning the last
 * iteration, or failing with kind 'max_iterations' when asked); events carry the iteration; the run's budget and
 * cancellation reach inside.
 */
import { afterAll, describe, expect, test } from 'vitest';
import { z } from 'zod';
import { createSwitchyard, openai, workflow, type RunEvent } from '../src/index.js';
import { startMockServer, type MockServer, type ScriptRequestInfo, type ScriptedReply } from '../src/testing/index.js';
import { collect } from './e2e-kit.js';

const servers: MockServer[] = [];
afterAll(() => Promise.all(servers.map((s) => s.close())));

async function serve(answer: (info: ScriptRequestInfo) => ScriptedReply) {
  const server = await startMockServer(answer);
  servers.push(server);
  const sy = createSwitchyard({ providers: [openai({ name: 'hub', baseURL: server.openaiBaseURL, apiKey: 'k' })] });
  return { server, sy };
}

/** One revision: a model call, then a check of its text. */
const revise = workflow({ name: 'revise', input: z.object({ draft: z.string(), round: z.number() }) })
  .llm('revise', { model: 'gpt-5.4-mini', maxOutputTokens: 50, prompt: ({ input }) => `[round ${input.round}] improve: ${input.draft}` })
  .step('check', { after: ['revise'], run: ({ revise }) => ({ ok: revise.includes('FINAL') }) });

const refine = (maxIterations: number, onMaxIterations?: 'return-last' | 'fail') =>
  workflow({ name: 'refine', input: z.object({ text: z.string() }) })
    .loop('refine', {
      body: revise,
      maxIterations,
      onMaxIterations,
      input: ({ input }, last, { iteration, signal }) => {
        if (signal.aborted) throw new Error('aborted before the iteration started');
        return { draft: last?.revise ?? input.text, round: iteration };
      },
      until: ({ output }) => output.check.ok,
    })
    .step('final', { after: ['refine'], run: ({ refine }) => refine.revise.toUpperCase() });

/** Answers round n with "draft n", and FINAL from round `finalAt` on. */
const rounds = (finalAt: number) => (info: ScriptRequestInfo): ScriptedReply => {
  const round = Number(/\[round (\d+)\]/.exec(info.text)?.[1]);
  return { text: round >= finalAt ? `FINAL draft ${round}` : `draft ${round}` };
};

describe('.loop', () => {
  test('a loop that converges in 3 iterations makes exactly 3 model calls; its output is the last iteration’s', async () => {
    const { server, sy } = await serve(rounds(3));
    const { events, result } = await collect(sy.run(refine(10), { text: 'first' }));
    expect(result.status).toBe('succeeded');
    expect(server.requests).toHaveLength(3);
    expect(result.outputs.refine).toEqual({ revise: 'FINAL draft 3', check: { ok: true } });
    expect(result.outputs.final).toBe('FINAL DRAFT 3');
    // each iteration's input was built from the previous iteration's outputs
    const prompts = server.requests.map((r) => JSON.stringify(r.body));
    expect(prompts[1]).toContain('improve: draft 1');
    expect(prompts[2]).toContain('improve: draft 2');
    const node = result.nodes.refine;
    expect(node).toMatchObject({ status: 'succeeded', kind: 'loop', converged: true, attempts: 3 });
    expect(node.iterations!.map((it) => [it.iteration, it.status, it.stop, it.nodes.revise!.status])).toEqual([
      [1, 'succeeded', false, 'succeeded'],
      [2, 'succeeded', false, 'succeeded'],
      [3, 'succeeded', true, 'succeeded'],
    ]);
    const iterationCost = node.iterations!.reduce((sum, it) => sum + it.costUsd, 0);
    expect(node.costUsd).toBeCloseTo(iterationCost, 12);
    expect(result.costUsd).toBeCloseTo(node.costUsd, 12);
    // events of the body carry the iteration, their path and their parent
    const ends = events.filter((e): e is Extract<RunEvent, { type: 'node-end' }> => e.type === 'node-end');
    expect(ends.map((e) => [e.nodeId, e.iteration, e.parent])).toEqual([
      ['refine/revise', 1, 'refine'], ['refine/check', 1, 'refine'],
      ['refine/revise', 2, 'refine'], ['refine/check', 2, 'refine'],
      ['refine/revise', 3, 'refine'], ['refine/check', 3, 'refine'],
      ['refine', undefined, undefined], ['final', undefined, undefined],
    ]);
    const marks = events.filter((e) => e.type === 'iteration-start' || e.type === 'iteration-end');
    expect(marks.map((e) => `${e.type}@${e.iteration}`)).toEqual([
      'iteration-start@1', 'iteration-end@1', 'iteration-start@2', 'iteration-end@2', 'iteration-start@3', 'iteration-end@3',
    ]);
    expect(events.filter((e) => e.type === 'text-delta').every((e) => e.nodeId === 'refine/revise' && e.iteration !== undefined)).toBe(true);
  });

  test('maxIterations bounds a loop that never converges: the last iteration is the output, converged is false', async () => {
    const { server, sy } = await serve(rounds(Infinity));
    const result = await sy.run(refine(4), { text: 'first' }).result;
    expect(result.status).toBe('succeeded');
    expect(server.requests).toHaveLength(4);
    expect(result.outputs.refine?.revise).toBe('draft 4');
    expect(result.nodes.refine).toMatchObject({ converged: false });
    expect(result.nodes.refine.iterations).toHaveLength(4);
  });

  test("onMaxIterations: 'fail' makes reaching the bound an error of kind 'max_iterations'", async () => {
    const { server, sy } = await serve(rounds(Infinity));
    const result = await sy.run(refine(2, 'fail'), { text: 'first' }).result;
    expect(result.status).toBe('failed');
    expect(server.requests).toHaveLength(2);
    expect(result.nodes.refine.status).toBe('failed');
    expect(result.errors[0]).toMatchObject({ nodeId: 'refine', error: { kind: 'max_iterations' } });
    expect(result.nodes.final.status).toBe('cancelled');
  });

  test("the run's budget reaches inside: a loop stopped by the budget fails with kind 'budget_exceeded', spend ≤ cap", async () => {
    const { server, sy } = await serve(() => ({ text: 'never final', usage: { outputTokens: 50 } }));
    const cap = 0.0008;
    const result = await sy.run(refine(50), { text: 'x'.repeat(400) }, { budget: { usd: cap } }).result;
    expect(result.status).toBe('failed');
    expect(result.errors[0]!.error.kind).toBe('budget_exceeded');
    expect(result.errors[0]!.error.message).toContain("Loop 'refine' iteration");
    expect(server.requests.length).toBeGreaterThan(0);
    expect(server.requests.length).toBeLessThan(50);
    expect(result.costUsd).toBeLessThanOrEqual(cap);
    expect(result.budget.find((b) => b.level === 'run')!.spentUsd).toBeLessThanOrEqual(cap);
  });

  test('cancelling the run reaches the request of the iteration in flight', async () => {
    let cancel = () => {};
    const { server, sy } = await serve((info) => {
      if (info.index !== 1) return rounds(Infinity)(info);
      setImmediate(cancel); // iteration 2's request is on the wire
      return { fault: { type: 'hang' } };
    });
    const run = sy.run(refine(5), { text: 'first' });
    cancel = () => run.cancel('stop');
    const result = await run.result;
    expect(result.status).toBe('cancelled');
    expect(result.nodes.refine.status).toBe('cancelled');
    expect(result.nodes.refine.iterations!.map((it) => it.status)).toEqual(['succeeded', 'cancelled']);
    await expect.poll(() => server.requests[1]?.closedByClient).toBe(true);
  });
});
