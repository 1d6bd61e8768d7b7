import type { Graph } from './graphs.js';
import type { StreamSample, WorkerReply, WorkerRequest } from './langgraph-worker.js';
import { BenchWorker } from './worker-client.js';

/** The main thread's handle on the LangGraph worker (see langgraph-worker.ts for why it is a worker). */
export class LangGraphWorker extends BenchWorker<WorkerRequest, WorkerReply> {
  constructor() {
    super('LangGraph', new URL('./langgraph-worker.ts', import.meta.url));
  }

  /** One streamed run with `writesPerNode` custom chunks per node, heap sampled every `sampleEvery` chunks. */
  async stream(graph: Graph, writesPerNode: number, sampleEvery: number): Promise<StreamSample> {
    return (await this.send({ op: 'stream', graph, writesPerNode, sampleEvery })).stream!;
  }
}

let shared: LangGraphWorker | undefined;

/** The one worker a bench run uses. */
export function langGraphWorker(): LangGraphWorker {
  shared ??= new LangGraphWorker();
  return shared;
}

export async function closeLangGraphWorker(): Promise<void> {
  await shared?.close();
  shared = undefined;
}
