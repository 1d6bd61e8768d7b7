/**
 * AI SDK language models as switchyard endpoints, through the real provider packages over HTTP:
 * @ai-sdk/openai-compatible against the mock server (OpenAI chat SSE) and @ai-sdk/mistral against a loopback
 * server speaking Mistral's chat API. A streamed call, a tool-using agent, structured output, a 429 then success,
 * errors mapped to switchyard's kinds, cancellation, failover from an AI SDK endpoint to a native one — cost
 * computed from the catalog, and exactly one HTTP request per attempt.
 */
import { createMistral } from '@ai-sdk/mistral';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { afterEach, describe, expect, test } from 'vitest';
import { z } from 'zod';
import { aiSdk } from '../src/ai-sdk/index.js';
import { costOf, createCatalog, createSwitchyard, defaultCatalog, openai, SwitchyardError, workflow, type ModelOverride, type Usage } from '../src/index.js';
import { startMockServer, type MockServer, type Script } from '../src/testing/index.js';
import { assembledText, attemptsOf, collect, ofType, oneNode } from './e2e-kit.js';
import { makePng } from './fixtures/media.js';
import { startMistralServer, type MistralReply, type MistralServer } from './fixtures/mistral-server.js';

const entry = (provider: string): ModelOverride => ({
  provider,
  contextWindow: 32_000,
  maxOutputTokens: 4_000,
  pricing: { input: 0.4, cachedInput: 0.1, output: 2, source: 'test prices', asOf: '2026-05-01' },
  capabilities: { tools: true, structuredOutput: true, vision: false, reasoning: false },
  tasks: ['chat'],
});
const catalog = createCatalog(defaultCatalog, { 'house-model': entry('local'), 'mistral-large': entry('mistral') });

const servers: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function mock(script: Script): Promise<MockServer> {
  const server = await startMockServer(script);
  servers.push(server);
  return server;
}

async function mistralServer(answer: (index: number, body: Record<string, unknown>) => MistralReply): Promise<MistralServer> {
  const server = await startMistralServer(answer);
  servers.push(server);
  return server;
}

/** An endpoint named 'local' serving 'house-model' through @ai-sdk/openai-compatible. */
function local(server: MockServer) {
  const compat = createOpenAICompatible({ name: 'house', baseURL: server.openaiBaseURL, apiKey: 'test-key', includeUsage: true, supportsStructuredOutputs: true });
  return aiSdk({ name: 'local', models: { 'house-model': compat.chatModel('house-v1') } });
}

const usage = { inputTokens: 120, cachedInputTokens: 20, outputTokens: 9 } satisfies Partial<Usage>;
const fullUsage: Usage = { ...usage, cacheWriteTokens: 0, reasoningTokens: 0 };
const add = { description: 'Add two numbers', parameters: z.object({ a: z.number(), b: z.number() }), execute: ({ a, b }: { a: number; b: number }) => String(a + b) };

describe('@ai-sdk/openai-compatible as the endpoint of a catalog family', () => {
  test("a streamed call: text deltas in order, the model's usage, the cost from the catalog, one request", async () => {
    const server = await mock({ text: 'The house model answers in words.', usage });
    const sy = createSwitchyard({ catalog, providers: [local(server)] });
    const { events, result } = await collect(sy.run(oneNode({ model: 'house-model', prompt: 'Hello?' }), {}));
    expect(result.status).toBe('succeeded');
    expect(assembledText(events, 'node')).toBe('The house model answers in words.');
    expect(ofType(events, 'text-delta').length).toBeGreaterThan(3);
    expect(result.nodes.node).toMatchObject({ model: 'house-model', provider: 'local', attempts: 1, usage: fullUsage });
    expect(result.costUsd).toBeCloseTo(costOf(catalog.get('house-model'), fullUsage), 12);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.body).toMatchObject({ model: 'house-v1', stream: true, stream_options: { include_usage: true } });
  });

  test('reasoning: the effort goes out as reasoning_effort, the streamed reasoning arrives as reasoning-delta events', async () => {
    const server = await mock({ reasoning: 'Think of the house first.', text: 'Done.' });
    const thinker = createCatalog(catalog, { 'house-model': { ...entry('local'), capabilities: { tools: true, structuredOutput: true, vision: false, reasoning: true } } });
    const sy = createSwitchyard({ catalog: thinker, providers: [local(server)] });
    const run = sy.run(oneNode({ model: 'house-model', prompt: 'Hello?', reasoning: { effort: 'low' } }), {});
    const { events, result } = await collect(run);
    expect(result.status).toBe('succeeded');
    expect(server.requests[0]!.body).toMatchObject({ reasoning_effort: 'low' });
    expect(ofType(events, 'reasoning-delta').map((e) => e.text).join('')).toBe('Think of the house first.');
    expect(assembledText(events, 'node')).toBe('Done.');
  });

  test('images in a user message (bytes, and an https: URL) go out through the provider package as its image parts', async () => {
    const server = await mock({ text: 'A small chart.' });
    const seeing = createCatalog(catalog, { 'house-model': { ...entry('local'), capabilities: { tools: true, structuredOutput: true, vision: true, reasoning: false } } });
    const sy = createSwitchyard({ catalog: seeing, providers: [local(server)] });
    const png = makePng(40, 30);
    const content = [
      { type: 'text' as const, text: 'What is it?' },
      { type: 'image' as const, image: png },
      { type: 'image' as const, image: 'https://example.com/chart.png', mediaType: 'image/png' },
    ];
    const reply = await sy.generate({ model: 'house-model', messages: [{ role: 'user', content }] });
    expect(reply.text).toBe('A small chart.');
    const sent = (server.requests[0]!.body as { messages: Array<{ content: unknown }> }).messages.at(-1)!.content;
    expect(sent).toEqual([
      { type: 'text', text: 'What is it?' },
      { type: 'image_url', image_url: { url: `data:image/png;base64,${Buffer.from(png).toString('base64')}` } },
      { type: 'image_url', image_url: { url: 'https://example.com/chart.png' } },
    ]);
  });

  test('a tool-using agent: the tool call runs and its result goes back in the next request', async () => {
    const server = await mock([{ toolCalls: [{ name: 'add', args: { a: 2, b: 3 } }] }, { text: 'It is 5.' }]);
    const sy = createSwitchyard({ catalog, providers: [local(server)] });
    const wf = workflow({ name: 'tools', input: z.object({}) }).agent('agent', { model: 'house-model', prompt: 'What is 2 + 3?', tools: { add } });
    const result = await sy.run(wf, {}).result;
    expect(result.status).toBe('succeeded');
    expect(result.outputs.agent).toBe('It is 5.');
    expect(server.requests).toHaveLength(2);
    const first = server.requests[0]!.body as { tools: Array<{ function: { name: string; parameters: unknown } }> };
    expect(first.tools[0]!.function).toMatchObject({ name: 'add', parameters: { type: 'object', required: ['a', 'b'] } });
    const messages = (server.requests[1]!.body as { messages: Array<Record<string, unknown>> }).messages;
    expect(messages.at(-2)).toMatchObject({ role: 'assistant', tool_calls: [{ function: { name: 'add', arguments: '{"a":2,"b":3}' } }] });
    expect(messages.at(-1)).toMatchObject({ role: 'tool', content: '5' });
  });

  test('structured output: the JSON Schema goes out as response_format, the reply comes back parsed', async () => {
    const server = await mock({ text: '{"kind":"bug","confidence":0.9}' });
    const sy = createSwitchyard({ catalog, providers: [local(server)] });
    const Triage = z.object({ kind: z.enum(['bug', 'question']), confidence: z.number() });
    const answer = await sy.generate({ model: 'house-model', prompt: 'Crash on save', output: Triage });
    expect(answer.object).toEqual({ kind: 'bug', confidence: 0.9 });
    expect(server.requests[0]!.body).toMatchObject({
      response_format: { type: 'json_schema', json_schema: { schema: { type: 'object', required: ['kind', 'confidence'] } } },
    });
  });

  test('a 429 with Retry-After, then success: one retry honouring it, requests equal attempts', async () => {
    const server = await mock([{ fault: { type: 'http', status: 429, retryAfterMs: 40, message: 'Rate limit reached' } }, { text: 'ok', usage }]);
    const sy = createSwitchyard({ catalog, providers: [local(server)] });
    const { events, result } = await collect(sy.run(oneNode({ model: 'house-model', prompt: 'hi' }), {}));
    expect(result.status).toBe('succeeded');
    const [retry] = ofType(events, 'node-retry');
    expect(retry).toMatchObject({ delayMs: 40, error: { kind: 'rate_limit', status: 429, retryAfterMs: 40, provider: 'local' } });
    expect(server.requests).toHaveLength(2);
    expect(attemptsOf(result)).toBe(2);
  });

  test("errors keep switchyard's kinds: 401 auth (not retried), 400 context length, a cut stream retried with a discard", async () => {
    const unauthorized = await mock({ fault: { type: 'http', status: 401, message: 'Incorrect API key' } });
    const auth = await createSwitchyard({ catalog, providers: [local(unauthorized)] }).generate({ model: 'house-model', prompt: 'x' }).catch((e: unknown) => e);
    expect(SwitchyardError.isInstance(auth) && [auth.kind, auth.status, auth.retryable]).toEqual(['auth', 401, false]);
    expect(unauthorized.requests).toHaveLength(1);

    const tooLong = await mock({ fault: { type: 'http', status: 400, message: "This model's maximum context length is 32000 tokens" } });
    const context = await createSwitchyard({ catalog, providers: [local(tooLong)] }).generate({ model: 'house-model', prompt: 'x' }).catch((e: unknown) => e);
    expect(SwitchyardError.isInstance(context) && context.kind).toBe('context_length');

    const cut = await mock([{ text: 'one two three four five six', fault: { type: 'cut', afterTokens: 3 } }, { text: 'whole reply' }]);
    const sy = createSwitchyard({ catalog, providers: [local(cut)], retry: { baseDelayMs: 5 } });
    const { events, result } = await collect(sy.run(oneNode({ model: 'house-model', prompt: 'x' }), {}));
    expect(result.outputs.node).toBe('whole reply');
    expect(ofType(events, 'node-retry')[0]).toMatchObject({ discard: true, error: { kind: 'network' } });
    expect(assembledText(events, 'node')).toBe('whole reply');
    expect(cut.requests).toHaveLength(2);
  });

  test('cancelling the run reaches the HTTP request', async () => {
    const server = await mock({ text: 'a b c d e f', fault: { type: 'hang', afterTokens: 2 } });
    const sy = createSwitchyard({ catalog, providers: [local(server)] });
    const run = sy.run(oneNode({ model: 'house-model', prompt: 'x' }), {});
    run.on('text-delta', () => run.cancel('enough'));
    const result = await run.result;
    expect(result.status).toBe('cancelled');
    await expect.poll(() => server.requests[0]!.closedByClient).toBe(true);
  });

  test('failover from an AI SDK endpoint to a native one serving the same model', async () => {
    const failing = await mock({ fault: { type: 'http', status: 503, message: 'overloaded' } });
    const healthy = await mock({ text: 'served natively', usage });
    const compat = createOpenAICompatible({ name: 'hub', baseURL: failing.openaiBaseURL, apiKey: 'k', includeUsage: true });
    const sy = createSwitchyard({
      providers: [
        aiSdk({ name: 'ai-hub', models: { 'gpt-5.4': compat.chatModel('gpt-5.4') } }),
        openai({ name: 'direct', baseURL: healthy.openaiBaseURL, apiKey: 'k' }),
      ],
    });
    const { events, result } = await collect(sy.run(oneNode({ model: 'gpt-5.4', prompt: 'hi', maxOutputTokens: 100 }), {}));
    expect(result.status).toBe('succeeded');
    expect(result.outputs.node).toBe('served natively');
    expect(ofType(events, 'node-fallback')[0]).toMatchObject({
      from: { model: 'gpt-5.4', provider: 'ai-hub' },
      to: { model: 'gpt-5.4', provider: 'direct' },
      error: { kind: 'overloaded', status: 503 },
    });
    expect(failing.requests).toHaveLength(1);
    expect(healthy.requests).toHaveLength(1);
    expect(attemptsOf(result)).toBe(2);
    expect(result.costUsd).toBeCloseTo(costOf(defaultCatalog.get('gpt-5.4'), fullUsage), 12);
  });

  test('budgets hold for an AI SDK endpoint: a call whose worst case does not fit is refused before any request', async () => {
    const server = await mock({ text: 'never sent' });
    const sy = createSwitchyard({ catalog, providers: [local(server)], budget: { usd: 0.000_01 } });
    const error = await sy.generate({ model: 'house-model', prompt: 'hello', maxOutputTokens: 1_000 }).catch((e: unknown) => e);
    expect(SwitchyardError.isInstance(error) && error.kind).toBe('budget_exceeded');
    expect(server.requests).toHaveLength(0);
  });
});

describe('@ai-sdk/mistral against a Mistral-shaped server', () => {
  function mistralEndpoint(server: MistralServer) {
    const mistral = createMistral({ baseURL: server.baseURL, apiKey: 'mistral-test-key' });
    return aiSdk({ name: 'mistral', models: { 'mistral-large': mistral('mistral-large-latest') } });
  }

  test('a streamed call with usage from the last chunk and cost from the catalog', async () => {
    const server = await mistralServer(() => ({ text: 'Bonjour from Mistral.', usage: { prompt_tokens: 30, completion_tokens: 5 } }));
    const sy = createSwitchyard({ catalog, providers: [mistralEndpoint(server)] });
    const { events, result } = await collect(sy.stream({ model: 'mistral-large', prompt: 'Say hello' }));
    expect(assembledText(events, 'call')).toBe('Bonjour from Mistral.');
    expect(result.usage).toMatchObject({ inputTokens: 30, outputTokens: 5, cachedInputTokens: 0 });
    expect(result.costUsd).toBeCloseTo(costOf(catalog.get('mistral-large'), result.usage), 12);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]).toMatchObject({ authorized: true, body: { model: 'mistral-large-latest', stream: true } });
  });

  test('a tool-using agent and structured output', async () => {
    const server = await mistralServer((index) =>
      index === 0 ? { toolCalls: [{ name: 'add', args: { a: 20, b: 22 } }] } : { text: '{"total":42}' },
    );
    const sy = createSwitchyard({ catalog, providers: [mistralEndpoint(server)] });
    const wf = workflow({ name: 'sum', input: z.object({}) }).agent('agent', {
      model: 'mistral-large',
      prompt: 'Add 20 and 22',
      tools: { add },
      output: z.object({ total: z.number() }),
    });
    const result = await sy.run(wf, {}).result;
    expect(result.status).toBe('succeeded');
    expect(result.outputs.agent).toEqual({ total: 42 });
    expect(server.requests).toHaveLength(2);
    const second = server.requests[1]!.body as { messages: Array<Record<string, unknown>> };
    expect(second.messages.at(-1)).toMatchObject({ role: 'tool', content: '42', tool_call_id: 'tc0000000' });
  });

  test('a 429 with Retry-After then success; a context-length error keeps its kind', async () => {
    const limited = await mistralServer((index) =>
      index === 0
        ? { error: { status: 429, message: 'Requests rate limit exceeded', type: 'rate_limited', headers: { 'retry-after-ms': '30' } } }
        : { text: 'after the wait' },
    );
    const sy = createSwitchyard({ catalog, providers: [mistralEndpoint(limited)] });
    const { events, result } = await collect(sy.run(oneNode({ model: 'mistral-large', prompt: 'x' }), {}));
    expect(result.outputs.node).toBe('after the wait');
    expect(ofType(events, 'node-retry')[0]).toMatchObject({ delayMs: 30, error: { kind: 'rate_limit', status: 429 } });
    expect(ofType(events, 'node-retry')[0]!.error.message).toContain('Requests rate limit exceeded');
    expect(limited.requests).toHaveLength(2);

    const tooLong = await mistralServer(() => ({
      error: { status: 400, type: 'invalid_request_error', message: 'Prompt contains 40000 tokens, too large for model with 32768 maximum context length' },
    }));
    const error = await createSwitchyard({ catalog, providers: [mistralEndpoint(tooLong)] })
      .generate({ model: 'mistral-large', prompt: 'x' })
      .catch((e: unknown) => e);
    expect(SwitchyardError.isInstance(error) && [error.kind, error.provider, error.model]).toEqual(['context_length', 'mistral', 'mistral-large']);
    expect(tooLong.requests).toHaveLength(1);
  });
});

describe('aiSdk() options', () => {
  test('models of another specification version, or none, are refused with what to fix', () => {
    const bad = () => aiSdk({ name: 'old', models: { 'house-model': { specificationVersion: 'v3', doStream: () => undefined } as never } });
    expect(bad).toThrow(/the model for 'house-model' is not an AI SDK language model of specification v4 \(it has 'v3'\)/);
    expect(() => aiSdk({ name: 'none', models: {} })).toThrow(/needs `models`/);
  });
});
