import { Worker } from 'node:worker_threads';
import type { Graph } from './graphs.js';
import type { Timing } from './stats.js';

/** What every benchmark worker (a peer engine in its own thread) answers: a warm-up, and one timed run of a graph. */
export type BaseRequest = { op: 'warm-up' } | { op: 'invoke'; graph: Graph; runs?: number };
export type BaseReply = { ok: true; timing?: Timing } | { ok: false; error: string };

/**
 * The main thread's handle on a worker thread that runs a peer engine (see langgraph-worker.ts for why peers run
 * in a worker). Requests run one at a time; times are measured inside the worker, so message passing is not counted.
 */
export class BenchWorker<Request extends { op: string } = BaseRequest, Reply extends { ok: boolean } = BaseReply> {
  readonly #worker: Worker;
  readonly #name: string;
  #queue: Promise<unknown> = Promise.resolve();

  /** `entry`: the worker's TypeScript module (a file URL). */
  constructor(name: string, entry: URL) {
    this.#name = name;
    // tsx registers its loader on the main thread only: the worker's entry registers it, then imports the
    // TypeScript worker.
    const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
    this.#worker = new Worker(`import(${tsx}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); })`, { eval: true });
  }

  /** Runs the engine's warm-up (small graphs) in the worker. */
  async warmUp(): Promise<void> {
    await this.#post({ op: 'warm-up' });
  }

  /** Wall and CPU time of one run of the graph (built once per graph, a minor GC before); of `runs` runs in a row when given. */
  async invoke(graph: Graph, runs?: number): Promise<Timing> {
    return ((await this.#post({ op: 'invoke', graph, runs })) as { timing: Timing }).timing;
  }

  async close(): Promise<void> {
    await this.#worker.terminate();
  }

  protected send(request: Request): Promise<Extract<Reply, { ok: true }>> {
    return this.#post(request) as Promise<Extract<Reply, { ok: true }>>;
  }

  #post(request: BaseRequest | Request): Promise<unknown> {
    const next = this.#queue.then(
      () =>
        new Promise<unknown>((resolve, reject) => {
          const onError = (error: Error) => reject(error);
          this.#worker.once('error', onError);
          this.#worker.once('message', (reply: { ok: boolean; error?: string }) => {
            this.#worker.off('error', onError);
            if (reply.ok) resolve(reply);
            else reject(new Error(`${this.#name} worker: ${reply.error}`));
          });
          this.#worker.postMessage(request);
        }),
    );
    this.#queue = next.catch(() => {});
    return next;
  }
}
