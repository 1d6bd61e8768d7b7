import type { AbortScope } from '../call/abort-scope.js';
import type { CompiledWorkflow } from '../workflow/compile-workflow.js';
import type { ErrorPolicy } from '../workflow/node-spec.js';
import type { EventSink } from './events.js';
import type { RunScope } from '../call/run-scope.js';
import type { ModelBook, NodeTally } from './run-totals.js';
import type { FlowContext } from './flow-context.js';

/** What node runners share during one run (or one nested workflow of it). */
export interface RunEnv {
  readonly runId: string;
  readonly graph: CompiledWorkflow;
  /** Where the graph's events go: the run's hub, or a nested workflow's view of it. */
  readonly hub: EventSink;
  readonly scope: RunScope;
  /** The graph's abort scope (cancel, fail-fast, options.signal; a nested graph's is a child of its node's). */
  readonly abort: AbortScope;
  /** The parsed input. */
  readonly input: unknown;
  /** Outputs of the nodes that succeeded, by id. */
  readonly outputs: Record<string, unknown>;
  readonly tallies: readonly NodeTally[];
  readonly models: ModelBook;
  /** The error policy that applies to node `i`. */
  policy(i: number): ErrorPolicy;
  /** Marks node `i` as started (after its `when` passed) and emits `node-start`. */
  started(i: number): void;
  /** Where this graph sits in the run (nesting path, checkpoints, answers). */
  readonly flow: FlowContext;
}
