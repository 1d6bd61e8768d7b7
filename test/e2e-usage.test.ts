/**
 * Usage a provider reports is checked where the attempt settles, through the official SDKs against the mock
 * server: a figure that is not a finite non-negative integer (negative, text, null, `1e999`, fractional) or that
 * contradicts what streamed is replaced by the estimate from what streamed — never less than that — charged,
 * marked `estimated` and explained in the settle event. The node's reply stands, nothing stays held, and under a
 * tight run budget the nodes waiting for holds to clear all finish.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { z } from 'zod';
import { createSwitchyard, openai, workflow } from '../src/index.js';
import type { NodeDefinition } from '../src/workflow/index.js';
import type { Fault, MockServer } from '../src/testing/index.js';
import { collect, oneNode, ofType, SDK_FAMILIES, timedServer, words } from './e2e-kit.js';

const servers: MockServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const FAMILIES = SDK_FAMILIES;

/** Garbage as it appears on the wire, with what the settle note names. */
const GARBAGE: Array<{ name: string; usage: Extract<Fault, { type: 'bad-usage' }>['usage']; field: string }> = [
  { name: 'negative output', usage: { outputTokens: '-5' }, field: 'outputTokens' },
  { name: 'output as text', usage: { outputTokens: '"12"' }, field: 'outputTokens' },
  { name: 'output 1e999 (Infinity)', usage: { outputTokens: '1e999' }, field: 'outputTokens' },
  { name: 'null input', usage: { inputTokens: 'null' }, field: 'inputTokens' },
  { name: 'fractional input', usage: { inputTokens: '12.5' }, field: 'inputTokens' },
];

const REPLY = words(30);

describe('garbage usage is replaced by the estimate, charged and reported', () => {
  for (const { family, model, make } of FAMILIES) {
    for (const garbage of GARBAGE) {
      test(`${family}: ${garbage.name}`, async () => {
        const server = await timedServer(() => ({ text: REPLY, fault: { type: 'bad-usage', usage: garbage.usage } }));
        servers.push(server);
        const sy = createSwitchyard({ providers: [make(server)] });
        const { events, result } = await collect(sy.run(oneNode({ model, prompt: 'hi', maxOutputTokens: 100 }), {}, { budget: { usd: 1 } }));
        expect(result.status).toBe('succeeded');
        expect(result.outputs.node).toBe(REPLY);
        const [settle, ...more] = ofType(events, 'budget').filter((e) => e.phase === 'settle');
        expect(more).toHaveLength(0);
        // Which figure could not be used reaches the note; Anthropic's null output keeps message_start's 1, which is
        // below what streamed: replaced all the same.
        expect(settle!.note).toMatch(new RegExp(`${garbage.field}|outputTokens`));
        expect(settle!.usage!.estimated).toBe(true);
        expect(Number.isSafeInteger(settle!.usage!.inputTokens) && settle!.usage!.inputTokens > 0).toBe(true);
        // never less than what streamed: 30 words are at least 30 tokens
        expect(settle!.usage!.outputTokens).toBeGreaterThanOrEqual(30);
        expect(settle!.usage!.outputTokens).toBeLessThanOrEqual(100);
        expect(settle!.amountUsd).toBeGreaterThan(0);
        expect(Number.isFinite(settle!.amountUsd)).toBe(true);
        const run = result.budget.find((l) => l.level === 'run')!;
        expect(run.spentUsd).toBeCloseTo(result.costUsd, 9);
        expect(run.reservedUsd).toBe(0);
        expect(result.nodes.node.usage.estimated).toBe(true);
      });
    }
  }
});

test('inconsistent figures are read the way that cannot undercount', async () => {
  // Anthropic reports thinking inside output_tokens, so its adapter passes the contradiction on to the settlement
  // (the Chat Completions adapter reads reasoning above output as xAI's convention itself).
  const { model, make } = FAMILIES.find((f) => f.family === 'anthropic')!;
  const server = await timedServer(() => ({ text: REPLY, fault: { type: 'bad-usage', usage: { outputTokens: '4', reasoningTokens: '50' } } }));
  servers.push(server);
  const sy = createSwitchyard({ providers: [make(server)] });
  const { events } = await collect(sy.run(oneNode({ model, prompt: 'hi', maxOutputTokens: 100 }), {}));
  const settle = ofType(events, 'budget').find((e) => e.phase === 'settle')!;
  // reasoning above output: output left it out, so it is added (54); that is also above the 30 words that streamed
  expect(settle.usage).toMatchObject({ outputTokens: 54, reasoningTokens: 50, estimated: true });
  expect(settle.note).toContain('reasoningTokens (50) exceeded outputTokens (4)');
});

test('a reported output below what streamed is not believed', async () => {
  const server = await timedServer(() => ({ text: REPLY, usage: { outputTokens: 3 } }));
  servers.push(server);
  const sy = createSwitchyard({ providers: [openai({ name: 'hub', baseURL: server.openaiBaseURL, apiKey: 'k' })] });
  const { events } = await collect(sy.run(oneNode({ model: 'gpt-5.4', prompt: 'hi', maxOutputTokens: 100 }), {}));
  const settle = ofType(events, 'budget').find((e) => e.phase === 'settle')!;
  expect(settle.usage!.outputTokens).toBeGreaterThanOrEqual(30);
  expect(settle.note).toContain('below what certainly streamed');
});

test('under a tight run budget, nodes waiting for holds to clear all finish when every report is garbage', async () => {
  const server = await timedServer(() => ({ text: words(8), fault: { type: 'bad-usage', usage: { outputTokens: '-1', inputTokens: '1e999' } } }));
  servers.push(server);
  const sy = createSwitchyard({ providers: [openai({ name: 'hub', baseURL: server.openaiBaseURL, apiKey: 'k' })] });
  const nodes = Array.from({ length: 30 }, (_, i) => ({ kind: 'llm', id: `n${i}`, model: 'gpt-5.4-nano', prompt: `node ${i}`, maxOutputTokens: 200 }) as NodeDefinition);
  // Each worst case is about $0.00025: the cap holds three at a time, so the others wait for settlements.
  const cap = 0.0008;
  const { events, result } = await collect(sy.run(workflow({ name: 'tight', input: z.object({}), nodes }), {}, { budget: { usd: cap } }));
  expect(result.status).toBe('succeeded');
  const settles = ofType(events, 'budget').filter((e) => e.phase === 'settle');
  expect(settles).toHaveLength(30);
  expect(settles.every((e) => e.note !== undefined && e.usage!.outputTokens >= 8)).toBe(true);
  const run = result.budget.find((l) => l.level === 'run')!;
  expect(run.reservedUsd).toBe(0);
  expect(run.spentUsd).toBeLessThanOrEqual(cap);
  expect(run.spentUsd).toBeCloseTo(result.costUsd, 9);
});
