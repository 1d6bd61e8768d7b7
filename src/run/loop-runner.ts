import { SwitchyardError } from '../errors/switchyard-error.js';
import { invoke, raceAbort } from '../call/abort-scope.js';
import type { LoopNodeDefinition } from '../workflow/node-definition.js';
import type { LoopIteration } from './flow-detail.js';
import { runNested, settleNested, type NestedOutcome } from './nested-graph.js';
import type { NodeRun } from './node-runner.js';
import { IterationOptions } from './node-options.js';

/** `until`'s answer after an iteration that succeeded: whether the loop converged there. */
async function converged(run: NodeRun, node: LoopNodeDefinition, output: unknown, iteration: number): Promise<boolean> {
  const state = { output, iteration, context: run.ctx };
  return (await raceAbort(invoke(() => node.until(state as never, run.options)), run.scope)) === true;
}

function record(nested: NestedOutcome, iteration: number, stop: boolean): LoopIteration {
  const { status, outputs, nodes, usage, costUsd } = nested;
  return { iteration, status, outputs, nodes, usage, costUsd, stop };
}

function exhausted(node: LoopNodeDefinition): SwitchyardError {
  return new SwitchyardError({
    kind: 'max_iterations',
    retryable: false,
    message:
      `Loop '${node.id}' ran ${node.maxIterations} iterations (maxIterations) and \`until\` never said stop. ` +
      "Raise maxIterations, loosen `until`, or set onMaxIterations: 'return-last' to take the last iteration's outputs.",
  });
}

/**
 * Runs a `.loop` node: iteration k builds its input with `input(ctx, last)` (last: iteration k-1's outputs), runs
 * the body as a nested graph (events tagged `iteration: k`, checkpoints under `id/k/`), and asks `until`. The loop
 * ends when `until` says stop (converged) or after `maxIterations` (then 'return-last' or 'fail'); its output is
 * the last iteration's outputs. An iteration that fails, pauses or is cancelled ends the loop the same way. Every
 * iteration is recorded in `result.nodes[id].iterations`. A resumed run replays the iterations that completed from
 * their checkpoints (nothing is requested again) and continues where it stopped.
 */
export async function runLoop(run: NodeRun, node: LoopNodeDefinition): Promise<unknown> {
  const { env } = run;
  const iterations: LoopIteration[] = (run.detail.iterations = []);
  run.detail.converged = false;
  let last: Record<string, unknown> | undefined;
  for (let iteration = 1; iteration <= node.maxIterations; iteration++) {
    env.hub.emit({ type: 'iteration-start', iteration }, node.id);
    const options = new IterationOptions(env.runId, run.options.nodeId, iteration, run.scope);
    const input = await raceAbort(invoke(() => node.input(run.ctx as never, last, options)), run.scope);
    const nested = await runNested(run, node.body, input, iteration);
    const done = nested.status === 'succeeded' && (await converged(run, node, nested.outputs, iteration));
    const stop = done || nested.status !== 'succeeded' || iteration === node.maxIterations;
    iterations.push(record(nested, iteration, stop));
    env.hub.emit({ type: 'iteration-end', iteration, status: nested.status, stop, costUsd: nested.costUsd }, node.id);
    last = settleNested(run, nested, `Loop '${node.id}' iteration ${iteration}`);
    if (done) {
      run.detail.converged = true;
      return last;
    }
  }
  if (node.onMaxIterations === 'fail') throw exhausted(node);
  return last;
}
