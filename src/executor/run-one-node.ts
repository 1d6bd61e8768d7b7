import { SwitchyardError } from '../errors/switchyard-error.js';
import type { FinishReason } from '../models/types.js';
import { errorToJSON } from '../errors/error-json.js';
import type { RunEvent } from '../run/events.js';
import type { RunResult } from '../run/run-types.js';
import type { Switchyard } from '../switchyard.js';
import type { NodeDefinition } from '../workflow/node-definition.js';
import { workflow, type Workflow } from '../workflow/workflow.js';
import type { NodeJobData, NodeReply, OutcomeJSON } from './node-job.js';

/** Events the caller's engine emits itself from the reply; the worker does not forward them. */
const ENGINE_EVENTS = new Set(['run-start', 'run-end', 'node-end', 'node-error', 'node-skip']);

/**
 * Runs one node of a run on this process's switchyard: a one-node run of the node's own definition, its
 * dependencies replaced by steps that return their (already computed) outputs. `forward` gets the node's events.
 */
export async function runOneNode(sy: Switchyard, wf: Workflow, job: NodeJobData, forward: (event: RunEvent) => void): Promise<NodeReply> {
  const node = wf.nodes.find((n) => n.id === job.nodeId);
  if (!node) {
    throw new SwitchyardError({
      kind: 'invalid_workflow',
      message: `Workflow '${wf.name}' on this worker has no node '${job.nodeId}': deploy the same workflow to the callers and the workers.`,
    });
  }
  const deps: NodeDefinition[] = Object.entries(job.deps).map(([id, output]) => ({ kind: 'step', id, run: () => output }) as unknown as NodeDefinition);
  const sub = workflow({ name: wf.name, input: wf.inputSchema, nodes: [...deps, node] });
  // The run's budget applies here too: a shared ledger (Redis) addresses the run scope by the run id, so every
  // worker running a node of this run reserves under the same run budget.
  const run = sy.run(sub, job.input, { runId: job.runId, store: undefined, ...(job.budget && { budget: job.budget }) });
  let finishReason: FinishReason | undefined;
  run.on('*', (event) => {
    if (event.nodeId !== job.nodeId) return;
    if (event.type === 'node-end' && event.finishReason) finishReason = event.finishReason;
    if (!ENGINE_EVENTS.has(event.type)) forward(event);
  });
  const result = await run.result;
  return replyOf(result, job.nodeId, finishReason);
}

function replyOf(result: RunResult, nodeId: string, finishReason: FinishReason | undefined): NodeReply {
  const node = result.nodes[nodeId]!;
  const reply: NodeReply = {
    outcome: outcomeOf(result, nodeId),
    usage: node.usage,
    costUsd: node.costUsd,
    attempts: node.attempts,
    byModel: result.byModel,
  };
  if (node.model !== undefined) Object.assign(reply, { model: node.model, provider: node.provider });
  if (finishReason) reply.finishReason = finishReason;
  return reply;
}

function outcomeOf(result: RunResult, nodeId: string): OutcomeJSON {
  const node = result.nodes[nodeId]!;
  switch (node.status) {
    case 'succeeded':
      return { end: 'succeeded', output: (result.outputs as Record<string, unknown>)[nodeId] };
    case 'skipped':
      return { end: 'skipped', skipReason: node.skipReason ?? 'skipped' };
    case 'cancelled':
      return { end: 'cancelled', error: errorToJSON(node.error) };
    default: {
      const outcome: OutcomeJSON = { end: 'failed', error: errorToJSON(node.error) };
      const items = result.errors.filter((e) => e.nodeId === nodeId && e.item !== undefined);
      if (items.length > 0) outcome.itemErrors = items.map((e) => ({ item: e.item!, error: errorToJSON(e.error) }));
      if (node.partialOutput) outcome.partialOutput = node.partialOutput;
      return outcome;
    }
  }
}
