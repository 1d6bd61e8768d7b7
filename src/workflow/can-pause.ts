import type { NodeDefinition } from './node-definition.js';
import type { Workflow } from './workflow.js';

const known = new WeakMap<Workflow, boolean>();

/** Whether a node may wait for a person (an `.approval`, an agent with a tool that needs approval, or one nested). */
export function nodeCanPause(node: NodeDefinition): boolean {
  switch (node?.kind) {
    case 'approval':
      return true;
    case 'agent':
      return Object.values(node.tools ?? {}).some((tool) => tool?.needsApproval !== undefined && tool.needsApproval !== false);
    case 'workflow':
      return canPause(node.workflow);
    case 'loop':
      return canPause(node.body);
    default:
      return false;
  }
}

/**
 * Whether a run of `workflow` may wait for a person: it has an `.approval` node or an agent with a tool that needs
 * approval, at any depth of nesting.
 */
export function canPause(workflow: Workflow): boolean {
  let answer = known.get(workflow);
  if (answer === undefined) {
    known.set(workflow, false); // a workflow nested in itself is refused by validation; do not recurse here
    answer = Array.isArray(workflow?.nodes) && workflow.nodes.some(nodeCanPause);
    known.set(workflow, answer);
  }
  return answer;
}
