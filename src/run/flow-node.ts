import { SwitchyardError } from '../errors/switchyard-error.js';
import { invoke, raceAbort } from '../call/abort-scope.js';
import type {
  ApprovalNodeDefinition,
  BranchNodeDefinition,
  LoopNodeDefinition,
  WorkflowNodeDefinition,
} from '../workflow/node-definition.js';
import { runApproval } from './approval-runner.js';
import { runLoop } from './loop-runner.js';
import { describeValue } from './model-call.js';
import type { NodeRun } from './node-runner.js';
import { runSubworkflow } from './subworkflow-runner.js';

/** The control-flow nodes. */
export type FlowNodeDefinition = WorkflowNodeDefinition | LoopNodeDefinition | BranchNodeDefinition | ApprovalNodeDefinition;

/** Runs a `.branch` node: its output is the path `choose` picked, which must be one of `paths`. */
async function runBranch(run: NodeRun, node: BranchNodeDefinition): Promise<string> {
  const choice: unknown = await raceAbort(invoke(() => node.choose(run.ctx as never, run.options)), run.scope);
  if (typeof choice === 'string' && node.paths.includes(choice)) return choice;
  throw new SwitchyardError({
    kind: 'invalid_output',
    retryable: false,
    message: `Branch '${node.id}': choose returned ${describeValue(choice)}; return one of its paths: ${node.paths.map((p) => `'${p}'`).join(', ')}.`,
  });
}

/** Runs a control-flow node (`.workflow`, `.loop`, `.branch`, `.approval`) to its output. */
export function runFlowNode(run: NodeRun, node: FlowNodeDefinition): Promise<unknown> {
  switch (node.kind) {
    case 'workflow':
      return runSubworkflow(run, node);
    case 'loop':
      return runLoop(run, node);
    case 'branch':
      return runBranch(run, node);
    case 'approval':
      return runApproval(run, node);
  }
}
