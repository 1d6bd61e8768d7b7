/**
 * The budget-fitted output cap end to end, through the official SDKs against the mock server: a call without
 * maxOutputTokens sends the cap its budget can spare (on each wire's own field), says so in the `budget` event
 * and in the call and node results, and the README's Quick start runs under its own $0.50 run budget; an
 * explicit maxOutputTokens and an unbudgeted call keep today's caps; a budget that cannot spare minOutputTokens
 * refuses before any request; siblings fitted at once never hold more than the budget.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { z } from 'zod';
import { anthropic, BudgetExceededError, createSwitchyard, google, openai, workflow, type RunEvent } from '../src/index.js';
import type { MockServer, RecordedRequest } from '../src/testing/index.js';
import { collect, ofType, oneNode, timedServer } from './e2e-kit.js';

const servers: MockServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A mock server answering JSON for structured-output requests and a short sentence otherwise. */
async function server(firstTokenMs = 0): Promise<MockServer> {
  const made = await timedServer((info) => {
    const body = info.body as Record<string, unknown>;
    const structured = body.response_format !== undefined || body.text !== undefined;
    return { text: structured ? '{"kind":"bug"}' : 'Restart the auth service and add a test.', firstTokenMs };
  });
  servers.push(made);
  return made;
}

/** The output cap a request carried, whichever field its wire uses. */
function capSent(request: RecordedRequest): number | undefined {
  const body = request.body as Record<string, unknown> & { generationConfig?: { maxOutputTokens?: number } };
  return (body.max_completion_tokens ?? body.max_output_tokens ?? body.max_tokens ?? body.generationConfig?.maxOutputTokens) as number | undefined;
}

const reserves = (events: readonly RunEvent[]) => ofType(events, 'budget').filter((e) => e.phase === 'reserve');

describe("the README's Quick start under its own $0.50 run budget", () => {
  test('succeeds: each node sends a cap fitted to the run budget, and says so in its events and result', async () => {
    const mock = await server();
    const sy = createSwitchyard({ providers: [openai({ baseURL: mock.openaiBaseURL, apiKey: 'k' })], budget: { usd: 5 } });
    const wf = workflow({ name: 'triage', input: z.object({ ticket: z.string() }) })
      .llm('classify', { task: 'classification', prompt: ({ input }) => input.ticket, output: z.object({ kind: z.enum(['bug', 'question']) }) })
      .llm('fix', { task: 'agentic-coding', after: ['classify'], prompt: ({ input, classify }) => `${classify.kind}: ${input.ticket}` })
      .step('report', { after: ['fix'], run: ({ fix }) => fix.length });
    const { events, result } = await collect(sy.run(wf, { ticket: 'Login fails with a 500' }, { budget: { usd: 0.5 } }));

    expect(result.status).toBe('succeeded');
    if (result.status !== 'succeeded') return;
    expect(result.outputs.classify.kind).toBe('bug');
    expect(result.costUsd).toBeLessThanOrEqual(0.5);
    // gpt-5.4 ($15/M output) then gpt-5.5 ($30/M): at most half of the $0.50 left, less the input's worst case.
    const [classify, fix] = mock.requests;
    expect(capSent(classify!)).toBeGreaterThan(16_000);
    expect(capSent(classify!)).toBeLessThanOrEqual(16_666);
    expect(capSent(fix!)).toBeGreaterThan(8_000);
    expect(capSent(fix!)).toBeLessThanOrEqual(8_333);
    for (const id of ['classify', 'fix'] as const) {
      const node = result.nodes[id];
      expect(node.outputCap).toMatchObject({ fitted: true });
      expect(node.outputCap!.reason).toContain('the run budget had left');
      const reserve = reserves(events).find((e) => e.nodeId === id)!;
      expect(reserve.outputCap).toEqual(node.outputCap);
      expect(reserve.outputCap!.tokens).toBe(capSent(id === 'classify' ? classify! : fix!));
      // What was held is what the cap can cost: the provider enforces the cap, so the budget cannot be passed.
      const run = reserve.levels.find((l) => l.level === 'run')!;
      expect(run.spentUsd + run.reservedUsd).toBeLessThanOrEqual(0.5);
    }
  });

  test('sy.generate says so in the call result too', async () => {
    const mock = await server();
    const sy = createSwitchyard({ providers: [openai({ baseURL: mock.openaiBaseURL, apiKey: 'k' })], budget: { usd: 0.2 } });
    const answer = await sy.generate({ model: 'gpt-5.4', prompt: 'Is "app crashes on login" a bug?' });
    expect(answer.outputCap).toMatchObject({ fitted: true, tokens: capSent(mock.requests[0]!) });
    expect(answer.outputCap!.reason).toContain('instance budget');
    expect(answer.outputCap!.tokens).toBeLessThanOrEqual(Math.floor(0.1 / 15e-6));
  });
});

describe('the cap reaches every wire', () => {
  test.each([
    ['openai', 'gpt-5.4', (m: MockServer) => openai({ baseURL: m.openaiBaseURL, apiKey: 'k' })],
    ['anthropic', 'claude-haiku-4-5', (m: MockServer) => anthropic({ baseURL: m.anthropicBaseURL, apiKey: 'k' })],
    ['google', 'gemini-3-flash', (m: MockServer) => google({ baseURL: m.googleBaseURL, apiKey: 'k' })],
  ] as const)('%s: the fitted cap is the one sent', async (_name, model, provider) => {
    const mock = await server();
    const sy = createSwitchyard({ providers: [provider(mock)] });
    const { result } = await collect(sy.run(oneNode({ model, prompt: 'hi' }), {}, { budget: { usd: 0.05 } }));
    expect(result.status).toBe('succeeded');
    expect(result.nodes.node.outputCap?.fitted).toBe(true);
    expect(capSent(mock.requests[0]!)).toBe(result.nodes.node.outputCap!.tokens);
    expect(result.costUsd).toBeLessThanOrEqual(0.05);
  });
});

describe('what keeps its old behaviour', () => {
  test('an explicit maxOutputTokens is sent as given and reserved in full', async () => {
    const mock = await server();
    const sy = createSwitchyard({ providers: [openai({ baseURL: mock.openaiBaseURL, apiKey: 'k' })] });
    const { events, result } = await collect(sy.run(oneNode({ model: 'gpt-5.4', prompt: 'hi', maxOutputTokens: 2_000 }), {}, { budget: { usd: 0.5 } }));
    expect(capSent(mock.requests[0]!)).toBe(2_000);
    expect(result.nodes.node.outputCap).toEqual({ tokens: 2_000, fitted: false, reason: "the call's maxOutputTokens" });
    expect(reserves(events)[0]!.amountUsd).toBeGreaterThan(2_000 * 15e-6);
  });

  test('with no budget anywhere, the model max is sent', async () => {
    const mock = await server();
    const sy = createSwitchyard({ providers: [openai({ baseURL: mock.openaiBaseURL, apiKey: 'k' })] });
    const { result } = await collect(sy.run(oneNode({ model: 'gpt-5.4', prompt: 'hi' }), {}));
    expect(capSent(mock.requests[0]!)).toBe(128_000);
    expect(result.nodes.node.outputCap).toMatchObject({ tokens: 128_000, fitted: false });
    expect(result.nodes.node.outputCap!.reason).toContain("gpt-5.4's max output");
  });
});

describe('refusing only below minOutputTokens', () => {
  test('a budget that cannot spare 1,024 output tokens refuses before any request; a lower minOutputTokens runs', async () => {
    const mock = await server();
    const sy = createSwitchyard({ providers: [openai({ baseURL: mock.openaiBaseURL, apiKey: 'k' })] });
    // gpt-5.4: 1,024 output tokens cost $0.01536; the run has $0.01.
    const refused = await sy.run(oneNode({ model: 'gpt-5.4', prompt: 'hi' }), {}, { budget: { usd: 0.01 } }).result;
    expect(refused.status).toBe('failed');
    const error = refused.nodes.node.error as BudgetExceededError;
    expect(BudgetExceededError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ level: 'run', unit: 'usd', limit: 0.01, spent: 0, reserved: 0 });
    expect(error.requested).toBeGreaterThan(1_024 * 15e-6);
    expect(mock.requests).toHaveLength(0);

    const ran = await sy.run(oneNode({ model: 'gpt-5.4', prompt: 'hi', minOutputTokens: 256 }), {}, { budget: { usd: 0.01 } }).result;
    expect(ran.status).toBe('succeeded');
    expect(capSent(mock.requests[0]!)).toBeGreaterThanOrEqual(256);
    expect(capSent(mock.requests[0]!)).toBeLessThanOrEqual(Math.floor(0.005 / 15e-6));
  });

  test('minOutputTokens must be a whole number', async () => {
    const sy = createSwitchyard({ providers: [openai({ baseURL: 'http://127.0.0.1:9/v1', apiKey: 'k' })] });
    await expect(sy.generate({ model: 'gpt-5.4', prompt: 'hi', minOutputTokens: '512' as unknown as number })).rejects.toMatchObject({
      kind: 'invalid_request',
      message: expect.stringContaining('the string "512"'),
    });
  });
});

describe('siblings fitted at once', () => {
  test('eight parallel nodes under $0.10 all succeed; every reservation kept spent + reserved within the limit', async () => {
    const mock = await server(30); // replies wait a little, so the siblings hold their budget at the same time
    const sy = createSwitchyard({ providers: [openai({ baseURL: mock.openaiBaseURL, apiKey: 'k' })] });
    let wf = workflow({ name: 'fan', input: z.object({}) }) as ReturnType<typeof workflow>;
    for (let i = 0; i < 8; i++) wf = wf.llm(`n${i}`, { model: 'gpt-5.4-mini', prompt: `item ${i}` }) as typeof wf;
    const { events, result } = await collect(sy.run(wf, {}, { budget: { usd: 0.1 } }));
    expect(result.status).toBe('succeeded');
    expect(mock.requests).toHaveLength(8);
    for (const event of ofType(events, 'budget')) {
      const run = event.levels.find((l) => l.level === 'run')!;
      expect(run.spentUsd + run.reservedUsd).toBeLessThanOrEqual(0.1);
    }
    for (const request of mock.requests) expect(capSent(request)).toBeGreaterThanOrEqual(1_024);
    expect(result.costUsd).toBeLessThanOrEqual(0.1);
  });
});
