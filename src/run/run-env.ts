import type { AbortScope } from '../call/abort-scope.js';
import type { CompiledWorkflow } from '../workflow/compile-workflow.js';
import type { ErrorPolicy } from '../workflow/node-spec.js';
import type { EventHub } from './event-hub.js';
import type { RunScope } from '../call/run-scope.js';
import type { ModelBook, NodeTally } from './run-totals.js';

/** What node runners share during one run. */
export interface RunEnv {
  readonly runId: string;
  readonly graph: CompiledWorkflow;
  readonly hub: EventHub;
  readonly scope: RunScope;
  /** The run's abort scope (cancel, fail-fast, options.signal); nodes take child scopes. */
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
}
