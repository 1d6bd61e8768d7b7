import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { anthropic, createCatalog, createSwitchyard, defaultCatalog, defaultReasoning, google, openai, SwitchyardError, workflow } from '../src/index.js';
import { parseTrace } from '../src/observe/index.js';
import { buildReportData, reportHtml } from '../src/observe/report/index.js';
import { simulated, startMockServer, type MockServer } from '../src/testing/index.js';
import { collect, ofType } from './e2e-kit.js';

/**
 * The `reasoning` option: per-task defaults, each model's allowed efforts, the mapping to each wire, thinking kept
 * inside the output cap, reasoning streamed apart from the text, billed as output, and shown in trace and report.
 */
let server: MockServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});
const dir = mkdtempSync(join(tmpdir(), 'switchyard-reasoning-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const KEY = 'test-key';
type Body = Record<string, any>;
const lastBody = () => server!.requests.at(-1)!.body as Body;

async function endpoints() {
  server = await startMockServer({ text: 'ok' });
  return [
    openai({ baseURL: server.openaiBaseURL, apiKey: KEY, api: 'responses' }),
    anthropic({ baseURL: server.anthropicBaseURL, apiKey: KEY }),
    google({ baseURL: server.googleBaseURL, apiKey: KEY }),
  ];
}

describe('which effort a call gets', () => {
  it('routing by task uses the task default: low for classification, high for agentic coding', async () => {
    const sy = createSwitchyard({ providers: await endpoints() });
    await sy.generate({ task: 'classification', prompt: 'bug or not?' });
    expect(lastBody()).toMatchObject({ model: 'gpt-5.4', reasoning: { effort: 'low' } });
    await sy.generate({ task: 'agentic-coding', prompt: 'fix it' });
    expect(lastBody()).toMatchObject({ model: 'gpt-5.5', reasoning: { effort: 'high' } });
    expect(defaultReasoning).toMatchObject({ classification: 'low', 'agentic-coding': 'high' });
  });

  it('a call or node sets its own; the instance may change the task defaults', async () => {
    const providers = await endpoints();
    const sy = createSwitchyard({ providers, reasoning: { classification: 'medium' } });
    await sy.generate({ task: 'classification', prompt: 'x' });
    expect(lastBody().reasoning.effort).toBe('medium');
    await sy.generate({ task: 'classification', prompt: 'x', reasoning: { effort: 'none' } });
    expect(lastBody().reasoning).toEqual({ effort: 'none' });
    const wf = workflow({ name: 'w', input: z.object({}) }).llm('n', { model: 'gpt-5.5', prompt: 'x', reasoning: { effort: 'xhigh' } });
    await collect(sy.run(wf, {}));
    expect(lastBody().reasoning.effort).toBe('xhigh');
  });

  it('a call that pins a model and names no task sends no effort (the provider default)', async () => {
    const sy = createSwitchyard({ providers: await endpoints() });
    await sy.generate({ model: 'gpt-5.5', prompt: 'x' });
    expect(lastBody().reasoning).toBeUndefined();
  });

  it("each model gets the nearest effort it allows, and the route event says so", async () => {
    const sy = createSwitchyard({ providers: await endpoints() });
    const { events } = await collect(sy.stream({ model: 'gpt-5.5-pro', prompt: 'x', reasoning: { effort: 'low' } }));
    expect(lastBody().reasoning.effort).toBe('medium');
    expect(ofType(events, 'node-route')[0]!.reason).toContain('reasoning medium (low asked, as asked; gpt-5.5-pro allows medium, high, xhigh)');
    await sy.generate({ model: 'gpt-5.5', prompt: 'x', reasoning: { effort: 'minimal' } });
    expect(lastBody().reasoning.effort).toBe('low'); // none and low are equally near: the higher one
    await sy.generate({ model: 'gemini-3-flash', prompt: 'x', reasoning: { effort: 'xhigh' } });
    expect(lastBody().generationConfig.thinkingConfig).toEqual({ thinkingLevel: 'HIGH', includeThoughts: true });
  });

  it('a model that does not reason gets no reasoning at all', async () => {
    const catalog = createCatalog(defaultCatalog, { 'gpt-5.4-nano': { capabilities: { reasoning: false } } });
    const sy = createSwitchyard({ providers: await endpoints(), catalog });
    await sy.generate({ model: 'gpt-5.4-nano', prompt: 'x', reasoning: { effort: 'high' } });
    expect(lastBody().reasoning).toBeUndefined();
    expect(lastBody().include).toBeUndefined();
  });

  it('refuses a reasoning option that is not one', async () => {
    const sy = createSwitchyard({ providers: [simulated()] });
    for (const reasoning of [{ effort: 'max' }, { effort: 'high', budgetTokens: -5 }, { effort: 'low', budgetTokens: 1.5 }]) {
      const error = await sy.generate({ model: 'gpt-5.5', prompt: 'x', reasoning: reasoning as never }).catch((e: unknown) => e);
      expect(SwitchyardError.isInstance(error) && error.kind).toBe('invalid_request');
    }
  });
});

describe('each wire', () => {
  it('Anthropic: extended thinking with a budget from the effort or budgetTokens, kept inside max_tokens', async () => {
    const sy = createSwitchyard({ providers: await endpoints() });
    await sy.generate({ model: 'claude-sonnet-4-6', prompt: 'x', reasoning: { effort: 'medium' } });
    expect(lastBody()).toMatchObject({ max_tokens: 64_000, thinking: { type: 'enabled', budget_tokens: 16_384 } });
    await sy.generate({ model: 'claude-sonnet-4-6', prompt: 'x', reasoning: { effort: 'medium', budgetTokens: 5_000 } });
    expect(lastBody().thinking.budget_tokens).toBe(5_000);
    // Thinking counts toward max_tokens: the budget shrinks to leave the reply a quarter of the cap.
    await sy.generate({ model: 'claude-sonnet-4-6', prompt: 'x', reasoning: { effort: 'high' }, maxOutputTokens: 8_000 });
    expect(lastBody()).toMatchObject({ max_tokens: 8_000, thinking: { type: 'enabled', budget_tokens: 6_000 } });
    // No room for the 1,024-token minimum: no thinking.
    await sy.generate({ model: 'claude-sonnet-4-6', prompt: 'x', reasoning: { effort: 'high' }, maxOutputTokens: 1_500 });
    expect(lastBody().thinking).toBeUndefined();
    await sy.generate({ model: 'claude-sonnet-4-6', prompt: 'x', reasoning: { effort: 'none' } });
    expect(lastBody().thinking).toBeUndefined();
    // A forced output tool and thinking do not mix on Anthropic: structured output goes without thinking.
    server!.setScript(undefined);
    await sy.generate({ model: 'claude-sonnet-4-6', prompt: 'x', reasoning: { effort: 'high' }, output: z.object({ ok: z.boolean() }) });
    expect(lastBody().thinking).toBeUndefined();
  });

  it('Gemini: thinkingLevel on Gemini 3, a thinkingBudget for budgetTokens or Gemini 2.x, thoughts included', async () => {
    const { id: _id, ...flash } = defaultCatalog.get('gemini-3-flash');
    const catalog = createCatalog(defaultCatalog, {
      'gemini-2.5-flash': { ...flash, apiModel: 'gemini-2.5-flash', reasoningEfforts: ['none', 'low', 'medium', 'high'] },
    });
    const sy = createSwitchyard({ providers: await endpoints(), catalog });
    await sy.generate({ model: 'gemini-3.1-pro', prompt: 'x', reasoning: { effort: 'medium' } });
    expect(lastBody().generationConfig.thinkingConfig).toEqual({ thinkingLevel: 'MEDIUM', includeThoughts: true });
    await sy.generate({ model: 'gemini-3.1-pro', prompt: 'x', reasoning: { effort: 'high', budgetTokens: 2_000 }, maxOutputTokens: 20_000 });
    expect(lastBody().generationConfig.thinkingConfig).toEqual({ thinkingBudget: 2_000, includeThoughts: true });
    await sy.generate({ model: 'gemini-2.5-flash', prompt: 'x', reasoning: { effort: 'low' } });
    expect(lastBody().generationConfig.thinkingConfig).toEqual({ thinkingBudget: 4_096, includeThoughts: true });
    await sy.generate({ model: 'gemini-2.5-flash', prompt: 'x', reasoning: { effort: 'none' } });
    expect(lastBody().generationConfig.thinkingConfig).toEqual({ thinkingBudget: 0 });
  });

  it('Chat Completions: reasoning_effort', async () => {
    server = await startMockServer({ text: 'ok' });
    const sy = createSwitchyard({ providers: [openai({ baseURL: server.openaiBaseURL, apiKey: KEY })] });
    await sy.generate({ task: 'research', prompt: 'x' });
    expect(lastBody()).toMatchObject({ model: 'gpt-5.5', reasoning_effort: 'high' });
  });
});

describe('reasoning in the stream, the result, the budget, the trace and the report', () => {
  it.each(['responses', 'anthropic', 'google', 'chat'] as const)('streams apart from the text over %s, and bills as output', async (wire) => {
    server = await startMockServer({ reasoning: 'First, the units.', text: 'Five km.', usage: { inputTokens: 100, outputTokens: 60, reasoningTokens: 50 } });
    const provider = {
      responses: () => openai({ baseURL: server!.openaiBaseURL, apiKey: KEY, api: 'responses' }),
      chat: () => openai({ baseURL: server!.openaiBaseURL, apiKey: KEY }),
      anthropic: () => anthropic({ baseURL: server!.anthropicBaseURL, apiKey: KEY }),
      google: () => google({ baseURL: server!.googleBaseURL, apiKey: KEY }),
    }[wire]();
    const model = { responses: 'gpt-5.5', chat: 'gpt-5.5', anthropic: 'claude-sonnet-4-6', google: 'gemini-3.1-pro' }[wire];
    const sy = createSwitchyard({ providers: [provider] });
    const { events, result } = await collect(sy.stream({ model, prompt: 'How far?', reasoning: { effort: 'medium' } }));
    const answer = await result;
    expect(answer.text).toBe('Five km.');
    expect(answer.reasoning).toBe('First, the units.');
    expect(ofType(events, 'reasoning-delta').map((e) => e.text).join('')).toBe('First, the units.');
    expect(ofType(events, 'text-delta').map((e) => e.text).join('')).toBe('Five km.');
    expect(answer.usage).toMatchObject({ outputTokens: 60, reasoningTokens: 50 });
    const price = defaultCatalog.get(model).pricing;
    expect(answer.costUsd).toBeCloseTo((100 * price.input + 60 * price.output) / 1e6, 12);
  });

  it('simulated() reasons offline: reasoning-delta events and reasoning tokens inside the output', async () => {
    const sim = simulated();
    const sy = createSwitchyard({ providers: [sim] });
    const { events, result } = await collect(sy.stream({ task: 'research', prompt: 'Why is the sky blue?' }));
    const answer = await result;
    expect(answer.reasoning).toBe('Simulated reasoning of gpt-5.5 about: Why is the sky blue?.');
    expect(ofType(events, 'reasoning-delta').length).toBeGreaterThan(1);
    expect(answer.text).toBe('Simulated reply from gpt-5.5 to: Why is the sky blue?.');
    // One token per streamed word, as simulated() counts: 10 of reasoning, 10 of text.
    expect(answer.usage).toMatchObject({ reasoningTokens: 10, outputTokens: 20 });
    expect(sim.requests[0]!.request.reasoning).toEqual({ effort: 'high' });
    // A scripted reply says what the model thought.
    const scripted = createSwitchyard({ providers: [simulated({ reply: { reasoning: 'Hmm.', text: 'Yes.' } })] });
    expect(await scripted.generate({ model: 'gpt-5.5', prompt: 'x' })).toMatchObject({ reasoning: 'Hmm.', text: 'Yes.', usage: { reasoningTokens: 1 } });
  });

  it('shows in the trace and in the report', async () => {
    const sy = createSwitchyard({ providers: [simulated({ reply: { reasoning: 'Weigh the evidence first.', text: 'Guilty.', usage: { reasoningTokens: 40, outputTokens: 50 } } })] });
    const wf = workflow({ name: 'verdict', input: z.object({}) }).llm('judge', { task: 'critical', prompt: 'Decide.' });
    const path = join(dir, 'verdict.jsonl');
    const { result } = await collect(sy.run(wf, {}, { trace: path }));
    expect(result.outputs.judge).toBe('Guilty.');
    const trace = parseTrace(readFileSync(path, 'utf8'));
    expect(trace.events.filter((e) => e.type === 'reasoning-delta').map((e) => (e as { text: string }).text).join('')).toBe('Weigh the evidence first.');
    const data = buildReportData(trace);
    expect(data.nodes[0]).toMatchObject({ id: 'judge', treason: 40, reasoning: 'Weigh the evidence first.' });
    const html = reportHtml(trace);
    expect(html).toContain('<section id="reasoning">');
    expect(html).toContain('Weigh the evidence first.');
  });
});
