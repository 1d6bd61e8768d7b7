import { smallDag } from './graphs.js';
import { runFresh, switchyardOn, toWorkflow, zeroLatencyProvider } from './switchyard-graph.js';

/**
 * One build alone in this process (as an application runs it): main-thread CPU µs per run of the 100-node random
 * `.llm` DAG on simulated() at zero latency (section 8's), after WARM_UP runs, median of BATCHES batches of RUNS
 * runs. Printed as one number for bench/ablation.ts --solo, which names the build with SWITCHYARD_DIST:
 *
 *   SWITCHYARD_DIST=<build dir> node --import tsx --import ./bench/use-dist.mjs bench/ablation-solo.ts
 */

const WARM_UP = 300;
const BATCHES = 7;
const RUNS = 200;

const sim = zeroLatencyProvider();
const sy = switchyardOn(sim);
const wf = toWorkflow(smallDag(), 'llm');

for (let i = 0; i < WARM_UP; i++) await runFresh(sy, sim, wf);
const perRun: number[] = [];
for (let b = 0; b < BATCHES; b++) {
  const start = process.threadCpuUsage();
  for (let i = 0; i < RUNS; i++) await runFresh(sy, sim, wf);
  const used = process.threadCpuUsage(start);
  perRun.push((used.user + used.system) / RUNS);
}
perRun.sort((a, b) => a - b);
console.log(perRun[BATCHES >> 1]!.toFixed(0));
