import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SwitchyardError } from '../../src/errors/index.js';
import { startMockServer, type MockServer } from '../../src/testing/mock-server/index.js';
import { drain, FAMILIES, textOf, userRequest } from './families.js';

let server: MockServer;
beforeAll(async () => {
  server = await startMockServer();
});
afterAll(() => server.close());

describe.each(FAMILIES)('$family adapter through its official SDK', ({ family, model, make }) => {
  it('streams text deltas, then usage, then one finish', async () => {
    server.setScript({ text: 'The quick brown fox jumps' });
    const { events, error } = await drain(make(server).stream({ model, request: userRequest('Say something') }));
    expect(error).toBeUndefined();
    expect(textOf(events)).toBe('The quick brown fox jumps');
    expect(events.filter((e) => e.type === 'text-delta').length).toBeGreaterThan(1);
    expect(events.slice(-2).map((e) => e.type)).toEqual(['usage', 'finish']);
    expect(events.at(-1)).toEqual({ type: 'finish', reason: 'stop' });
  });

  it('maps usage with cached, cache-write and reasoning tokens exactly', async () => {
    server.setScript({
      text: 'ok',
      usage: { inputTokens: 1200, cachedInputTokens: 1000, cacheWriteTokens: 150, outputTokens: 40, reasoningTokens: 12 },
    });
    const { events } = await drain(make(server).stream({ model, request: userRequest('hi') }));
    const usage = events.find((e) => e.type === 'usage');
    // OpenAI and Gemini have no cache-write figure on the wire; Anthropic reports it (and excludes it from input_tokens).
    const cacheWriteTokens = family === 'anthropic' ? 150 : 0;
    expect(usage).toEqual({
      type: 'usage',
      usage: { inputTokens: 1200, cachedInputTokens: 1000, cacheWriteTokens, outputTokens: 40, reasoningTokens: 12 },
    });
  });

  it('returns a tool call with parsed arguments and finish tool-calls', async () => {
    server.setScript({ toolCalls: [{ id: 'call_1', name: 'get_weather', args: { city: 'Oslo', days: 3 } }] });
    const tools = [
      { name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' }, days: { type: 'integer' } } } },
    ];
    const { events, error } = await drain(make(server).stream({ model, request: userRequest('Weather?', { tools }) }));
    expect(error).toBeUndefined();
    const calls = events.filter((e) => e.type === 'tool-call');
    expect(calls).toMatchObject([{ type: 'tool-call', call: { id: 'call_1', name: 'get_weather', args: { city: 'Oslo', days: 3 } } }]);
    // Gemini signs a step's first function call; the signature rides on the call, owned by this endpoint.
    const state = calls[0]!.type === 'tool-call' ? calls[0]!.call.providerState : undefined;
    if (family === 'google') expect(state?.owner).toMatch(/^google\|/);
    else expect(state).toBeUndefined();
    expect(events.at(-1)).toEqual({ type: 'finish', reason: 'tool-calls' });
  });

  it('returns structured output as JSON text', async () => {
    server.setScript({ text: '{"kind": "bug", "confidence": 0.9}' });
    const output = { name: 'verdict', schema: { type: 'object', properties: { kind: { type: 'string' }, confidence: { type: 'number' } } } };
    const { events, error } = await drain(make(server).stream({ model, request: userRequest('Classify', { output }) }));
    expect(error).toBeUndefined();
    expect(JSON.parse(textOf(events))).toEqual({ kind: 'bug', confidence: 0.9 });
    expect(events.at(-1)).toEqual({ type: 'finish', reason: 'stop' });
  });

  it('returns structured output for a non-object schema as the bare JSON value', async () => {
    // OpenAI and Anthropic need an object root, so the adapter wraps the schema as { value } and unwraps the reply.
    server.setScript((info) => ({ text: info.family === 'google' ? '"bug"' : '{"value": "bug"}' }));
    const output = { name: 'kind', schema: { type: 'string', enum: ['bug', 'other'] } };
    const { events, error } = await drain(make(server).stream({ model, request: userRequest('Classify', { output }) }));
    expect(error).toBeUndefined();
    expect(JSON.parse(textOf(events))).toBe('bug');
  });

  it('makes exactly one HTTP request per stream, even when it fails', async () => {
    for (const status of [429, 500, 503]) {
      server.setScript({ fault: { type: 'http', status } });
      const before = server.requests.length;
      const { error } = await drain(make(server).stream({ model, request: userRequest('x') }));
      expect(SwitchyardError.isInstance(error)).toBe(true);
      expect(server.requests.length - before).toBe(1);
    }
  });
});
