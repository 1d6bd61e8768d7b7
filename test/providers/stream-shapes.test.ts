import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SwitchyardError } from '../../src/errors/index.js';
import { createSwitchyard } from '../../src/index.js';
import type { ModelEvent } from '../../src/models/types.js';
import { anthropic, google, openai } from '../../src/providers/index.js';
import type { Provider } from '../../src/providers/types.js';
import { drain, modelInfo, SECRET_KEY, textOf, userRequest } from './families.js';
import { fixture, startReplayServer, type ReplayServer } from './replay-server.js';

/**
 * Each adapter, through its official SDK, reading recorded-shape streams (test/fixtures/streams): the shapes real
 * providers and OpenAI-compatible hubs send, including the ones that used to be read wrong.
 */
let server: ReplayServer;
beforeAll(async () => {
  server = await startReplayServer();
});
afterAll(() => server.close());

const chat = () => openai({ baseURL: `${server.url}/v1`, apiKey: SECRET_KEY, api: 'chat' });
const responses = () => openai({ baseURL: `${server.url}/v1`, apiKey: SECRET_KEY, api: 'responses' });
const claude = () => anthropic({ baseURL: server.url, apiKey: SECRET_KEY });
const gemini = () => google({ baseURL: server.url, apiKey: SECRET_KEY });

async function replay(provider: Provider, name: string, model = modelInfo('gpt-5.5', provider.family === 'simulated' ? 'openai' : provider.family), request = userRequest('hi')) {
  server.replay(fixture(name));
  return drain(provider.stream({ model, request }));
}

const usageOf = (events: ModelEvent[]) => events.find((e) => e.type === 'usage')?.usage;
const reasoningOf = (events: ModelEvent[]) => events.map((e) => (e.type === 'reasoning-delta' ? e.text : '')).join('');
const callsOf = (events: ModelEvent[]) => events.flatMap((e) => (e.type === 'tool-call' ? [e.call] : []));

describe('Chat Completions stream shapes', () => {
  it('a hub translating Claude: cache reads and writes reported beside a prompt count without them', async () => {
    const { events, error } = await replay(chat(), 'chat-hub-claude-cache.sse');
    expect(error).toBeUndefined();
    expect(textOf(events)).toBe('Cached answer');
    expect(usageOf(events)).toEqual({ inputTokens: 4012, cachedInputTokens: 3000, cacheWriteTokens: 1000, outputTokens: 40, reasoningTokens: undefined });
  });

  it("xAI's convention: completion_tokens excludes reasoning, so output is completion + reasoning", async () => {
    const { events, error } = await replay(chat(), 'chat-xai-reasoning.sse');
    expect(error).toBeUndefined();
    expect(textOf(events)).toBe('3');
    expect(reasoningOf(events)).toBe('Counting the letters one by one.');
    expect(usageOf(events)).toMatchObject({ inputTokens: 20, outputTokens: 292, reasoningTokens: 291 });
  });

  it('figures left out of the usage chunk pass through as missing, and settlement estimates them', async () => {
    const { events } = await replay(chat(), 'chat-partial-usage.sse');
    expect(usageOf(events)).toEqual({ inputTokens: 12, cachedInputTokens: undefined, cacheWriteTokens: 0, outputTokens: undefined, reasoningTokens: undefined });
    server.replay(fixture('chat-partial-usage.sse'));
    const sy = createSwitchyard({ providers: [chat()] });
    const answer = await sy.generate({ model: 'gpt-5.4', prompt: 'hi' });
    expect(answer.usage).toEqual({ inputTokens: 12, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 4, reasoningTokens: 0, estimated: true });
    expect(answer.costUsd).toBeCloseTo((12 * 2.5 + 4 * 15) / 1e6, 12);
  });

  it('content after the finish reason is not part of the reply', async () => {
    const { events, error } = await replay(chat(), 'chat-content-after-finish.sse');
    expect(error).toBeUndefined();
    expect(textOf(events)).toBe('done');
    expect(usageOf(events)).toMatchObject({ inputTokens: 5, outputTokens: 1 });
  });
});

describe('Responses stream shapes', () => {
  it('text, with cached input tokens', async () => {
    const { events, error } = await replay(responses(), 'responses-text.sse');
    expect(error).toBeUndefined();
    expect(textOf(events)).toBe('Hello from Responses');
    expect(usageOf(events)).toEqual({ inputTokens: 1200, cachedInputTokens: 1000, cacheWriteTokens: 0, outputTokens: 30, reasoningTokens: 0 });
    expect(events.at(-1)).toEqual({ type: 'finish', reason: 'stop' });
  });

  it('function calls whose arguments stream in deltas', async () => {
    const { events, error } = await replay(responses(), 'responses-tools.sse');
    expect(error).toBeUndefined();
    expect(callsOf(events).map(({ id, name, args }) => ({ id, name, args }))).toEqual([
      { id: 'call_a', name: 'get_weather', args: { city: 'Oslo' } },
      { id: 'call_b', name: 'get_time', args: { zone: 'CET' } },
    ]);
    expect(events.at(-1)).toEqual({ type: 'finish', reason: 'tool-calls' });
  });

  it('reasoning: summaries stream as reasoning, the item (encrypted) leaves as provider state, reasoning tokens counted', async () => {
    const { events, error } = await replay(responses(), 'responses-reasoning.sse');
    expect(error).toBeUndefined();
    expect(textOf(events)).toBe('');
    expect(reasoningOf(events)).toBe('**Plan** Check the units.\n\nThen convert.');
    const state = events.find((e) => e.type === 'provider-state');
    expect(state?.type === 'provider-state' && state.state.data).toEqual({
      reasoning: [{ id: 'rs_1', type: 'reasoning', encrypted_content: 'gAAAAABencrypted-reasoning-1', summary: [
        { type: 'summary_text', text: '**Plan** Check the units.' }, { type: 'summary_text', text: 'Then convert.' }] }],
    });
    expect(callsOf(events)[0]).toMatchObject({ id: 'call_9', name: 'convert', args: { km: 5 }, providerState: { data: { itemId: 'fc_9' } } });
    expect(usageOf(events)).toMatchObject({ outputTokens: 350, reasoningTokens: 320 });
  });

  it('a function call sent only in the final response (as some compatible servers do) is read once', async () => {
    const { events, error } = await replay(responses(), 'responses-output-only.sse');
    expect(error).toBeUndefined();
    expect(callsOf(events).map(({ id, name, args }) => ({ id, name, args }))).toEqual([{ id: 'call_7', name: 'lookup', args: { q: 'oslo' } }]);
    expect(events.at(-1)).toEqual({ type: 'finish', reason: 'tool-calls' });
  });

  it('a final response whose second function call has broken arguments: the first call still streams, then the attempt fails', async () => {
    const { events, error } = await replay(responses(), 'responses-output-bad-second-call.sse');
    expect(callsOf(events).map(({ id, args }) => ({ id, args }))).toEqual([{ id: 'call_8', args: { q: 'oslo' } }]);
    expect(error).toBeInstanceOf(SwitchyardError);
    expect((error as SwitchyardError).message).toContain("arguments for tool 'lookup'");
    expect(events.some((e) => e.type === 'finish')).toBe(false);
  });

  it('structured output', async () => {
    const output = { name: 'verdict', schema: { type: 'object', properties: { kind: { type: 'string' }, confidence: { type: 'number' } } } };
    const { events, error } = await replay(responses(), 'responses-structured.sse', undefined, userRequest('Classify', { output }));
    expect(error).toBeUndefined();
    expect(JSON.parse(textOf(events))).toEqual({ kind: 'bug', confidence: 0.9 });
  });

  it('incomplete (max_output_tokens) finishes with length', async () => {
    const { events, error } = await replay(responses(), 'responses-incomplete.sse');
    expect(error).toBeUndefined();
    expect(textOf(events)).toBe('Cut short');
    expect(events.at(-1)).toEqual({ type: 'finish', reason: 'length' });
  });

  it('response.failed and error events fail with the kind their code names', async () => {
    const failed = await replay(responses(), 'responses-failed.sse');
    expect(failed.error).toMatchObject({ kind: 'rate_limit', retryable: true });
    const errored = await replay(responses(), 'responses-error-event.sse');
    expect(errored.error).toMatchObject({ kind: 'context_length', retryable: false });
    expect(String((errored.error as Error).message)).toContain('context window');
  });

  it('a stream cut before response.completed is a failure, never a success', async () => {
    const { events, error } = await replay(responses(), 'responses-cut.sse');
    expect(textOf(events)).toBe('Partial answer');
    expect(SwitchyardError.isInstance(error) && error.kind).toBe('network');
    expect(events.some((e) => e.type === 'finish')).toBe(false);
  });

  it('nothing after response.completed is read', async () => {
    const { events, error } = await replay(responses(), 'responses-after-completed.sse');
    expect(error).toBeUndefined();
    expect(textOf(events)).toBe('done');
  });
});

describe('Anthropic Messages stream shapes', () => {
  const sonnet = modelInfo('claude-sonnet-4-6', 'anthropic');

  it('thinking streams as reasoning; its block (with signature) leaves as provider state', async () => {
    const { events, error } = await replay(claude(), 'anthropic-thinking.sse', sonnet);
    expect(error).toBeUndefined();
    expect(textOf(events)).toBe('Five kilometres.');
    expect(reasoningOf(events)).toBe('Let me think about units.');
    const state = events.find((e) => e.type === 'provider-state');
    expect(state?.type === 'provider-state' && state.state.data).toEqual({
      blocks: [{ type: 'thinking', thinking: 'Let me think about units.', signature: 'EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxsig-1' }],
    });
    expect(usageOf(events)).toMatchObject({ outputTokens: 120, reasoningTokens: 80 });
  });

  it('tool input that arrives whole in content_block_start (no deltas)', async () => {
    const { events, error } = await replay(claude(), 'anthropic-tool-input-in-start.sse', sonnet);
    expect(error).toBeUndefined();
    expect(callsOf(events)).toEqual([{ id: 'toolu_01', name: 'get_weather', args: { city: 'Oslo', days: 3 } }]);
    expect(events.at(-1)).toEqual({ type: 'finish', reason: 'tool-calls' });
  });

  it('cache usage: input is input_tokens + cache reads + cache writes', async () => {
    const { events } = await replay(claude(), 'anthropic-cache-usage.sse', sonnet);
    expect(usageOf(events)).toEqual({ inputTokens: 2305, cachedInputTokens: 2000, cacheWriteTokens: 300, outputTokens: 25, reasoningTokens: undefined });
  });

  it('content and stop_reason that arrive in message_start', async () => {
    const { events, error } = await replay(claude(), 'anthropic-message-start-complete.sse', sonnet);
    expect(error).toBeUndefined();
    expect(textOf(events)).toBe('Already complete');
    expect(callsOf(events)).toEqual([{ id: 'toolu_02', name: 'lookup', args: { q: 'x' } }]);
    expect(events.at(-1)).toEqual({ type: 'finish', reason: 'tool-calls' });
  });

  it('usage.iterations: server-side sub-calls are added to the totals', async () => {
    const { events } = await replay(claude(), 'anthropic-iterations.sse', sonnet);
    // 20,000 + 500 for the reply, + 180,000 / 3,000 compaction, + 50,000 / 1,500 advisor
    expect(usageOf(events)).toMatchObject({ inputTokens: 250_000, outputTokens: 5_000 });
  });

  it('a second message_start spliced into the stream fails the attempt', async () => {
    const { events, error } = await replay(claude(), 'anthropic-second-message-start.sse', sonnet);
    expect(error).toMatchObject({ kind: 'server', retryable: true });
    expect(textOf(events)).toBe('first');
  });

  it("nothing after message_stop joins the reply", async () => {
    const { events, error } = await replay(claude(), 'anthropic-after-stop.sse', sonnet);
    expect(error).toBeUndefined();
    expect(textOf(events)).toBe('done');
  });
});

describe('Gemini stream shapes', () => {
  const pro = modelInfo('gemini-3.1-pro', 'google');

  it('thought parts stream as reasoning, thinking tokens count as output, the text signature leaves as state', async () => {
    const { events, error } = await replay(gemini(), 'gemini-thoughts.sse', pro);
    expect(error).toBeUndefined();
    expect(textOf(events)).toBe('Option B.');
    expect(reasoningOf(events)).toBe('**Weighing options** I compare both.');
    expect(usageOf(events)).toMatchObject({ inputTokens: 40, outputTokens: 153, reasoningTokens: 150 });
    const state = events.find((e) => e.type === 'provider-state');
    expect(state?.type === 'provider-state' && state.state.data).toEqual({ signature: 'CiQBcsjafTextSig' });
  });

  it('the signature of a signed function call rides on that call', async () => {
    const { events, error } = await replay(gemini(), 'gemini-signed-call.sse', pro);
    expect(error).toBeUndefined();
    const [first, second] = callsOf(events);
    expect(first).toMatchObject({ name: 'search', args: { q: 'oslo' }, providerState: { data: { signature: 'CiQBcsjafCallSig1' } } });
    expect(second).toMatchObject({ name: 'search', args: { q: 'bergen' } });
    expect(second?.providerState).toBeUndefined();
  });

  it("nothing after the final STOP chunk joins the reply", async () => {
    const { events, error } = await replay(gemini(), 'gemini-after-stop.sse', pro);
    expect(error).toBeUndefined();
    expect(textOf(events)).toBe('done');
  });
});
