import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { createSwitchyard, extractCode, verifiers, workflow } from '../src/index.js';
import { simulated } from '../src/testing/index.js';

const TESTS = `import test from 'node:test';
import assert from 'node:assert/strict';
import { clamp } from './clamp.mjs';
test('inside the range', () => assert.equal(clamp(5, 0, 10), 5));
test('below the range', () => assert.equal(clamp(-5, 0, 10), 0));
test('above the range', () => assert.equal(clamp(50, 0, 10), 10));
`;
const WRONG = '```js\nexport const clamp = (x, lo, hi) => Math.max(x, lo);\n```';
const RIGHT = '```js\nexport const clamp = (x, lo, hi) => Math.min(Math.max(x, lo), hi);\n```';
const LOOPS = 'export const clamp = (x) => { for (;;) {} };';

const files = (reply: string) => ({ 'clamp.mjs': extractCode(reply), 'clamp.test.mjs': TESTS });
// A time limit only stops runaway code; tests that must pass get one no loaded machine reaches (~0.2 s idle).
const runTests = verifiers.runTests({ files, testFile: 'clamp.test.mjs', timeoutMs: 60_000 });
/** The runaway code gets a short limit (it never ends, however fast the machine); any other reply the long one. */
const runawayQuickly = verifiers.runTests({ files, testFile: 'clamp.test.mjs', timeoutMs: 3_000 });
const runTestsQuickly: typeof runTests = (output, ctx) => (output === LOOPS ? runawayQuickly : runTests)(output, ctx);

describe('verifiers.runTests', () => {
  test('failing tests are fed back; the revised code passes in round 2', async () => {
    const sim = simulated({ reply: [{ text: WRONG }, { text: RIGHT }] });
    const sy = createSwitchyard({ providers: [sim] });
    const wf = workflow({ name: 'code', input: z.object({}) }).llm('clamp', { task: 'agentic-coding', prompt: 'Write clamp(x, lo, hi) in clamp.mjs', verify: runTests });
    const result = await sy.run(wf, {}).result;
    expect(result.status).toBe('succeeded');
    expect(result.outputs.clamp).toBe(RIGHT);
    const feedback = sim.requests[1]!.request.messages.at(-1)!.content;
    expect(feedback).toContain('The tests failed (exit code 1)');
    expect(feedback).toContain('above the range');
    expect(result.nodes.clamp.rounds!.map((r) => r.verdict.ok)).toEqual([false, true]);
  });

  test('generated code that loops forever is killed and reported to the model', async () => {
    const sim = simulated({ reply: [{ text: LOOPS }, { text: RIGHT }] });
    const sy = createSwitchyard({ providers: [sim] });
    const wf = workflow({ name: 'code', input: z.object({}) }).llm('clamp', { model: 'gpt-5.5', prompt: 'Write clamp', verify: runTestsQuickly });
    const result = await sy.run(wf, {}).result;
    expect(result.status).toBe('succeeded');
    expect(sim.requests[1]!.request.messages.at(-1)!.content).toContain('killed at the time limit');
  });

  test('extractCode takes the first fenced block, or the whole reply', () => {
    expect(extractCode('Here:\n```ts\nconst a = 1;\n```\nDone')).toBe('const a = 1;\n');
    expect(extractCode('const b = 2;')).toBe('const b = 2;\n');
  });
});
