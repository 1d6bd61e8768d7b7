import { randomInt, seededRandom } from './stats.js';

/** One task of a benchmark graph, independent of the engine that runs it. */
export interface GraphNode {
  id: string;
  /** Ids of earlier nodes this one waits for. */
  deps: string[];
  /** Simulated model latency (time to the reply), in ms; 0 for the overhead benchmarks. */
  latencyMs: number;
}

/** A benchmark graph: nodes in topological order. */
export interface Graph {
  name: string;
  nodes: GraphNode[];
}

/** a1(100ms)→a2(100ms) ∥ b1(10ms)→b2(190ms): critical path 200 ms; supersteps make it 100 + 190 = 290 ms. */
export function twoBranch(): Graph {
  return {
    name: 'two-branch a1→a2 ∥ b1→b2',
    nodes: [
      { id: 'a1', deps: [], latencyMs: 100 },
      { id: 'b1', deps: [], latencyMs: 10 },
      { id: 'a2', deps: ['a1'], latencyMs: 100 },
      { id: 'b2', deps: ['b1'], latencyMs: 190 },
    ],
  };
}

export interface RandomDagOptions {
  seed: number;
  nodes: number;
  /** Nodes without dependencies at the start. */
  roots?: number;
  /** Each node draws its 1..maxDeps dependencies among the `window` nodes before it. */
  window?: number;
  maxDeps?: number;
  /** Latency range in ms (uniform); both 0 for overhead runs. */
  minMs?: number;
  maxMs?: number;
}

/**
 * A seeded random DAG: node i depends on 1..maxDeps distinct nodes drawn from the `window` nodes before it, so
 * paths of very different hop counts and latencies cross (what a superstep scheduler pays for).
 */
export function randomDag(options: RandomDagOptions): Graph {
  const { seed, nodes: count, roots = 8, window = 40, maxDeps = 3, minMs = 0, maxMs = 0 } = options;
  const random = seededRandom(seed);
  const nodes: GraphNode[] = [];
  for (let i = 0; i < count; i++) {
    const deps = new Set<string>();
    if (i >= roots) {
      const want = randomInt(random, 1, maxDeps);
      const from = Math.max(0, i - window);
      while (deps.size < Math.min(want, i - from)) deps.add(`n${randomInt(random, from, i - 1)}`);
    }
    nodes.push({ id: `n${i}`, deps: [...deps], latencyMs: maxMs > 0 ? randomInt(random, minMs, maxMs) : 0 });
  }
  const latency = maxMs > 0 ? `, ${minMs}–${maxMs} ms` : '';
  return { name: `random DAG ${count} nodes (seed ${seed}${latency})`, nodes };
}

/**
 * The 100-node random DAG of the small-graph, fixed-cost and ablation benchmarks (seed 7, 1–3 dependencies among
 * the 100 nodes before); with `maxMs`, each node waits 1..maxMs ms.
 */
export function smallDag(maxMs = 0): Graph {
  return randomDag({ seed: 7, nodes: 100, roots: 8, window: 100, maxDeps: 3, minMs: maxMs > 0 ? 1 : 0, maxMs });
}

/** n nodes, each waiting for the one before. */
export function chain(count: number): Graph {
  const nodes: GraphNode[] = [];
  for (let i = 0; i < count; i++) nodes.push({ id: `n${i}`, deps: i === 0 ? [] : [`n${i - 1}`], latencyMs: 0 });
  return { name: `chain ${count}`, nodes };
}

/** One source → `width` parallel nodes → one join (width + 2 nodes). */
export function fanOut(width: number): Graph {
  const nodes: GraphNode[] = [{ id: 'source', deps: [], latencyMs: 0 }];
  const wide: string[] = [];
  for (let i = 0; i < width; i++) {
    nodes.push({ id: `f${i}`, deps: ['source'], latencyMs: 0 });
    wide.push(`f${i}`);
  }
  nodes.push({ id: 'join', deps: wide, latencyMs: 0 });
  return { name: `fan-out ${width} (source → ${width} → join)`, nodes };
}

/** Length of the longest latency-weighted path: the least any scheduler can take. */
export function criticalPathMs(graph: Graph): number {
  const finish = new Map<string, number>();
  let longest = 0;
  for (const node of graph.nodes) {
    let start = 0;
    for (const dep of node.deps) start = Math.max(start, finish.get(dep)!);
    const end = start + node.latencyMs;
    finish.set(node.id, end);
    longest = Math.max(longest, end);
  }
  return longest;
}

/**
 * What a superstep scheduler takes when it waits for every dependency (LangGraph's waiting edges): a node runs in
 * step 1 + max(step of its deps), and each step lasts as long as its slowest node.
 */
export function superstepMs(graph: Graph): number {
  const step = new Map<string, number>();
  const slowest: number[] = [];
  for (const node of graph.nodes) {
    let s = 0;
    for (const dep of node.deps) s = Math.max(s, step.get(dep)! + 1);
    step.set(node.id, s);
    slowest[s] = Math.max(slowest[s] ?? 0, node.latencyMs);
  }
  return slowest.reduce((sum, ms) => sum + ms, 0);
}

/** Hop count of the longest path (the number of supersteps). */
export function depthOf(graph: Graph): number {
  const level = new Map<string, number>();
  let deepest = 0;
  for (const node of graph.nodes) {
    let l = 1;
    for (const dep of node.deps) l = Math.max(l, level.get(dep)! + 1);
    level.set(node.id, l);
    deepest = Math.max(deepest, l);
  }
  return deepest;
}
