/**
 * Issue 14, item 2, end to end through the official OpenAI SDK against the mock server: a crafted 1M-character
 * prompt (dense everywhere the old sampler did not look) was reserved below gpt-5.5's 272K price cliff and billed
 * $4.54 against a $2 cap. Its reservation is now priced from a bound no input can beat: under $2 it is refused
 * before any request; under a larger cap it is reserved at the long-context tier and never below what it bills.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { costOf, countTokens, createSwitchyard, defaultCatalog, openai, type RunEvent } from '../src/index.js';
import type { MockServer } from '../src/testing/index.js';
import { collect, ofType, oneNode, timedServer } from './e2e-kit.js';
import { craftedPrompt } from './fixtures/crafted-prompt.js';

const servers: MockServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const gpt55 = defaultCatalog.get('gpt-5.5');
const prompt = craftedPrompt();
const SLOW = 180_000; // counting a megabyte exactly, twice, on a loaded machine

/** A mock server that bills the prompt's real o200k count, as OpenAI would. */
async function billing(realInput: number): Promise<MockServer> {
  const server = await timedServer(() => ({ text: 'ok', usage: { inputTokens: realInput, outputTokens: 1 } }));
  servers.push(server);
  return server;
}

const phase = (events: readonly RunEvent[], which: 'reserve' | 'settle') => ofType(events, 'budget').filter((e) => e.phase === which);

describe("issue 14's crafted prompt through the OpenAI SDK", () => {
  const realInput = countTokens(gpt55, { messages: [{ role: 'user', content: prompt }] });

  test('is far above the 272K cliff: its real bill is over a $2 cap', { timeout: SLOW }, () => {
    expect(realInput).toBeGreaterThan(272_000);
    expect(costOf(gpt55, { inputTokens: realInput, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 1, reasoningTokens: 0 })).toBeGreaterThan(2);
  });

  test('under a $2 run cap it is refused before any request: nothing is billed', { timeout: SLOW }, async () => {
    const server = await billing(realInput);
    const sy = createSwitchyard({ providers: [openai({ baseURL: server.openaiBaseURL, apiKey: 'k' })] });
    const { result } = await collect(sy.run(oneNode({ model: 'gpt-5.5', prompt, maxOutputTokens: 1_000 }), {}, { budget: { usd: 2 } }));
    expect(result.status).toBe('failed');
    expect(result.nodes.node.error).toMatchObject({ kind: 'budget_exceeded', level: 'run', limit: 2 });
    expect(server.requests).toHaveLength(0);
    expect(result.costUsd).toBe(0);
  });

  test('under a $20 cap it is reserved at the long-context tier, and what it bills never passes what it held', { timeout: SLOW }, async () => {
    const server = await billing(realInput);
    const sy = createSwitchyard({ providers: [openai({ baseURL: server.openaiBaseURL, apiKey: 'k' })] });
    const { events, result } = await collect(sy.run(oneNode({ model: 'gpt-5.5', prompt, maxOutputTokens: 1_000 }), {}, { budget: { usd: 20 } }));
    expect(result.status).toBe('succeeded');
    const [reserve] = phase(events, 'reserve');
    const [settle] = phase(events, 'settle');
    expect(settle!.usage!.inputTokens).toBe(realInput);
    // $10/M input above the cliff, on at least the real count; and the bill fits inside the hold.
    expect(reserve!.amountUsd).toBeGreaterThanOrEqual((realInput * 10) / 1e6);
    expect(settle!.amountUsd).toBeLessThanOrEqual(reserve!.amountUsd);
    expect(result.costUsd).toBeLessThanOrEqual(20);
  });
});
