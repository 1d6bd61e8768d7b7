import type { Graph } from './graphs.js';
import { sleep } from './stats.js';

/**
 * The floor for any JavaScript engine on this machine: each node is a bare promise that awaits its dependencies
 * and then `setTimeout` for its latency. No events, no bookkeeping — what is left over the critical path is
 * timer granularity and event-loop contention alone.
 */
export async function runIdealDataflow(graph: Graph): Promise<void> {
  const done = new Map<string, Promise<void>>();
  for (const node of graph.nodes) {
    const deps = node.deps.map((dep) => done.get(dep)!);
    const ms = node.latencyMs;
    done.set(node.id, Promise.all(deps).then(() => (ms > 0 ? sleep(ms) : undefined)));
  }
  await Promise.all(done.values());
}
