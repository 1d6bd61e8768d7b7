import { parentPort } from 'node:worker_threads';
import { chain, fanOut, randomDag, type Graph } from '../graphs.js';
import { settleHeap, timeIt, type Timing } from '../stats.js';
import type { BaseReply, BaseRequest } from '../worker-client.js';
import { invokeToEnd, toMastra, type MastraApp } from './mastra-graph.js';

/**
 * Mastra runs in this worker thread, as LangGraph does (langgraph-worker.ts): `@mastra/core/workflows` creates an
 * AsyncLocalStorage when it is imported (its agent module's retry count), and on Node 22 an AsyncLocalStorage in use
 * installs promise hooks for the whole isolate, which every promise of switchyard would then pay for. A worker has
 * its own isolate; its times are taken inside it, and it sits idle while switchyard runs.
 */
const apps = new Map<string, MastraApp>();

function appFor(graph: Graph): MastraApp {
  const key = `${graph.name}/${graph.nodes.length}/${graph.nodes.map((n) => n.latencyMs).join(',')}`;
  let app = apps.get(key);
  if (!app) apps.set(key, (app = toMastra(graph)));
  return app;
}

async function timeInvoke(graph: Graph, runs: number): Promise<Timing> {
  const app = appFor(graph);
  await settleHeap('minor'); // as for switchyard's runs (see GcKind)
  return timeIt(async () => {
    for (let i = 0; i < runs; i++) await invokeToEnd(app, graph);
  });
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

parentPort?.on('message', (request: BaseRequest) => {
  handle(request).then(
    (reply) => parentPort!.postMessage(reply),
    (error: unknown) => parentPort!.postMessage({ ok: false, error: error instanceof Error ? error.stack ?? error.message : String(error) }),
  );
});
