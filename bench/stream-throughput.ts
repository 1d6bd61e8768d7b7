import { z } from 'zod';
import { workflow, type Switchyard, type Workflow } from '../src/index.js';
import { simulated } from '../src/testing/index.js';
import type { Graph } from './graphs.js';
import { langGraphWorker } from './langgraph-client.js';
import type { StreamSample as Sample } from './langgraph-worker.js';
import { collectGarbage, median, settleHeap, since } from './stats.js';
import { BENCH_MODEL, switchyardOn } from './switchyard-graph.js';

export interface StreamOptions {
  /** Concurrent llm nodes. */
  nodes: number;
  /** Words per reply: each is one text-delta event. */
  words: number;
  reps: number;
  /** LangGraph: custom stream chunks written per node (its delivery slows as the count grows). */
  langgraphWrites: number;
  /** 0 leaves LangGraph out. */
  langgraphReps: number;
}

export const DEFAULT_STREAM: StreamOptions = { nodes: 100, words: 3_000, reps: 3, langgraphWrites: 200, langgraphReps: 3 };

/** One engine's merged-stream delivery (medians over the reps). */
export interface StreamRow {
  engine: 'switchyard' | 'langgraph';
  nodes: number;
  /** text-delta events (switchyard) or custom chunks (LangGraph) delivered per run. */
  deltas: number;
  /** Every event delivered per run, lifecycle events included. */
  events: number;
  reps: number;
  medianMs: number;
  deltasPerSec: number;
  /** Peak heapUsed while streaming, minus the heap after a full GC just before the run. */
  peakHeapGrowthBytes: number;
  peakHeapBytes: number;
  /** heapUsed after the run and a full GC, minus the baseline (memory the run left behind). */
  retainedBytes: number;
  /** Longest wait of an event between its emission and the loop reading it, in ms; undefined for LangGraph. */
  maxDelayMs?: number;
}

const SAMPLE_EVERY = 4096;

export type Consumed = { deltas: number; events: number; maxDelayMs?: number };

/**
 * Runs `consume`, sampling heapUsed every SAMPLE_EVERY events through the `tick` it is handed; `afterRun` drops
 * what the benchmark itself holds before the retained heap is measured.
 */
export async function sampled(consume: (tick: () => void) => Promise<Consumed>, afterRun: () => void): Promise<Sample> {
  await settleHeap();
  const baseline = process.memoryUsage().heapUsed;
  let peak = baseline;
  let count = 0;
  const tick = () => {
    if (++count % SAMPLE_EVERY === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
  };
  const start = performance.now();
  const { deltas, events, maxDelayMs } = await consume(tick);
  const ms = since(start);
  peak = Math.max(peak, process.memoryUsage().heapUsed);
  afterRun();
  collectGarbage();
  return { ms, deltas, events, maxDelayMs, peak, baseline, retained: process.memoryUsage().heapUsed - baseline };
}

/**
 * Reads a merged stream to its end with one `for await` loop: counts its events and text deltas, and the longest
 * wait of an event between its emission and the loop (an event's `t` is ms since the run began, at about `start`).
 */
export async function countEvents(stream: AsyncIterable<{ type: string; t: number }>, start: number, tick: () => void): Promise<Consumed> {
  let deltas = 0;
  let events = 0;
  let maxDelayMs = 0;
  for await (const event of stream) {
    events++;
    const delay = since(start) - event.t;
    if (delay > maxDelayMs) maxDelayMs = delay;
    if (event.type === 'text-delta') deltas++;
    tick();
  }
  return { deltas, events, maxDelayMs };
}

export async function consumeSwitchyard(sy: Switchyard, wf: Workflow<undefined>, tick: () => void): Promise<Consumed> {
  // The hub's clock starts in sy.run, within microseconds of `start`.
  const start = performance.now();
  const run = sy.run(wf, undefined);
  const consumed = await countEvents(run, start, tick);
  const result = await run.result;
  if (result.status !== 'succeeded') throw new Error(`Stream benchmark run ended ${result.status}.`);
  return consumed;
}

function row(engine: StreamRow['engine'], nodes: number, samples: Sample[]): StreamRow {
  const ms = median(samples.map((s) => s.ms));
  const deltas = samples[0]!.deltas;
  return {
    engine,
    nodes,
    deltas,
    events: samples[0]!.events,
    reps: samples.length,
    medianMs: ms,
    deltasPerSec: (deltas * 1000) / ms,
    peakHeapGrowthBytes: median(samples.map((s) => s.peak - s.baseline)),
    peakHeapBytes: median(samples.map((s) => s.peak)),
    retainedBytes: median(samples.map((s) => s.retained)),
    maxDelayMs: samples[0]!.maxDelayMs === undefined ? undefined : median(samples.map((s) => s.maxDelayMs!)),
  };
}

async function repeat(reps: number, once: () => Promise<Sample>): Promise<Sample[]> {
  await once(); // warm-up
  const samples: Sample[] = [];
  for (let i = 0; i < reps; i++) samples.push(await once());
  return samples;
}

/**
 * Benchmark 3: merged-stream throughput. `nodes` concurrent `.llm` nodes on simulated() (no delays), each reply
 * `words` words long — one text-delta each — delivered to one `for await (const e of run)` consumer. LangGraph:
 * the same number of parallel nodes each writing `langgraphWrites` chunks, read with streamMode 'custom'.
 */
export async function runStreamThroughput(options: StreamOptions = DEFAULT_STREAM): Promise<StreamRow[]> {
  const text = Array.from({ length: options.words }, (_, i) => `w${i % 100}`).join(' ');
  // simulated() records every request (and its streamed text) until reset: reset after each run, so the retained
  // figure is the engine's.
  const sim = simulated({ name: 'sim-stream', reply: { text } });
  const sy = switchyardOn(sim);
  const nodes = Array.from({ length: options.nodes }, (_, i) => ({ kind: 'llm' as const, id: `n${i}`, model: BENCH_MODEL, prompt: `stream ${i}` }));
  const wf = workflow({ name: 'stream', input: z.undefined(), nodes });
  const once = () => sampled((tick) => consumeSwitchyard(sy, wf, tick), () => sim.reset());
  const syRow = row('switchyard', options.nodes, await repeat(options.reps, once));

  if (options.langgraphReps === 0) return [syRow];
  const graph: Graph = { name: 'stream', nodes: nodes.map((n) => ({ id: n.id, deps: [], latencyMs: 0 })) };
  const langgraph = langGraphWorker();
  const lgSamples = await repeat(options.langgraphReps, () => langgraph.stream(graph, options.langgraphWrites, SAMPLE_EVERY));
  const lgRow = row('langgraph', options.nodes, lgSamples);
  return [syRow, lgRow];
}
