import { criticalPathMs, depthOf, fanOut, smallDag, superstepMs, type Graph } from './graphs.js';
import { runEssential } from './essential-node.js';
import { runIdealDataflow } from './ideal-dataflow.js';
import { currentLoad, machineLine, versionOf } from './machine.js';
import { closeMastraWorker, mastraWorker } from './mastra-client.js';
import { fmt, interleave, median, type Contender, type Timing } from './stats.js';
import { latencyProvider, runFresh, runToEnd, switchyardOn, toWorkflow, zeroLatencyProvider } from './switchyard-graph.js';
import { option } from './cli.js';

/**
 * Small graphs, where a run's fixed cost shows: 100-node graphs (a seeded random DAG and a fan-out), at zero
 * latency and with a small one, run one after another. Side by side in one process, repetitions interleaved (a
 * minor GC before each): bare promises (the floor), the essential `.llm` node on the same simulated() (the floor
 * of a redesign of the call path: essential-node.ts), switchyard `.step` and `.llm` on simulated(), and Mastra
 * (its workflow engine, in a worker thread: see peers/mastra-worker.ts). A repetition is a batch of `--batch` runs
 * in a row; the figure is its time per run.
 *
 *   npm run bench:small-graphs -- [--reps=9] [--batch=10]
 *   (against the build in dist/, see use-dist.mjs; installs Mastra first: `npm run bench:peers`)
 */

export interface SmallGraphRow {
  graph: string;
  nodes: number;
  depth: number;
  criticalPathMs: number;
  superstepModelMs: number;
  /** Median time and CPU per run, ms, by contender. */
  ms: Record<SmallContender, number>;
  cpuMs: Record<SmallContender, number>;
}

export const SMALL_CONTENDERS = ['ideal', 'essential', 'step', 'llm', 'mastra'] as const;
export type SmallContender = (typeof SMALL_CONTENDERS)[number];

/** The four graphs: a 100-node random DAG and a 100-node fan-out (source → 98 → join), without and with latency. */
export function smallGraphs(): Graph[] {
  const waiting = fanOut(98);
  for (const node of waiting.nodes) if (node.id !== 'source' && node.id !== 'join') node.latencyMs = 5;
  return [smallDag(), fanOut(98), smallDag(5), { ...waiting, name: `${waiting.name}, 5 ms each` }];
}

const WARM_UP_RUNS = 200;

async function batch(runs: number, one: () => Promise<unknown>): Promise<void> {
  for (let i = 0; i < runs; i++) await one();
}

export async function measureSmallGraph(graph: Graph, reps: number, runs: number): Promise<SmallGraphRow> {
  // At zero latency, simulated() with its default timing and a fixed reply, as in section 2's overhead runs; with
  // latency, the reply waits the node's latency before its first token (see latencyProvider).
  const sim = graph.nodes.some((node) => node.latencyMs > 0) ? latencyProvider() : zeroLatencyProvider();
  const sy = switchyardOn(sim);
  const llm = toWorkflow(graph, 'llm');
  const step = toWorkflow(graph, 'step');
  const mastra = mastraWorker();
  // Each warmed up on this graph with WARM_UP_RUNS runs first: the JIT is still compiling after a few dozen runs
  // (measured: the first 50 runs of a 100-node graph take 3–6× the steady time, the compiler threads busy).
  const warmup = Math.ceil(WARM_UP_RUNS / runs);
  const contenders: Contender[] = [
    { name: 'ideal', run: () => batch(runs, () => runIdealDataflow(graph)), warmup },
    { name: 'essential', run: () => batch(runs, () => runEssential(graph, sim)), warmup },
    { name: 'step', run: () => batch(runs, () => runToEnd(sy, step)), warmup },
    { name: 'llm', run: () => batch(runs, () => runFresh(sy, sim, llm)), warmup },
    { name: 'mastra', measure: () => mastra.invoke(graph, runs), warmup },
  ];
  const samples = await interleave(reps, contenders);
  const perRun = (key: keyof Timing) =>
    Object.fromEntries(SMALL_CONTENDERS.map((c) => [c, median(samples.get(c)!.map((t) => t[key]!)) / runs])) as Record<SmallContender, number>;
  return {
    graph: graph.name,
    nodes: graph.nodes.length,
    depth: depthOf(graph),
    criticalPathMs: criticalPathMs(graph),
    superstepModelMs: superstepMs(graph),
    ms: perRun('ms'),
    cpuMs: perRun('cpuMs'),
  };
}

export function renderSmallGraphs(rows: readonly SmallGraphRow[]): string {
  const lines = [
    '| Graph | Nodes | Depth | Critical path ms | Supersteps model ms | bare promises | essential .llm | switchyard .step | switchyard .llm | Mastra | Mastra / .llm, wall (CPU) | Mastra / essential .llm, wall (CPU) | Mastra / .step, wall (CPU) |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  const cell = (r: SmallGraphRow, c: SmallContender) => `${fmt.ms(r.ms[c])} (${fmt.ms(r.cpuMs[c])})`;
  const ratios = (r: SmallGraphRow, c: SmallContender) => `${fmt.x(r.ms.mastra / r.ms[c])} (${fmt.x(r.cpuMs.mastra / r.cpuMs[c])})`;
  for (const r of rows) {
    lines.push(
      `| ${r.graph} | ${r.nodes} | ${r.depth} | ${r.criticalPathMs} | ${r.superstepModelMs} | ${cell(r, 'ideal')} | ${cell(r, 'essential')} | ` +
        `${cell(r, 'step')} | ${cell(r, 'llm')} | ${cell(r, 'mastra')} | **${ratios(r, 'llm')}** | ${ratios(r, 'essential')} | ${ratios(r, 'step')} |`,
    );
  }
  return lines.join('\n');
}


async function main(): Promise<void> {
  const reps = Number(option('reps') ?? 9);
  const runs = Number(option('batch') ?? 10);
  console.log(machineLine());
  console.log(`@mastra/core ${versionOf('@mastra/core', 'bench/peers/')}`);
  await mastraWorker().warmUp();
  const rows: SmallGraphRow[] = [];
  for (const graph of smallGraphs()) {
    rows.push(await measureSmallGraph(graph, reps, runs));
    console.log(`  ${graph.name} done (load ${currentLoad()})`);
  }
  await closeMastraWorker();
  console.log(`\nms per run (CPU ms per run), medians of ${reps} interleaved batches of ${runs} runs; load at the end ${currentLoad()}\n`);
  console.log(renderSmallGraphs(rows));
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
