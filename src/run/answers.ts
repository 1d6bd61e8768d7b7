import type { ZodType } from 'zod';
import { SwitchyardError } from '../errors/switchyard-error.js';
import { stepDecisions, toolApprovalAnswer } from '../agents/tool-approval.js';
import type { NodeDefinition } from '../workflow/node-definition.js';
import type { Workflow } from '../workflow/workflow.js';
import { describeIssues } from './check-run.js';
import type { Waiting } from './flow-context.js';

/** The node at a public path ('approve', 'legal/approve', 'refine/approve'), through nested workflows and loop bodies. */
export function nodeAtPath(workflow: Workflow, path: string): NodeDefinition | undefined {
  let nodes = workflow.nodes;
  let node: NodeDefinition | undefined;
  for (const id of path.split('/')) {
    node = nodes.find((n) => n.id === id);
    if (node?.kind === 'workflow') nodes = node.workflow.nodes;
    else if (node?.kind === 'loop') nodes = node.body.nodes;
    else nodes = [];
  }
  return node;
}

async function parseAnswer(schema: ZodType, value: unknown, nodeId: string): Promise<unknown> {
  const parsed = await schema.safeParseAsync(value);
  if (parsed.success) return parsed.data;
  throw new SwitchyardError({
    kind: 'invalid_input',
    cause: parsed.error,
    message: `The answer for '${nodeId}' does not match its schema: ${describeIssues(parsed.error.issues)}.`,
  });
}

function notWaiting(nodeId: string, waiting: readonly Waiting[]): SwitchyardError {
  const list = waiting.map((w) => `'${w.nodeId}'`).join(', ') || 'nothing (it is not paused)';
  return new SwitchyardError({
    kind: 'invalid_request',
    message: `Cannot answer '${nodeId}': the run does not wait for it. It waits for: ${list}.`,
  });
}

/** A tool-approval answer spread over the calls the agent waits for; a call id it does not wait for is refused. */
async function toolAnswer(entry: Waiting, value: unknown): Promise<unknown> {
  const answer = await parseAnswer(toolApprovalAnswer, value, entry.nodeId);
  const ids = (entry.toolCalls ?? []).map((c) => c.id);
  if (typeof answer === 'object' && answer !== null && !('approved' in answer)) {
    const unknown = Object.keys(answer).filter((id) => !ids.includes(id));
    if (unknown.length > 0) {
      throw new SwitchyardError({
        kind: 'invalid_request',
        message: `The answer for '${entry.nodeId}' names tool call ${unknown.map((id) => `'${id}'`).join(', ')}; it waits for ${ids.map((id) => `'${id}'`).join(', ')}.`,
      });
    }
  }
  return stepDecisions(answer as never, entry.step ?? 0, ids);
}

/**
 * Validates the answers given to `sy.resume` against what the checkpoint's run waits for: each must name a waiting
 * node (`result.waiting[].nodeId`) and match its `answer` schema (a tool decision for an agent). Returns the parsed
 * answers by node key. Throws kind 'invalid_request' (nothing waits there) or 'invalid_input' (a bad answer).
 */
export async function resolveAnswers(
  workflow: Workflow,
  waiting: readonly Waiting[],
  given: Record<string, unknown> | undefined,
): Promise<ReadonlyMap<string, unknown>> {
  const answers = new Map<string, unknown>();
  if (given === undefined) return answers;
  if (typeof given !== 'object' || given === null || Array.isArray(given)) {
    throw new SwitchyardError({ kind: 'invalid_request', message: 'answers must be an object: { [nodeId]: answer }.' });
  }
  for (const [nodeId, value] of Object.entries(given)) {
    const entry = waiting.find((w) => w.nodeId === nodeId);
    if (entry === undefined) throw notWaiting(nodeId, waiting);
    if (entry.kind === 'tool') {
      answers.set(entry.key, await toolAnswer(entry, value));
      continue;
    }
    const node = nodeAtPath(workflow, nodeId);
    if (node?.kind !== 'approval') throw notWaiting(nodeId, []);
    answers.set(entry.key, await parseAnswer(node.answer, value, nodeId));
  }
  return answers;
}
