import type { Usage } from '../models/types.js';
import type { NodeResult } from './run-types.js';

/** One iteration of a `.loop`, as `result.nodes[loopId].iterations` records it. */
export interface LoopIteration {
  /** 1-based. */
  iteration: number;
  status: 'succeeded' | 'failed' | 'cancelled' | 'waiting';
  /** The body's outputs in this iteration (only the nodes that completed unless status is 'succeeded'). */
  outputs: Record<string, unknown>;
  /** The body's nodes as they ran in this iteration. */
  nodes: Record<string, NodeResult>;
  usage: Usage;
  costUsd: number;
  /** Whether the loop ended after this iteration (`until` said so, or it was the last `maxIterations` allows). */
  stop: boolean;
}

/** What control-flow nodes add to their node result (`result.nodes[id]`). */
export interface FlowDetail {
  /** `.workflow` nodes: the nested workflow's nodes as they ran, by id. */
  children?: Record<string, NodeResult>;
  /** `.loop` nodes: every iteration that started, in order. */
  iterations?: LoopIteration[];
  /** `.loop` nodes: whether `until` ended the loop (false when it stopped at `maxIterations`). */
  converged?: boolean;
}
