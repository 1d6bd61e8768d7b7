import { z } from 'zod';
import { fanOut, type Graph } from './graphs.js';
import { currentLoad, machineLine } from './machine.js';
import { collectGarbage, fmt, median, sleep } from './stats.js';
import { importBuild, option } from './cli.js';

/**
 * The per-node call path on one or more builds side by side in one process (each imported from its own directory,
 * so a before/after comparison is two copies of `dist/`), repetitions interleaved (a minor GC and 40 ms before
 * each), medians:
 * - the waiting fan-out of section 5: source → `width` `.llm` nodes whose reply waits 100 ms → join; makespan over
 *   the 100 ms critical path, and process CPU per node;
 * - zero latency (simulated() at its defaults: no timer): a fan-out and a chain of `zero` `.llm` nodes, wall and
 *   process CPU per node.
 *
 *   npm run bench:call-path -- [--builds=.tmp-before,dist] [--width=4000] [--zero=2000] [--reps=9]
 *   (a build directory holds index.js and testing.js as `npm run build` writes them, e.g. `cp -r dist .tmp-before`
 *   before a change; it must sit inside the repo, where its imports find node_modules; default: dist)
 */

interface Build {
  label: string;
  sy: { run(wf: unknown, input: unknown): { result: Promise<{ status: string }> } };
  sim: { reset(): void };
  graphs: Record<Case, unknown>;
}

type Case = 'waiting fan-out' | 'zero-latency fan-out' | 'zero-latency chain';
const CASES: Case[] = ['waiting fan-out', 'zero-latency fan-out', 'zero-latency chain'];
const LATENCY = /^sleep (\d+)$/;

function chain(n: number): Graph {
  return { name: `chain ${n}`, nodes: Array.from({ length: n }, (_, i) => ({ id: `c${i}`, deps: i === 0 ? [] : [`c${i - 1}`], latencyMs: 0 })) };
}

async function loadBuild(dir: string, width: number, zero: number): Promise<Build> {
  const { index: main, testing } = await importBuild(dir);
  const sim = testing.simulated({ name: 'sim', reply: (info: { text: string }) => ({ text: 'ok', firstTokenMs: Number(LATENCY.exec(info.text)?.[1] ?? 0) }) });
  const toWorkflow = (graph: Graph, ms: number) =>
    main.workflow({
      name: graph.name,
      input: z.undefined(),
      nodes: graph.nodes.map((n) => ({ kind: 'llm', id: n.id, after: n.deps, model: 'gpt-5.5', prompt: `sleep ${n.id === 'source' || n.id === 'join' ? 0 : ms}` })),
    });
  return {
    label: dir,
    sy: main.createSwitchyard({ providers: [sim] }),
    sim,
    graphs: { 'waiting fan-out': toWorkflow(fanOut(width), 100), 'zero-latency fan-out': toWorkflow(fanOut(zero), 0), 'zero-latency chain': toWorkflow(chain(zero), 0) },
  };
}

async function once(build: Build, which: Case): Promise<{ ms: number; cpuMs: number }> {
  build.sim.reset();
  collectGarbage('minor');
  await sleep(40);
  const cpu = process.cpuUsage();
  const start = performance.now();
  const result = await build.sy.run(build.graphs[which], undefined).result;
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  if (result.status !== 'succeeded') throw new Error(`${build.label}: ${which} ended ${result.status}`);
  return { ms, cpuMs: (used.user + used.system) / 1000 };
}

async function main(): Promise<void> {
  const width = Number(option('width') ?? 4000);
  const zero = Number(option('zero') ?? 2000);
  const reps = Number(option('reps') ?? 9);
  console.log(machineLine());
  const builds = await Promise.all((option('builds') ?? 'dist').split(',').map((dir) => loadBuild(dir, width, zero)));
  const samples = new Map<string, Array<{ ms: number; cpuMs: number }>>();
  for (const build of builds) for (const which of CASES) await once(build, which); // warm-up
  for (let rep = 0; rep < reps; rep++) {
    for (const which of CASES) {
      for (const build of builds) {
        const key = `${build.label}|${which}`;
        samples.set(key, [...(samples.get(key) ?? []), await once(build, which)]);
      }
    }
  }
  console.log(`\nMedians of ${reps} interleaved repetitions; load at the end ${currentLoad()}\n`);
  console.log(`| Build | waiting fan-out ${fmt.int(width)} × 100 ms: makespan / CP (range) | its CPU µs per node | zero latency, fan-out ${fmt.int(zero)}: µs per node (CPU) | zero latency, chain ${fmt.int(zero)}: µs per node (CPU) |`);
  console.log('|---|---|---|---|---|');
  for (const build of builds) {
    const of = (which: Case) => samples.get(`${build.label}|${which}`)!;
    const per = (which: Case, n: number) => `${fmt.us((median(of(which).map((t) => t.ms)) * 1000) / n)} (${fmt.us((median(of(which).map((t) => t.cpuMs)) * 1000) / n)})`;
    const waiting = of('waiting fan-out').map((t) => t.ms);
    const range = `${fmt.int(Math.min(...waiting))}–${fmt.int(Math.max(...waiting))} ms`;
    console.log(
      `| ${build.label} | ${fmt.ratio(median(waiting) / 100)} (${range}) | ${fmt.us((median(of('waiting fan-out').map((t) => t.cpuMs)) * 1000) / (width + 2))} | ` +
        `${per('zero-latency fan-out', zero + 2)} | ${per('zero-latency chain', zero)} |`,
    );
  }
}

await main();
