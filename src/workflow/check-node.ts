import { budgetLimitsProblem } from '../budget/budget-limits.js';
import { isReservedName, RESERVED_NAMES } from '../data/plain-record.js';
import type { NodeDefinition } from './node-definition.js';
import { checkAgent, checkEnsemble, checkVerified } from './check-model-node.js';
import { checkFlowNode, checkWhenPaths } from './check-flow-node.js';
import type { Workflow } from './workflow.js';

const KINDS = new Set(['llm', 'step', 'map', 'agent', 'ensemble', 'workflow', 'loop', 'branch', 'approval']);
const POLICIES = new Set(['fail-fast', 'continue']);

const isFn = (value: unknown) => typeof value === 'function';
const isPositiveInt = (value: unknown) => typeof value === 'number' && Number.isInteger(value) && value >= 1;

function checkPrompt(owner: string, spec: { prompt?: unknown; messages?: unknown }, problems: string[]): void {
  const hasPrompt = spec.prompt !== undefined;
  const hasMessages = spec.messages !== undefined;
  if (hasPrompt === hasMessages) {
    problems.push(`${owner} needs exactly one of \`prompt\` (a string or a function) or \`messages\` (a function).`);
  } else if (hasPrompt && typeof spec.prompt !== 'string' && !isFn(spec.prompt)) {
    problems.push(`${owner} has a \`prompt\` that is neither a string nor a function.`);
  } else if (hasMessages && !isFn(spec.messages)) {
    problems.push(`${owner} has \`messages\` that is not a function returning the message list.`);
  }
}

function checkCommon(node: NodeDefinition, label: string, problems: string[]): void {
  if (node.after !== undefined && (!Array.isArray(node.after) || node.after.some((d) => typeof d !== 'string'))) {
    problems.push(`${label} has \`after\` that is not an array of node ids.`);
  }
  if (typeof node.when === 'object' && node.when !== null && !Array.isArray(node.when)) checkWhenPaths(node.when, node, label, problems);
  else if (node.when !== undefined && !isFn(node.when)) {
    problems.push(`${label} has a \`when\` that is neither a function nor paths of its dependencies ({ route: 'bug' }).`);
  }
  if (node.onError !== undefined && !POLICIES.has(node.onError)) {
    problems.push(`${label} has onError '${String(node.onError)}'; use 'fail-fast' or 'continue'.`);
  }
  if (node.timeoutMs !== undefined && !(typeof node.timeoutMs === 'number' && node.timeoutMs > 0)) {
    problems.push(`${label} has timeoutMs ${String(node.timeoutMs)}; use a positive number of milliseconds.`);
  }
  const budget = budgetLimitsProblem((node as { budget?: unknown }).budget, `the budget of ${label}`);
  if (budget !== undefined) problems.push(budget);
}

function checkMap(node: Extract<NodeDefinition, { kind: 'map' }>, label: string, problems: string[]): void {
  if (node.over === undefined) {
    problems.push(`${label} has no \`over\`: give a function returning the list to fan out over.`);
  } else if (!isFn(node.over)) {
    problems.push(`${label} has an \`over\` that is not a function returning the list to fan out over.`);
  }
  if (node.concurrency !== undefined && !isPositiveInt(node.concurrency)) {
    problems.push(`${label} has concurrency ${String(node.concurrency)}; use a whole number ≥ 1.`);
  }
  const item = node.node as { run?: unknown; prompt?: unknown; messages?: unknown } | undefined;
  if (typeof item !== 'object' || item === null) {
    problems.push(`${label} has no \`node\`: give { run } or a model call with \`prompt\`/\`messages\` per item.`);
  } else if (item.run !== undefined) {
    if (!isFn(item.run)) problems.push(`${label} has a \`node.run\` that is not a function.`);
  } else {
    checkPrompt(`${label}'s \`node\``, item, problems);
  }
}

/**
 * Checks the shape of one node definition, pushing a readable problem for each mistake. `compile` validates the
 * workflows nested in `.workflow` and `.loop` nodes.
 */
export function checkNode(node: NodeDefinition, position: number, problems: string[], compile: (wf: Workflow) => unknown): void {
  if (typeof node !== 'object' || node === null) {
    problems.push(`node #${position + 1} is not an object.`);
    return;
  }
  if (typeof node.id !== 'string' || node.id === '') {
    problems.push(`node #${position + 1} needs a non-empty string id.`);
    return;
  }
  const label = `node '${node.id}'`;
  if (node.id === 'input') problems.push(`'input' is reserved (it names the workflow input in callbacks); rename the node.`);
  if (isReservedName(node.id)) {
    problems.push(`'${node.id}' is reserved (${RESERVED_NAMES.join(', ')} would reach into JavaScript objects' prototypes); rename the node.`);
  }
  if (node.id.includes('/')) problems.push(`${label}: ids may not contain '/' (it separates the nodes of nested workflows in paths).`);
  if (!KINDS.has(node.kind)) {
    problems.push(`${label} has kind '${String(node.kind)}'; use 'llm', 'agent', 'ensemble', 'step', 'map', 'workflow', 'loop', 'branch' or 'approval'.`);
    return;
  }
  checkCommon(node, label, problems);
  if (node.kind === 'llm' || node.kind === 'agent' || node.kind === 'ensemble') checkPrompt(label, node, problems);
  if (node.kind === 'llm') checkVerified(node, label, problems);
  else if (node.kind === 'agent') checkAgent(node, label, problems);
  else if (node.kind === 'ensemble') checkEnsemble(node, label, problems);
  else if (node.kind === 'step' && !isFn(node.run)) problems.push(`${label} needs a \`run\` function.`);
  else if (node.kind === 'map') checkMap(node, label, problems);
  else if (node.kind !== 'step') checkFlowNode(node, label, problems, compile);
}
