/**
 * Control flow is durable: a loop interrupted in its third iteration resumes without requesting iterations 1–2
 * again; a nested workflow resumes without its completed nodes; a node with `verify` resumes from its last
 * committed round (neither the model nor the verifier is asked again for it). Counted at a loopback server.
 */
import { afterAll, describe, expect, test } from 'vitest';
import { z } from 'zod';
import { createSwitchyard, memoryStore, openai, workflow } from '../src/index.js';
import { startMockServer, type MockServer, type ScriptRequestInfo, type ScriptedReply } from '../src/testing/index.js';

const servers: MockServer[] = [];
afterAll(() => Promise.all(servers.map((s) => s.close())));

/** A server whose replies come from `answer`; `cancelWhen` sees each request before it is answered. */
async function setup(answer: (info: ScriptRequestInfo) => ScriptedReply) {
  let onRequest = (_info: ScriptRequestInfo) => {};
  const server = await startMockServer((info) => {
    onRequest(info);
    return answer(info);
  });
  servers.push(server);
  const sy = createSwitchyard({ providers: [openai({ name: 'hub', baseURL: server.openaiBaseURL, apiKey: 'k' })], store: memoryStore() });
  const texts = (from = 0) => server.requests.slice(from).map((r) => /\[(\w+ \d+)\]/.exec(JSON.stringify(r.body))?.[1] ?? '?');
  return { server, sy, texts, intercept: (fn: (info: ScriptRequestInfo) => void) => (onRequest = fn) };
}

const step = workflow({ name: 'step', input: z.object({ n: z.number() }) })
  .llm('draft', { model: 'gpt-5.4-mini', maxOutputTokens: 50, prompt: ({ input }) => `[draft ${input.n}] write` })
  .llm('grade', { model: 'gpt-5.4-mini', maxOutputTokens: 50, after: ['draft'], prompt: ({ input }) => `[grade ${input.n}] grade` });

const loop = workflow({ name: 'loop', input: z.object({}) }).loop('work', {
  body: step,
  maxIterations: 5,
  input: (_ctx, _last, { iteration }) => ({ n: iteration }),
  until: ({ output }) => output.grade.includes('PASS'),
});

describe('durable control flow', () => {
  test('a loop cancelled in iteration 3 resumes there: iterations 1–2 are restored, not requested', async () => {
    const { sy, texts, intercept } = await setup((info) => ({ text: info.text.includes('[grade 4]') ? 'PASS' : 'again' }));
    const run = sy.run(loop, {}, { runId: 'loop-1' });
    intercept((info) => info.text.includes('[grade 3]') && run.cancel('deploy'));
    const stopped = await run.result;
    expect(stopped.status).toBe('cancelled');
    expect(texts()).toEqual(['draft 1', 'grade 1', 'draft 2', 'grade 2', 'draft 3', 'grade 3']);
    const before = texts().length;

    const resumed = await sy.resume('loop-1', loop).result;
    expect(resumed.status).toBe('succeeded');
    expect(texts(before)).toEqual(['grade 3', 'draft 4', 'grade 4']);
    expect(resumed.outputs.work?.grade).toBe('PASS');
    expect(resumed.nodes.work.iterations!.map((it) => it.iteration)).toEqual([1, 2, 3, 4]);
    expect(resumed.nodes.work.iterations![0]!.nodes.draft!.costUsd).toBeGreaterThan(0); // restored with its cost
  });

  test('a nested workflow resumes without its completed nodes', async () => {
    const { sy, texts, intercept } = await setup(() => ({ text: 'ok' }));
    const wf = workflow({ name: 'outer', input: z.object({}) }).workflow('inner', { workflow: step, input: () => ({ n: 7 }) });
    const run = sy.run(wf, {}, { runId: 'nested-1' });
    intercept((info) => info.text.includes('[grade 7]') && run.cancel('deploy'));
    expect((await run.result).status).toBe('cancelled');
    const before = texts().length;
    const resumed = await sy.resume('nested-1', wf).result;
    expect(resumed.status).toBe('succeeded');
    expect(texts(before)).toEqual(['grade 7']);
  });

  test('verify rounds resume from the last committed round: round 1 is neither requested nor judged again', async () => {
    const { sy, server, intercept } = await setup((info) => ({ text: info.index === 0 ? '[answer 1] draft' : '[answer 2] final' }));
    const judged: string[] = [];
    const wf = workflow({ name: 'verified', input: z.object({}) }).llm('answer', {
      model: 'gpt-5.4-mini',
      prompt: '[answer 1] write',
      verify: (text) => (judged.push(text), text.includes('final') ? { ok: true } : { ok: false, feedback: 'make it final' }),
      maxRounds: 3,
    });
    const run = sy.run(wf, {}, { runId: 'verify-1' });
    intercept((info) => info.index === 1 && run.cancel('deploy'));
    expect((await run.result).status).toBe('cancelled');
    expect(judged).toEqual(['[answer 1] draft']);
    const resumed = await sy.resume('verify-1', wf).result;
    expect(resumed.status).toBe('succeeded');
    expect(judged).toEqual(['[answer 1] draft', '[answer 2] final']); // round 1's verdict was replayed
    expect(server.requests).toHaveLength(3); // round 1 once, round 2 cancelled then again
    expect(resumed.nodes.answer.rounds!.map((r) => [r.round, r.verdict.ok])).toEqual([[1, false], [2, true]]);
    expect(JSON.stringify(server.requests[2]!.body)).toContain('make it final');
  });
});
