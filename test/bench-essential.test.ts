/**
 * The essential `.llm` node of the benchmarks (bench/essential-node.ts) is a floor that docs/benchmarks.md compares
 * switchyard with: it must do the work it claims, or the comparison is void. Over simulated(): every node reserves
 * and settles its cost, streams its reply as events, and a run past its budget is refused before any call.
 */
import { describe, expect, test } from 'vitest';
import { essentialCall, EssentialRun, essentialNode, runEssential, type EssentialEvent } from '../bench/essential-node.js';
import { fanOut } from '../bench/graphs.js';
import { simulated } from '../src/testing/index.js';

describe('bench/essential-node.ts', () => {
  test('a fan-out runs every node after its dependencies, one event per delta, its budget settled', async () => {
    const sim = simulated({ name: 'sim', reply: { text: 'one two three' } });
    const graph = fanOut(5);
    const seen: EssentialEvent[] = [];
    const events = await runEssential(graph, sim, (e) => seen.push(e));
    // Each of the 7 nodes: node-start, three text deltas, usage, node-end.
    expect(events).toBe(7 * 6);
    const at = (nodeId: string, type: string) => seen.findIndex((e) => e.nodeId === nodeId && e.type === type);
    const wide = graph.nodes.map((n) => n.id).filter((id) => id !== 'source' && id !== 'join');
    for (const id of wide) {
      expect(at(id, 'node-start')).toBeGreaterThan(at('source', 'node-end'));
      expect(at('join', 'node-start')).toBeGreaterThan(at(id, 'node-end'));
    }
    expect(sim.requests).toHaveLength(7);
    expect(sim.requests[0]!.request.messages).toEqual([{ role: 'user', content: 'sleep 0' }]);
    expect(sim.requests.every((r) => r.outcome === 'ok' && r.model === 'gpt-5.5')).toBe(true);
  });

  test('events are stamped in order; spend is the settled usage; nothing stays reserved', async () => {
    const sim = simulated({ name: 'sim', reply: { text: 'alpha beta' } });
    const seen: EssentialEvent[] = [];
    const run = new EssentialRun('r', 1, (e) => seen.push(e));
    const texts = await Promise.all([essentialNode(run, sim, 'a', 'hi'), essentialNode(run, sim, 'b', 'hello')]);
    expect(texts).toEqual(['alpha beta', 'alpha beta']);
    expect(seen.map((e) => e.seq)).toEqual(seen.map((_, i) => i + 1));
    expect(seen.filter((e) => e.nodeId === 'a').map((e) => e.type)).toEqual(['node-start', 'text-delta', 'text-delta', 'usage', 'node-end']);
    expect(run.reservedUsd).toBeCloseTo(0, 12);
    const costs = seen.filter((e) => e.type === 'node-end').map((e) => e.costUsd!);
    expect(costs.every((c) => c > 0)).toBe(true);
    expect(run.spentUsd).toBeCloseTo(costs[0]! + costs[1]!, 12);
  });

  test('a call whose worst case does not fit the budget is refused before the provider is called', async () => {
    const sim = simulated({ name: 'sim', reply: { text: 'x' } });
    const run = new EssentialRun('r', 0.001, () => {});
    await expect(essentialNode(run, sim, 'a', 'hi')).rejects.toThrow(/budget/);
    expect(sim.requests).toHaveLength(0);
  });

  test('an essential call is read with for await, its result after its events', async () => {
    const sim = simulated({ name: 'sim', reply: { text: 'to be read' } });
    const call = essentialCall(sim, 'hi');
    const types: string[] = [];
    for await (const event of call.events) types.push(event.type);
    expect(types).toEqual(['node-start', 'text-delta', 'text-delta', 'text-delta', 'usage', 'node-end']);
    await expect(call.result).resolves.toBe('to be read');
  });
});
