import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { createSwitchyard, SwitchyardError, workflow, type RunEvent } from '../src/index.js';
import { simulated, type ScriptedReply } from '../src/testing/index.js';
import { collect, ofType } from './e2e-kit.js';

const empty = z.object({});
const add = {
  description: 'Add two numbers',
  parameters: z.object({ a: z.number(), b: z.number() }),
  execute: ({ a, b }: { a: number; b: number }) => a + b,
};

function toolMessages(sim: ReturnType<typeof simulated>, index: number) {
  return sim.requests[index]!.request.messages.filter((m) => m.role === 'tool');
}

describe('agent tool loop (simulated provider)', () => {
  test('runs model → tools → model until a reply calls no tool; steps and events are recorded', async () => {
    const sim = simulated({
      reply: [
        { toolCalls: [{ id: 'c1', name: 'add', args: { a: 2, b: 3 } }] },
        { toolCalls: [{ id: 'c2', name: 'add', args: { a: 5, b: 10 } }] },
        { text: 'The total is 15.' },
      ],
    });
    const sy = createSwitchyard({ providers: [sim] });
    const wf = workflow({ name: 'calc', input: empty }).agent('calc', { model: 'gpt-5.5', prompt: 'Add 2, 3, then 10', tools: { add } });
    const { events, result } = await collect(sy.run(wf, {}));

    expect(result.status).toBe('succeeded');
    expect(result.outputs.calc).toBe('The total is 15.');
    expect(sim.requests).toHaveLength(3);
    // the tool's result reaches the next request, paired with the call id
    expect(toolMessages(sim, 1)).toEqual([{ role: 'tool', toolCallId: 'c1', toolName: 'add', content: '5' }]);
    expect(toolMessages(sim, 2).map((m) => m.content)).toEqual(['5', '15']);
    const steps = result.nodes.calc.steps!;
    expect(steps.map((s) => [s.step, s.toolCalls.map((c) => c.result), s.finishReason])).toEqual([
      [1, ['5'], 'tool-calls'],
      [2, ['15'], 'tool-calls'],
      [3, [], 'stop'],
    ]);
    expect(steps.reduce((sum, s) => sum + s.costUsd, 0)).toBeCloseTo(result.nodes.calc.costUsd, 12);
    // events: tool-call and tool-result with the node id and step; one agent-step per step
    const calls = ofType(events, 'tool-call');
    const results = ofType(events, 'tool-result');
    expect(calls.map((e) => [e.nodeId, e.step, e.call.id])).toEqual([['calc', 1, 'c1'], ['calc', 2, 'c2']]);
    expect(results.map((e) => [e.nodeId, e.step, e.call.id, e.ok, e.result])).toEqual([
      ['calc', 1, 'c1', true, '5'],
      ['calc', 2, 'c2', true, '15'],
    ]);
    expect(ofType(events, 'agent-step').map((e) => [e.step, e.toolCalls])).toEqual([[1, 1], [2, 1], [3, 0]]);
    // every step's call reserved and settled budget
    expect(ofType(events, 'budget').map((e) => `${e.phase}@${e.step}`)).toEqual([
      'reserve@1', 'settle@1', 'reserve@2', 'settle@2', 'reserve@3', 'settle@3',
    ]);
  });

  test('parallel tool calls run concurrently (each waits for the other to start)', async () => {
    const started: string[] = [];
    let release!: () => void;
    const bothStarted = new Promise<void>((resolve) => (release = resolve));
    const barrier = {
      parameters: z.object({ name: z.string() }),
      execute: async ({ name }: { name: string }) => {
        started.push(name);
        if (started.length === 2) release();
        await bothStarted; // a sequential runner would never get past the first call
        return `${name} done`;
      },
    };
    const sim = simulated({
      reply: [{ toolCalls: [{ name: 'barrier', args: { name: 'a' } }, { name: 'barrier', args: { name: 'b' } }] }, { text: 'ok' }],
    });
    const sy = createSwitchyard({ providers: [sim] });
    const wf = workflow({ name: 'par', input: empty }).agent('par', { model: 'gpt-5.4', prompt: 'go', tools: { barrier }, timeoutMs: 10_000 });
    const result = await sy.run(wf, {}).result;
    expect(result.status).toBe('succeeded');
    expect(toolMessages(sim, 1).map((m) => m.content)).toEqual(['a done', 'b done']); // call order kept
  });

  test('a throwing tool, an unknown tool and invalid arguments are answered with error text, not thrown', async () => {
    const huge = 'x'.repeat(50_000);
    const tools = {
      add,
      boom: { parameters: z.object({}), execute: () => { throw new TypeError(`kaput ${huge}`); } },
    };
    const sim = simulated({
      reply: [
        {
          toolCalls: [
            { id: 't1', name: 'boom', args: {} },
            { id: 't2', name: 'nope', args: {} },
            { id: 't3', name: 'add', args: { a: 'two', b: 3 } },
          ],
        },
        { text: 'Sorry, the tools failed.' },
      ],
    });
    const sy = createSwitchyard({ providers: [sim] });
    const wf = workflow({ name: 'errs', input: empty }).agent('a', { model: 'gpt-5.5', prompt: 'go', tools, maxToolResultChars: 500 });
    const { events, result } = await collect(sy.run(wf, {}));
    expect(result.status).toBe('succeeded');
    const [boom, nope, bad] = toolMessages(sim, 1).map((m) => m.content);
    expect(boom).toMatch(/^TypeError: kaput x+/);
    expect(boom!.length).toBeLessThanOrEqual(520); // bounded
    expect(boom).toContain('characters omitted');
    expect(nope).toBe("Error: there is no tool named 'nope'. Available tools: add, boom.");
    expect(bad).toMatch(/^Error: invalid arguments for tool 'add': a: /);
    expect(ofType(events, 'tool-result').every((e) => !e.ok)).toBe(true);
    expect(result.nodes.a.steps![0]!.toolCalls.map((c) => c.ok)).toEqual([false, false, false]);
  });

  test('maxSteps: a model still calling tools fails the node with kind max_steps, steps kept', async () => {
    const sim = simulated({ reply: { toolCalls: [{ name: 'add', args: { a: 1, b: 1 } }] } });
    const sy = createSwitchyard({ providers: [sim] });
    const wf = workflow({ name: 'loop', input: empty }).agent('a', { model: 'gpt-5.4', prompt: 'go', tools: { add }, maxSteps: 3 });
    const result = await sy.run(wf, {}).result;
    expect(result.status).toBe('failed');
    expect(sim.requests).toHaveLength(3);
    const error = result.nodes.a.error!;
    expect(SwitchyardError.isInstance(error) && error.kind).toBe('max_steps');
    expect(error.message).toContain('maxSteps');
    expect(result.nodes.a.steps).toHaveLength(3);
  });

  test('structured output: the final reply is parsed, or asked for as JSON once when it does not parse', async () => {
    const Answer = z.object({ total: z.number() });
    const parsed = simulated({ reply: [{ toolCalls: [{ name: 'add', args: { a: 1, b: 2 } }] }, { text: '{"total": 3}' }] });
    const sy = createSwitchyard({ providers: [parsed] });
    const wf = workflow({ name: 's', input: empty }).agent('a', { model: 'gpt-5.5', prompt: 'go', tools: { add }, output: Answer });
    const first = await sy.run(wf, {}).result;
    expect(first.outputs.a).toEqual({ total: 3 });
    expect(parsed.requests).toHaveLength(2);
    expect(parsed.requests[1]!.request.output).toBeUndefined(); // loop steps do not force structured output

    const asked = simulated({ reply: [{ text: 'It is three.' }, { text: '{"total": 3}' }] });
    const sy2 = createSwitchyard({ providers: [asked] });
    const second = await sy2.run(wf, {}).result;
    expect(second.outputs.a).toEqual({ total: 3 });
    expect(asked.requests).toHaveLength(2);
    expect(asked.requests[1]!.request.output).toBeDefined();
    expect(asked.requests[1]!.request.messages.at(-1)).toMatchObject({ role: 'user', content: expect.stringMatching(/final answer/) });
  });

  test('a node budget spans every step: the step that no longer fits is refused', async () => {
    // gpt-5.4 at $15/M output: each step reports 500 output tokens ($0.0075) and reserves 600 ($0.009) first.
    const sim = simulated({ reply: { toolCalls: [{ name: 'add', args: { a: 1, b: 1 } }], usage: { outputTokens: 500 } } });
    const sy = createSwitchyard({ providers: [sim] });
    const wf = workflow({ name: 'b', input: empty }).agent('a', {
      model: 'gpt-5.4',
      prompt: 'go',
      tools: { add },
      maxOutputTokens: 600,
      budget: { usd: 0.02 },
    });
    const result = await sy.run(wf, {}).result;
    expect(result.status).toBe('failed');
    expect(result.nodes.a.error!.kind).toBe('budget_exceeded');
    expect(sim.requests).toHaveLength(2); // $0.015 spent; a third step's $0.009 worst case does not fit
    expect(result.nodes.a.costUsd).toBeLessThanOrEqual(0.02);
  });

  test('cancelling the run aborts a tool through its signal', async () => {
    let aborted = false;
    const wait = {
      parameters: z.object({}),
      execute: (_args: object, { signal }: { signal: AbortSignal }) =>
        new Promise((_, reject) => signal.addEventListener('abort', () => ((aborted = true), reject(signal.reason)), { once: true })),
    };
    const sim = simulated({ reply: [{ toolCalls: [{ name: 'wait', args: {} }] }, { text: 'never' }] });
    const sy = createSwitchyard({ providers: [sim] });
    const wf = workflow({ name: 'c', input: empty }).agent('a', { model: 'gpt-5.4', prompt: 'go', tools: { wait } });
    const run = sy.run(wf, {});
    run.on('tool-call', () => setTimeout(() => run.cancel('stop'), 10));
    const result = await run.result;
    expect(result.status).toBe('cancelled');
    expect(aborted).toBe(true);
    expect(sim.requests).toHaveLength(1);
  });

  test('an agent inside a workflow sees its dependencies and feeds its dependents', async () => {
    const script = (info: { index: number }): ScriptedReply =>
      info.index === 0 ? { toolCalls: [{ name: 'add', args: { a: 20, b: 22 } }] } : { text: 'answer 42' };
    const sy = createSwitchyard({ providers: [simulated({ reply: script })] });
    const wf = workflow({ name: 'w', input: z.object({ q: z.string() }) })
      .step('ask', { run: ({ input }) => input.q.toUpperCase() })
      .agent('solve', { after: ['ask'], model: 'gpt-5.5', prompt: ({ ask }) => ask, tools: { add } })
      .step('report', { after: ['solve'], run: ({ solve }) => solve.length });
    const run = sy.run(wf, { q: 'what is 20 + 22' });
    const events: RunEvent[] = [];
    run.on('*', (e) => events.push(e));
    const result = await run.result;
    expect(result.outputs.report).toBe('answer 42'.length);
    expect(events.find((e) => e.type === 'node-start' && e.nodeId === 'solve')).toMatchObject({ kind: 'agent' });
  });
});
