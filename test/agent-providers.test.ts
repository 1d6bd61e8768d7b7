import { afterEach, describe, expect, test } from 'vitest';
import { z } from 'zod';
import { anthropic, createSwitchyard, google, openai, workflow, type Provider } from '../src/index.js';
import { startMockServer, type MockServer } from '../src/testing/index.js';
import { collect, ofType } from './e2e-kit.js';

/**
 * A multi-step tool loop through each official SDK (openai, @anthropic-ai/sdk, @google/genai) against the mock
 * server: the script answers request 0 with two tool calls and request 1 with text; the second request must
 * carry the assistant's tool calls and both tool results in that provider's wire format.
 */
const KEY = 'test-key';
type Body = Record<string, any>;

interface Wire {
  family: string;
  model: string;
  make(server: MockServer): Provider;
  /** The tool results found in the second request's body: [call id or name, content]. */
  toolResults(body: Body): Array<[string, string]>;
  /** The tool calls the assistant turn of the second request carries: [id or name, args]. */
  assistantCalls(body: Body): Array<[string, unknown]>;
}

const WIRES: Wire[] = [
  {
    family: 'openai',
    model: 'gpt-5.4',
    make: (server) => openai({ baseURL: server.openaiBaseURL, apiKey: KEY }),
    toolResults: (body) => body.messages.filter((m: Body) => m.role === 'tool').map((m: Body) => [m.tool_call_id, m.content]),
    assistantCalls: (body) =>
      body.messages
        .find((m: Body) => m.role === 'assistant')
        .tool_calls.map((c: Body) => [c.id, JSON.parse(c.function.arguments)]),
  },
  {
    family: 'anthropic',
    model: 'claude-sonnet-4-6',
    make: (server) => anthropic({ baseURL: server.anthropicBaseURL, apiKey: KEY }),
    toolResults: (body) =>
      body.messages
        .flatMap((m: Body) => (Array.isArray(m.content) ? m.content : []))
        .filter((b: Body) => b.type === 'tool_result')
        .map((b: Body) => [b.tool_use_id, b.content]),
    assistantCalls: (body) =>
      body.messages
        .find((m: Body) => m.role === 'assistant')
        .content.filter((b: Body) => b.type === 'tool_use')
        .map((b: Body) => [b.id, b.input]),
  },
  {
    family: 'google',
    model: 'gemini-3-flash',
    make: (server) => google({ baseURL: server.googleBaseURL, apiKey: KEY }),
    toolResults: (body) =>
      body.contents
        .flatMap((c: Body) => c.parts)
        .filter((p: Body) => p.functionResponse)
        .map((p: Body) => [p.functionResponse.name, p.functionResponse.response.output]),
    assistantCalls: (body) =>
      body.contents
        .find((c: Body) => c.role === 'model')
        .parts.filter((p: Body) => p.functionCall)
        .map((p: Body) => [p.functionCall.name, p.functionCall.args]),
  },
];

let server: MockServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const tools = {
  add: { description: 'Add two numbers', parameters: z.object({ a: z.number(), b: z.number() }), execute: ({ a, b }: { a: number; b: number }) => a + b },
  fail: { description: 'Always fails', parameters: z.object({}), execute: () => { throw new Error('disk on fire'); } },
};

describe.each(WIRES)('agent tool loop over the $family wire format', (wire) => {
  test('tool calls → results in the next request → final text', async () => {
    server = await startMockServer((info) =>
      info.index === 0
        ? { toolCalls: [{ id: 'call_add', name: 'add', args: { a: 2, b: 3 } }, { id: 'call_fail', name: 'fail', args: {} }] }
        : { text: 'The sum is 5; the other tool failed.' },
    );
    const sy = createSwitchyard({ providers: [wire.make(server)] });
    const wf = workflow({ name: 'tools', input: z.object({}) }).agent('agent', { model: wire.model, prompt: 'Add 2 and 3.', tools, maxOutputTokens: 200 });
    const { events, result } = await collect(sy.run(wf, {}));

    expect(result.status).toBe('succeeded');
    expect(result.outputs.agent).toBe('The sum is 5; the other tool failed.');
    expect(server.requests).toHaveLength(2);
    expect(server.requests.every((r) => r.family === wire.family)).toBe(true);
    const second = server.requests[1]!.body as Body;
    // the assistant turn with both calls, then both results (the thrown error as text)
    expect(wire.assistantCalls(second).map(([, args]) => args)).toEqual([{ a: 2, b: 3 }, {}]);
    const results = wire.toolResults(second);
    expect(results.map(([, content]) => content)).toEqual(['5', 'Error: disk on fire']);
    if (wire.family !== 'google') expect(results.map(([id]) => id)).toEqual(['call_add', 'call_fail']);
    // the first request declared the tools
    expect(JSON.stringify(server.requests[0]!.body)).toContain('Add two numbers');
    expect(ofType(events, 'tool-call').map((e) => e.call.name)).toEqual(['add', 'fail']);
    expect(ofType(events, 'tool-result').map((e) => e.ok).sort()).toEqual([false, true]);
    expect(result.nodes.agent.steps).toHaveLength(2);
    expect(result.nodes.agent.costUsd).toBeGreaterThan(0);
  });
});
