/**
 * Prompt caching on the wire (official SDKs against the loopback mock server): Anthropic requests carry
 * `cache_control` breakpoints on their stable prefixes, OpenAI requests carry `prompt_cache_key`, Gemini's implicit
 * cache is reported; costs use the cached and cache-write prices exactly.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { z } from 'zod';
import { anthropic, costOf, createSwitchyard, defaultCatalog, google, openai, workflow } from '../src/index.js';
import { minCacheableTokens, planBreakpoints } from '../src/cache/index.js';
import { startMockServer, type MockServer } from '../src/testing/index.js';

let server: MockServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** About `tokens` tokens of stable text (4 characters a token). */
const longText = (tokens: number, word = 'policy') => `${word} `.repeat(Math.ceil((tokens * 4) / (word.length + 1)));

type Body = { system?: unknown; tools?: Array<Record<string, unknown>>; messages: Array<{ content: Array<Record<string, unknown>> }> };
const EPHEMERAL = { type: 'ephemeral' };

async function anthropicBody(call: Parameters<ReturnType<typeof createSwitchyard>['generate']>[0]): Promise<Body> {
  server = await startMockServer({ text: 'ok' });
  const sy = createSwitchyard({ providers: [anthropic({ baseURL: server.anthropicBaseURL, apiKey: 'k' })] });
  await sy.generate(call);
  return server.requests[0]!.body as Body;
}

describe('Anthropic cache_control breakpoints', () => {
  test('mark the tools, a long system prompt and a long shared document; the question stays outside', async () => {
    const document = longText(3000, 'clause');
    const body = await anthropicBody({
      model: 'claude-sonnet-4-6',
      system: longText(2500),
      tools: { search: { description: 'Search the handbook', parameters: z.object({ query: z.string() }) } },
      messages: [
        { role: 'user', content: document },
        { role: 'user', content: 'What does clause 7 say?' },
      ],
    });
    expect(body.system).toEqual([{ type: 'text', text: expect.any(String), cache_control: EPHEMERAL }]);
    // the tools alone are too short to cache: no mark on them
    expect(body.tools!.at(-1)).not.toHaveProperty('cache_control');
    // the two user messages travel as one turn with two blocks: the document is marked, the question is not
    const blocks = body.messages[0]!.content;
    expect(blocks).toHaveLength(2);
    expect(blocks[0]).toMatchObject({ type: 'text', cache_control: EPHEMERAL });
    expect(blocks[1]).toEqual({ type: 'text', text: 'What does clause 7 say?' });
  });

  test('mark the last tool when the tool definitions alone are long enough', async () => {
    const big = z.object({ query: z.string().describe(longText(2400, 'field')) });
    const body = await anthropicBody({
      model: 'claude-sonnet-4-6',
      prompt: 'hi',
      tools: { a: { parameters: z.object({ x: z.string() }) }, b: { parameters: big } },
    });
    expect(body.tools!.map((t) => t.cache_control)).toEqual([undefined, EPHEMERAL]);
  });

  test('are not sent on short prompts (nothing there could be cached) or with breakpoints: off', async () => {
    const short = await anthropicBody({ model: 'claude-sonnet-4-6', system: 'Be brief.', prompt: 'hi' });
    expect(short.system).toBe('Be brief.');
    expect(JSON.stringify(short)).not.toContain('cache_control');
    await server!.close();
    const off = await anthropicBody({ model: 'claude-sonnet-4-6', system: longText(5000), prompt: 'hi', cache: { breakpoints: 'off' } });
    expect(JSON.stringify(off)).not.toContain('cache_control');
  });

  test('mark the conversation before the last message in a multi-turn exchange', () => {
    const turn = longText(1500);
    const plan = planBreakpoints(
      {
        messages: [
          { role: 'user', content: turn },
          { role: 'assistant', content: 'noted' },
          { role: 'user', content: 'and then?' },
        ],
      },
      'claude-opus-4-1',
    );
    expect(plan).toEqual({ tools: false, system: false, message: 1 });
  });

  test('follow each model family minimum cacheable length', () => {
    expect(minCacheableTokens('claude-opus-4-7')).toBe(4096);
    expect(minCacheableTokens('claude-haiku-4-5')).toBe(4096);
    expect(minCacheableTokens('claude-sonnet-4-6')).toBe(2048);
    expect(minCacheableTokens('claude-sonnet-4-5')).toBe(1024);
    const system = longText(3000);
    expect(planBreakpoints({ system, messages: [{ role: 'user', content: 'q' }] }, 'claude-sonnet-4-6').system).toBe(true);
    expect(planBreakpoints({ system, messages: [{ role: 'user', content: 'q' }] }, 'claude-opus-4-7').system).toBe(false);
  });

  test('a workflow node passes its cache hint through', async () => {
    server = await startMockServer({ text: 'ok' });
    const sy = createSwitchyard({ providers: [anthropic({ baseURL: server.anthropicBaseURL, apiKey: 'k' })] });
    const wf = workflow({ name: 'w', input: z.object({}) }).llm('n', { model: 'claude-sonnet-4-6', system: longText(3000), prompt: 'q', cache: { breakpoints: 'off' } });
    await sy.run(wf, {}).result;
    expect(JSON.stringify(server.requests[0]!.body)).not.toContain('cache_control');
  });
});

describe('OpenAI prompt_cache_key', () => {
  test('is sent from cache.key, and only then', async () => {
    server = await startMockServer({ text: 'ok' });
    const sy = createSwitchyard({ providers: [openai({ baseURL: server.openaiBaseURL, apiKey: 'k' })] });
    await sy.generate({ model: 'gpt-5.4', prompt: 'q1', cache: { key: 'handbook-v3' } });
    await sy.generate({ model: 'gpt-5.4', prompt: 'q2' });
    expect(server.requests[0]!.body).toMatchObject({ prompt_cache_key: 'handbook-v3' });
    expect(server.requests[1]!.body).not.toHaveProperty('prompt_cache_key');
  });
});

describe('cache costs are exact', () => {
  const usage = { inputTokens: 10_000, cachedInputTokens: 8_000, cacheWriteTokens: 1_000, outputTokens: 100 };

  test('Anthropic: reads at the cached price, writes at the cache-write price', async () => {
    server = await startMockServer({ text: 'ok', usage });
    const sy = createSwitchyard({ providers: [anthropic({ baseURL: server.anthropicBaseURL, apiKey: 'k' })] });
    const r = await sy.generate({ model: 'claude-sonnet-4-6', prompt: 'q', maxOutputTokens: 200 });
    expect(r.usage).toMatchObject({ inputTokens: 10_000, cachedInputTokens: 8_000, cacheWriteTokens: 1_000, outputTokens: 100 });
    // 1,000 plain × $3 + 8,000 cached × $0.30 + 1,000 written × $3.75 + 100 out × $15, per million
    expect(r.costUsd).toBe(0.01065);
    expect(r.costUsd).toBe(costOf(defaultCatalog.get('claude-sonnet-4-6')!, r.usage));
  });

  test('OpenAI: cached input at the cached price (no write premium)', async () => {
    server = await startMockServer({ text: 'ok', usage: { inputTokens: 10_000, cachedInputTokens: 8_000, outputTokens: 100 } });
    const sy = createSwitchyard({ providers: [openai({ baseURL: server.openaiBaseURL, apiKey: 'k' })] });
    const r = await sy.generate({ model: 'gpt-5.4', prompt: 'q', maxOutputTokens: 200 });
    // 2,000 × $2.50 + 8,000 × $0.25 + 100 × $15, per million
    expect(r.costUsd).toBe(0.0085);
  });

  test("Gemini's implicit cache is reported and priced", async () => {
    server = await startMockServer({ text: 'ok', usage: { inputTokens: 10_000, cachedInputTokens: 8_000, outputTokens: 100 } });
    const sy = createSwitchyard({ providers: [google({ baseURL: server.googleBaseURL, apiKey: 'k' })] });
    const run = sy.run(workflow({ name: 'g', input: z.object({}) }).llm('n', { model: 'gemini-3-flash', prompt: 'q', maxOutputTokens: 200 }), {});
    const result = await run.result;
    expect(result.usage).toMatchObject({ inputTokens: 10_000, cachedInputTokens: 8_000 });
    expect(result.metrics.total.cacheHitRate).toBe(0.8);
    expect(result.costUsd).toBe(costOf(defaultCatalog.get('gemini-3-flash')!, result.usage));
  });
});
