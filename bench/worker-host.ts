import { parentPort } from 'node:worker_threads';
import type { Graph } from './graphs.js';
import { settleHeap, timeIt, type Timing } from './stats.js';

/**
 * The worker side of a peer engine's benchmark thread (see worker-client.ts for the main thread's side): apps built
 * once per graph, a timed batch of runs, and the message loop.
 */

/** `build(graph, variant)`, made once per `key(graph, variant)`. */
export function appCache<App>(build: (graph: Graph, variant: number) => App, key: (graph: Graph, variant: number) => string): (graph: Graph, variant?: number) => App {
  const apps = new Map<string, App>();
  return (graph, variant = 0) => {
    const at = key(graph, variant);
    let app = apps.get(at);
    if (!app) apps.set(at, (app = build(graph, variant)));
    return app;
  };
}

/** Wall and CPU time of `runs` calls of `once` in a row, after a minor GC (as for switchyard's runs: see GcKind). */
export async function timeRuns(runs: number, once: () => Promise<unknown>): Promise<Timing> {
  await settleHeap('minor');
  return timeIt(async () => {
    for (let i = 0; i < runs; i++) await once();
  });
}

/** Answers each message from the main thread with `handle`'s reply, or `{ ok: false, error }`. */
export function serve<Request>(handle: (request: Request) => Promise<unknown>): void {
  parentPort?.on('message', (request: Request) => {
    handle(request).then(
      (reply) => parentPort!.postMessage(reply),
      (error: unknown) => parentPort!.postMessage({ ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
    );
  });
}
