import { createStep, createWorkflow, type Workflow } from '@mastra/core/workflows';
import { z } from 'zod';
import type { Graph, GraphNode } from '../graphs.js';
import { sleep } from '../stats.js';

/** Per-node work: sleep for the latency (no timer at 0), return 1. */
function stepFor(node: GraphNode) {
  const ms = node.latencyMs;
  return createStep({
    id: node.id,
    inputSchema: z.any(),
    outputSchema: z.number(),
    execute: ms > 0 ? () => sleep(ms).then(() => 1) : async () => 1,
  });
}

/**
 * The graph's nodes grouped by level (1 + the deepest of their dependencies): Mastra's workflow API composes
 * steps in sequence (`.then`) and side by side (`.parallel`), with no edge from one given step to another, so a
 * DAG runs as its levels in sequence, each level's steps in parallel — every dependency ran before its node.
 */
export function levelsOf(graph: Graph): GraphNode[][] {
  const level = new Map<string, number>();
  const levels: GraphNode[][] = [];
  for (const node of graph.nodes) {
    let l = 0;
    for (const dep of node.deps) l = Math.max(l, level.get(dep)! + 1);
    level.set(node.id, l);
    (levels[l] ??= []).push(node);
  }
  return levels;
}

/** A committed Mastra workflow that runs the graph once: `invoke()` resolves to the number of steps that succeeded. */
export interface MastraApp {
  invoke(): Promise<number>;
}

/**
 * The same graph as a Mastra workflow (`createWorkflow` + `createStep`, the default execution engine, no Mastra
 * instance, so no storage or tracing): one `.then(step)` per single-node level, one `.parallel([...])` per wider one.
 */
export function toMastra(graph: Graph): MastraApp {
  // The builder's type threads each step's output into the next step's input; a loop over levels needs the loose view.
  let builder: Workflow<any, any, any, any, any, any, any, any> = createWorkflow({ id: 'bench', inputSchema: z.any(), outputSchema: z.any() });
  for (const level of levelsOf(graph)) {
    builder = level.length === 1 ? builder.then(stepFor(level[0]!)) : builder.parallel(level.map(stepFor));
  }
  const workflow = builder.commit();
  return {
    invoke: async () => {
      const run = await workflow.createRun();
      const result = await run.start({ inputData: {} });
      if (result.status !== 'success') return 0;
      return Object.values(result.steps as Record<string, { status: string }>).filter((step) => step.status === 'success').length;
    },
  };
}

/** Runs once and checks every node ran (a benchmark of a broken run is void). */
export async function invokeToEnd(app: MastraApp, graph: Graph): Promise<void> {
  const count = await app.invoke();
  if (count !== graph.nodes.length) throw new Error(`Mastra run of '${graph.name}' ran ${count} of ${graph.nodes.length} nodes.`);
}
