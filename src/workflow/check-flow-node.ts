import { SwitchyardError } from '../errors/switchyard-error.js';
import type { NodeDefinition } from './node-definition.js';
import type { Workflow } from './workflow.js';

const isFn = (value: unknown) => typeof value === 'function';
const ON_MAX = new Set(['return-last', 'fail']);

type FlowNode = Extract<NodeDefinition, { kind: 'workflow' | 'loop' | 'branch' | 'approval' }>;

function isWorkflow(value: unknown): value is Workflow {
  const wf = value as { nodes?: unknown; inputSchema?: unknown } | null;
  return typeof wf === 'object' && wf !== null && Array.isArray(wf.nodes) && typeof wf.inputSchema === 'object';
}

/** A nested workflow (`.workflow`'s `workflow`, `.loop`'s `body`): a workflow, valid itself. */
function checkNested(value: unknown, field: string, label: string, problems: string[], compile: (wf: Workflow) => unknown): void {
  if (!isWorkflow(value)) {
    problems.push(`${label} needs \`${field}\`: a workflow built with workflow(...).`);
    return;
  }
  try {
    compile(value);
  } catch (error) {
    const message = SwitchyardError.isInstance(error) ? error.message : String(error);
    problems.push(`${label}'s \`${field}\` is invalid: ${message}`);
  }
}

function checkLoop(node: Extract<FlowNode, { kind: 'loop' }>, label: string, problems: string[]): void {
  const max = node.maxIterations as unknown;
  if (!(typeof max === 'number' && Number.isInteger(max) && max >= 1)) {
    problems.push(`${label} needs maxIterations, a whole number ≥ 1 (a loop is always bounded); it has ${String(max)}.`);
  }
  if (!isFn(node.until)) problems.push(`${label} needs \`until\`: a function ({ output, iteration }) => boolean.`);
  if (node.onMaxIterations !== undefined && !ON_MAX.has(node.onMaxIterations)) {
    problems.push(`${label} has onMaxIterations '${String(node.onMaxIterations)}'; use 'return-last' or 'fail'.`);
  }
}

function checkBranch(node: Extract<FlowNode, { kind: 'branch' }>, label: string, problems: string[]): void {
  const paths = node.paths as unknown;
  const ok = Array.isArray(paths) && paths.length > 0 && paths.every((p) => typeof p === 'string' && p !== '');
  if (!ok) problems.push(`${label} needs \`paths\`: a non-empty array of path names.`);
  else if (new Set(paths).size !== paths.length) problems.push(`${label} lists a path twice in \`paths\`.`);
  if (!isFn(node.choose)) problems.push(`${label} needs \`choose\`: a function returning one of its paths.`);
}

function checkApproval(node: Extract<FlowNode, { kind: 'approval' }>, label: string, problems: string[]): void {
  if (typeof node.prompt !== 'string' && !isFn(node.prompt)) {
    problems.push(`${label} needs \`prompt\`: the question to ask (a string, or a function of the node's context).`);
  }
  if (typeof (node.answer as { safeParseAsync?: unknown } | undefined)?.safeParseAsync !== 'function') {
    problems.push(`${label} needs \`answer\`: a zod schema for the person's answer, e.g. z.object({ ok: z.boolean() }).`);
  }
}

/** Checks the shape of a control-flow node (`.workflow`, `.loop`, `.branch`, `.approval`). */
export function checkFlowNode(node: FlowNode, label: string, problems: string[], compile: (wf: Workflow) => unknown): void {
  switch (node.kind) {
    case 'workflow':
      checkNested(node.workflow, 'workflow', label, problems, compile);
      if (!isFn(node.input)) problems.push(`${label} needs \`input\`: a function building the nested workflow's input.`);
      return;
    case 'loop':
      checkNested(node.body, 'body', label, problems, compile);
      if (!isFn(node.input)) problems.push(`${label} needs \`input\`: a function (ctx, last) building each iteration's input.`);
      return checkLoop(node, label, problems);
    case 'branch':
      return checkBranch(node, label, problems);
    case 'approval':
      return checkApproval(node, label, problems);
  }
}

/** A `when` given as paths: `{ dependency: 'path' | ['path', ...] }`, naming dependencies of the node. */
export function checkWhenPaths(when: object, node: NodeDefinition, label: string, problems: string[]): void {
  for (const [dep, paths] of Object.entries(when)) {
    const list: unknown[] = Array.isArray(paths) ? paths : [paths];
    if (list.length === 0 || !list.every((p) => typeof p === 'string')) {
      problems.push(`${label} has \`when.${dep}\` that is neither a path name nor an array of them.`);
    }
    if (!(node.after ?? []).includes(dep)) problems.push(`${label} has \`when.${dep}\`, but '${dep}' is not in its \`after\`.`);
  }
}
