import { z } from 'zod';
import { smallDag, type Graph } from './graphs.js';
import { currentLoad, machineLine } from './machine.js';
import { fmt, interleave, median } from './stats.js';
import { importBuild, option } from './cli.js';

/**
 * What every run pays whatever its size, measured on one or more builds side by side in one process (each build
 * is imported from its own directory, so a before/after comparison is two copies of `dist/`): a one-node run
 * (`sy.generate`, `sy.stream` read to its end, `sy.run` of a one-`.llm` workflow) and a 100-node `.llm` DAG, all on
 * simulated() at zero latency (no timers). A repetition is a batch of runs in a row, repetitions interleaved across
 * builds and cases (a minor GC before each); the figure is the median time per run.
 *
 *   npm run bench:fixed-cost -- [--builds=/tmp/before,dist] [--reps=15] [--batch=200]
 *   (a build directory holds index.js and testing.js as `npm run build` writes them, e.g. `cp -r dist .tmp-before`
 *   before a change; it must sit inside the repo, where its imports find node_modules; default: dist)
 */

/** The part of a build's public API this benchmark drives (both entries, as an application imports them). */
interface Build {
  label: string;
  createSwitchyard(options: { providers: unknown[] }): BuildSwitchyard;
  workflow(options: { name: string; input: z.ZodType; nodes: unknown[] }): unknown;
  simulated(options: { name: string; reply: { text: string } }): unknown;
}

interface BuildSwitchyard {
  run(wf: unknown, input: unknown): { result: Promise<{ status: string }> };
  generate(request: { model: string; prompt: string }): Promise<unknown>;
  stream(request: { model: string; prompt: string }): AsyncIterable<unknown> & { result: Promise<unknown> };
}

async function loadBuild(dir: string): Promise<Build> {
  const { index, testing } = await importBuild(dir);
  const main = index as unknown as Pick<Build, 'createSwitchyard' | 'workflow'>;
  return { label: dir, createSwitchyard: main.createSwitchyard, workflow: main.workflow, simulated: testing.simulated };
}

const MODEL = 'gpt-5.5';
/** Warm-up rounds over all cases: on a loaded 2-core machine the JIT is still compiling after a few thousand runs. */
const WARM_UP_BATCHES = 10;

function llmWorkflow(build: Build, graph: Graph): unknown {
  const nodes = graph.nodes.map((node) => ({ kind: 'llm', id: node.id, after: node.deps, model: MODEL, prompt: 'hi' }));
  return build.workflow({ name: graph.name, input: z.undefined(), nodes });
}

/** A case: its name, one run of it on a build's instance, and how many of those make one timed batch (per 100 runs). */
type Case = { name: string; run: () => Promise<unknown>; share: number };

function casesFor(build: Build): Case[] {
  const sy = build.createSwitchyard({ providers: [build.simulated({ name: 'sim', reply: { text: 'ok' } })] });
  const one = llmWorkflow(build, { name: 'one', nodes: [{ id: 'call', deps: [], latencyMs: 0 }] });
  const step = build.workflow({ name: 'step', input: z.undefined(), nodes: [{ kind: 'step', id: 'a', after: [], run: () => 1 }] });
  const dag = llmWorkflow(build, smallDag());
  const request = { model: MODEL, prompt: 'hi' };
  const runToEnd = async (wf: unknown) => {
    const result = await sy.run(wf, undefined).result;
    if (result.status !== 'succeeded') throw new Error(`run ended ${result.status}`);
  };
  const stream = async () => {
    const call = sy.stream(request);
    for await (const _event of call);
    await call.result;
  };
  return [
    { name: 'sy.generate', run: () => sy.generate(request), share: 100 },
    { name: 'sy.stream (read to end)', run: stream, share: 100 },
    { name: 'sy.run, one .llm node', run: () => runToEnd(one), share: 100 },
    { name: 'sy.run, one .step node (no call)', run: () => runToEnd(step), share: 100 },
    { name: 'sy.run, random DAG 100 .llm nodes', run: () => runToEnd(dag), share: 2 },
  ];
}


async function main(): Promise<void> {
  const dirs = (option('builds') ?? 'dist').split(',');
  const reps = Number(option('reps') ?? 15);
  const runs = Number(option('batch') ?? 200);
  console.log(machineLine());
  const builds = await Promise.all(dirs.map(loadBuild));
  const cases = builds.map(casesFor);
  const batchSize = (c: Case) => Math.max(1, Math.round((runs * c.share) / 100));
  const batchOf = (c: Case) => async () => {
    for (let k = batchSize(c); k > 0; k--) await c.run();
  };
  // Every case of every build first, so the JIT has compiled the code they share before the first timed batch.
  for (let round = 0; round < WARM_UP_BATCHES; round++) for (const list of cases) for (const c of list) await batchOf(c)();
  const rows: string[] = [];
  for (const [i, first] of cases[0]!.entries()) {
    const { name } = first;
    const n = batchSize(first);
    const contenders = builds.map((b, j) => ({ name: b.label, run: batchOf(cases[j]![i]!), warmup: 2 }));
    const samples = await interleave(reps, contenders);
    const perRun = (label: string, key: 'ms' | 'threadCpuMs') => (median(samples.get(label)!.map((t) => t[key]!)) * 1000) / n;
    const wall = builds.map((b) => perRun(b.label, 'ms'));
    const cpu = builds.map((b) => perRun(b.label, 'threadCpuMs'));
    const cells = builds.map((_, j) => `${fmt.us(wall[j]!)} (${fmt.us(cpu[j]!)})`);
    const ratio = builds.length > 1 ? ` ${fmt.ratio(wall.at(-1)! / wall[0]!)} (${fmt.ratio(cpu.at(-1)! / cpu[0]!)}) |` : '';
    rows.push(`| ${name} | ${cells.join(' | ')} |${ratio}`);
    console.log(`  ${name} done (load ${currentLoad()})`);
  }
  console.log(`\nµs per run, wall (main-thread CPU), medians of ${reps} interleaved batches; load at the end ${currentLoad()}\n`);
  const ratioHead = builds.length > 1 ? ` ${builds.at(-1)!.label} / ${builds[0]!.label} |` : '';
  console.log(`| Case | ${builds.map((b) => b.label).join(' | ')} |${ratioHead}`);
  console.log(`|---|${builds.map(() => '---|').join('')}${builds.length > 1 ? '---|' : ''}`);
  for (const row of rows) console.log(row);
}

await main();
