import { Worker } from 'node:worker_threads';
import type { Graph } from './graphs.js';
import type { StreamSample, WorkerReply, WorkerRequest } from './langgraph-worker.js';
import type { Timing } from './stats.js';

/**
 * The main thread's handle on the LangGraph worker (see langgraph-worker.ts for why it is a worker). Requests
 * run one at a time; times are measured inside the worker, so message passing is not counted.
 */
export class LangGraphWorker {
  readonly #worker: Worker;
  #queue: Promise<unknown> = Promise.resolve();

  constructor() {
    // tsx registers its loader on the main thread only: the worker's entry registers it, then imports the
    // TypeScript worker.
    const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
    const entry = JSON.stringify(new URL('./langgraph-worker.ts', import.meta.url).href);
    this.#worker = new Worker(`import(${tsx}).then((tsx) => { tsx.register(); return import(${entry}); })`, { eval: true });
  }

  /** Runs LangGraph's warm-up (small graphs) in the worker. */
  async warmUp(): Promise<void> {
    await this.#send({ op: 'warm-up' });
  }

  /** Wall and CPU time of one `invoke` of the graph (compiled once per graph, a full GC before). */
  async invoke(graph: Graph): Promise<Timing> {
    return (await this.#send({ op: 'invoke', graph })).timing!;
  }

  /** One streamed run with `writesPerNode` custom chunks per node, heap sampled every `sampleEvery` chunks. */
  async stream(graph: Graph, writesPerNode: number, sampleEvery: number): Promise<StreamSample> {
    return (await this.#send({ op: 'stream', graph, writesPerNode, sampleEvery })).stream!;
  }

  async close(): Promise<void> {
    await this.#worker.terminate();
  }

  #send(request: WorkerRequest): Promise<Extract<WorkerReply, { ok: true }>> {
    const next = this.#queue.then(
      () =>
        new Promise<Extract<WorkerReply, { ok: true }>>((resolve, reject) => {
          const onError = (error: Error) => reject(error);
          this.#worker.once('error', onError);
          this.#worker.once('message', (reply: WorkerReply) => {
            this.#worker.off('error', onError);
            if (reply.ok) resolve(reply);
            else reject(new Error(`LangGraph worker: ${reply.error}`));
          });
          this.#worker.postMessage(request);
        }),
    );
    this.#queue = next.catch(() => {});
    return next;
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
