import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { createSwitchyard, workflow, type RunEvent } from '../src/index.js';
import { simulated } from '../src/testing/index.js';

const input = z.object({ n: z.number() });

async function collect(run: AsyncIterable<RunEvent>): Promise<RunEvent[]> {
  const events: RunEvent[] = [];
  for await (const event of run) events.push(event);
  return events;
}

/** Two model nodes streaming at the same time, then a step. */
function parallel(chunkDelayMs = 2) {
  const sim = simulated({ reply: (info) => ({ text: `${info.text} one two three four five six`, chunkDelayMs }) });
  const sy = createSwitchyard({ providers: [sim] });
  const wf = workflow({ name: 'parallel', input })
    .llm('left', { model: 'gpt-5.4', prompt: 'left' })
    .llm('right', { model: 'claude-sonnet-4-6', prompt: 'right' })
    .step('join', { after: ['left', 'right'], run: ({ left, right }) => left.length + right.length });
  return { sy, wf, sim };
}

describe('the merged stream', () => {
  test('events are stamped with runId, a monotonic seq from 1, t, and node/model fields', async () => {
    const { sy, wf } = parallel();
    const run = sy.run(wf, { n: 1 });
    const events = await collect(run);
    expect(events[0]).toMatchObject({ type: 'run-start', seq: 1, workflow: 'parallel', nodes: 3 });
    expect(events.at(-1)).toMatchObject({ type: 'run-end', status: 'succeeded' });
    events.forEach((event, i) => {
      expect(event.runId).toBe(run.runId);
      expect(event.seq).toBe(i + 1);
      if (i > 0) expect(event.t).toBeGreaterThanOrEqual(events[i - 1]!.t);
    });
    for (const delta of events.filter((e) => e.type === 'text-delta')) {
      expect(delta).toMatchObject({ attempt: 1, provider: 'simulated' });
      expect(delta.model).toBe(delta.nodeId === 'left' ? 'gpt-5.4' : 'claude-sonnet-4-6');
    }
  });

  test('order is preserved per node, and concurrent nodes interleave as they stream', async () => {
    const { sy, wf } = parallel();
    const run = sy.run(wf, { n: 1 });
    const events = await collect(run);
    const result = await run.result;
    for (const id of ['left', 'right'] as const) {
      const own = events.filter((e) => e.nodeId === id).map((e) => e.type);
      expect(own[0]).toBe('node-start');
      expect(own.at(-1)).toBe('node-end');
      const text = events.flatMap((e) => (e.type === 'text-delta' && e.nodeId === id ? [e.text] : [])).join('');
      expect(text).toBe(result.outputs[id]);
    }
    const deltaNodes = events.filter((e) => e.type === 'text-delta').map((e) => e.nodeId);
    const switches = deltaNodes.filter((id, i) => i > 0 && id !== deltaNodes[i - 1]).length;
    expect(switches).toBeGreaterThan(1);
  });

  test('two consumers iterating at once both see every event, in the same order', async () => {
    const { sy, wf } = parallel();
    const run = sy.run(wf, { n: 1 });
    const [a, b] = await Promise.all([collect(run), collect(run)]);
    expect(a.length).toBeGreaterThan(10);
    expect(b).toEqual(a);
  });

  test('breaking out of a loop detaches that consumer only; the run and other consumers go on', async () => {
    const { sy, wf } = parallel();
    const run = sy.run(wf, { n: 1 });
    const full = collect(run);
    let seen = 0;
    for await (const event of run) {
      if (event.type === 'text-delta' && ++seen === 2) break;
    }
    const result = await run.result;
    expect(result.status).toBe('succeeded');
    expect((await full).at(-1)?.type).toBe('run-end');
  });

  test('run.on / once / off deliver the same events as the iterator', async () => {
    const { sy, wf } = parallel();
    const run = sy.run(wf, { n: 1 });
    const all: RunEvent[] = [];
    const deltas: string[] = [];
    let starts = 0;
    const onStart = () => starts++;
    run.on('*', (event) => all.push(event));
    run.on('text-delta', (event) => deltas.push(event.text));
    run.once('node-start', onStart);
    const iterated = await collect(run);
    await run.result;
    expect(all).toEqual(iterated);
    expect(deltas.join('')).toBe(iterated.flatMap((e) => (e.type === 'text-delta' ? [e.text] : [])).join(''));
    expect(starts).toBe(1);

    const second = sy.run(wf, { n: 1 });
    let count = 0;
    const handler = () => count++;
    second.on('text-delta', handler).off('text-delta', handler);
    await second.result;
    expect(count).toBe(0);
  });

  test('a consumer thousands of events behind reads every one, in order, however its reads and the stream interleave', async () => {
    const words = Array.from({ length: 600 }, (_, i) => `w${i}`).join(' ');
    const sy = createSwitchyard({ providers: [simulated({ reply: { text: words } })] });
    const nodes = Array.from({ length: 12 }, (_, i) => ({ kind: 'llm' as const, id: `n${i}`, model: 'gpt-5.4', prompt: `node ${i}` }));
    const run = sy.run(workflow({ name: 'behind', input, nodes }), { n: 1 });
    const events: RunEvent[] = [];
    for await (const event of run) {
      events.push(event);
      // Now and then the consumer pauses for a macrotask: the streams run ahead, and its buffer fills again.
      if (events.length % 997 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    const result = await run.result;
    expect(events.filter((e) => e.type === 'text-delta')).toHaveLength(12 * 600);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    for (const node of nodes) {
      const text = events.flatMap((e) => (e.type === 'text-delta' && e.nodeId === node.id ? [e.text] : [])).join('');
      expect(text).toBe(result.outputs[node.id]);
    }
  });

  test('a handler of one type sees the seq numbers of the whole stream (an event nobody listens to keeps its number)', async () => {
    // A chain streams in one order every time; the hub builds only the events someone listens to.
    const chain = () => {
      const sy = createSwitchyard({ providers: [simulated({ reply: { text: 'one two three' } })] });
      const wf = workflow({ name: 'chain', input })
        .llm('a', { model: 'gpt-5.4', prompt: 'a' })
        .llm('b', { model: 'gpt-5.4', after: ['a'], prompt: 'b' })
        .step('c', { after: ['b'], run: ({ b }) => b.length });
      return sy.run(wf, { n: 1 });
    };
    const all: RunEvent[] = [];
    const whole = chain();
    whole.on('*', (e) => all.push(e));
    await whole.result;
    const ends: RunEvent[] = [];
    const some = chain();
    some.on('node-end', (e) => ends.push(e));
    await some.result;
    const expected = all.filter((e) => e.type === 'node-end').map((e) => [e.nodeId, e.seq]);
    expect(expected).toHaveLength(3);
    expect(ends.map((e) => [e.nodeId, e.seq])).toEqual(expected);
    expect(all.map((e) => e.seq)).toEqual(all.map((_, i) => i + 1));
  });

  test('a late consumer sees only what is emitted after it attaches; after the end, nothing', async () => {
    const { sy, wf } = parallel(5);
    const run = sy.run(wf, { n: 1 });
    const late = await new Promise<RunEvent[]>((resolve) => {
      run.once('node-end', () => resolve(collect(run)));
    });
    expect(late[0]!.seq).toBeGreaterThan(1);
    expect(late.at(-1)?.type).toBe('run-end');
    await run.result;
    expect(await collect(run)).toEqual([]);
  });

  test('events of a map item carry the item index', async () => {
    const sy = createSwitchyard({ providers: [simulated()] });
    const wf = workflow({ name: 'items', input }).map('each', {
      over: ({ input: i }) => Array.from({ length: i.n }, (_, k) => k),
      node: { model: 'gpt-5.4', prompt: (k) => `item ${k}` },
    });
    const events = await collect(sy.run(wf, { n: 3 }));
    const byItem = new Map<number | undefined, string>();
    for (const e of events) if (e.type === 'text-delta') byItem.set(e.item, (byItem.get(e.item) ?? '') + e.text);
    expect([...byItem.keys()].sort()).toEqual([0, 1, 2]);
    expect(byItem.get(1)).toContain('item 1');
  });
});

describe('memory', () => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const heapMb = () => {
    gc();
    return process.memoryUsage().heapUsed / 1e6;
  };

  /** 50 items × 2,000 chunks: 100,000 text-delta events (about 25 MB of event objects if they were held). */
  function heavy(measure: (mb: number) => void) {
    const sy = createSwitchyard({ providers: [simulated({ reply: { text: Array(2000).fill('w').join(' ') } })] });
    let before = 0;
    const wf = workflow({ name: 'heavy', input })
      .step('start', { run: () => (before = heapMb()) })
      .map('each', {
        after: ['start'],
        over: ({ input: i }) => Array.from({ length: i.n }, (_, k) => k),
        node: { model: 'gpt-5.4', prompt: (k) => `item ${k}` },
      })
      // Runs after every text-delta was emitted, before the run ends: buffered events would still be held.
      .step('measure', { after: ['each'], run: () => measure(heapMb() - before) });
    return { sy, wf };
  }

  test('a run nobody iterates, or whose consumer broke out, does not buffer its events', async () => {
    let growth = Number.NaN;
    const { sy, wf } = heavy((mb) => (growth = mb));
    await sy.run(wf, { n: 50 }).result; // warm-up: token counters and code paths load once

    // Control: an attached consumer that has not read yet holds every event.
    const held = sy.run(wf, { n: 50 });
    const iterator = held[Symbol.asyncIterator]();
    await held.result;
    const heldGrowth = growth;
    await iterator.return?.();

    expect((await sy.run(wf, { n: 50 }).result).status).toBe('succeeded');
    const nobodyGrowth = growth;

    const broken = sy.run(wf, { n: 50 });
    for await (const event of broken) if (event.type === 'node-start') break;
    await broken.result;
    const brokenGrowth = growth;

    expect(heldGrowth).toBeGreaterThan(12);
    expect(nobodyGrowth).toBeLessThan(heldGrowth / 2);
    expect(brokenGrowth).toBeLessThan(heldGrowth / 2);
  });
});
