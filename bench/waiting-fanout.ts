import { fanOut, type Graph } from './graphs.js';
import { runIdealDataflow } from './ideal-dataflow.js';
import { closeLangGraphWorker, langGraphWorker } from './langgraph-client.js';
import { currentLoad, machineLine } from './machine.js';
import { closeMastraWorker, mastraWorker } from './mastra-client.js';
import { fmt, interleave, median } from './stats.js';
import { latencyProvider, runFresh, runToEnd, switchyardOn, toWorkflow } from './switchyard-graph.js';
import { option } from './cli.js';

/**
 * The waiting fan-out: one source → `width` nodes that each wait `latencyMs` → one join. The critical path is
 * `latencyMs`; what a run takes beyond it is the engine's cost of starting, holding and finishing `width` calls
 * that are all in flight at once. Three contenders side by side, repetitions interleaved:
 * bare promises + setTimeout (the floor), `.step` nodes that sleep, `.llm` nodes on simulated() whose reply
 * waits `latencyMs` before its first token.
 *
 *   npm run bench:fan-out-wait -- [--widths=250,1000,4000] [--latency=100] [--reps=7] [--langgraph] [--mastra]
 * `--langgraph` adds LangGraph.js (StateGraph nodes that sleep as long, in its worker thread: see langgraph-worker.ts);
 * `--mastra` adds Mastra (a workflow of steps that sleep as long, in its worker thread: see peers/mastra-worker.ts;
 * `npm run bench:peers` installs it).
 *   (against the build in dist/, see use-dist.mjs; `npx tsx bench/<file>.ts` runs it on src/)
 */

export interface WaitingFanOutRow {
  width: number;
  criticalPathMs: number;
  reps: number;
  /** Median makespan and CPU time (ms) per contender. */
  ms: Record<Contender, number>;
  cpuMs: Record<Contender, number>;
  /** Fastest and slowest `.llm` makespan (ms): GC makes this one spread. */
  llmRange: [number, number];
  /**
   * ms from a run's start to the moment its last wide node began waiting (`.step`: its sleep; `.llm`: its request
   * reached the provider): the start phase, median and range. The makespan is about this plus the latency, since
   * the nodes finish in the order they started.
   */
  lastStartMs: { step: number; llm: number; llmRange: [number, number] };
  /** LangGraph's median makespan (ms), when it ran. */
  langgraphMs?: number;
  /** Mastra's median makespan (ms), when it ran. */
  mastraMs?: number;
}

const CONTENDERS = ['ideal', 'step', 'llm'] as const;
type Contender = (typeof CONTENDERS)[number];

/** The fan-out with every wide node waiting `latencyMs` (source and join take no time). */
export function waitingFanOut(width: number, latencyMs: number): Graph {
  const graph = fanOut(width);
  for (const node of graph.nodes) if (node.id !== 'source' && node.id !== 'join') node.latencyMs = latencyMs;
  return { ...graph, name: `waiting fan-out ${width} × ${latencyMs} ms` };
}

/** Peers to run beside switchyard, each in its worker thread. */
export interface Peers {
  langgraph?: boolean;
  mastra?: boolean;
}

export async function measureWaitingFanOut(width: number, latencyMs: number, reps: number, peers: Peers = {}): Promise<WaitingFanOutRow> {
  const graph = waitingFanOut(width, latencyMs);
  // The start phase: when each run began, and when its latest wide node began to wait.
  let runStart = 0;
  let lastStart = 0;
  const started = () => (lastStart = performance.now());
  const lastStarts = { step: [] as number[], llm: [] as number[] };
  const timed = (kind: 'step' | 'llm', run: () => Promise<unknown>) => async () => {
    runStart = performance.now();
    await run();
    lastStarts[kind].push(lastStart - runStart);
  };
  const sim = latencyProvider(started);
  const sy = switchyardOn(sim);
  const llm = toWorkflow(graph, 'llm');
  const step = toWorkflow(graph, 'step', started);
  const samples = await interleave(reps, [
    { name: 'ideal', run: () => runIdealDataflow(graph), warmup: 1 },
    { name: 'step', run: timed('step', () => runToEnd(sy, step)), warmup: 1 },
    { name: 'llm', run: timed('llm', () => runFresh(sy, sim, llm)), warmup: 1 },
    ...(peers.langgraph ? [{ name: 'langgraph', measure: () => langGraphWorker().invoke(graph), warmup: 1 }] : []),
    ...(peers.mastra ? [{ name: 'mastra', measure: () => mastraWorker().invoke(graph), warmup: 1 }] : []),
  ]);
  const pick = (key: 'ms' | 'cpuMs') =>
    Object.fromEntries(CONTENDERS.map((c) => [c, median(samples.get(c)!.map((t) => t[key]))])) as Record<Contender, number>;
  const llmMs = samples.get('llm')!.map((t) => t.ms);
  // The warm-up runs are not counted: the last `reps` of each list are the measured ones.
  const llmStarts = lastStarts.llm.slice(-reps);
  const lastStartMs = {
    step: median(lastStarts.step.slice(-reps)),
    llm: median(llmStarts),
    llmRange: [Math.min(...llmStarts), Math.max(...llmStarts)] as [number, number],
  };
  const row: WaitingFanOutRow = {
    width,
    criticalPathMs: latencyMs,
    reps,
    ms: pick('ms'),
    cpuMs: pick('cpuMs'),
    llmRange: [Math.min(...llmMs), Math.max(...llmMs)],
    lastStartMs,
  };
  if (peers.langgraph) row.langgraphMs = median(samples.get('langgraph')!.map((t) => t.ms));
  if (peers.mastra) row.mastraMs = median(samples.get('mastra')!.map((t) => t.ms));
  return row;
}

export function renderWaitingFanOut(rows: readonly WaitingFanOutRow[]): string {
  const lines = [
    '| Width | Critical path ms | bare promises ms | .step ms | .llm ms (range) | bare promises / CP | .step / CP | .llm / CP | LangGraph / CP | Mastra / CP | CPU µs per node: bare / .step / .llm | last node started at, ms: .step / .llm (range) |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    const cp = r.criticalPathMs;
    const perNode = (c: Contender) => fmt.us((r.cpuMs[c] * 1000) / (r.width + 2));
    lines.push(
      `| ${fmt.int(r.width)} | ${cp} | ${fmt.ms(r.ms.ideal)} | ${fmt.ms(r.ms.step)} | ${fmt.ms(r.ms.llm)} (${fmt.ms(r.llmRange[0])}–${fmt.ms(r.llmRange[1])}) | ` +
        `${fmt.ratio(r.ms.ideal / cp)} | ${fmt.ratio(r.ms.step / cp)} | **${fmt.ratio(r.ms.llm / cp)}** | ` +
        `${r.langgraphMs === undefined ? 'not run' : fmt.ratio(r.langgraphMs / cp)} | ` +
        `${r.mastraMs === undefined ? 'not run' : fmt.ratio(r.mastraMs / cp)} | ` +
        `${perNode('ideal')} / ${perNode('step')} / ${perNode('llm')} | ${fmt.ms(r.lastStartMs.step)} / ${fmt.ms(r.lastStartMs.llm)} (${fmt.ms(r.lastStartMs.llmRange[0])}–${fmt.ms(r.lastStartMs.llmRange[1])}) |`,
    );
  }
  return lines.join('\n');
}


async function main(): Promise<void> {
  const widths = (option('widths') ?? '250,1000,4000').split(',').map(Number);
  const latencyMs = Number(option('latency') ?? 100);
  const reps = Number(option('reps') ?? 7);
  console.log(machineLine());
  const rows: WaitingFanOutRow[] = [];
  for (const width of widths) {
    const peers = { langgraph: process.argv.includes('--langgraph'), mastra: process.argv.includes('--mastra') };
    rows.push(await measureWaitingFanOut(width, latencyMs, reps, peers));
    console.log(`  width ${width} done (load ${currentLoad()})`);
  }
  await closeLangGraphWorker();
  await closeMastraWorker();
  console.log(`\nMedians of ${reps} interleaved repetitions (minor GC before each); load at the end ${currentLoad()}\n`);
  console.log(renderWaitingFanOut(rows));
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
