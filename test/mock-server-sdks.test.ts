import Anthropic from '@anthropic-ai/sdk';
import { createOpenAI } from '@ai-sdk/openai';
import { GoogleGenAI } from '@google/genai';
import { ChatOpenAI } from '@langchain/openai';
import { generateObject, generateText, jsonSchema, stepCountIs, streamText, tool } from 'ai';
import OpenAI from 'openai';
import { zodResponseFormat, zodTextFormat } from 'openai/helpers/zod';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startMockServer, type MockServer } from '../src/testing/index.js';

/**
 * The mock server as users test against it: the official SDKs (openai 7 on both APIs, @anthropic-ai/sdk,
 * @google/genai), the Vercel AI SDK's default OpenAI provider (Responses) and LangChain's ChatOpenAI, streaming
 * and not, with reasoning, tools, structured output and the signatures the real APIs insist on.
 */
let server: MockServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const KEY = 'test-key';
const verdict = z.object({ kind: z.enum(['bug', 'question']), confidence: z.number() });

describe('openai 7, Chat Completions', () => {
  it('streams and answers whole; parse() gets a schema-shaped object when unscripted', async () => {
    server = await startMockServer([{ text: 'Streamed reply' }, { text: 'Whole reply' }]);
    const client = new OpenAI({ baseURL: server.openaiBaseURL, apiKey: KEY, maxRetries: 0 });
    const stream = await client.chat.completions.create({ model: 'gpt-5.4', stream: true, messages: [{ role: 'user', content: 'hi' }] });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    expect(text).toBe('Streamed reply');
    const whole = await client.chat.completions.create({ model: 'gpt-5.4', messages: [{ role: 'user', content: 'hi' }] });
    expect(whole.choices[0]?.message.content).toBe('Whole reply');
    const parsed = await client.chat.completions.parse({
      model: 'gpt-5.4',
      messages: [{ role: 'user', content: 'Classify this' }],
      response_format: zodResponseFormat(verdict, 'verdict'),
    });
    expect(parsed.choices[0]?.message.parsed).toEqual({ kind: 'bug', confidence: 0 });
  });
});

describe('openai 7, Responses', () => {
  it('streams text and reasoning summaries, answers whole, and parse() returns a schema-shaped object', async () => {
    server = await startMockServer();
    const client = new OpenAI({ baseURL: server.openaiBaseURL, apiKey: KEY, maxRetries: 0 });
    const stream = await client.responses.create({
      model: 'gpt-5.5', input: 'Why is the sky blue', stream: true, reasoning: { effort: 'high', summary: 'auto' },
    });
    let text = '';
    let reasoning = '';
    for await (const event of stream) {
      if (event.type === 'response.output_text.delta') text += event.delta;
      if (event.type === 'response.reasoning_summary_text.delta') reasoning += event.delta;
    }
    expect(text).toBe('Simulated reply from gpt-5.5 to: Why is the sky blue.');
    expect(reasoning).toBe('Simulated reasoning of gpt-5.5 about: Why is the sky blue.');
    const whole = await client.responses.create({ model: 'gpt-5.5-pro', input: 'Decide' });
    expect(whole.output_text).toBe('Simulated reply from gpt-5.5-pro to: Decide.');
    expect(whole.usage?.output_tokens).toBeGreaterThan(0);
    const parsed = await client.responses.parse({ model: 'gpt-5.5', input: 'Classify', text: { format: zodTextFormat(verdict, 'verdict') } });
    expect(parsed.output_parsed).toEqual({ kind: 'bug', confidence: 0 });
  });

  it('stateless reasoning: encrypted content goes out with store: false and must come back intact', async () => {
    server = await startMockServer([{ toolCalls: [{ id: 'call_1', name: 'lookup', args: { q: 'x' } }] }, { text: 'Done' }]);
    const client = new OpenAI({ baseURL: server.openaiBaseURL, apiKey: KEY, maxRetries: 0 });
    const first = await client.responses.create({
      model: 'gpt-5.5', input: 'Look it up', store: false, include: ['reasoning.encrypted_content'], reasoning: { effort: 'medium' },
      tools: [{ type: 'function', name: 'lookup', parameters: { type: 'object', properties: { q: { type: 'string' } } }, strict: false }],
    });
    const reasoning = first.output.find((item) => item.type === 'reasoning');
    const call = first.output.find((item) => item.type === 'function_call');
    expect(reasoning?.type === 'reasoning' && typeof reasoning.encrypted_content).toBe('string');
    const next = (items: OpenAI.Responses.ResponseInputItem[]) =>
      client.responses.create({ model: 'gpt-5.5', store: false, input: ['Look it up', ...items].map((i) => (typeof i === 'string' ? { role: 'user' as const, content: i } : i)) });
    const output = { type: 'function_call_output' as const, call_id: 'call_1', output: '42' };
    await expect(next([{ ...(reasoning as OpenAI.Responses.ResponseReasoningItem), encrypted_content: 'forged' }, call!, output])).rejects.toMatchObject({ status: 400 });
    await expect(next([call!, output])).rejects.toThrow(/without its required 'reasoning' item/);
    expect((await next([reasoning!, call!, output])).output_text).toBe('Done');
  });
});

describe('@anthropic-ai/sdk', () => {
  it('answers whole and streams thinking with a signature the next turn must send back unchanged', async () => {
    server = await startMockServer([{ text: 'Whole' }, { reasoning: 'Weighing it.', toolCalls: [{ id: 'toolu_1', name: 'lookup', args: {} }] }, { text: 'Final' }]);
    const client = new Anthropic({ baseURL: server.anthropicBaseURL, apiKey: KEY, maxRetries: 0 });
    const whole = await client.messages.create({ model: 'claude-haiku-4-5', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] });
    expect(whole.content).toEqual([{ type: 'text', text: 'Whole' }]);
    const thinking = { type: 'enabled' as const, budget_tokens: 2048 };
    const tools = [{ name: 'lookup', input_schema: { type: 'object' as const, properties: {} } }];
    const message = await client.messages.stream({ model: 'claude-sonnet-4-6', max_tokens: 4096, thinking, tools, messages: [{ role: 'user', content: 'Look' }] }).finalMessage();
    const block = message.content[0];
    expect(block).toMatchObject({ type: 'thinking', thinking: 'Weighing it.' });
    const use = message.content.find((b) => b.type === 'tool_use')!;
    const result = { role: 'user' as const, content: [{ type: 'tool_result' as const, tool_use_id: use.id, content: 'ok' }] };
    const again = (content: Anthropic.Messages.ContentBlockParam[]) =>
      client.messages.create({ model: 'claude-sonnet-4-6', max_tokens: 4096, thinking, tools, messages: [{ role: 'user', content: 'Look' }, { role: 'assistant', content }, result] });
    await expect(again([use])).rejects.toThrow(/must start with a thinking block/);
    await expect(again([{ ...(block as Anthropic.Messages.ThinkingBlock), signature: 'forged' }, use])).rejects.toThrow(/Invalid `signature`/);
    const final = await again(message.content as Anthropic.Messages.ContentBlockParam[]);
    expect(final.content.find((b) => b.type === 'text')).toMatchObject({ text: 'Final' });
  });
});

describe('@google/genai', () => {
  it('generateContent answers whole; Gemini 3 refuses a function call sent back without its thought signature', async () => {
    server = await startMockServer([{ toolCalls: [{ name: 'search', args: { q: 'oslo' } }] }]);
    const ai = new GoogleGenAI({ apiKey: KEY, httpOptions: { baseUrl: server.googleBaseURL, apiVersion: 'v1beta' } });
    const first = await ai.models.generateContent({ model: 'gemini-3.1-pro-preview', contents: 'Find Oslo' });
    const part = first.candidates![0]!.content!.parts![0]!;
    expect(part.functionCall).toMatchObject({ name: 'search', args: { q: 'oslo' } });
    expect(typeof part.thoughtSignature).toBe('string');
    const turn = (callPart: object) => ai.models.generateContent({
      model: 'gemini-3.1-pro-preview',
      contents: [
        { role: 'user', parts: [{ text: 'Find Oslo' }] },
        { role: 'model', parts: [callPart] },
        { role: 'user', parts: [{ functionResponse: { name: 'search', response: { output: 'found' } } }] },
      ],
    });
    await expect(turn({ functionCall: part.functionCall })).rejects.toThrow(/missing a thought_signature/);
    const answer = await turn(part);
    expect(answer.text).toBe('Simulated reply from gemini-3.1-pro to: Find Oslo.');
  });

  it('streams thought summaries when asked to include thoughts', async () => {
    server = await startMockServer({ reasoning: 'Thinking it over.', text: 'Answer' });
    const ai = new GoogleGenAI({ apiKey: KEY, httpOptions: { baseUrl: server.googleBaseURL, apiVersion: 'v1beta' } });
    let thoughts = '';
    let text = '';
    const stream = await ai.models.generateContentStream({
      model: 'gemini-3-flash-preview', contents: 'hi', config: { thinkingConfig: { includeThoughts: true } },
    });
    for await (const chunk of stream) {
      for (const p of chunk.candidates?.[0]?.content?.parts ?? []) {
        if (p.thought) thoughts += p.text ?? '';
        else text += p.text ?? '';
      }
    }
    expect(thoughts).toBe('Thinking it over.');
    expect(text).toBe('Answer');
  });
});

describe("the Vercel AI SDK's default OpenAI provider (Responses)", () => {
  it('generateText, streamText with reasoning, generateObject, and a tool loop', async () => {
    server = await startMockServer();
    const provider = createOpenAI({ baseURL: server.openaiBaseURL, apiKey: KEY });
    const text = await generateText({ model: provider('gpt-5.5'), prompt: 'Say hello', maxRetries: 0 });
    expect(text.text).toBe('Simulated reply from gpt-5.5 to: Say hello.');
    expect(server.requests.at(-1)).toMatchObject({ api: 'responses', path: '/v1/responses' });
    const streamed = streamText({
      model: provider('gpt-5.5'), prompt: 'Think first', maxRetries: 0,
      providerOptions: { openai: { reasoningEffort: 'high', reasoningSummary: 'auto' } },
    });
    let chunks = '';
    for await (const part of streamed.textStream) chunks += part;
    expect(chunks).toBe('Simulated reply from gpt-5.5 to: Think first.');
    expect(await streamed.reasoningText).toBe('Simulated reasoning of gpt-5.5 about: Think first.');
    const object = await generateObject({ model: provider('gpt-5.4'), schema: verdict, prompt: 'Classify', maxRetries: 0 });
    expect(object.object).toEqual({ kind: 'bug', confidence: 0 });

    server.setScript((info) => (info.index === 3 ? { toolCalls: [{ name: 'add', args: { a: 2, b: 3 } }] } : { text: 'The sum is 5.' }));
    const looped = await generateText({
      model: provider('gpt-5.5'), prompt: 'Add 2 and 3', maxRetries: 0, stopWhen: stepCountIs(3),
      tools: { add: tool({ inputSchema: jsonSchema<{ a: number; b: number }>({ type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'] }), execute: async ({ a, b }) => a + b }) },
    });
    expect(looped.text).toBe('The sum is 5.');
    expect(JSON.stringify(server.requests.at(-1)!.body)).toContain('function_call_output');
  });
});

describe("LangChain's ChatOpenAI", () => {
  it('invoke, stream and withStructuredOutput', async () => {
    server = await startMockServer();
    const model = new ChatOpenAI({ model: 'gpt-5.4', apiKey: KEY, maxRetries: 0, configuration: { baseURL: server.openaiBaseURL } });
    const reply = await model.invoke('Hello there');
    expect(reply.content).toBe('Simulated reply from gpt-5.4 to: Hello there.');
    let streamed = '';
    for await (const chunk of await model.stream('Stream this')) streamed += String(chunk.content);
    expect(streamed).toBe('Simulated reply from gpt-5.4 to: Stream this.');
    const structured = await model.withStructuredOutput(verdict, { name: 'verdict' }).invoke('Classify');
    expect(structured).toEqual({ kind: 'bug', confidence: 0 });
  });
});
