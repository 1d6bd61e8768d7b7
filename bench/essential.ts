import { runEssential } from './essential-node.js';
import { runIdealDataflow } from './ideal-dataflow.js';
import { currentLoad, machineLine } from './machine.js';
import { fmt, interleave, median } from './stats.js';
import { latencyProvider, runFresh, runToEnd, switchyardOn, timedBareProvider, toWorkflow } from './switchyard-graph.js';
import { waitingFanOut } from './waiting-fanout.js';
import { option } from './cli.js';

/**
 * How far a redesign of the call path could take the waiting fan-out: section 5's fan-out (one source → `width`
 * nodes that each wait `latencyMs` → one join), with the essential `.llm` node (essential-node.ts: routing, the
 * budget's reservation and settlement, a deadline and a cancel flag, an event per delta and per step, one object
 * and one async frame per node) beside switchyard's `.llm`, both on the same provider (`timedBareProvider`: a
 * timer, one delta, usage, finish), and both again on `simulated()` as section 5 runs it. Repetitions
 * interleaved, medians; the CPU per node is the process's (all threads) over the width + 2 nodes.
 *
 *   npm run bench:essential -- [--widths=250,1000,2000,4000] [--latency=100] [--reps=7]
 *   (against the build in dist/, see use-dist.mjs)
 */

const CONTENDERS = ['bare promises', 'essential .llm', 'switchyard .llm', 'essential .llm on simulated()', 'switchyard .llm on simulated()'] as const;
type Contender = (typeof CONTENDERS)[number];

interface Row {
  width: number;
  ms: Record<Contender, number>;
  cpuMs: Record<Contender, number>;
  /** ms from a run's start to when its last wide node began to wait, median. */
  lastStartMs: Partial<Record<Contender, number>>;
}

async function measure(width: number, latencyMs: number, reps: number): Promise<Row> {
  const graph = waitingFanOut(width, latencyMs);
  let runStart = 0;
  let lastStart = 0;
  const started = () => (lastStart = performance.now());
  const lastStarts = new Map<Contender, number[]>();
  const timed = (name: Contender, run: () => Promise<unknown>) => async () => {
    runStart = performance.now();
    await run();
    lastStarts.set(name, [...(lastStarts.get(name) ?? []), lastStart - runStart]);
  };
  const bare = timedBareProvider(started);
  const sim = latencyProvider(started);
  const onBare = switchyardOn(bare);
  const onSim = switchyardOn(sim);
  const llm = toWorkflow(graph, 'llm');
  const samples = await interleave(reps, [
    { name: 'bare promises', run: () => runIdealDataflow(graph), warmup: 1 },
    { name: 'essential .llm', run: timed('essential .llm', () => runEssential(graph, bare)), warmup: 1 },
    { name: 'switchyard .llm', run: timed('switchyard .llm', () => runToEnd(onBare, llm)), warmup: 1 },
    { name: 'essential .llm on simulated()', run: timed('essential .llm on simulated()', () => (sim.reset(), runEssential(graph, sim))), warmup: 1 },
    { name: 'switchyard .llm on simulated()', run: timed('switchyard .llm on simulated()', () => runFresh(onSim, sim, llm)), warmup: 1 },
  ]);
  const pick = (key: 'ms' | 'cpuMs') =>
    Object.fromEntries(CONTENDERS.map((c) => [c, median(samples.get(c)!.map((t) => t[key]))])) as Record<Contender, number>;
  const lastStartMs = Object.fromEntries([...lastStarts].map(([c, values]) => [c, median(values.slice(-reps))]));
  return { width, ms: pick('ms'), cpuMs: pick('cpuMs'), lastStartMs };
}

function render(rows: readonly Row[], latencyMs: number): string {
  const lines = [
    `| Width | ${CONTENDERS.map((c) => `${c} / CP`).join(' | ')} | CPU µs per node: ${CONTENDERS.join(' / ')} | last node started at, ms: ${CONTENDERS.slice(1).join(' / ')} |`,
    `|---|${CONTENDERS.map(() => '---|').join('')}---|---|`,
  ];
  for (const r of rows) {
    const ratios = CONTENDERS.map((c) => fmt.ratio(r.ms[c] / latencyMs)).join(' | ');
    const cpu = CONTENDERS.map((c) => fmt.us((r.cpuMs[c] * 1000) / (r.width + 2))).join(' / ');
    const starts = CONTENDERS.slice(1).map((c) => fmt.ms(r.lastStartMs[c] ?? NaN)).join(' / ');
    lines.push(`| ${fmt.int(r.width)} | ${ratios} | ${cpu} | ${starts} |`);
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const widths = (option('widths') ?? '250,1000,2000,4000').split(',').map(Number);
  const latencyMs = Number(option('latency') ?? 100);
  const reps = Number(option('reps') ?? 7);
  console.log(machineLine());
  const rows: Row[] = [];
  for (const width of widths) {
    rows.push(await measure(width, latencyMs, reps));
    console.log(`  width ${width} done (load ${currentLoad()})`);
  }
  console.log(`\nFan-out × ${latencyMs} ms; medians of ${reps} interleaved repetitions (minor GC before each); load at the end ${currentLoad()}\n`);
  console.log(render(rows, latencyMs));
}

await main();
