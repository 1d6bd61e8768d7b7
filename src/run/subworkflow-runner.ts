import { invoke, raceAbort } from '../call/abort-scope.js';
import type { WorkflowNodeDefinition } from '../workflow/node-definition.js';
import { runNested, settleNested } from './nested-graph.js';
import type { NodeRun } from './node-runner.js';

/**
 * Runs a `.workflow` node: builds the nested workflow's input from the node's context, runs it as a nested graph,
 * and returns its outputs. Its nodes are in `result.nodes[id].children`, whatever happened.
 */
export async function runSubworkflow(run: NodeRun, node: WorkflowNodeDefinition): Promise<unknown> {
  const input = await raceAbort(invoke(() => node.input(run.ctx as never, run.options)), run.scope);
  const nested = await runNested(run, node.workflow, input);
  run.detail.children = nested.nodes;
  return settleNested(run, nested, `Nested workflow '${node.workflow.name}'`);
}
