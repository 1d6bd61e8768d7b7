import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { anthropic, createSwitchyard, google, openai, workflow, type Provider, type RunEvent } from '../src/index.js';
import { simulated, startMockServer, type MockServer } from '../src/testing/index.js';
import { collect } from './e2e-kit.js';

/**
 * docs/testing.md promises that a test moves between `simulated()` and the mock server unchanged: unscripted,
 * both give the same replies — text, schema-shaped structured output, reasoning — whichever wire carries them.
 */
let server: MockServer;
beforeAll(async () => {
  server = await startMockServer();
});
afterAll(() => server.close());

const KEY = 'test-key';

const wf = (model: string) =>
  workflow({ name: 'equivalence', input: z.object({ ticket: z.string() }) })
    .llm('classify', {
      model,
      prompt: ({ input }) => input.ticket,
      output: z.object({ kind: z.enum(['bug', 'question']), tags: z.array(z.string()), urgent: z.boolean() }),
    })
    .llm('label', { model, after: ['classify'], prompt: ({ classify }) => `Label ${classify.kind}`, output: z.enum(['p1', 'p2']) })
    .llm('reply', { model, after: ['classify'], prompt: ({ classify }) => `Answer the ${classify.kind} report kindly`, reasoning: { effort: 'high' } });

const reasoningOf = (events: RunEvent[], node: string) =>
  events.filter((e) => e.type === 'reasoning-delta' && e.nodeId === node).map((e) => (e as { text: string }).text).join('');

async function run(provider: Provider, model: string) {
  const sy = createSwitchyard({ providers: [provider] });
  const { events, result } = await collect(sy.run(wf(model), { ticket: 'The app crashes on save' }));
  expect(result.status).toBe('succeeded');
  return { outputs: result.outputs, reasoning: reasoningOf(events, 'reply') };
}

const WIRES: Array<{ wire: string; model: string; make: () => Provider }> = [
  { wire: 'OpenAI Responses', model: 'gpt-5.5', make: () => openai({ baseURL: server.openaiBaseURL, apiKey: KEY, api: 'responses' }) },
  { wire: 'OpenAI Chat Completions', model: 'gpt-5.4', make: () => openai({ baseURL: server.openaiBaseURL, apiKey: KEY }) },
  { wire: 'Anthropic Messages', model: 'claude-sonnet-4-6', make: () => anthropic({ baseURL: server.anthropicBaseURL, apiKey: KEY }) },
  { wire: 'Gemini', model: 'gemini-3-flash', make: () => google({ baseURL: server.googleBaseURL, apiKey: KEY }) },
];

describe.each(WIRES)('unscripted, the mock server over $wire answers as simulated() does', ({ model, make }) => {
  it('the same outputs and the same reasoning', async () => {
    const offline = await run(simulated(), model);
    const wired = await run(make(), model);
    expect(wired).toEqual(offline);
    expect(offline.outputs).toEqual({
      classify: { kind: 'bug', tags: ['example'], urgent: true },
      label: 'p1',
      reply: `Simulated reply from ${model} to: Answer the bug report kindly.`,
    });
    expect(offline.reasoning).toBe(`Simulated reasoning of ${model} about: Answer the bug report kindly.`);
  });
});
