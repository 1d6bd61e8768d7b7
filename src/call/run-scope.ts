import type { BudgetFigures } from '../budget/budget-figures.js';
import type { Catalog } from '../models/catalog.js';
import type { BudgetLimits, CallContext, CallResult, CallSpec } from './call-types.js';
import type { RunCacheOptions } from '../cache/cache-options.js';
import type { HoldJournal } from './hold-journal.js';

/** Options the engine passes when a run begins. */
export interface RunScopeOptions {
  runId: string;
  /** The run-level budget. */
  budget?: BudgetLimits;
  /** The run's signal; aborted on cancel. */
  signal: AbortSignal;
  /** The run's caching defaults (`RunOptions.cache`). */
  cache?: RunCacheOptions;
  /** Where a durable run records its attempts' budget holds before their requests go out. */
  holds?: HoldJournal;
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
  /**
   * Charges spend made outside this scope's calls to the run's budget chain (a resumed run's earlier spend).
   * Optional: a scope without it cannot restore spend.
   */
  charge?(amount: { usd: number; tokens: number }): Promise<void>;
  /** Ends the run's scope: releases anything still reserved. Idempotent. */
  close(): void;
  /** The instance's catalog (cascades price their savings with it); `defaultCatalog` when absent. */
  readonly catalog?: Catalog;
}
