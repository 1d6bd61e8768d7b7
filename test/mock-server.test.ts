import { afterEach, describe, expect, it } from 'vitest';
import { startMockServer, type MockServer } from '../src/testing/mock-server/index.js';
import { roughTokens, type ScriptRequestInfo } from '../src/testing/script.js';

let server: MockServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

/** The JSON payloads of an SSE body, with their event names. */
function events(text: string): Array<{ event?: string; data: string }> {
  return text
    .split(/\r?\n\r?\n/)
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1] ?? '';
      return event === undefined ? { data } : { event, data };
    });
}

describe('startMockServer', () => {
  it('binds to 127.0.0.1 and exposes a base URL per SDK', async () => {
    server = await startMockServer();
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.openaiBaseURL).toBe(`${server.url}/v1`);
    expect(server.anthropicBaseURL).toBe(server.url);
    expect(server.googleBaseURL).toBe(server.url);
  });

  it('speaks OpenAI chat completions SSE with a final usage chunk and [DONE]', async () => {
    server = await startMockServer({ text: 'Hi there', usage: { inputTokens: 50, cachedInputTokens: 20 } });
    const res = await post(`${server.openaiBaseURL}/chat/completions`,
      { model: 'gpt-5.5', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'hello' }] },
      { authorization: 'Bearer sk-never-recorded' });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const frames = events(await res.text());
    expect(frames.at(-1)!.data).toBe('[DONE]');
    const chunks = frames.slice(0, -1).map((f) => JSON.parse(f.data));
    expect(chunks.map((c) => c.choices[0]?.delta?.content ?? '').join('')).toBe('Hi there');
    expect(chunks.find((c) => c.choices[0]?.finish_reason)?.choices[0].finish_reason).toBe('stop');
    expect(chunks.at(-1).usage).toMatchObject({ prompt_tokens: 50, completion_tokens: 2, prompt_tokens_details: { cached_tokens: 20 } });
    const recorded = server.requests[0]!;
    expect(recorded).toMatchObject({ method: 'POST', path: '/v1/chat/completions', family: 'openai', model: 'gpt-5.5', apiKeyPresent: true, completed: true });
    expect(JSON.stringify(recorded)).not.toContain('sk-never-recorded');
    expect(recorded.headers['authorization']).toBeUndefined();
  });

  it('speaks Anthropic messages SSE with named events; input_tokens excludes cache reads and writes', async () => {
    server = await startMockServer({ text: 'Hello', usage: { inputTokens: 100, cachedInputTokens: 60, cacheWriteTokens: 30, outputTokens: 9 } });
    const res = await post(`${server.anthropicBaseURL}/v1/messages`,
      { model: 'claude-haiku-4-5', max_tokens: 10, stream: true, messages: [{ role: 'user', content: 'hi' }] }, { 'x-api-key': 'k' });
    const frames = events(await res.text());
    expect(frames.map((f) => f.event)).toEqual(['message_start', 'ping', 'content_block_start', 'content_block_delta',
      'content_block_stop', 'message_delta', 'message_stop']);
    const start = JSON.parse(frames[0]!.data);
    expect(start.message.usage).toMatchObject({ input_tokens: 10, cache_read_input_tokens: 60, cache_creation_input_tokens: 30 });
    expect(JSON.parse(frames[5]!.data)).toMatchObject({ delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 9 } });
  });

  it('speaks Gemini streamGenerateContent SSE with usageMetadata on the last chunk', async () => {
    server = await startMockServer({ text: 'One two three' });
    const body = { contents: [{ role: 'user', parts: [{ text: 'count please' }] }] };
    const res = await post(`${server.googleBaseURL}/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse`, body);
    const chunks = events(await res.text()).map((f) => JSON.parse(f.data));
    expect(chunks.map((c) => c.candidates[0].content.parts[0].text).join('')).toBe('One two three');
    expect(chunks.at(-1).candidates[0].finishReason).toBe('STOP');
    // Derived usage: input from the request text, output = streamed chunks.
    expect(chunks.at(-1).usageMetadata).toMatchObject({ promptTokenCount: roughTokens('count please'), candidatesTokenCount: 3 });
    expect(chunks.slice(0, -1).every((c) => c.usageMetadata === undefined)).toBe(true);
    expect(server.requests[0]).toMatchObject({ family: 'google', model: 'gemini-2.5-flash' });
  });

  it('renders http faults in each provider shape, with retry headers and a request id', async () => {
    server = await startMockServer({ fault: { type: 'http', status: 429, retryAfter: '12', retryAfterMs: 12_000, message: 'slow down' } });
    const openaiRes = await post(`${server.openaiBaseURL}/chat/completions`, { model: 'm', stream: true, messages: [] });
    expect(openaiRes.status).toBe(429);
    expect(openaiRes.headers.get('retry-after')).toBe('12');
    expect(openaiRes.headers.get('retry-after-ms')).toBe('12000');
    expect(openaiRes.headers.get('x-request-id')).toMatch(/^req_mock_/);
    expect(await openaiRes.json()).toMatchObject({ error: { message: 'slow down', type: 'requests' } });
    const anthropicRes = await post(`${server.url}/v1/messages`, { model: 'm', stream: true, messages: [] });
    expect(anthropicRes.headers.get('request-id')).toMatch(/^req_mock_/);
    expect(await anthropicRes.json()).toMatchObject({ type: 'error', error: { type: 'rate_limit_error', message: 'slow down' } });
    const googleRes = await post(`${server.url}/v1beta/models/m:streamGenerateContent?alt=sse`, { contents: [] });
    expect(await googleRes.json()).toMatchObject({ error: { code: 429, status: 'RESOURCE_EXHAUSTED',
      details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '12s' }] } });
  });

  it('answers unknown routes with 404, and a non-streaming request with one JSON body', async () => {
    server = await startMockServer({ text: 'Whole reply' });
    expect((await post(`${server.url}/v2/whatever`, {})).status).toBe(404);
    const res = await post(`${server.openaiBaseURL}/chat/completions`, { model: 'm', messages: [{ role: 'user', content: 'hi' }] });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ object: 'chat.completion', choices: [{ message: { role: 'assistant', content: 'Whole reply' }, finish_reason: 'stop' }] });
  });

  it('consumes a list script in order, then falls back to a default reply; setScript swaps it', async () => {
    const seen: ScriptRequestInfo[] = [];
    server = await startMockServer([{ text: 'first' }, { text: 'second' }]);
    const ask = async () => {
      const res = await post(`${server!.openaiBaseURL}/chat/completions`, { model: 'm', stream: true, messages: [{ role: 'user', content: 'ping' }] });
      return events(await res.text()).slice(0, -1).map((f) => JSON.parse(f.data).choices[0]?.delta?.content ?? '').join('');
    };
    expect(await ask()).toBe('first');
    expect(await ask()).toBe('second');
    expect(await ask()).toBe('Simulated reply from m to: ping.');
    server.setScript((info) => {
      seen.push(info);
      return { text: `#${info.index} ${info.family}` };
    });
    expect(await ask()).toBe('#3 openai');
    expect(seen[0]).toMatchObject({ family: 'openai', model: 'm', text: 'ping' });
  });

  it('close() ends connections left hanging', async () => {
    server = await startMockServer({ text: 'a b', fault: { type: 'hang', afterTokens: 1 } });
    const res = await post(`${server.openaiBaseURL}/chat/completions`, { model: 'm', stream: true, messages: [] });
    const reader = res.body!.getReader();
    await reader.read();
    const reading = reader.read().catch((error: unknown) => error);
    await server.close();
    server = undefined;
    const outcome = await reading;
    expect(outcome instanceof Error || (outcome as { done?: boolean }).done === true).toBe(true);
  });
});
