import { SwitchyardError } from '../errors/switchyard-error.js';
import type { NodeDefinition } from './node-definition.js';
import { checkNode } from './check-node.js';
import { findCycle } from './find-cycle.js';
import type { Workflow } from './workflow.js';

/** A validated workflow as the engine runs it: nodes by index, with dependency and dependent edges. */
export interface CompiledWorkflow {
  readonly name: string;
  readonly nodes: readonly NodeDefinition[];
  /** Index of each node by id. */
  readonly index: ReadonlyMap<string, number>;
  /** `deps[i]`: indexes of the nodes node `i` waits for (deduplicated). */
  readonly deps: readonly (readonly number[])[];
  /** `dependents[i]`: indexes of the nodes that wait for node `i`. */
  readonly dependents: readonly (readonly number[])[];
}

const compiled = new WeakMap<Workflow, CompiledWorkflow>();
/** Workflows being compiled right now: a workflow nested in itself would recurse forever. */
const compiling = new Set<Workflow>();
const MAX_PROBLEMS = 10;
const MAX_LISTED_IDS = 30;

function invalid(name: string, problems: string[]): SwitchyardError {
  const shown = problems.slice(0, MAX_PROBLEMS);
  const more = problems.length > MAX_PROBLEMS ? `\n- …and ${problems.length - MAX_PROBLEMS} more` : '';
  const body = shown.length === 1 ? ` ${shown[0]}` : `\n- ${shown.join('\n- ')}${more}`;
  return new SwitchyardError({ kind: 'invalid_workflow', message: `Workflow '${name}' is invalid:${body}` });
}

function knownIds(index: ReadonlyMap<string, number>): string {
  const ids = [...index.keys()];
  const listed = ids.slice(0, MAX_LISTED_IDS).join(', ');
  return ids.length > MAX_LISTED_IDS ? `${listed}, … (${ids.length} nodes)` : listed || '(none)';
}

function indexNodes(nodes: readonly NodeDefinition[], problems: string[]): Map<string, number> {
  const index = new Map<string, number>();
  nodes.forEach((node, i) => {
    const id = (node as { id?: unknown } | undefined)?.id;
    if (typeof id !== 'string') return;
    if (index.has(id)) problems.push(`duplicate node id '${id}': ids must be unique.`);
    else index.set(id, i);
  });
  return index;
}

function linkEdges(nodes: readonly NodeDefinition[], index: ReadonlyMap<string, number>, problems: string[]) {
  const deps: number[][] = [];
  const dependents: number[][] = nodes.map(() => []);
  nodes.forEach((node, i) => {
    const own: number[] = [];
    for (const dep of Array.isArray(node?.after) ? node.after : []) {
      const j = index.get(dep);
      if (j === undefined) {
        const hint = dep === 'input' ? " ('input' is always available; do not list it in after)" : '';
        problems.push(`node '${node.id}' depends on unknown node '${dep}'${hint}. Known nodes: ${knownIds(index)}.`);
      } else if (!own.includes(j)) {
        own.push(j);
        dependents[j]!.push(i);
      }
    }
    deps.push(own);
  });
  return { deps, dependents };
}

/** A `when: { route: 'bug' }` naming a `.branch` must name one of its paths. */
function checkBranchPaths(nodes: readonly NodeDefinition[], index: ReadonlyMap<string, number>, problems: string[]): void {
  for (const node of nodes) {
    if (typeof node?.when !== 'object' || node.when === null) continue;
    for (const [dep, wanted] of Object.entries(node.when)) {
      const branch = nodes[index.get(dep) ?? -1];
      if (branch?.kind !== 'branch' || !Array.isArray(branch.paths)) continue;
      const unknown = (Array.isArray(wanted) ? wanted : [wanted]).filter((p) => !branch.paths.includes(p as string));
      if (unknown.length > 0) {
        problems.push(`node '${node.id}' runs on path ${unknown.map((p) => `'${String(p)}'`).join(', ')} of '${dep}', which has paths ${branch.paths.map((p) => `'${p}'`).join(', ')}.`);
      }
    }
  }
}

function describeWorkflow(workflow: Workflow, problems: string[]): void {
  if (typeof workflow.name !== 'string' || workflow.name === '') problems.push('the workflow needs a non-empty name.');
  const schema = workflow.inputSchema as { safeParse?: unknown } | undefined;
  if (typeof schema?.safeParse !== 'function') problems.push('`input` must be a zod schema for the run input.');
}

/**
 * Validates a workflow and returns its compiled graph (cached per workflow object). Throws SwitchyardError
 * kind 'invalid_workflow' listing every problem: duplicate or reserved ids, unknown dependencies (with the
 * known ids), a cycle (with its path), malformed nodes (a map without `over`, a step without `run`, ...).
 */
export function compileWorkflow(workflow: Workflow): CompiledWorkflow {
  const cached = compiled.get(workflow);
  if (cached) return cached;
  if (compiling.has(workflow)) {
    throw invalid(String(workflow.name), ['it contains itself (through .workflow or .loop nodes); nesting must end.']);
  }
  compiling.add(workflow);
  try {
    return compileNew(workflow);
  } finally {
    compiling.delete(workflow);
  }
}

function compileNew(workflow: Workflow): CompiledWorkflow {
  const problems: string[] = [];
  describeWorkflow(workflow, problems);
  const nodes = workflow.nodes;
  nodes.forEach((node, i) => checkNode(node, i, problems, compileWorkflow));
  const index = indexNodes(nodes, problems);
  const { deps, dependents } = linkEdges(nodes, index, problems);
  checkBranchPaths(nodes, index, problems);
  if (problems.length === 0) {
    const cycle = findCycle(deps);
    if (cycle) {
      const path = cycle.map((i) => nodes[i]!.id).join(' → ');
      problems.push(`the graph has a cycle: ${path} (x → y: y runs after x). Remove one of these dependencies.`);
    }
  }
  if (problems.length > 0) throw invalid(String(workflow.name), problems);
  const result: CompiledWorkflow = { name: workflow.name, nodes, index, deps, dependents };
  compiled.set(workflow, result);
  return result;
}
