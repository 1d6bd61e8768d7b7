import { setMaxListeners } from 'node:events';
import { chain, fanOut, twoBranch, type Graph } from './graphs.js';
import { invokeToEnd, toLangGraph, type LangGraphApp } from './langgraph-graph.js';
import { collectGarbage, settleHeap, since, type Timing } from './stats.js';
import { appCache, serve, timeRuns } from './worker-host.js';

/**
 * LangGraph runs in this worker thread, not in the benchmark's main thread: @langchain/core enables
 * AsyncLocalStorage, which on Node 20 installs promise hooks for the whole isolate — once LangGraph has run, every
 * promise of switchyard would pay for them too (measured: 15–40% slower). A worker has its own isolate.
 */
export type WorkerRequest =
  | { op: 'warm-up' }
  | { op: 'invoke'; graph: Graph; runs?: number }
  | { op: 'stream'; graph: Graph; writesPerNode: number; sampleEvery: number };

export interface StreamSample {
  ms: number;
  deltas: number;
  events: number;
  /** Longest wait of an event between its emission (`t`) and the consumer reading it, in ms (switchyard only). */
  maxDelayMs?: number;
  peak: number;
  baseline: number;
  retained: number;
}

export type WorkerReply = { ok: true; timing?: Timing; stream?: StreamSample } | { ok: false; error: string };

const appFor = appCache(toLangGraph, (graph, writesPerNode) => `${graph.name}/${graph.nodes.length}/${writesPerNode}`);

function timeInvoke(graph: Graph, runs: number): Promise<Timing> {
  const app = appFor(graph);
  return timeRuns(runs, () => invokeToEnd(app, graph));
}

async function timeStream(graph: Graph, writesPerNode: number, sampleEvery: number): Promise<StreamSample> {
  const app = appFor(graph, writesPerNode);
  await settleHeap();
  const baseline = process.memoryUsage().heapUsed;
  let peak = baseline;
  let count = 0;
  const start = performance.now();
  const deltas = await app.streamCustom(() => {
    if (++count % sampleEvery === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
  });
  const ms = since(start);
  peak = Math.max(peak, process.memoryUsage().heapUsed);
  collectGarbage();
  return { ms, deltas, events: deltas, peak, baseline, retained: process.memoryUsage().heapUsed - baseline };
}

async function handle(request: WorkerRequest): Promise<WorkerReply> {
  switch (request.op) {
    case 'warm-up':
      for (const graph of [chain(200), fanOut(200), twoBranch()]) await invokeToEnd(toLangGraph(graph), graph);
      return { ok: true };
    case 'invoke':
      return { ok: true, timing: await timeInvoke(request.graph, request.runs ?? 1) };
    case 'stream':
      return { ok: true, stream: await timeStream(request.graph, request.writesPerNode, request.sampleEvery) };
  }
}

// LangGraph adds one abort listener per parallel task to a shared signal: silence the 2,000-wide warning.
setMaxListeners(0);

serve(handle);
