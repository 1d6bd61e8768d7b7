import { chain, fanOut, randomDag, type Graph } from '../graphs.js';
import type { Timing } from '../stats.js';
import { appCache, serve, timeRuns } from '../worker-host.js';
import type { BaseReply, BaseRequest } from '../worker-client.js';
import { invokeToEnd, toMastra } from './mastra-graph.js';

/**
 * Mastra runs in this worker thread, as LangGraph does (langgraph-worker.ts): `@mastra/core/workflows` creates an
 * AsyncLocalStorage when it is imported (its agent module's retry count), and on Node 22 an AsyncLocalStorage in use
 * installs promise hooks for the whole isolate, which every promise of switchyard would then pay for. A worker has
 * its own isolate; its times are taken inside it, and it sits idle while switchyard runs.
 */
const appFor = appCache(toMastra, (graph) => `${graph.name}/${graph.nodes.length}/${graph.nodes.map((n) => n.latencyMs).join(',')}`);

function timeInvoke(graph: Graph, runs: number): Promise<Timing> {
  const app = appFor(graph);
  return timeRuns(runs, () => invokeToEnd(app, graph));
}

async function handle(request: BaseRequest): Promise<BaseReply> {
  switch (request.op) {
    case 'warm-up':
      for (const graph of [chain(50), fanOut(50), randomDag({ seed: 3, nodes: 50 })]) {
        const app = toMastra(graph);
        for (let i = 0; i < 20; i++) await invokeToEnd(app, graph);
      }
      return { ok: true };
    case 'invoke':
      return { ok: true, timing: await timeInvoke(request.graph, request.runs ?? 1) };
  }
}

serve(handle);
