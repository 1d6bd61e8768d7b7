import { chain, fanOut, randomDag, type Graph } from './graphs.js';
import { langGraphWorker } from './langgraph-client.js';
import { interleave, median, type Contender } from './stats.js';
import { bareProvider, runFresh, runToEnd, switchyardOn, toWorkflow, zeroLatencyProvider } from './switchyard-graph.js';

/** The engines compared at zero model latency. */
export const OVERHEAD_CONTENDERS = ['sy-llm', 'sy-llm-fullgc', 'sy-llm-bare', 'sy-step', 'langgraph'] as const;
export type OverheadContender = (typeof OVERHEAD_CONTENDERS)[number];

export const CONTENDER_LABELS: Record<OverheadContender, string> = {
  'sy-llm': 'switchyard .llm on simulated()',
  'sy-llm-fullgc': 'the same, after a full gc() each',
  'sy-llm-bare': 'switchyard .llm on a bare provider',
  'sy-step': 'switchyard .step',
  langgraph: 'LangGraph StateGraph',
};

/** One (shape, engine) measurement: median wall time of a whole run and per node. */
export interface OverheadRow {
  shape: string;
  /** Groups sizes of one shape (chain, dag, fan-out) for the growth figure. */
  family: 'chain' | 'dag' | 'fan-out';
  nodes: number;
  contender: OverheadContender;
  reps: number;
  medianMs: number;
  usPerNode: number;
  /** Median process CPU time per node (all threads), µs. */
  cpuUsPerNode: number;
  minMs: number;
  maxMs: number;
}

export interface OverheadCase {
  graph: Graph;
  family: OverheadRow['family'];
  /** Whether LangGraph runs this size (its cost per step grows with the graph: 10,000 nodes take ~a minute). */
  langgraph: boolean;
  /** Repetitions for this case, when not the defaults. */
  reps?: Partial<OverheadOptions['reps']>;
}

export interface OverheadOptions {
  cases: OverheadCase[];
  reps: { switchyard: number; langgraph: number };
}

const zeroDag = (nodes: number) => randomDag({ seed: 7, nodes, roots: 8, window: 100, maxDeps: 3 });

/** 10,000-node runs: fewer repetitions (each is long enough to average out short bursts of load). */
const LARGE = { switchyard: 5, langgraph: 1 };

export function defaultOverheadCases(langgraph10k = false): OverheadCase[] {
  return [
    { graph: chain(1_000), family: 'chain', langgraph: true },
    { graph: chain(10_000), family: 'chain', langgraph: langgraph10k, reps: LARGE },
    { graph: zeroDag(1_000), family: 'dag', langgraph: true },
    { graph: zeroDag(10_000), family: 'dag', langgraph: langgraph10k, reps: LARGE },
    { graph: fanOut(2_000), family: 'fan-out', langgraph: true },
  ];
}

export const DEFAULT_OVERHEAD: OverheadOptions = { cases: defaultOverheadCases(), reps: { switchyard: 9, langgraph: 3 } };

function contendersFor(item: OverheadCase): Array<Contender & { name: OverheadContender }> {
  const { graph } = item;
  const sim = zeroLatencyProvider();
  const simulatedSy = switchyardOn(sim);
  const bareSy = switchyardOn(bareProvider());
  const llm = toWorkflow(graph, 'llm');
  const step = toWorkflow(graph, 'step');
  const list: Array<Contender & { name: OverheadContender }> = [
    { name: 'sy-llm', run: () => runFresh(simulatedSy, sim, llm), warmup: 1 },
    // The same runs after a full, memory-reducing gc() each (how this page measured until 2026-11-25; see GcKind).
    { name: 'sy-llm-fullgc', run: () => runFresh(simulatedSy, sim, llm), gc: 'full' },
    { name: 'sy-llm-bare', run: () => runToEnd(bareSy, llm), warmup: 1 },
    { name: 'sy-step', run: () => runToEnd(bareSy, step), warmup: 1 },
  ];
  if (item.langgraph) {
    const langgraph = langGraphWorker();
    list.push({ name: 'langgraph', measure: () => langgraph.invoke(graph) });
  }
  return list;
}

/**
 * Benchmark 2: engine overhead per node at zero model latency — wall time of a whole run (validation, scheduling,
 * every node's model call or step, every event, the result) divided by the node count. No stream consumer is
 * attached. LangGraph's reps run apart from switchyard's (it takes seconds where switchyard takes milliseconds).
 */
export async function runOverhead(options: OverheadOptions = DEFAULT_OVERHEAD): Promise<OverheadRow[]> {
  const rows: OverheadRow[] = [];
  for (const item of options.cases) {
    const contenders = contendersFor(item);
    // The full-GC runs come after the others, not interleaved with them: the run after a memory-reducing GC pays
    // for it, whichever contender that run belongs to.
    const sy = contenders.filter((c) => c.name !== 'langgraph' && c.gc !== 'full');
    const fullGc = contenders.filter((c) => c.gc === 'full');
    const lg = contenders.filter((c) => c.name === 'langgraph');
    const reps = { ...options.reps, ...item.reps };
    const samples = new Map([
      ...(await interleave(reps.switchyard, sy)),
      ...(await interleave(reps.switchyard, fullGc)),
      ...(await interleave(reps.langgraph, lg)),
    ]);
    for (const contender of contenders) {
      const timings = samples.get(contender.name)!;
      const values = timings.map((t) => t.ms);
      const ms = median(values);
      rows.push({
        shape: item.graph.name,
        family: item.family,
        nodes: item.graph.nodes.length,
        contender: contender.name,
        reps: values.length,
        medianMs: ms,
        usPerNode: (ms * 1000) / item.graph.nodes.length,
        cpuUsPerNode: (median(timings.map((t) => t.cpuMs)) * 1000) / item.graph.nodes.length,
        minMs: Math.min(...values),
        maxMs: Math.max(...values),
      });
    }
  }
  return rows;
}
