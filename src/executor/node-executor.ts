import type { NodeOutcome } from '../run/node-runner.js';
import type { RunEnv } from '../run/run-env.js';

/**
 * Where a run's nodes execute. The default runs them in the caller's process; `bullmq({ connection })` sends each
 * ready node to a queue that worker processes take from. Set per run: `sy.run(wf, input, { executor })`.
 */
export interface NodeExecutor {
  /**
   * Runs node `i` of the run to its end and resolves with how it ended (never rejects): books its usage and cost
   * on `env.tallies[i]` and `env.models`, calls `env.started(i)` when it starts, and emits its events on `env.hub`.
   */
  run(env: RunEnv, i: number): Promise<NodeOutcome>;
}
