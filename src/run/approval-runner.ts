import { SwitchyardError } from '../errors/switchyard-error.js';
import { invoke, raceAbort } from '../call/abort-scope.js';
import type { ApprovalNodeDefinition } from '../workflow/node-definition.js';
import { jsonSchemaOf } from './answer-schemas.js';
import { pathIn, type Waiting } from './flow-context.js';
import { describeValue } from './model-call.js';
import type { NodeRun } from './node-runner.js';
import { NodePaused } from './node-paused.js';

async function promptOf(run: NodeRun, node: ApprovalNodeDefinition): Promise<string> {
  const prompt = typeof node.prompt === 'function' ? await raceAbort(invoke(() => (node.prompt as Function)(run.ctx, run.options)), run.scope) : node.prompt;
  if (typeof prompt === 'string') return prompt;
  throw new SwitchyardError({
    kind: 'invalid_request',
    message: `Approval node '${node.id}': \`prompt\` returned ${describeValue(prompt)}; return the question to ask, as a string.`,
  });
}

/**
 * Runs an `.approval` node: with an answer given to `sy.resume` (already validated against `answer`), that answer
 * is the node's output; without one, the node waits (NodePaused) with its prompt, and the run pauses once nothing
 * else can run.
 */
export async function runApproval(run: NodeRun, node: ApprovalNodeDefinition): Promise<unknown> {
  const { flow } = run.env;
  const key = flow.key + node.id;
  if (flow.answers.has(key)) return flow.answers.get(key);
  const waiting: Waiting = {
    key,
    nodeId: pathIn(flow, node.id),
    kind: 'approval',
    prompt: await promptOf(run, node),
    answerSchema: jsonSchemaOf(node.answer),
    since: flow.checkpoints?.waitingSince(key) ?? Date.now(),
  };
  if (flow.iteration !== undefined) waiting.iteration = flow.iteration;
  throw new NodePaused([waiting]);
}
