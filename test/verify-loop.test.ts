import { afterEach, describe, expect, test } from 'vitest';
import { z } from 'zod';
import { BudgetExceededError, createSwitchyard, openai, SwitchyardError, verifiers, workflow } from '../src/index.js';
import { simulated, startMockServer, type MockServer } from '../src/testing/index.js';
import { collect, ofType } from './e2e-kit.js';

const input = z.object({ n: z.number() });
const even = (text: string) => (/\b\d*[02468]\b/.test(text) ? { ok: true as const } : { ok: false as const, feedback: `"${text}" has no even number; give an even number.` });

let server: MockServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('verify on .llm nodes', () => {
  test('converges on round 2, with the feedback (and the rejected answer) in the round-2 request', async () => {
    const sim = simulated({ reply: [{ text: 'I pick 7' }, { text: 'I pick 8' }] });
    const sy = createSwitchyard({ providers: [sim] });
    const seen: Array<{ round: number; previous: number; n: number }> = [];
    const wf = workflow({ name: 'v', input }).llm('pick', {
      model: 'gpt-5.4',
      prompt: ({ input: i }) => `Pick a number near ${i.n}`,
      verify: (output, ctx) => {
        seen.push({ round: ctx.round, previous: ctx.previous.length, n: ctx.context.input.n });
        return even(output);
      },
    });
    const { events, result } = await collect(sy.run(wf, { n: 7 }));

    expect(result.status).toBe('succeeded');
    expect(result.outputs.pick).toBe('I pick 8');
    expect(seen).toEqual([{ round: 1, previous: 0, n: 7 }, { round: 2, previous: 1, n: 7 }]);
    const round2 = sim.requests[1]!.request.messages;
    expect(round2.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(round2[1]!.content).toBe('I pick 7');
    expect(round2[2]!.content).toContain('"I pick 7" has no even number; give an even number.');
    const node = result.nodes.pick;
    expect(node.verified).toBe(true);
    expect(node.rounds!.map((r) => [r.round, r.output, r.verdict.ok, r.model])).toEqual([
      [1, 'I pick 7', false, 'gpt-5.4'],
      [2, 'I pick 8', true, 'gpt-5.4'],
    ]);
    expect(node.rounds!.every((r) => r.costUsd > 0)).toBe(true);
    expect(node.rounds!.reduce((sum, r) => sum + r.costUsd, 0)).toBeCloseTo(node.costUsd, 12);
    expect(ofType(events, 'node-round').map((e) => [e.round, e.ok, e.feedback !== undefined])).toEqual([[1, false, true], [2, true, false]]);
    // the model call events of each round carry it
    expect(ofType(events, 'text-delta').map((e) => e.round)).toEqual([1, 1, 1, 2, 2, 2]);
  });

  test('the round-2 request seen by the mock server (OpenAI wire) carries the feedback', async () => {
    server = await startMockServer((info) => ({ text: info.index === 0 ? 'maybe 3' : 'surely 4' }));
    const sy = createSwitchyard({ providers: [openai({ baseURL: server.openaiBaseURL, apiKey: 'k' })] });
    const wf = workflow({ name: 'v', input }).llm('pick', { model: 'gpt-5.4', prompt: 'Pick', verify: even, maxOutputTokens: 50 });
    const result = await sy.run(wf, { n: 1 }).result;
    expect(result.outputs.pick).toBe('surely 4');
    const messages = (server.requests[1]!.body as { messages: Array<{ role: string; content: string }> }).messages;
    expect(messages.at(-2)).toEqual({ role: 'assistant', content: 'maybe 3' });
    expect(messages.at(-1)!.content).toContain('"maybe 3" has no even number');
  });

  test('rounds spent: the node fails with the last feedback (kind verification_failed), every round kept', async () => {
    const sim = simulated({ reply: { text: 'odd 1' } });
    const sy = createSwitchyard({ providers: [sim] });
    const wf = workflow({ name: 'v', input }).llm('pick', { model: 'gpt-5.4', prompt: 'Pick', verify: even, maxRounds: 2 });
    const result = await sy.run(wf, { n: 1 }).result;
    expect(result.status).toBe('failed');
    const error = result.nodes.pick.error!;
    expect(SwitchyardError.isInstance(error) && error.kind).toBe('verification_failed');
    expect(error.message).toContain('"odd 1" has no even number');
    expect(sim.requests).toHaveLength(2);
    expect(result.nodes.pick.rounds).toHaveLength(2);
    expect(result.nodes.pick.verified).toBeUndefined();
  });

  test('acceptLast: the last output is returned, marked unverified', async () => {
    const sy = createSwitchyard({ providers: [simulated({ reply: [{ text: 'odd 1' }, { text: 'odd 3' }] })] });
    const wf = workflow({ name: 'v', input }).llm('pick', { model: 'gpt-5.4', prompt: 'Pick', verify: even, maxRounds: 2, acceptLast: true });
    const result = await sy.run(wf, { n: 1 }).result;
    expect(result.status).toBe('succeeded');
    expect(result.outputs.pick).toBe('odd 3');
    expect(result.nodes.pick.verified).toBe(false);
  });

  test('the loop stops on budget: a round whose reservation does not fit is never sent', async () => {
    // gpt-5.4 bills $15/M output: round 1 reports 900 output tokens ($0.0135); round 2 reserves its worst case
    // (1000 output tokens, $0.015) and no longer fits the $0.02 run budget.
    const sim = simulated({ reply: { text: 'odd 1', usage: { outputTokens: 900 } } });
    const sy = createSwitchyard({ providers: [sim] });
    const wf = workflow({ name: 'v', input }).llm('pick', { model: 'gpt-5.4', prompt: 'Pick', verify: even, maxRounds: 5, maxOutputTokens: 1000 });
    const result = await sy.run(wf, { n: 1 }, { budget: { usd: 0.02 } }).result;
    expect(result.status).toBe('failed');
    expect(BudgetExceededError.isInstance(result.nodes.pick.error)).toBe(true);
    expect(sim.requests).toHaveLength(1);
    expect(result.nodes.pick.rounds!.map((r) => r.verdict.ok)).toEqual([false]);
    expect(result.costUsd).toBeLessThanOrEqual(0.02);
  });

  test('a verifier that throws fails the node; one that returns something else is reported', async () => {
    const sy = createSwitchyard({ providers: [simulated()] });
    const throws = workflow({ name: 'v', input }).llm('a', { model: 'gpt-5.4', prompt: 'x', verify: () => { throw new Error('verifier bug'); } });
    const bad = workflow({ name: 'v', input }).llm('a', { model: 'gpt-5.4', prompt: 'x', verify: (() => ({ ok: 'yes' })) as never });
    const first = await sy.run(throws, { n: 1 }).result;
    expect(first.nodes.a.error!.message).toContain('verifier bug');
    const second = await sy.run(bad, { n: 1 }).result;
    expect(second.nodes.a.error!.message).toMatch(/verify returned \{"ok":"yes"\}; return \{ ok: true \}/);
  });

  test('verifiers.schema checks a text answer as JSON and feeds the issues back', async () => {
    const sim = simulated({ reply: [{ text: '{"title": 12}' }, { text: '```json\n{"title": "Fix login"}\n```' }] });
    const sy = createSwitchyard({ providers: [sim] });
    const wf = workflow({ name: 'v', input }).llm('t', { model: 'gpt-5.4', prompt: 'Title?', verify: verifiers.schema(z.object({ title: z.string() })) });
    const result = await sy.run(wf, { n: 1 }).result;
    expect(result.status).toBe('succeeded');
    expect(sim.requests[1]!.request.messages.at(-1)!.content).toMatch(/does not match the schema: title: .*string/i);
  });

  test('structured output: the verifier sees the parsed object', async () => {
    const Pick = z.object({ n: z.number() });
    const sy = createSwitchyard({ providers: [simulated({ reply: [{ text: '{"n": 3}' }, { text: '{"n": 4}' }] })] });
    const wf = workflow({ name: 'v', input }).llm('p', {
      model: 'gpt-5.4',
      prompt: 'n?',
      output: Pick,
      verify: (out) => (out.n % 2 === 0 ? { ok: true } : { ok: false, feedback: `${out.n} is odd` }),
    });
    const result = await sy.run(wf, { n: 1 }).result;
    expect(result.outputs.p).toEqual({ n: 4 });
    expect(result.nodes.p.rounds!.map((r) => r.output)).toEqual([{ n: 3 }, { n: 4 }]);
  });
});

describe('verify on .agent nodes', () => {
  test('a rejected answer continues the conversation: round 2 sees the tool history and the feedback', async () => {
    const sim = simulated({
      reply: [
        { toolCalls: [{ id: 'c1', name: 'lookup', args: { key: 'a' } }] },
        { text: 'The value is 1' },
        { toolCalls: [{ id: 'c2', name: 'lookup', args: { key: 'b' } }] },
        { text: 'The value is 2' },
      ],
    });
    const sy = createSwitchyard({ providers: [sim] });
    const lookup = { parameters: z.object({ key: z.string() }), execute: ({ key }: { key: string }) => ({ a: 1, b: 2 })[key] };
    const wf = workflow({ name: 'v', input }).agent('find', {
      model: 'gpt-5.5',
      prompt: 'Find the even value',
      tools: { lookup },
      verify: (text) => (text.endsWith('2') ? { ok: true } : { ok: false, feedback: 'That value is odd.' }),
    });
    const { events, result } = await collect(sy.run(wf, { n: 1 }));
    expect(result.outputs.find).toBe('The value is 2');
    const third = sim.requests[2]!.request.messages;
    expect(third.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant', 'user']);
    expect(third.at(-1)!.content).toContain('That value is odd.');
    const steps = result.nodes.find.steps!;
    expect(steps.map((s) => [s.step, s.round])).toEqual([[1, 1], [2, 1], [3, 2], [4, 2]]);
    expect(ofType(events, 'tool-result').map((e) => [e.step, e.round])).toEqual([[1, 1], [3, 2]]);
    expect(result.nodes.find.rounds!.map((r) => r.verdict.ok)).toEqual([false, true]);
  });
});
