/**
 * A stream that never ends (a token every 20 ms, forever, ignoring the cap it was sent), through the official SDKs
 * against the mock server: it is cut once what streamed is certainly past its output cap by the margin (a quarter
 * of the cap, at least 32 tokens), the attempt fails without a retry on that endpoint, the request is closed, and
 * what was read is charged — never less than what streamed, and within what the budget held for it. A run
 * cancelled mid-stream is charged for everything it read too, past the cap included.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { createSwitchyard, defaultCatalog, inputTokenBound, openai, worstCaseCostOf } from '../src/index.js';
import { MemoryBudgetLedger } from '../src/budget/index.js';
import { simulated, type MockServer } from '../src/testing/index.js';
import { collect, oneNode, ofType, SDK_FAMILIES, timedServer, words } from './e2e-kit.js';

const servers: MockServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const FAMILIES = SDK_FAMILIES;

/** Words that each stream as their own chunk, round and round (' word' a chunk: each is one token, also when repeated). */
const ENDLESS = ` ${words(10)}`;
const CAP = 50;
const MARGIN = 32; // max(32, ceil(50 / 4))

describe('a never-ending stream is cut past its output cap, and charged what was read', () => {
  for (const { family, model, make } of FAMILIES) {
    test(family, async () => {
      const server = await timedServer(() => ({ text: ENDLESS, fault: { type: 'endless', chunkDelayMs: 20 } }));
      servers.push(server);
      const sy = createSwitchyard({ providers: [make(server)] });
      const { events, result } = await collect(sy.run(oneNode({ model, prompt: 'hi', maxOutputTokens: CAP }), {}, { budget: { usd: 1 } }));
      expect(result.status).toBe('failed');
      const error = result.nodes.node.error!;
      expect(error).toMatchObject({ kind: 'server', retryable: false });
      expect(error.message).toContain(`past the output cap it was sent (maxOutputTokens ${CAP})`);
      // Not retried on the endpoint that ignored the cap: one request, closed by the client.
      expect(server.requests).toHaveLength(1);
      await expect.poll(() => server.requests[0]!.closedByClient, { timeout: 10_000 }).toBe(true);
      const deltas = ofType(events, 'text-delta').length;
      expect(deltas).toBeGreaterThan(CAP + MARGIN); // it was cut once past cap + margin...
      expect(deltas).toBeLessThan(CAP + MARGIN + 10); // ...right then, not hundreds of tokens later
      // What was read is charged: every word that streamed, within the cap plus the allowance the budget held.
      const settle = ofType(events, 'budget').find((e) => e.phase === 'settle')!;
      expect(settle.usage!.outputTokens).toBeGreaterThanOrEqual(deltas);
      expect(settle.usage!.outputTokens).toBeLessThanOrEqual(CAP + MARGIN + 16);
      expect(settle.amountUsd).toBe(result.costUsd);
      const run = result.budget.find((l) => l.level === 'run')!;
      expect(run.reservedUsd).toBe(0);
      expect(run.spentUsd).toBeCloseTo(result.costUsd, 9);
      // The server's own bill (the tokens it wrote before the client went away) is within the charge.
      expect(server.requests[0]!.tokensSent).toBeLessThanOrEqual(settle.usage!.outputTokens + 2);
    });
  }
});

test('a one-word reply repeated forever is cut as soon: the fakes never run its words together into one long word', async () => {
  // 'done' sent again and again must read as 'done done done', not 'donedonedone' (one word a floor of 1 token
  // per 1,000 characters, so the cut would come thousands of chunks late): through the mock server and simulated().
  const server = await timedServer(() => ({ text: 'done', fault: { type: 'endless', chunkDelayMs: 2 } }));
  servers.push(server);
  const offline = simulated({ reply: { text: 'done', fault: { type: 'endless', chunkDelayMs: 2 } } });
  for (const provider of [openai({ name: 'hub', baseURL: server.openaiBaseURL, apiKey: 'k' }), offline]) {
    const sy = createSwitchyard({ providers: [provider] });
    const { events, result } = await collect(sy.run(oneNode({ model: 'gpt-5.4', prompt: 'hi', maxOutputTokens: CAP }), {}, { budget: { usd: 1 } }));
    expect(result.nodes.node.error!.message).toContain(`past the output cap it was sent (maxOutputTokens ${CAP})`);
    const deltas = ofType(events, 'text-delta');
    expect(deltas.length).toBeLessThan(CAP + MARGIN + 10);
    expect(deltas.slice(1).every((d) => d.text === ' done')).toBe(true);
  }
});

test('when the budget cannot hold an overrun, the stream is cut once its whole cap streamed, and spend stays within the limit', async () => {
  const server = await timedServer(() => ({ text: ENDLESS, fault: { type: 'endless', chunkDelayMs: 20 } }));
  servers.push(server);
  const sy = createSwitchyard({ providers: [openai({ name: 'hub', baseURL: server.openaiBaseURL, apiKey: 'k' })] });
  // The run budget holds the worst case of one attempt (its input bound + 50 output tokens of gpt-5.4 at $15/M) and
  // $0.0003 more: less than an overrun allowance (48 output tokens, $0.00072).
  const worst = worstCaseCostOf(defaultCatalog.get('gpt-5.4'), inputTokenBound({ messages: [{ role: 'user', content: 'hi' }] }), CAP);
  const budget = { usd: worst + 0.0003 };
  const { events, result } = await collect(sy.run(oneNode({ model: 'gpt-5.4', prompt: 'hi', maxOutputTokens: CAP }), {}, { budget }));
  expect(result.nodes.node.error!.message).toContain('the budget cannot hold more than the cap it reserved');
  const deltas = ofType(events, 'text-delta').length;
  expect(deltas).toBe(CAP); // one word a chunk: cut at the chunk that completed the cap
  const settle = ofType(events, 'budget').find((e) => e.phase === 'settle')!;
  expect(settle.usage!.outputTokens).toBe(CAP);
  const run = result.budget.find((l) => l.level === 'run')!;
  expect(run.spentUsd).toBeLessThanOrEqual(budget.usd);
  expect(run.reservedUsd).toBe(0);
});

test('a run cancelled mid-stream is charged for every token it read, past the cap too', async () => {
  const server = await timedServer(() => ({ text: ENDLESS, fault: { type: 'endless', chunkDelayMs: 20 } }));
  servers.push(server);
  const ledger = new MemoryBudgetLedger();
  const sy = createSwitchyard({ providers: [openai({ name: 'hub', baseURL: server.openaiBaseURL, apiKey: 'k' })], ledger });
  const run = sy.run(oneNode({ model: 'gpt-5.4', prompt: 'hi', maxOutputTokens: CAP }), {});
  let read = 0;
  run.on('text-delta', () => {
    if (++read === 70) run.cancel();
  });
  const result = await run.result;
  expect(result.status).toBe('cancelled');
  // The cancelled attempt settles as it unwinds: then the instance has spent every token it read (input aside).
  await expect.poll(() => ledger.snapshot()[0]!.reservedTokens, { timeout: 10_000 }).toBe(0);
  expect(ledger.snapshot()[0]!.spentTokens).toBeGreaterThanOrEqual(70);
});
