import { resolve } from 'node:path';
import { z } from 'zod';
import type { Switchyard, Workflow } from '../src/index.js';
import { currentLoad, machineLine } from './machine.js';
import { profiled } from './profile.js';
import { fmt, median } from './stats.js';
import { consumeSwitchyard, countEvents, DEFAULT_STREAM, sampled, type Consumed } from './stream-throughput.js';
import { BENCH_MODEL } from './switchyard-graph.js';
import { EssentialRun, EssentialStream, essentialNode } from './essential-node.js';
import { importBuild, option } from './cli.js';

/**
 * Section 3's merged stream (100 concurrent `.llm` nodes on simulated(), no delays, one text-delta per word, all
 * read by one `for await` loop) on the build, as an application imports it: tsx's keepNames wraps every closure of
 * `src/` (see use-dist.mjs). With `--against`, earlier builds (a copy of `dist/` made before a change, inside the
 * repository so that it finds the package's dependencies: e.g. `tmp/builds/before`) run in the same process,
 * repetitions interleaved (dist/, then each other build, round after round), so one comparison sees the same
 * machine load.
 *
 *   npm run bench:stream -- [--reps=9] [--nodes=100] [--words=3000] [--against=DIR,…] [--profile] [--essential]
 *
 * `--profile` runs dist/ alone under the CPU profiler (a .cpuprofile in the temp dir, top self time printed).
 * `--essential` adds the essential floor: the same nodes as essential `.llm` nodes (essential-node.ts) on the same
 * simulated() reply, their events read by one `for await` loop — what a redesign of the call path could reach.
 */


interface Args {
  reps: number;
  nodes: number;
  words: number;
  builds: string[];
  profile: boolean;
  /** Adds the essential floor (essential-node.ts) on dist/'s simulated(). */
  essential: boolean;
}

function parseArgs(argv: string[]): Args {
  const against = option('against', argv)?.split(',').filter((d) => d !== '') ?? [];
  return {
    reps: Number(option('reps', argv) ?? 9),
    nodes: Number(option('nodes', argv) ?? DEFAULT_STREAM.nodes),
    words: Number(option('words', argv) ?? DEFAULT_STREAM.words),
    builds: [resolve('dist'), ...against.map((d) => resolve(d))],
    profile: argv.includes('--profile'),
    essential: argv.includes('--essential'),
  };
}

/** One build's stream run, ready to repeat. */
interface Contender {
  build: string;
  once(): Promise<Sample>;
}

interface Sample {
  ms: number;
  cpuMs: number;
  /** CPU time of the main thread alone. */
  threadCpuMs: number;
  deltas: number;
  events: number;
  maxDelayMs: number;
  peakGrowth: number;
}

/** Times one run of `consume` (wall, process and main-thread CPU, the heap's peak), `afterRun` then drops the provider's record. */
async function measured(consume: (tick: () => void) => Promise<Consumed>, afterRun: () => void): Promise<Sample> {
  let cpuMs = 0;
  let threadCpuMs = 0;
  const s = await sampled(async (tick) => {
    const cpu = process.cpuUsage();
    const thread = process.threadCpuUsage();
    const consumed = await consume(tick);
    const used = process.cpuUsage(cpu);
    const threadUsed = process.threadCpuUsage(thread);
    cpuMs = (used.user + used.system) / 1000;
    threadCpuMs = (threadUsed.user + threadUsed.system) / 1000;
    return consumed;
  }, afterRun);
  return { ms: s.ms, cpuMs, threadCpuMs, deltas: s.deltas, events: s.events, maxDelayMs: s.maxDelayMs ?? 0, peakGrowth: s.peak - s.baseline };
}

async function contender(build: string, args: Args): Promise<Contender> {
  const { index, testing } = await importBuild(build);
  const { createSwitchyard, workflow } = index;
  const { simulated } = testing;
  const sim = simulated({ name: 'sim-stream', reply: { text: streamText(args.words) } });
  const sy: Switchyard = createSwitchyard({ providers: [sim] });
  const nodes = Array.from({ length: args.nodes }, (_, i) => ({ kind: 'llm' as const, id: `n${i}`, model: BENCH_MODEL, prompt: `stream ${i}` }));
  const wf: Workflow<undefined> = workflow({ name: 'stream', input: z.undefined(), nodes });
  return { build, once: () => measured((tick) => consumeSwitchyard(sy, wf, tick), () => sim.reset()) };
}

const streamText = (words: number): string => Array.from({ length: words }, (_, i) => `w${i % 100}`).join(' ');

/** The essential floor: `nodes` essential `.llm` nodes on dist/'s simulated(), read as one merged stream. */
async function essentialContender(args: Args): Promise<Contender> {
  const { testing } = await importBuild(resolve('dist'));
  const sim = testing.simulated({ name: 'sim-stream', reply: { text: streamText(args.words) } });
  const consume = async (tick: () => void): Promise<Consumed> => {
    const start = performance.now();
    const events = new EssentialStream();
    const run = new EssentialRun('essential', 1_000_000, events.push);
    const all = Promise.all(Array.from({ length: args.nodes }, (_, i) => essentialNode(run, sim, `n${i}`, `stream ${i}`)));
    void all.finally(() => events.end());
    const consumed = await countEvents(events, start, tick);
    await all;
    return consumed;
  };
  return { build: 'essential floor (essential-node.ts)', once: () => measured(consume, () => sim.reset()) };
}

function report(c: Contender, samples: Sample[]): string {
  const ms = median(samples.map((s) => s.ms));
  const { deltas, events } = samples[0]!;
  const rate = (n: number, inMs: number) => Math.round((n * 1000) / inMs).toLocaleString('en-US');
  const range = samples.map((s) => Math.round((deltas * 1000) / s.ms / 1000)).sort((a, b) => a - b);
  return [
    c.build,
    fmt.ms(ms),
    rate(deltas, ms),
    rate(events, ms),
    `${range[0]}K–${range.at(-1)}K`,
    rate(deltas, Math.min(...samples.map((s) => s.ms))),
    fmt.ms(median(samples.map((s) => s.cpuMs))),
    fmt.ms(median(samples.map((s) => s.threadCpuMs))),
    rate(deltas, median(samples.map((s) => s.threadCpuMs))),
    fmt.ms(median(samples.map((s) => s.maxDelayMs))),
    (median(samples.map((s) => s.peakGrowth)) / 1024 ** 2).toFixed(1),
  ].join(' | ');
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  console.log(machineLine());
  console.log(`${args.nodes} nodes × ${args.words} words, ${args.reps} interleaved repetitions (each after a full GC), medians`);
  const contenders: Contender[] = [];
  for (const build of args.builds) contenders.push(await contender(build, args));
  if (args.essential) contenders.push(await essentialContender(args));
  for (const c of contenders) for (let i = 0; i < 2; i++) await c.once(); // JIT warm-up
  if (args.profile) {
    await profiled('stream-build', async () => {
      for (let i = 0; i < args.reps; i++) await contenders[0]!.once();
    });
    return;
  }
  const samples = contenders.map((): Sample[] => []);
  for (let rep = 0; rep < args.reps; rep++) {
    for (const [i, c] of contenders.entries()) samples[i]!.push(await c.once());
  }
  console.log('\n| Build | Median ms | Deltas/s | Events/s | Deltas/s range | Deltas/s of the fastest run | CPU ms | Main-thread CPU ms | Deltas per main-thread CPU s | Longest event wait ms | Peak heap growth MB |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const [i, c] of contenders.entries()) console.log(`| ${report(c, samples[i]!)} |`);
  console.log(`\nload after: ${currentLoad()}`);
}

await main();
