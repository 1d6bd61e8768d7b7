import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import { createSwitchyard, type Provider } from '../src/index.js';
import { runEssential } from './essential-node.js';
import { fanOut } from './graphs.js';
import { currentLoad, machineLine } from './machine.js';
import { collectGarbage, fmt, median, sleep } from './stats.js';
import { BENCH_MODEL, bareProvider, latencyProvider, runToEnd, switchyardOn, toWorkflow } from './switchyard-graph.js';
import { option } from './cli.js';

/**
 * Live memory per in-flight node: start a fan-out of N nodes that all wait, wait until all N are in flight, force
 * a full GC, and read `heapUsed`; minus the heap after a full GC before the run, over N. Contenders:
 * - bare promises: N promises each waiting on a timer (the floor);
 * - essential `.llm` on a gated provider: the least an `.llm` node can hold (essential-node.ts), on the same provider
 *   as the gated `.llm` below — the floor for a redesign of the call path; and on simulated(), as `.llm` below;
 * - `.step`: N step nodes each awaiting a timer;
 * - `.llm` on simulated(): N calls each in simulated()'s wait for the first token (its request record included);
 * - `.llm` on a gated provider: a provider whose stream awaits one shared promise — the engine's share alone;
 * - `sy.stream` calls on a gated provider: N calls at once, each read by a for-await loop, each waiting on the same
 *   promise — a run per call (the engine's share of one in-flight `sy.stream` call, its run included).
 *
 *   npm run bench:memory -- [--nodes=4000] [--reps=3]
 *   (against the build in dist/, see use-dist.mjs; `npx tsx bench/<file>.ts` runs it on src/)
 *   npm run bench:memory -- --snapshot   # also a heap snapshot per contender with the nodes in flight,
 *                                                 # summarized by bench/heap-summary.ts
 */

const HOLD_MS = 1500;

type Contender = 'bare promises' | 'essential .llm on a gated provider' | 'essential .llm on simulated()' | '.step' | '.llm on simulated()' | '.llm on a gated provider' | 'sy.stream calls on a gated provider';

interface Gate {
  promise: Promise<void>;
  /** Calls that reached the gate since it was closed. */
  started: number;
}

/**
 * A provider whose calls wait on `gate` before one delta, usage and finish (no timer, no signal); the first
 * `passing` calls after the gate closed do not wait (1 for a fan-out: its source).
 */
function gatedProvider(gate: Gate, passing: number): Provider {
  return bareProvider(() => (gate.started++ >= passing ? gate.promise : undefined));
}

/** Closes the gate (calls from now on wait) and returns the function that opens it. */
function close(gate: Gate): () => void {
  let open!: () => void;
  gate.promise = new Promise<void>((resolve) => (open = resolve));
  gate.started = 0;
  return open;
}

async function until(ready: () => boolean): Promise<void> {
  while (!ready()) await sleep(5);
  await sleep(20);
}

/** Heap growth per node while `n` nodes are in flight: `start` starts them and returns when all run to the end. */
async function perNode(
  n: number,
  start: () => { ready: () => boolean; done: Promise<unknown>; release?: () => void },
  snapshot?: string,
): Promise<number> {
  collectGarbage('full');
  await sleep(40);
  collectGarbage('full');
  const before = process.memoryUsage().heapUsed;
  if (snapshot !== undefined) writeHeapSnapshot(`${snapshot}.before`);
  const { ready, done, release } = start();
  await until(ready);
  collectGarbage('full');
  const during = process.memoryUsage().heapUsed;
  if (snapshot !== undefined) console.log(`  heap snapshot: ${writeHeapSnapshot(snapshot)}`);
  release?.();
  await done;
  return (during - before) / n;
}

function contenders(n: number): Record<Contender, () => { ready: () => boolean; done: Promise<unknown>; release?: () => void }> {
  const graph = fanOut(n);
  for (const node of graph.nodes) if (node.id !== 'source' && node.id !== 'join') node.latencyMs = HOLD_MS;
  const sim = latencyProvider();
  const sy = switchyardOn(sim);
  const llm = toWorkflow(graph, 'llm');
  const gate: Gate = { promise: Promise.resolve(), started: 0 };
  const gated = createSwitchyard({ providers: [gatedProvider(gate, 1)] });
  const perCall = createSwitchyard({ providers: [gatedProvider(gate, 0)] });
  let stepsStarted = 0;
  // Made once, before any run: the workflow's definition (its nodes and their callbacks) is not in-flight state.
  const step = toWorkflow(graph, 'step', () => stepsStarted++);
  return {
    'bare promises': () => {
      let started = 0;
      const all = Array.from({ length: n }, () => Promise.resolve().then(() => (started++, sleep(HOLD_MS))));
      return { ready: () => started === n, done: Promise.all(all) };
    },
    'essential .llm on a gated provider': () => {
      const release = close(gate);
      return { ready: () => gate.started === n + 1, done: runEssential(graph, gatedProvider(gate, 1)), release };
    },
    'essential .llm on simulated()': () => {
      sim.reset();
      return { ready: () => sim.requests.length === n + 1, done: runEssential(graph, sim) };
    },
    '.step': () => {
      stepsStarted = 0;
      return { ready: () => stepsStarted === n, done: runToEnd(sy, step) };
    },
    '.llm on simulated()': () => {
      sim.reset();
      return { ready: () => sim.requests.length === n + 1, done: runToEnd(sy, llm) };
    },
    '.llm on a gated provider': () => {
      const release = close(gate);
      return { ready: () => gate.started === n + 1, done: runToEnd(gated, llm), release };
    },
    'sy.stream calls on a gated provider': () => {
      const release = close(gate);
      const calls = Array.from({ length: n }, async () => {
        const call = perCall.stream({ model: BENCH_MODEL, prompt: 'x' });
        for await (const _event of call);
        await call.result;
      });
      return { ready: () => gate.started === n, done: Promise.all(calls), release };
    },
  };
}

async function main(): Promise<void> {
  const n = Number(option('nodes') ?? 4000);
  const reps = Number(option('reps') ?? 3);
  console.log(machineLine());
  const cases = contenders(n);
  const samples = new Map<Contender, number[]>();
  for (let rep = -1; rep < reps; rep++) {
    for (const [name, start] of Object.entries(cases) as Array<[Contender, (typeof cases)[Contender]]>) {
      const snapshot = rep === 0 && process.argv.includes('--snapshot') ? join(tmpdir(), `inflight-${name.replace(/\W+/g, '-')}.heapsnapshot`) : undefined;
      const bytes = await perNode(n, start, snapshot);
      if (process.argv.includes('--verbose')) console.log(`  ${name}: ${fmt.int(bytes)} B/node`);
      if (rep >= 0) samples.set(name, [...(samples.get(name) ?? []), bytes]);
    }
  }
  console.log(`\n${fmt.int(n)} nodes in flight; heap after a full GC, minus the heap before the run, over N; median of ${reps} (load ${currentLoad()})\n`);
  console.log('| In flight | bytes per node (median) | runs |');
  console.log('|---|---|---|');
  for (const [name, values] of samples) {
    console.log(`| ${name} | ${fmt.int(median(values))} | ${values.map((v) => fmt.int(v)).join(', ')} |`);
  }
}

await main();
