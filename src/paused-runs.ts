import type { CheckpointStore } from './durable/checkpoint-store.js';
import { MemoryCheckpointStore } from './durable/memory-checkpoint-store.js';
import type { Run, RunResult } from './run/run-types.js';
import { canPause } from './workflow/can-pause.js';
import type { Workflow } from './workflow/workflow.js';
import type { Outputs } from './workflow/workflow-types.js';

/**
 * Where runs without a store keep their checkpoint while they may pause: an instance's runs of workflows with
 * `.approval` nodes or tools that need approval checkpoint in memory, so `sy.resume` can continue them in this
 * process; a run that ends without anything waiting is forgotten.
 */
export class PausedRuns {
  readonly #memory = new MemoryCheckpointStore();

  constructor(private readonly store: CheckpointStore | undefined) {}

  /** The store of a new run: its own, the instance's, or memory when the workflow can pause. */
  storeFor(wf: Workflow, own: CheckpointStore | undefined): CheckpointStore | undefined {
    return own ?? this.store ?? (canPause(wf) ? this.#memory : undefined);
  }

  /** The store to resume from: its own, the instance's, or memory when this instance holds the paused run. */
  storeToResume(runId: string, own: CheckpointStore | undefined): CheckpointStore | undefined {
    return own ?? this.store ?? (this.#memory.has(runId) ? this.#memory : undefined);
  }

  /** Forgets the run (from memory) once it ends with nothing waiting. */
  track<O extends Outputs>(run: Run<O>): Run<O> {
    const forget = (result: RunResult<O>) => {
      if (result.waiting.length === 0) void this.#memory.deleteRun(result.runId);
    };
    run.result.then(forget, () => {});
    return run;
  }
}
