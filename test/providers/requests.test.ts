import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelRequest } from '../../src/models/types.js';
import { anthropic, google, openai } from '../../src/providers/index.js';
import { startMockServer, type MockServer } from '../../src/testing/mock-server/index.js';
import { drain, modelInfo, SECRET_KEY } from './families.js';

let server: MockServer;
beforeAll(async () => {
  server = await startMockServer({ text: 'ok' });
});
afterAll(() => server.close());

/** A conversation with a system prompt, an assistant tool call and its result. */
const conversation: ModelRequest = {
  system: 'Be brief.',
  messages: [
    { role: 'user', content: 'Weather in Oslo?' },
    { role: 'assistant', content: '', toolCalls: [{ id: 'call_9', name: 'get_weather', args: { city: 'Oslo' } }] },
    { role: 'tool', toolCallId: 'call_9', toolName: 'get_weather', content: '{"temp": 3}' },
  ],
  tools: [{ name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } }],
  maxOutputTokens: 500,
  temperature: 0.2,
};

async function lastBody(stream: AsyncIterable<unknown>): Promise<Record<string, any>> {
  const { error } = await drain(stream as never);
  expect(error).toBeUndefined();
  return server.requests.at(-1)!.body as Record<string, any>;
}

describe('request translation on the wire', () => {
  it('openai: system message, tool calls and results, max_completion_tokens, usage requested', async () => {
    const body = await lastBody(openai({ baseURL: server.openaiBaseURL, apiKey: SECRET_KEY }).stream({ model: modelInfo('gpt-5.5', 'openai'), request: conversation }));
    expect(body.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Weather in Oslo?' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_9', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } }] },
      { role: 'tool', tool_call_id: 'call_9', content: '{"temp": 3}' },
    ]);
    expect(body).toMatchObject({ model: 'gpt-5.5', stream: true, stream_options: { include_usage: true }, max_completion_tokens: 500, temperature: 0.2 });
    expect(body.tools[0]).toEqual({ type: 'function', function: { name: 'get_weather', description: 'Weather', parameters: conversation.tools![0]!.parameters } });
  });

  it('openai: maxTokensField max_tokens, response_format json_schema, headers', async () => {
    const provider = openai({ baseURL: server.openaiBaseURL, apiKey: SECRET_KEY, maxTokensField: 'max_tokens', headers: { 'x-hub-app': 'switchyard-test' } });
    const output = { name: 'my verdict', schema: { type: 'object', properties: { ok: { type: 'boolean' } } } };
    const body = await lastBody(provider.stream({ model: modelInfo('gpt-5.5', 'openai'), request: { messages: [{ role: 'user', content: 'x' }], output, maxOutputTokens: 64 } }));
    expect(body.max_tokens).toBe(64);
    expect(body.max_completion_tokens).toBeUndefined();
    expect(body.response_format).toEqual({ type: 'json_schema', json_schema: { name: 'my_verdict', schema: output.schema, strict: false } });
    expect(server.requests.at(-1)!.headers['x-hub-app']).toBe('switchyard-test');
  });

  it('openai: a transit hub maps catalog ids to its own ids and serves only those', async () => {
    const hub = openai({ name: 'hub', baseURL: server.openaiBaseURL, apiKey: SECRET_KEY, models: { 'gpt-5.5': 'openai/gpt-5.5' } });
    expect(hub.name).toBe('hub');
    expect(hub.serves(modelInfo('gpt-5.5', 'openai'))).toBe(true);
    expect(hub.serves(modelInfo('gpt-5.4', 'openai'))).toBe(false);
    const body = await lastBody(hub.stream({ model: modelInfo('gpt-5.5', 'openai'), request: { messages: [{ role: 'user', content: 'x' }] } }));
    expect(body.model).toBe('openai/gpt-5.5');
  });

  it('by default each adapter serves its own family; a list of ids narrows it', () => {
    const claude = modelInfo('claude-haiku-4-5', 'anthropic');
    expect(openai({ apiKey: 'k' }).serves(claude)).toBe(false);
    expect(anthropic({ apiKey: 'k' }).serves(claude)).toBe(true);
    expect(google({ apiKey: 'k' }).serves(claude)).toBe(false);
    expect(anthropic({ apiKey: 'k', models: ['claude-opus-4-7'] }).serves(claude)).toBe(false);
  });

  it('anthropic: system, tool_use / tool_result turns, max_tokens default from the model, forced output tool', async () => {
    const provider = anthropic({ baseURL: server.anthropicBaseURL, apiKey: SECRET_KEY });
    const model = modelInfo('claude-sonnet-4-6', 'anthropic');
    const body = await lastBody(provider.stream({ model, request: { ...conversation, maxOutputTokens: undefined } }));
    expect(body.system).toBe('Be brief.');
    expect(body.max_tokens).toBe(model.maxOutputTokens);
    expect(body.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Weather in Oslo?' }] },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'call_9', name: 'get_weather', input: { city: 'Oslo' } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'call_9', content: '{"temp": 3}' }] },
    ]);
    expect(body.tools[0]).toEqual({ name: 'get_weather', description: 'Weather', input_schema: conversation.tools![0]!.parameters });
    const output = { name: 'verdict', schema: { type: 'object', properties: { ok: { type: 'boolean' } } } };
    server.setScript({ text: '{"ok": true}' });
    const forced = await lastBody(provider.stream({ model, request: { messages: [{ role: 'user', content: 'x' }], output } }));
    expect(forced.tool_choice).toEqual({ type: 'tool', name: 'verdict' });
    expect(forced.tools).toEqual([expect.objectContaining({ name: 'verdict', input_schema: output.schema })]);
    server.setScript({ text: 'ok' });
  });

  it('google: systemInstruction, functionDeclarations with parametersJsonSchema, function call / response turns', async () => {
    const provider = google({ baseURL: server.googleBaseURL, apiKey: SECRET_KEY });
    const body = await lastBody(provider.stream({ model: modelInfo('gemini-2.5-pro', 'google'), request: conversation }));
    expect(server.requests.at(-1)!.path).toBe('/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse');
    expect(body.systemInstruction).toEqual({ parts: [{ text: 'Be brief.' }], role: 'user' });
    expect(body.contents).toEqual([
      { role: 'user', parts: [{ text: 'Weather in Oslo?' }] },
      { role: 'model', parts: [{ functionCall: { id: 'call_9', name: 'get_weather', args: { city: 'Oslo' } } }] },
      { role: 'user', parts: [{ functionResponse: { id: 'call_9', name: 'get_weather', response: { output: '{"temp": 3}' } } }] },
    ]);
    expect(body.tools).toEqual([{ functionDeclarations: [{ name: 'get_weather', description: 'Weather', parametersJsonSchema: conversation.tools![0]!.parameters }] }]);
    expect(body.generationConfig).toMatchObject({ maxOutputTokens: 500, temperature: 0.2 });
  });

  it('google: structured output as responseMimeType + responseJsonSchema', async () => {
    const provider = google({ baseURL: server.googleBaseURL, apiKey: SECRET_KEY });
    const output = { name: 'verdict', schema: { type: 'object', properties: { ok: { type: 'boolean' } } } };
    const body = await lastBody(provider.stream({ model: modelInfo('gemini-2.5-pro', 'google'), request: { messages: [{ role: 'user', content: 'x' }], output } }));
    expect(body.generationConfig).toMatchObject({ responseMimeType: 'application/json', responseJsonSchema: output.schema });
  });
});
