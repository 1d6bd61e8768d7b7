import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { workflow } from '../src/index.js';
import { simulated } from '../src/testing/index.js';
import { chain, fanOut } from './graphs.js';
import { closeLangGraphWorker, langGraphWorker } from './langgraph-client.js';
import { currentLoad, describeMachine } from './machine.js';
import { DEFAULT_MAKESPAN, runMakespan, type MakespanOptions } from './makespan.js';
import { NOTES } from './notes.js';
import { DEFAULT_OVERHEAD, defaultOverheadCases, runOverhead, type OverheadOptions } from './overhead.js';
import { profiled } from './profile.js';
import { renderReport, type BenchResults } from './report.js';
import { fmt } from './stats.js';
import { DEFAULT_STREAM, runStreamThroughput, type StreamOptions } from './stream-throughput.js';
import { BENCH_MODEL, latencyProvider, runToEnd, switchyardOn, toWorkflow } from './switchyard-graph.js';
import { option } from './cli.js';

const BENCHMARKS = ['makespan', 'overhead', 'stream'] as const;
type Benchmark = (typeof BENCHMARKS)[number];

interface Args {
  only: Benchmark[];
  quick: boolean;
  /** Write the report (off with --no-write, and whenever a benchmark is profiled: the profiler skews timings). */
  write: boolean;
  langgraph10k: boolean;
  profile: Benchmark[];
  out: string;
}

function parseArgs(argv: string[]): Args {
  const list = (name: string, fallback: readonly Benchmark[]) => {
    const raw = option(name, argv);
    if (raw === undefined) return [...fallback];
    const picked = raw.split(',').map((s) => s.trim());
    const unknown = picked.filter((s) => !(BENCHMARKS as readonly string[]).includes(s));
    if (unknown.length > 0) throw new Error(`Unknown benchmark ${unknown.join(', ')}; pick from ${BENCHMARKS.join(', ')}.`);
    return picked as Benchmark[];
  };
  return {
    only: list('only', BENCHMARKS),
    quick: argv.includes('--quick'),
    write: !argv.includes('--no-write') && option('profile', argv) === undefined,
    langgraph10k: argv.includes('--langgraph-10k'),
    profile: list('profile', []),
    out: option('out', argv) ?? 'docs/benchmarks.md',
  };
}

/**
 * js-tiktoken's encoder (~0.5 s on first use), and the JIT of both engines on small graphs. LangGraph runs in its
 * worker thread only (see langgraph-worker.ts): this thread never loads it.
 */
async function warmUp(): Promise<void> {
  const sim = switchyardOn(simulated({ name: 'warm' }));
  await sim.run(workflow({ name: 'warm', input: z.undefined() }).llm('a', { model: BENCH_MODEL, prompt: 'warm up' }), undefined).result;
  const sy = switchyardOn(latencyProvider());
  for (const graph of [chain(200), fanOut(200)]) {
    for (let i = 0; i < 3; i++) await runToEnd(sy, toWorkflow(graph, 'llm'));
    for (let i = 0; i < 3; i++) await runToEnd(sy, toWorkflow(graph, 'step'));
  }
  await langGraphWorker().warmUp();
}

const QUICK = {
  makespan: { reps: { twoBranch: 3, dag: 1 }, dagSeeds: [1], dagNodes: 300 } satisfies MakespanOptions,
  overhead: {
    cases: defaultOverheadCases().filter((c) => c.graph.nodes.length <= 2_002),
    reps: { switchyard: 2, langgraph: 1 },
  } satisfies OverheadOptions,
  stream: { ...DEFAULT_STREAM, words: 500, reps: 1, langgraphReps: 1 } satisfies StreamOptions,
};

/** A profiled benchmark leaves LangGraph out, so the profile shows switchyard alone. */
function overheadOptions(args: Args): OverheadOptions {
  const options = args.quick ? QUICK.overhead : { ...DEFAULT_OVERHEAD, cases: defaultOverheadCases(args.langgraph10k) };
  if (!args.profile.includes('overhead')) return options;
  return { ...options, cases: options.cases.map((c) => ({ ...c, langgraph: false })) };
}

function streamOptions(args: Args): StreamOptions {
  const options = args.quick ? QUICK.stream : DEFAULT_STREAM;
  return args.profile.includes('stream') ? { ...options, langgraphReps: 0 } : options;
}

/** The line after which the page's sections are written by other benchmarks; a rewrite keeps them. */
const KEPT = '<!-- bench/run.ts keeps everything below this line: sections written by other benchmarks. -->';

/** The new report, followed by the kept sections of the page it replaces. */
function withKeptSections(report: string, out: string): string {
  const previous = existsSync(out) ? readFileSync(out, 'utf8') : '';
  const at = previous.indexOf(KEPT);
  return at < 0 ? report : `${report.trimEnd()}\n\n${previous.slice(at)}`;
}

/** How this run was started, for the page: on src/ through tsx, or on the build (bench/use-dist.mjs). */
function commandName(): string {
  const event = process.env.npm_lifecycle_event;
  if (event === 'bench' || event === 'bench:build') return `npm run ${event} --`;
  const onBuild = process.execArgv.some((a) => a.includes('use-dist.mjs'));
  return onBuild ? 'node --import tsx --import ./bench/use-dist.mjs bench/run.ts' : 'npx tsx bench/run.ts';
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const started = performance.now();
  const results: BenchResults = {
    machine: describeMachine(),
    command: [commandName(), ...process.argv.slice(2)]
      .join(' ')
      .replace(/ --$/, ''),
    totalSeconds: 0,
    loadAfter: '',
  };
  console.log(`warming up… (${results.machine.cpu}, ${results.machine.cores} cores, node ${results.machine.node})`);
  await warmUp();
  const run = {
    makespan: async () => (results.makespan = await runMakespan(args.quick ? QUICK.makespan : DEFAULT_MAKESPAN)),
    overhead: async () => (results.overhead = await runOverhead(overheadOptions(args))),
    stream: async () => (results.stream = await runStreamThroughput(streamOptions(args))),
  };
  for (const name of args.only) {
    const t = performance.now();
    console.log(`running ${name}…`);
    if (args.profile.includes(name)) await profiled(name, run[name]);
    else await run[name]();
    console.log(`  ${name} took ${fmt.ms((performance.now() - t) / 1000)} s`);
  }
  await closeLangGraphWorker();
  results.totalSeconds = (performance.now() - started) / 1000;
  results.loadAfter = currentLoad();
  const report = renderReport(results, NOTES);
  console.log(`\n${report}`);
  if (args.write) {
    writeFileSync(args.out, withKeptSections(report, args.out));
    console.log(`wrote ${args.out}`);
  } else {
    console.log(`${args.out} not written (--no-write or --profile).`);
  }
}

await main();
