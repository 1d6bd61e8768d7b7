import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { createSwitchyard, workflow, type RunEvent } from '../src/index.js';
import { simulated } from '../src/testing/index.js';

const input = z.object({ topic: z.string() });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function collect(run: AsyncIterable<RunEvent>): Promise<RunEvent[]> {
  const events: RunEvent[] = [];
  for await (const event of run) events.push(event);
  return events;
}

const seqOf = (events: RunEvent[], type: string, nodeId: string) =>
  events.find((e) => e.type === type && e.nodeId === nodeId)?.seq ?? Number.NaN;

describe('dataflow scheduling', () => {
  test('a node starts when its own dependencies finish, not when a slow sibling does (no supersteps)', async () => {
    // a1 → a2  ∥  b1 → b2, where a1 answers only once b2's request has arrived (or, under supersteps, which would
    // hold b2 back until a1 ends, after 5 s): b2 must start before a1 ends. No race on timers, whatever the load.
    let b2Arrived!: () => void;
    const b2 = new Promise<void>((resolve) => (b2Arrived = resolve));
    const sim = simulated({
      reply: (info) => {
        const id = /node (\w+)/.exec(info.text)![1]!;
        if (id === 'b2') b2Arrived();
        if (id !== 'a1') return { text: 'done' };
        return Promise.race([b2, new Promise((resolve) => setTimeout(resolve, 5_000))]).then(() => ({ text: 'done' }));
      },
    });
    const sy = createSwitchyard({ providers: [sim] });
    const wf = workflow({ name: 'two-branches', input })
      .llm('a1', { model: 'gpt-5.4', prompt: 'node a1' })
      .llm('a2', { model: 'gpt-5.4', after: ['a1'], prompt: 'node a2' })
      .llm('b1', { model: 'gpt-5.4', prompt: 'node b1' })
      .llm('b2', { model: 'gpt-5.4', after: ['b1'], prompt: 'node b2' });
    const run = sy.run(wf, { topic: 't' });
    const events = await collect(run);
    expect((await run.result).status).toBe('succeeded');
    expect(seqOf(events, 'node-start', 'b2')).toBeLessThan(seqOf(events, 'node-end', 'a1'));
    expect(seqOf(events, 'node-start', 'a2')).toBeGreaterThan(seqOf(events, 'node-end', 'a1'));
    expect(seqOf(events, 'node-start', 'b2')).toBeGreaterThan(seqOf(events, 'node-end', 'b1'));
  });

  test('callbacks see input and exactly their declared dependencies', async () => {
    const sy = createSwitchyard({ providers: [simulated()] });
    const seen: string[][] = [];
    const wf = workflow({ name: 'ctx', input })
      .step('a', { run: () => 'A' })
      .step('b', { run: () => 'B' })
      .step('c', {
        after: ['a'],
        run: (ctx, options) => {
          seen.push(Object.keys(ctx));
          return `${ctx.input.topic}${ctx.a}${options.nodeId}${options.signal instanceof AbortSignal}`;
        },
      });
    const result = await sy.run(wf, { topic: 'T' }).result;
    expect(seen).toEqual([['input', 'a']]);
    expect(result.outputs.c).toBe('TActrue');
  });

  test('run-level concurrency caps running nodes (peak measured); unset means unlimited', async () => {
    const sy = createSwitchyard({ providers: [simulated()] });
    let running = 0;
    let peak = 0;
    const nodes = Array.from({ length: 10 }, (_, i) => ({
      kind: 'step' as const,
      id: `n${i}`,
      run: async () => {
        peak = Math.max(peak, ++running);
        await sleep(15);
        running--;
        return i;
      },
    }));
    const wf = workflow({ name: 'wide', input, nodes });
    const limited = await sy.run(wf, { topic: 't' }, { concurrency: 3 }).result;
    expect(limited.status).toBe('succeeded');
    expect(peak).toBe(3);
    peak = 0;
    await sy.run(wf, { topic: 't' }).result;
    expect(peak).toBe(10);
  });

  test('a deep chain and a wide fan-out complete with every output', async () => {
    const sy = createSwitchyard({ providers: [simulated()] });
    const chain = Array.from({ length: 2000 }, (_, i) => ({
      kind: 'step' as const,
      id: `c${i}`,
      after: i === 0 ? [] : [`c${i - 1}`],
      run: (ctx: Record<string, unknown>) => ((ctx[`c${i - 1}`] as number | undefined) ?? 0) + 1,
    }));
    const fan = Array.from({ length: 2000 }, (_, i) => ({ kind: 'step' as const, id: `f${i}`, after: ['c0'], run: () => i }));
    const wf = workflow({ name: 'big', input, nodes: [...chain, ...fan] });
    const result = await sy.run(wf, { topic: 't' }).result;
    expect(result.status).toBe('succeeded');
    expect(result.outputs['c1999']).toBe(2000);
    expect(result.outputs['f1999']).toBe(1999);
  });

  test('a wide fan-out starts a batch of nodes per event-loop turn, so timers and I/O are served in between', async () => {
    const sy = createSwitchyard({ providers: [simulated()] });
    const fan = Array.from({ length: 500 }, (_, i) => ({ kind: 'step' as const, id: `f${i}`, after: ['root'], run: () => i }));
    const wf = workflow({ name: 'fan', input, nodes: [{ kind: 'step', id: 'root', run: () => 0 }, ...fan] });
    // A turn counter that advances once per event-loop turn (setImmediate re-queued from the check phase).
    let turn = 0;
    let ticking = true;
    const tick = () => {
      turn++;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    const startsByTurn = new Map<number, number>();
    const run = sy.run(wf, { topic: 't' });
    run.on('node-start', () => startsByTurn.set(turn, (startsByTurn.get(turn) ?? 0) + 1));
    const result = await run.result;
    ticking = false;
    expect(result.status).toBe('succeeded');
    expect([...startsByTurn.values()].reduce((a, b) => a + b, 0)).toBe(501);
    expect(Math.max(...startsByTurn.values())).toBeLessThanOrEqual(32);
    expect(startsByTurn.size).toBeGreaterThanOrEqual(16); // 500 nodes over at least 16 turns
  });
});

describe('when and skip propagation', () => {
  const sy = createSwitchyard({ providers: [simulated()] });
  const wf = workflow({ name: 'skips', input })
    .step('classify', { run: ({ input: i }) => (i.topic === 'bug' ? 'bug' : 'question') })
    .step('fix', { after: ['classify'], when: ({ classify }) => classify === 'bug', run: () => 'patched' })
    .step('test', { after: ['fix'], run: ({ fix }) => `tested ${fix}` })
    .step('deploy', { after: ['test'], run: () => 'deployed' })
    .step('report', { after: ['classify', 'fix'], run: ({ classify, fix }) => `${classify}:${fix ?? 'none'}` });

  test('a false when skips the node and, transitively, nodes that depend only on skipped nodes', async () => {
    const run = sy.run(wf, { topic: 'question' });
    const events = await collect(run);
    const result = await run.result;
    expect(result.status).toBe('succeeded');
    const skips = events.filter((e) => e.type === 'node-skip');
    expect(skips.map((e) => [e.nodeId, e.type === 'node-skip' && e.reason])).toEqual([
      ['fix', '`when` returned false'],
      ['test', "every dependency was skipped ('fix')"],
      ['deploy', "every dependency was skipped ('test')"],
    ]);
    expect(result.nodes.fix.status).toBe('skipped');
    expect(result.nodes.deploy.skipReason).toContain('skipped');
    expect('fix' in result.outputs).toBe(false);
    // A node with one dependency that ran is not skipped; the skipped one is undefined in its context.
    expect(result.outputs.report).toBe('question:none');
  });

  test('when true runs the chain', async () => {
    const result = await sy.run(wf, { topic: 'bug' }).result;
    expect(result.outputs).toMatchObject({ fix: 'patched', test: 'tested patched', deploy: 'deployed', report: 'bug:patched' });
  });

  test('a when that throws fails its node (after no node-start)', async () => {
    const broken = workflow({ name: 'broken-when', input }).step('a', {
      when: () => {
        throw new Error('predicate exploded');
      },
      run: () => 1,
    });
    const run = sy.run(broken, { topic: 't' });
    const events = await collect(run);
    const result = await run.result;
    expect(result.nodes.a).toMatchObject({ status: 'failed', error: { kind: 'node_failed' } });
    expect(result.nodes.a.error?.message).toBe("Node 'a' failed: predicate exploded");
    expect(events.map((e) => e.type)).toEqual(['run-start', 'node-error', 'run-end']);
  });

  test('a workflow without nodes succeeds at once', async () => {
    const events = await collect(sy.run(workflow({ name: 'empty', input }), { topic: 't' }));
    expect(events.map((e) => e.type)).toEqual(['run-start', 'run-end']);
  });

  test('every node gets exactly one terminal event', async () => {
    const events = await collect(sy.run(wf, { topic: 'question' }));
    const terminal = events.filter((e) => e.type === 'node-end' || e.type === 'node-skip' || e.type === 'node-error');
    expect(terminal.map((e) => e.nodeId).sort()).toEqual(['classify', 'deploy', 'fix', 'report', 'test']);
  });
});
