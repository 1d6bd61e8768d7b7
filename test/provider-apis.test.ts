import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { anthropic, createSwitchyard, google, openai, SwitchyardError, workflow } from '../src/index.js';
import { startMockServer, type MockServer, type Script } from '../src/testing/index.js';
import { collect, ofType } from './e2e-kit.js';

/**
 * The Responses API, Responses-only models, and reasoning kept across an agent's tool turns — through switchyard,
 * the official SDKs and the mock server (which checks signatures and encrypted reasoning as the real APIs do).
 */
let server: MockServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const KEY = 'test-key';
type Body = Record<string, any>;
const bodyOf = (index: number) => server!.requests[index]!.body as Body;

async function mock(script?: Script): Promise<MockServer> {
  server = await startMockServer(script);
  return server;
}

const add = {
  description: 'Add two numbers',
  parameters: z.object({ a: z.number(), b: z.number() }),
  execute: ({ a, b }: { a: number; b: number }) => a + b,
};

describe('openai({ api })', () => {
  it("speaks Responses on OpenAI's own endpoint and Chat Completions on any other, unless told", () => {
    expect(openai({ apiKey: KEY }).api).toBe('responses');
    expect(openai({ apiKey: KEY, baseURL: 'https://api.openai.com/v1' }).api).toBe('responses');
    expect(openai({ apiKey: KEY, baseURL: 'http://127.0.0.1:8000/v1' }).api).toBe('chat');
    expect(openai({ apiKey: KEY, baseURL: 'http://127.0.0.1:8000/v1', api: 'responses' }).api).toBe('responses');
    expect(openai({ apiKey: KEY, api: 'chat' }).api).toBe('chat');
  });

  it('a Responses request is stateless: store false, encrypted reasoning included, instructions, strict tools where allowed', async () => {
    await mock({ text: 'ok' });
    const sy = createSwitchyard({ providers: [openai({ baseURL: server!.openaiBaseURL, apiKey: KEY, api: 'responses' })] });
    await sy.generate({ model: 'gpt-5.5', system: 'Be brief.', prompt: 'Sum?', tools: { add }, maxOutputTokens: 300, cache: { key: 'sum-v1' } });
    expect(server!.requests[0]!.path).toBe('/v1/responses');
    const body = bodyOf(0);
    expect(body).toMatchObject({ model: 'gpt-5.5', stream: true, store: false, include: ['reasoning.encrypted_content'], instructions: 'Be brief.',
      max_output_tokens: 300, prompt_cache_key: 'sum-v1' });
    expect(body.input).toEqual([{ role: 'user', content: 'Sum?' }]);
    expect(body.tools).toEqual([{ type: 'function', name: 'add', description: 'Add two numbers', strict: true,
      parameters: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'], additionalProperties: false } }]);
  });

  it('structured output is strict when the schema allows it, and not when it does not', async () => {
    await mock();
    const sy = createSwitchyard({ providers: [openai({ baseURL: server!.openaiBaseURL, apiKey: KEY, api: 'responses' })] });
    const strict = await sy.generate({ model: 'gpt-5.4', prompt: 'x', output: z.object({ kind: z.enum(['bug', 'other']) }) });
    expect(strict.object).toEqual({ kind: 'bug' });
    expect(bodyOf(0).text.format).toMatchObject({ type: 'json_schema', name: 'output', strict: true });
    // An optional field is outside strict mode's subset: sent non-strict, validated by switchyard.
    const loose = await sy.generate({ model: 'gpt-5.4', prompt: 'x', output: z.object({ kind: z.string(), note: z.string().optional() }) });
    expect(loose.object).toEqual({ kind: 'example', note: 'example' });
    expect(bodyOf(1).text.format.strict).toBe(false);
    // A non-object root is wrapped as { value } (and unwrapped).
    const wrapped = await sy.generate({ model: 'gpt-5.4', prompt: 'x', output: z.enum(['yes', 'no']) });
    expect(wrapped.object).toBe('yes');
    expect(bodyOf(2).text.format.schema).toMatchObject({ type: 'object', required: ['value'] });
    // Chat Completions decides the same way.
    const chat = createSwitchyard({ providers: [openai({ baseURL: server!.openaiBaseURL, apiKey: KEY, api: 'chat' })] });
    await chat.generate({ model: 'gpt-5.4', prompt: 'x', output: z.object({ kind: z.enum(['bug', 'other']) }) });
    expect(bodyOf(3).response_format.json_schema).toMatchObject({ name: 'output', strict: true });
  });
});

describe('Responses-only models', () => {
  it('gpt-5.5-pro runs end to end over the Responses API, at the critical task default effort', async () => {
    await mock({ text: 'Ship it.', usage: { inputTokens: 1000, outputTokens: 400, reasoningTokens: 300 } });
    const sy = createSwitchyard({ providers: [openai({ baseURL: server!.openaiBaseURL, apiKey: KEY, api: 'responses' })] });
    const { events, result } = await collect(sy.stream({ task: 'critical', prompt: 'Release?', maxOutputTokens: 1000 }));
    const answer = await result;
    expect(answer).toMatchObject({ text: 'Ship it.', model: 'gpt-5.5-pro' });
    expect(answer.usage).toMatchObject({ outputTokens: 400, reasoningTokens: 300 });
    // Reasoning bills as output: 1,000 input at $30/M + 400 output (300 of it reasoning) at $180/M.
    expect(answer.costUsd).toBeCloseTo(0.03 + 0.072, 10);
    expect(bodyOf(0).reasoning).toEqual({ effort: 'high', summary: 'auto' });
    expect(ofType(events, 'node-route')[0]!.reason).toContain('reasoning high, the default for critical');
  });

  it('is never sent to a Chat Completions endpoint: a clear error before any request', async () => {
    await mock();
    const sy = createSwitchyard({ providers: [openai({ name: 'hub', baseURL: server!.openaiBaseURL, apiKey: KEY })] });
    const error = await sy.generate({ model: 'gpt-5.5-pro', prompt: 'x' }).catch((e: unknown) => e);
    expect(SwitchyardError.isInstance(error) && error.kind).toBe('no_provider');
    expect((error as Error).message).toContain("gpt-5.5-pro is served by the Responses API only, and hub speaks the Chat Completions API");
    expect(server!.requests).toHaveLength(0);
  });

  it('skips a chat endpoint for a Responses endpoint, and the route event says why', async () => {
    await mock({ text: 'ok' });
    const hub = openai({ name: 'hub', baseURL: server!.openaiBaseURL, apiKey: KEY });
    const direct = openai({ name: 'direct', baseURL: server!.openaiBaseURL, apiKey: KEY, api: 'responses' });
    const sy = createSwitchyard({ providers: [hub, direct] });
    const { events } = await collect(sy.stream({ model: 'gpt-5.5-pro', prompt: 'x' }));
    const route = ofType(events, 'node-route')[0]!;
    expect(route.provider).toBe('direct');
    expect(route.skipped).toContainEqual({ model: 'gpt-5.5-pro', provider: 'hub', reason: expect.stringContaining('Responses API only') });
    expect(server!.requests.map((r) => r.path)).toEqual(['/v1/responses']);
  });
});

describe('an agent keeps its reasoning across tool turns', () => {
  it('on gpt-5.5 over Responses: the encrypted reasoning item goes back in request 2, before its function call', async () => {
    await mock((info) => (info.index === 0 ? { reasoning: 'Add first.', toolCalls: [{ id: 'call_add', name: 'add', args: { a: 2, b: 3 } }] } : { text: 'It is 5.' }));
    const sy = createSwitchyard({ providers: [openai({ baseURL: server!.openaiBaseURL, apiKey: KEY, api: 'responses' })] });
    const wf = workflow({ name: 'agent', input: z.object({}) }).agent('solve', { task: 'agentic-coding', prompt: 'Add 2 and 3.', tools: { add } });
    const { events, result } = await collect(sy.run(wf, {}));
    expect(result.status).toBe('succeeded');
    expect(result.outputs.solve).toBe('It is 5.');
    expect(bodyOf(0).reasoning).toEqual({ effort: 'high', summary: 'auto' });
    const input = bodyOf(1).input as Body[];
    expect(input.map((item) => item.type ?? item.role)).toEqual(['user', 'reasoning', 'function_call', 'function_call_output']);
    expect(input[1]).toMatchObject({ type: 'reasoning', summary: [{ type: 'summary_text', text: 'Add first.' }] });
    expect(typeof input[1]!.encrypted_content).toBe('string');
    expect(input[2]).toMatchObject({ type: 'function_call', call_id: 'call_add', name: 'add', arguments: '{"a":2,"b":3}', id: expect.stringMatching(/^fc_/) });
    expect(input[3]).toEqual({ type: 'function_call_output', call_id: 'call_add', output: '5' });
    expect(ofType(events, 'reasoning-delta').map((e) => e.text).join('')).toBe('Add first.');
  });

  it('on gemini-3.1-pro: a multi-step tool loop, every function call sent back with its thought signature', async () => {
    await mock((info) =>
      info.index === 0
        ? { toolCalls: [{ name: 'add', args: { a: 1, b: 2 } }, { name: 'add', args: { a: 3, b: 4 } }] }
        : info.index === 1
          ? { toolCalls: [{ name: 'add', args: { a: 3, b: 7 } }] }
          : { text: 'Total 10.' },
    );
    const sy = createSwitchyard({ providers: [google({ baseURL: server!.googleBaseURL, apiKey: KEY })] });
    const wf = workflow({ name: 'agent', input: z.object({}) }).agent('solve', { model: 'gemini-3.1-pro', prompt: 'Sum it all.', tools: { add } });
    const { result } = await collect(sy.run(wf, {}));
    expect(result.status).toBe('succeeded');
    expect(result.outputs.solve).toBe('Total 10.');
    expect(server!.requests).toHaveLength(3);
    expect(server!.requests.every((r) => r.completed)).toBe(true);
    const modelTurns = (bodyOf(2).contents as Body[]).filter((c) => c.role === 'model');
    expect(modelTurns).toHaveLength(2);
    for (const turn of modelTurns) expect(typeof turn.parts[0].thoughtSignature).toBe('string');
    expect(modelTurns.flatMap((t) => t.parts).some((p: Body) => p.thoughtSignature === 'skip_thought_signature_validator')).toBe(false);
  });

  it('drops provider state cleanly on failover: Responses → Anthropic (no reasoning items, thinking off mid-turn)', async () => {
    await mock((info) => {
      if (info.index === 0) return { reasoning: 'Plan.', toolCalls: [{ id: 'call_1', name: 'add', args: { a: 1, b: 1 } }] };
      if (info.family === 'openai') return { fault: { type: 'http', status: 503 } };
      return { text: 'Two.' };
    });
    const sy = createSwitchyard({
      providers: [openai({ baseURL: server!.openaiBaseURL, apiKey: KEY, api: 'responses' }), anthropic({ baseURL: server!.anthropicBaseURL, apiKey: KEY })],
      routes: { agent: ['gpt-5.5', 'claude-opus-4-7'] },
      retry: { maxAttempts: 1 },
    });
    const wf = workflow({ name: 'agent', input: z.object({}) }).agent('solve', { task: 'agent', prompt: '1+1?', tools: { add } });
    const { events, result } = await collect(sy.run(wf, {}));
    expect(result.status).toBe('succeeded');
    expect(ofType(events, 'node-fallback')[0]).toMatchObject({ from: { model: 'gpt-5.5' }, to: { model: 'claude-opus-4-7' } });
    const claude = server!.requests.find((r) => r.family === 'anthropic')!.body as Body;
    expect(claude.thinking).toBeUndefined();
    expect(claude.messages[1]).toEqual({ role: 'assistant', content: [{ type: 'tool_use', id: 'call_1', name: 'add', input: { a: 1, b: 1 } }] });
  });

  it('drops provider state cleanly on failover: Anthropic → Gemini 3 (foreign calls marked as such)', async () => {
    await mock((info) => {
      if (info.index === 0) return { reasoning: 'Plan.', toolCalls: [{ id: 'toolu_1', name: 'add', args: { a: 2, b: 2 } }] };
      if (info.family === 'anthropic') return { fault: { type: 'http', status: 529 } };
      return { text: 'Four.' };
    });
    const sy = createSwitchyard({
      providers: [anthropic({ baseURL: server!.anthropicBaseURL, apiKey: KEY }), google({ baseURL: server!.googleBaseURL, apiKey: KEY })],
      routes: { agent: ['claude-opus-4-7', 'gemini-3.1-pro'] },
      retry: { maxAttempts: 1 },
    });
    const wf = workflow({ name: 'agent', input: z.object({}) }).agent('solve', { task: 'agent', prompt: '2+2?', tools: { add } });
    const { result } = await collect(sy.run(wf, {}));
    expect(result.status).toBe('succeeded');
    expect(result.outputs.solve).toBe('Four.');
    const first = server!.requests[0]!.body as Body;
    expect(first.thinking).toEqual({ type: 'enabled', budget_tokens: 32_768 });
    const gemini = server!.requests.find((r) => r.family === 'google')!.body as Body;
    const call = (gemini.contents as Body[]).find((c) => c.role === 'model')!.parts[0];
    expect(call).toEqual({ functionCall: { id: 'toolu_1', name: 'add', args: { a: 2, b: 2 } }, thoughtSignature: 'skip_thought_signature_validator' });
  });

  it('on Claude with thinking: the thinking block goes back, signature intact, at the start of the turn', async () => {
    await mock((info) => (info.index === 0 ? { reasoning: 'Use the tool.', toolCalls: [{ id: 'toolu_9', name: 'add', args: { a: 5, b: 5 } }] } : { text: 'Ten.' }));
    const sy = createSwitchyard({ providers: [anthropic({ baseURL: server!.anthropicBaseURL, apiKey: KEY })] });
    const wf = workflow({ name: 'agent', input: z.object({}) }).agent('solve', {
      model: 'claude-sonnet-4-6', reasoning: { effort: 'low' }, prompt: '5+5?', tools: { add }, maxOutputTokens: 20_000,
    });
    const { result } = await collect(sy.run(wf, {}));
    expect(result.status).toBe('succeeded');
    const second = bodyOf(1);
    expect(second.thinking).toEqual({ type: 'enabled', budget_tokens: 4096 });
    expect(second.messages[1].content[0]).toMatchObject({ type: 'thinking', thinking: 'Use the tool.', signature: expect.any(String) });
    expect(second.messages[1].content[1]).toMatchObject({ type: 'tool_use', id: 'toolu_9' });
  });
});
