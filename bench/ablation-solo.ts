import { z } from 'zod';
import { randomDag } from './graphs.js';
import { importBuild } from './cli.js';

/**
 * One build alone in this process (as an application runs it): main-thread CPU µs per run of the 100-node random
 * `.llm` DAG on simulated() at zero latency, after WARM_UP runs, median of BATCHES batches of RUNS runs. Printed as
 * one number for bench/ablation.ts --solo.
 *
 *   node --import tsx bench/ablation-solo.ts <build dir>
 */

const WARM_UP = 300;
const BATCHES = 7;
const RUNS = 200;

const { index, testing } = await importBuild(process.argv[2] ?? 'dist');
const sim = testing.simulated({ name: 'sim', reply: { text: 'ok' } });
const sy = index.createSwitchyard({ providers: [sim] });
const graph = randomDag({ seed: 7, nodes: 100, roots: 8, window: 100, maxDeps: 3 });
const nodes = graph.nodes.map((node) => ({ kind: 'llm' as const, id: node.id, after: node.deps, model: 'gpt-5.5', prompt: 'hi' }));
const wf = index.workflow({ name: graph.name, input: z.undefined(), nodes });

async function once(): Promise<void> {
  sim.reset();
  const result = await sy.run(wf, undefined).result;
  if (result.status !== 'succeeded') throw new Error(`run ended ${result.status}`);
}

for (let i = 0; i < WARM_UP; i++) await once();
const perRun: number[] = [];
for (let b = 0; b < BATCHES; b++) {
  const start = process.threadCpuUsage();
  for (let i = 0; i < RUNS; i++) await once();
  const used = process.threadCpuUsage(start);
  perRun.push((used.user + used.system) / RUNS);
}
perRun.sort((a, b) => a - b);
console.log(perRun[BATCHES >> 1]!.toFixed(0));
