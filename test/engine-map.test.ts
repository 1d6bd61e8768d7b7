import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { createSwitchyard, workflow, type RunEvent } from '../src/index.js';
import { simulated, type ScriptedReply } from '../src/testing/index.js';

const input = z.object({ n: z.number() });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const items = ({ input: i }: { input: { n: number } }) => Array.from({ length: i.n }, (_, k) => k);

describe('map', () => {
  test('outputs are gathered in item order whatever order items finish in', async () => {
    const sy = createSwitchyard({ providers: [simulated()] });
    const wf = workflow({ name: 'order', input }).map('each', {
      over: items,
      node: {
        run: async (item, _ctx, { index }) => {
          await sleep((10 - item) * 3);
          return `${item}@${index}`;
        },
      },
    });
    const result = await sy.run(wf, { n: 10 }).result;
    expect(result.outputs.each).toEqual(Array.from({ length: 10 }, (_, k) => `${k}@${k}`));
  });

  test('concurrency is honoured for run items (peak measured)', async () => {
    const sy = createSwitchyard({ providers: [simulated()] });
    let running = 0;
    let peak = 0;
    const wf = workflow({ name: 'limit', input }).map('each', {
      over: items,
      concurrency: 4,
      node: {
        run: async (item) => {
          peak = Math.max(peak, ++running);
          await sleep(5);
          running--;
          return item * 2;
        },
      },
    });
    const result = await sy.run(wf, { n: 25 }).result;
    expect(result.outputs.each).toHaveLength(25);
    expect(peak).toBe(4);
  });

  test('concurrency is honoured for model-call items (peak of in-flight requests measured)', async () => {
    let peak = 0;
    const sim = simulated({
      reply: (): ScriptedReply => {
        // The request being answered is already recorded (as 'streaming').
        peak = Math.max(peak, sim.requests.filter((r) => r.outcome === 'streaming').length);
        return { text: 'short answer', firstTokenMs: 10 };
      },
    });
    const sy = createSwitchyard({ providers: [sim] });
    const wf = workflow({ name: 'llm-map', input }).map('answers', {
      over: items,
      concurrency: 3,
      node: { model: 'gpt-5.4', prompt: (item) => `item ${item}` },
    });
    const run = sy.run(wf, { n: 12 });
    const events: RunEvent[] = [];
    for await (const event of run) events.push(event);
    const result = await run.result;
    expect(result.outputs.answers).toEqual(Array(12).fill('short answer'));
    expect(peak).toBe(3);
    expect(sim.requests).toHaveLength(12);
    // Item events carry the item index; the map's usage is the sum of its items.
    const items12 = new Set(events.filter((e) => e.type === 'text-delta').map((e) => e.item));
    expect(items12.size).toBe(12);
    const node = result.nodes.answers;
    expect(node.attempts).toBe(12);
    expect(node.usage.outputTokens).toBe(sim.requests.reduce((sum, r) => sum + (r.usage?.outputTokens ?? 0), 0));
    expect(result.byModel['gpt-5.4']?.calls).toBe(12);
    expect(result.byModel['gpt-5.4']?.costUsd).toBeCloseTo(node.costUsd, 12);
  });

  test('structured item outputs are parsed per item', async () => {
    const sim = simulated({ reply: (info) => ({ text: JSON.stringify({ n: Number(info.text.split(' ')[1]) * 10 }) }) });
    const sy = createSwitchyard({ providers: [sim] });
    const wf = workflow({ name: 'objects', input }).map('objs', {
      over: items,
      node: { model: 'gpt-5.4', prompt: (item) => `item ${item}`, output: z.object({ n: z.number() }) },
    });
    const result = await sy.run(wf, { n: 3 }).result;
    expect(result.outputs.objs).toEqual([{ n: 0 }, { n: 10 }, { n: 20 }]);
  });

  test("an item failure under 'fail-fast' aborts the other items and fails the node with that item's error", async () => {
    const sy = createSwitchyard({ providers: [simulated()] });
    const aborted: number[] = [];
    const wf = workflow({ name: 'ff', input }).map('each', {
      over: items,
      node: {
        run: async (item, _ctx, { signal }) => {
          if (item === 2) throw new Error('item two is broken');
          await new Promise((_, reject) => signal.addEventListener('abort', () => (aborted.push(item), reject(signal.reason))));
        },
      },
    });
    const result = await sy.run(wf, { n: 5 }).result;
    expect(result.status).toBe('failed');
    expect(result.nodes.each.error).toMatchObject({ kind: 'node_failed' });
    expect(result.nodes.each.error?.message).toBe("Node 'each' item 2 failed: item two is broken");
    expect(result.errors).toEqual([{ nodeId: 'each', item: 2, error: result.nodes.each.error }]);
    expect(aborted.sort()).toEqual([0, 1, 3, 4]);
  });

  test("under 'continue' every item runs; the node fails listing the failed items and keeps the rest", async () => {
    const sy = createSwitchyard({ providers: [simulated()] });
    const wf = workflow({ name: 'cont', input })
      .map('each', {
        over: items,
        onError: 'continue',
        node: {
          run: (item) => {
            if (item % 2 === 1) throw new Error(`odd ${item}`);
            return item;
          },
        },
      })
      .step('after', { after: ['each'], run: () => 'never' })
      .step('independent', { run: () => 'ran' });
    const result = await sy.run(wf, { n: 5 }).result;
    expect(result.status).toBe('failed');
    expect(result.nodes.each.error?.message).toBe("Map node 'each': 2 of 5 items failed (item 1: Node 'each' item 1 failed: odd 1; item 3: Node 'each' item 3 failed: odd 3)");
    expect(result.nodes.each.partialOutput).toEqual([0, undefined, 2, undefined, 4]);
    expect(result.errors.map((e) => e.item)).toEqual([1, 3]);
    expect(result.nodes.after.status).toBe('skipped');
    expect(result.outputs).toEqual({ independent: 'ran' });
  });

  test('an empty list gives an empty output', async () => {
    const sy = createSwitchyard({ providers: [simulated()] });
    const wf = workflow({ name: 'empty', input }).map('each', { over: items, node: { model: 'gpt-5.4', prompt: 'x' } });
    expect((await sy.run(wf, { n: 0 }).result).outputs.each).toEqual([]);
  });
});
