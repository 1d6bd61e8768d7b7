/** The progress line the demo prints: nodes done / total and spend / budget, live from a run's events. */
import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { createSwitchyard, workflow } from '../src/index.js';
import { liveProgress, progressLine } from '../src/observe/index.js';
import { simulated } from '../src/testing/index.js';

function run3() {
  const sy = createSwitchyard({ providers: [simulated({ reply: { text: 'ok', usage: { inputTokens: 100, cachedInputTokens: 25 } } })] });
  const wf = workflow({ name: 'p', input: z.object({}) })
    .llm('a', { model: 'gpt-5.4', prompt: 'a', maxOutputTokens: 50 })
    .llm('b', { model: 'gpt-5.4', prompt: 'b', after: ['a'], maxOutputTokens: 50 })
    .step('c', { after: ['b'], run: () => 1 });
  return sy.run(wf, {}, { budget: { usd: 0.5 } });
}

describe('progressLine', () => {
  test('shows nodes done of the total, spend of the budget, and the cached share', async () => {
    const result = await run3().result;
    const line = progressLine(result.metrics, { limitUsd: 0.5 });
    const spent = result.costUsd.toFixed(4);
    const pct = ((result.costUsd / 0.5) * 100).toFixed(1);
    expect(line).toBe(`[${'█'.repeat(20)}] 3/3 nodes · $${spent} of $0.50 (${pct}%) · 25% input cached`);
    expect(progressLine(result.metrics)).toContain(`$${spent} spent`);
  });
});

describe('liveProgress', () => {
  test('on a terminal, redraws one line in place and ends it with the run', async () => {
    const writes: string[] = [];
    const run = run3();
    liveProgress(run, { isTTY: true, write: (t: string) => writes.push(t) });
    await run.result;
    expect(writes.every((w) => w.startsWith('\r\x1b[2K') || w === '\n')).toBe(true);
    expect(writes.at(-1)).toBe('\n');
    const lines = writes.filter((w) => w !== '\n').map((w) => w.slice(5));
    expect(lines[0]).toMatch(/^\[░{20}\] 0\/3 nodes/);
    expect(lines.at(-1)).toMatch(/^\[█{20}\] 3\/3 nodes · \$0\.\d{4} of \$0\.50/);
    expect(lines.some((l) => /\] 1\/3 nodes/.test(l))).toBe(true);
  });

  test('elsewhere, prints one line per finished node', async () => {
    const writes: string[] = [];
    const run = run3();
    liveProgress(run, { write: (t: string) => writes.push(t) });
    await run.result;
    expect(writes.map((w) => w.match(/(\d)\/3 nodes/)![1])).toEqual(['1', '2', '3']);
    expect(writes.every((w) => w.endsWith('\n'))).toBe(true);
  });
});
