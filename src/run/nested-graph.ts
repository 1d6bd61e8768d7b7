import { emptyRecord } from '../data/plain-record.js';
import { SwitchyardError } from '../errors/switchyard-error.js';
import type { Usage } from '../models/types.js';
import { compileWorkflow } from '../workflow/compile-workflow.js';
import type { Workflow } from '../workflow/workflow.js';
import { parseInput } from './check-run.js';
import { pathIn, type Waiting } from './flow-context.js';
import { GraphRun, type GraphStatus } from './graph-run.js';
import type { NodeRun } from './node-runner.js';
import { NodePaused } from './node-paused.js';
import { PathSink } from './path-sink.js';
import { NodeTally, sumTallies } from './run-totals.js';
import type { NodeResult, RunError } from './run-types.js';

/** How a nested graph ended. */
export interface NestedOutcome {
  status: GraphStatus;
  /** Outputs of its nodes that succeeded, by id. */
  outputs: Record<string, unknown>;
  /** Its nodes as they ran, by id. */
  nodes: Record<string, NodeResult>;
  waiting: Waiting[];
  errors: RunError[];
  usage: Usage;
  costUsd: number;
}

/**
 * Runs `child` inside node `run.i` (a `.workflow`, an iteration of a `.loop`): its input parsed with the child's
 * schema, its nodes under a child of the node's abort scope and the run's budget, its events on the run's hub
 * under the node's path, its checkpoints under the node's key (and iteration), nested nodes without `onError`
 * following the node's policy. What the child spent is added to the node's tally. Resolves when every child node
 * has ended or waits.
 */
export async function runNested(run: NodeRun, child: Workflow, rawInput: unknown, iteration?: number): Promise<NestedOutcome> {
  const { env, i, scope } = run;
  const id = env.graph.nodes[i]!.id;
  const graph = compileWorkflow(child);
  const input = await parseInput(child, rawInput);
  const path = pathIn(env.flow, id);
  const at = iteration ?? env.flow.iteration;
  const abort = scope.child();
  let finish!: (error?: unknown) => void;
  const ended = new Promise<void>((resolve, reject) => (finish = (error) => (error === undefined ? resolve() : reject(error))));
  const nested = new GraphRun(
    {
      runId: env.runId,
      graph,
      hub: new PathSink(env.flow.root, path, at),
      scope: env.scope,
      abort,
      input,
      models: env.models,
      policy: env.policy(i),
      flow: {
        ...env.flow,
        path,
        key: `${env.flow.key}${id}/${iteration === undefined ? '' : `${iteration}/`}`,
        iteration: at,
        executor: undefined,
        concurrency: Infinity,
      },
    },
    { done: () => finish(), crash: (error) => finish(error ?? new Error('nested graph crashed')) },
  );
  nested.begin();
  try {
    await ended;
  } finally {
    abort.dispose();
    for (const tally of nested.env.tallies) env.tallies[i]!.absorb(tally);
  }
  return outcomeOf(nested, abort.aborted && nested.errors.length === 0);
}

function outcomeOf(nested: GraphRun, cancelled: boolean): NestedOutcome {
  const nodes = emptyRecord<NodeResult>();
  nested.env.graph.nodes.forEach((node, i) => (nodes[node.id] = nested.results[i]!));
  return {
    status: nested.status(cancelled),
    outputs: nested.env.outputs,
    nodes,
    waiting: nested.waiting,
    errors: nested.errors,
    ...sumTallies(nested.env.tallies as NodeTally[]),
  };
}

/**
 * A nested graph's end as its node's: its outputs when it succeeded; else a pause (NodePaused), the node's abort
 * reason (cancelled), or an error of the first failure's kind that says where it happened.
 */
export function settleNested(run: NodeRun, nested: NestedOutcome, what: string): Record<string, unknown> {
  switch (nested.status) {
    case 'succeeded':
      return nested.outputs;
    case 'waiting':
      throw new NodePaused(nested.waiting);
    case 'cancelled':
      throw run.scope.reason;
    case 'failed': {
      const first = nested.errors[0]!;
      const at = `${pathIn(run.env.flow, run.env.graph.nodes[run.i]!.id)}/${first.nodeId}${first.item === undefined ? '' : ` item ${first.item}`}`;
      const more = nested.errors.length > 1 ? ` (and ${nested.errors.length - 1} more failures)` : '';
      throw new SwitchyardError({
        kind: first.error.kind,
        retryable: false,
        cause: first.error,
        message: `${what} failed at node '${at}': ${first.error.message}${more}`,
      });
    }
  }
}
