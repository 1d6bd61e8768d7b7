import { Annotation, END, START, StateGraph } from '@langchain/langgraph';
import type { Graph } from './graphs.js';
import { sleep } from './stats.js';

/** The smallest useful state: a counter every node adds 1 to (a reducer, so parallel writes merge). */
const CountState = Annotation.Root({
  count: Annotation<number>({ reducer: (a, b) => a + b, default: () => 0 }),
});

type CountUpdate = { count: number };

/** Per-node work: sleep for the latency (none at 0), optionally push `writes` custom stream chunks, add 1. */
function nodeFn(latencyMs: number, writes: number) {
  return async (_state: unknown, config: { writer?: (chunk: unknown) => void }): Promise<CountUpdate> => {
    if (latencyMs > 0) await sleep(latencyMs);
    for (let i = 0; i < writes; i++) config.writer?.({ type: 'text-delta', text: ' word' });
    return { count: 1 };
  };
}

/** A compiled LangGraph app that runs the graph once: `invoke()` resolves to the final count. */
export interface LangGraphApp {
  invoke(): Promise<number>;
  /** Streams the custom chunks (streamMode 'custom'); resolves to the number delivered. */
  streamCustom(onChunk?: (chunk: unknown) => void): Promise<number>;
}

/**
 * The same graph as a LangGraph StateGraph: START → roots, one edge per single dependency, a waiting edge
 * (`addEdge([deps], node)`, runs once all of them ran) per multi-dependency node, sinks → END.
 */
export function toLangGraph(graph: Graph, writesPerNode = 0): LangGraphApp {
  // The builder's node-name generics grow with each addNode; a loop over names needs the untyped view.
  const builder = new StateGraph(CountState) as unknown as {
    addNode(id: string, fn: ReturnType<typeof nodeFn>): void;
    addEdge(from: string | string[], to: string): void;
    compile(): { invoke(input: CountUpdate, config: object): Promise<CountUpdate>; stream(input: CountUpdate, config: object): Promise<AsyncIterable<unknown>> };
  };
  const hasDependents = new Set<string>();
  for (const node of graph.nodes) {
    builder.addNode(node.id, nodeFn(node.latencyMs, writesPerNode));
    for (const dep of node.deps) hasDependents.add(dep);
  }
  for (const node of graph.nodes) {
    if (node.deps.length === 0) builder.addEdge(START, node.id);
    else builder.addEdge(node.deps.length === 1 ? node.deps[0]! : node.deps, node.id);
    if (!hasDependents.has(node.id)) builder.addEdge(node.id, END);
  }
  const app = builder.compile();
  const config = { recursionLimit: graph.nodes.length + 10 };
  return {
    invoke: async () => (await app.invoke({ count: 0 }, config)).count,
    streamCustom: async (onChunk) => {
      let delivered = 0;
      for await (const chunk of await app.stream({ count: 0 }, { ...config, streamMode: 'custom' })) {
        delivered++;
        onChunk?.(chunk);
      }
      return delivered;
    },
  };
}

/** Runs once and checks every node ran (a benchmark of a broken run is void). */
export async function invokeToEnd(app: LangGraphApp, graph: Graph): Promise<void> {
  const count = await app.invoke();
  if (count !== graph.nodes.length) throw new Error(`LangGraph run of '${graph.name}' ran ${count} of ${graph.nodes.length} nodes.`);
}
