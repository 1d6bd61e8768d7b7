import type { StepLog } from '../agents/node-io.js';
import type { Usage } from '../models/types.js';
import type { NodeExecutor } from '../executor/node-executor.js';
import type { EventSink, WaitingEntry } from './events.js';
import type { NodeTally } from './run-totals.js';

/** A node that completed in an earlier attempt of the run, as its checkpoint has it. */
export interface RestoredNode {
  output: unknown;
  usage: Usage;
  costUsd: number;
  attempts: number;
  model?: string;
  provider?: string;
  /** Epoch ms. */
  startedAt?: number;
}

/**
 * What the engine asks of a durable run's checkpoint (`src/durable` implements it). Nodes are addressed by key:
 * their id at the top, `legal/check` inside the nested workflow 'legal', `refine/2/draft` in the second iteration
 * of the loop 'refine'.
 */
export interface Checkpoints {
  /** The checkpoint of the node at `key` when it completed before: it is restored, not run. */
  restored(key: string): RestoredNode | undefined;
  /** Commits the node at `key` that succeeded; resolves once the store has it. */
  commit(key: string, output: unknown, tally: NodeTally, startedAt: number | undefined): Promise<void>;
  /** The step log of the node at `key`: its committed model calls, tool results and verdicts. */
  steps(key: string): StepLog;
  /** Since when the node at `key` waits, when the checkpoint says it was waiting. */
  waitingSince(key: string): number | undefined;
}

/** Where a graph sits in its run: the nesting path, the checkpoint keys, the answers given to `sy.resume`. */
export interface FlowContext {
  /** The run's hub: nested workflows' sinks are made over it. */
  readonly root: EventSink;
  /** Now on the run's clock, in epoch ms (the hub's `epochNow`): every graph of a run times its nodes by it. */
  readonly epochNow: () => number;
  /** The public path of the node that holds this graph ('' at the top, 'legal', 'outer/inner'). */
  readonly path: string;
  /** The checkpoint key prefix of this graph's nodes ('' at the top, 'legal/', 'refine/2/'). */
  readonly key: string;
  /** Inside a `.loop` body: the iteration. */
  readonly iteration?: number;
  readonly checkpoints?: Checkpoints;
  /** Validated answers given to `sy.resume`, by node key. */
  readonly answers: ReadonlyMap<string, unknown>;
  /** Where leaf nodes of the top graph execute (nested graphs and control-flow nodes run in this process). */
  readonly executor?: NodeExecutor;
  /** Most nodes of this graph running at once. */
  readonly concurrency: number;
}

/** The public path of node `id` of a graph at `flow` ('check' at the top, 'legal/check' nested). */
export function pathIn(flow: FlowContext, id: string): string {
  return flow.path === '' ? id : `${flow.path}/${id}`;
}

/** A waiting entry with the checkpoint key of its node (the key answers are matched by on resume). */
export interface Waiting extends WaitingEntry {
  key: string;
}
