import type { BudgetFigures } from './events.js';
import type { BudgetLimits, CallContext, CallResult, CallSpec } from './call-types.js';

/** Options the engine passes when a run begins. */
export interface RunScopeOptions {
  runId: string;
  /** The run-level budget. */
  budget?: BudgetLimits;
  /** The run's signal; aborted on cancel. */
  signal: AbortSignal;
}

/**
 * What the engine needs from the layers below for one run: a way to make model calls under the run's budget,
 * retry and routing policy, and the run's budget figures. Created by the switchyard instance per run.
 */
export interface RunScope {
  /** Makes one model call (routing, budget reservation, retries and failover included). */
  call(spec: CallSpec, ctx: CallContext): Promise<CallResult>;
  /** Budget figures per level (instance and run) right now. */
  budget(): BudgetFigures[];
  /** Ends the run's scope: releases anything still reserved. Idempotent. */
  close(): void;
}

/** The dependency the engine is given by `createSwitchyard`. */
export interface EngineHost {
  openRun(options: RunScopeOptions): RunScope;
}
