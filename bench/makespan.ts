import { criticalPathMs, depthOf, randomDag, superstepMs, twoBranch, type Graph } from './graphs.js';
import { runIdealDataflow } from './ideal-dataflow.js';
import { langGraphWorker } from './langgraph-client.js';
import { interleave, median } from './stats.js';
import { latencyProvider, runFresh, switchyardOn, toWorkflow } from './switchyard-graph.js';

/** One graph's makespans (medians, ms) next to its critical path. */
export interface MakespanRow {
  graph: string;
  nodes: number;
  depth: number;
  reps: number;
  criticalPathMs: number;
  /** What LangGraph's supersteps would take with perfect timers. */
  superstepModelMs: number;
  idealMs: number;
  switchyardMs: number;
  langgraphMs: number;
}

export interface MakespanOptions {
  /** Repetitions of the two-branch case and of each random DAG. */
  reps: { twoBranch: number; dag: number };
  dagSeeds: readonly number[];
  dagNodes: number;
}

export const DEFAULT_MAKESPAN: MakespanOptions = { reps: { twoBranch: 7, dag: 5 }, dagSeeds: [1, 2], dagNodes: 300 };

/** The DAG shape of benchmark 1: uneven latencies 5–50 ms, 1–3 dependencies among the 100 nodes before. */
export function makespanDag(seed: number, nodes: number): Graph {
  return randomDag({ seed, nodes, roots: 8, window: 100, maxDeps: 3, minMs: 5, maxMs: 50 });
}

async function measure(graph: Graph, reps: number): Promise<MakespanRow> {
  const sim = latencyProvider();
  const sy = switchyardOn(sim);
  const wf = toWorkflow(graph, 'llm');
  const langgraph = langGraphWorker();
  const samples = await interleave(reps, [
    // Each warmed up once on this graph first (the first run of a shape pays for JIT compilation).
    { name: 'ideal', run: () => runIdealDataflow(graph), warmup: 1 },
    { name: 'switchyard', run: () => runFresh(sy, sim, wf), warmup: 1 },
    { name: 'langgraph', measure: () => langgraph.invoke(graph), warmup: 1 },
  ], 'round');
  return {
    graph: graph.name,
    nodes: graph.nodes.length,
    depth: depthOf(graph),
    reps,
    criticalPathMs: criticalPathMs(graph),
    superstepModelMs: superstepMs(graph),
    idealMs: median(samples.get('ideal')!.map((t) => t.ms)),
    switchyardMs: median(samples.get('switchyard')!.map((t) => t.ms)),
    langgraphMs: median(samples.get('langgraph')!.map((t) => t.ms)),
  };
}

/**
 * Benchmark 1: makespan over critical path. Switchyard runs `.llm` nodes on the simulated provider, each reply
 * delayed by its node's latency (`firstTokenMs`); LangGraph runs the same graph with nodes that sleep as long;
 * the ideal is bare promises + setTimeout. Repetitions are interleaved.
 */
export async function runMakespan(options: MakespanOptions = DEFAULT_MAKESPAN): Promise<MakespanRow[]> {
  const rows = [await measure(twoBranch(), options.reps.twoBranch)];
  for (const seed of options.dagSeeds) rows.push(await measure(makespanDag(seed, options.dagNodes), options.reps.dag));
  return rows;
}
