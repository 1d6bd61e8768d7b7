import type { SwitchyardError } from '../errors/switchyard-error.js';
import type { NodeDetail } from '../agents/node-detail.js';
import type { Usage } from '../models/types.js';
import type { NodeKind } from '../workflow/node-definition.js';
import type { ErrorPolicy } from '../workflow/node-spec.js';
import type { Outputs } from '../workflow/workflow-types.js';
import type { CheckpointStore } from '../durable/checkpoint-store.js';
import type { NodeExecutor } from '../executor/node-executor.js';
import type { BudgetLimits, OutputCap } from '../call/call-types.js';
import type { RunCacheOptions } from '../cache/cache-options.js';
import type { RunMetrics } from '../observe/metrics-types.js';
import type { TraceTarget } from '../observe/trace-types.js';
import type { BudgetFigures, RunEvent, RunEventOf, RunEventType, RunStatus, WaitingEntry } from './events.js';
import type { FlowDetail } from './flow-detail.js';

/** Options of one run (`sy.run(workflow, input, options)`). */
export interface RunOptions {
  /** Aborting it cancels the run: every in-flight model request and callback is aborted, pending nodes never start. */
  signal?: AbortSignal;
  /** The run's budget, shared by all its nodes (inside the instance budget). */
  budget?: BudgetLimits;
  /**
   * Most nodes running at once (a `.map` counts as one node; its items are limited by its own `concurrency`).
   * @default unlimited
   */
  concurrency?: number;
  /**
   * What a node failure does, for nodes without their own `onError`.
   * @default 'fail-fast'
   */
  onError?: ErrorPolicy;
  /**
   * The run's id, stamped on every event.
   * @default a random 'run_…' id
   */
  runId?: string;
  /**
   * Makes the run durable: the run record, each node's output, usage and cost (the moment the node finishes) and
   * each attempt's spend are committed to this store, so `sy.resume(runId, workflow)` can finish the run later
   * without paying again for completed nodes. See docs/durable-runs.md.
   * @default no checkpoints
   * @example { store: sqliteStore('./runs.db') }
   */
  store?: CheckpointStore;
  /**
   * Resume the checkpoint of `runId` in `store` instead of starting anew (the checkpoint's input is used; the
   * input argument is ignored). `sy.resume(runId, workflow)` sets it.
   * @default false
   */
  resume?: boolean;
  /**
   * With `resume`: the answers to what the paused run waits for, by node path (`result.waiting[].nodeId`), each
   * validated against its node's `answer` schema (a tool decision for an agent). `sy.resume(runId, workflow,
   * { answers })` types them. See docs/human-in-the-loop.md.
   * @default no answers
   * @example { answers: { approve: { ok: true } } }
   */
  answers?: Record<string, unknown>;
  /**
   * Records the run: a path to a JSON-lines file (a header with the workflow's nodes, then every event, appended
   * as the run goes — a crash keeps what was written; `npx switchyard report <file>` turns it into a page), or a
   * writer of your own.
   * @default no trace
   * @example { trace: 'runs/triage.jsonl' }
   */
  trace?: TraceTarget;
  /**
   * Caching defaults for the run's model calls; a node's own `cache` wins.
   * @default no response cache
   * @example { cache: { response: true } }
   */
  cache?: RunCacheOptions;
  /**
   * Where the run's nodes execute: in this process, or on worker processes, e.g. `bullmq({ connection })` from
   * 'switchyard-ai/redis' (see docs/scale-out.md). Events, outputs and spend come back into this run.
   * @default this process
   */
  executor?: NodeExecutor;
}

/**
 * How one node ended. `'waiting'`: it waits for a person (the run paused); `'pending'`: it has not reached an end
 * (in a paused run, the nodes that depend on a waiting one).
 */
export type NodeStatus = 'succeeded' | 'failed' | 'skipped' | 'cancelled' | 'waiting' | 'pending';

/**
 * What happened to one node. Agent, ensemble, verifier and cascade nodes add the `NodeDetail` fields (`steps`,
 * `rounds`, `verified`, `candidates`, `merge`, `cascade`); nested workflows and loops the `FlowDetail` fields
 * (`children`, `iterations`, `converged`, `branch`).
 */
export interface NodeResult extends NodeDetail, FlowDetail {
  status: NodeStatus;
  kind: NodeKind;
  /** Model of the node's (first) model call. */
  model?: string;
  provider?: string;
  /** Model-call attempts made (summed over a map's items); 0 for steps. */
  attempts: number;
  /** Tokens consumed, failed attempts included; zero for steps; a map's is the sum of its items. */
  usage: Usage;
  /** USD spent, failed attempts included. */
  costUsd: number;
  /**
   * The output cap of the node's latest model attempt, and how it was chosen: `fitted: true` when the node set
   * no `maxOutputTokens` and the cap was fitted to what the budget could spare (see docs/budgets.md).
   */
  outputCap?: OutputCap;
  /** Epoch ms when the node started, on the run's clock (see `RunResult.startedAt`; absent when it never started). */
  startedAt?: number;
  /** Epoch ms when it ended. */
  endedAt?: number;
  durationMs?: number;
  /** Why it failed or was cancelled. */
  error?: SwitchyardError;
  /** Why it was skipped. */
  skipReason?: string;
  /** For a map that failed: outputs of the items that succeeded (failed items are `undefined`). */
  partialOutput?: unknown[];
}

/** Usage and cost of the calls served by one model. */
export interface ModelTotals {
  usage: Usage;
  costUsd: number;
  /** Model calls made (a call counts once, however many attempts it took). */
  calls: number;
}

/** One failure in a run. */
export interface RunError {
  nodeId: string;
  /** For a map item. */
  item?: number;
  error: SwitchyardError;
}

/** The outputs of a run that did not succeed: a node's output is present only when that node completed. */
export type PartialOutputs<O extends Outputs> = { [K in keyof O]?: O[K] };

/** What every run result has, whatever its status. */
export interface RunResultBase<O extends Outputs = Outputs> {
  runId: string;
  nodes: { [K in keyof O]: NodeResult };
  /** Totals over every node. */
  usage: Usage;
  costUsd: number;
  byModel: Record<string, ModelTotals>;
  /** Budget figures (instance and run levels) when the run ended. */
  budget: BudgetFigures[];
  /** Node (and map item) failures in the order they happened; cancellations are not listed. */
  errors: RunError[];
  /**
   * What a paused run waits for (status 'waiting'): `.approval` nodes and agents' tool calls, each with its
   * prompt. Empty when nothing waits. Answer with `sy.resume(runId, workflow, { answers })`.
   */
  waiting: WaitingEntry[];
  /**
   * Epoch ms on the run's clock: the wall clock (`Date.now()`) when the run began plus the monotonic time since, so
   * the run's times never go backwards and durations are exact. Node times are on the same clock.
   */
  startedAt: number;
  endedAt: number;
  durationMs: number;
  /** Tokens, cost, latency (time to first token, attempt duration), retries, wasted spend and cache hit rates. */
  metrics: RunMetrics;
}

/** A run whose nodes all completed: every output is present (a node that may be skipped has `T | undefined`). */
export interface SucceededRunResult<O extends Outputs = Outputs> extends RunResultBase<O> {
  status: 'succeeded';
  outputs: O;
}

/** A run in which a node failed: the outputs of the nodes that completed; the others are absent. */
export interface FailedRunResult<O extends Outputs = Outputs> extends RunResultBase<O> {
  status: 'failed';
  outputs: PartialOutputs<O>;
}

/** A run that was cancelled: the outputs of the nodes that completed before; the others are absent. */
export interface CancelledRunResult<O extends Outputs = Outputs> extends RunResultBase<O> {
  status: 'cancelled';
  outputs: PartialOutputs<O>;
}

/**
 * A run that paused for people (`.approval` nodes, tools that need approval): `waiting` says what each waits for;
 * the outputs of the nodes that completed are present, the others absent. Resume it with `sy.resume(runId,
 * workflow, { answers })`.
 */
export interface WaitingRunResult<O extends Outputs = Outputs> extends RunResultBase<O> {
  status: 'waiting';
  outputs: PartialOutputs<O>;
}

/**
 * What `run.result` resolves to: one member per status, told apart by `status`. Outputs are complete only
 * under `status === 'succeeded'`; otherwise each may be `undefined` (the node failed, was cancelled, skipped or
 * never started, or waits for a person), so the compiler asks you to check before reading one.
 * @example
 * const result = await run.result;
 * if (result.status === 'succeeded') result.outputs.classify.kind;   // typed, present
 * else result.outputs.classify?.kind;                                // may be undefined
 */
export type RunResult<O extends Outputs = Outputs> =
  | SucceededRunResult<O>
  | FailedRunResult<O>
  | CancelledRunResult<O>
  | WaitingRunResult<O>;

/** A handler for one event type. */
export type RunEventHandler<T extends RunEventType | '*'> = (event: T extends RunEventType ? RunEventOf<T> : RunEvent) => void;

/**
 * A running workflow: an async iterable of its merged event stream (several loops may iterate at once; breaking
 * out of one does not cancel the run), the same events through `on`, the final `result`, and `cancel`.
 */
export interface Run<O extends Outputs = Outputs> extends AsyncIterable<RunEvent> {
  readonly runId: string;
  /**
   * Resolves when the run ends, whatever happened to its nodes. Rejects only when the run could not start:
   * invalid input (kind 'invalid_input'), invalid workflow ('invalid_workflow') or invalid options.
   */
  readonly result: Promise<RunResult<O>>;
  /** Calls `handler` for every event of `type` (or every event, with '*'), synchronously as it is emitted. */
  on<T extends RunEventType | '*'>(type: T, handler: RunEventHandler<T>): this;
  once<T extends RunEventType | '*'>(type: T, handler: RunEventHandler<T>): this;
  off<T extends RunEventType | '*'>(type: T, handler?: RunEventHandler<T>): this;
  /** Cancels the run (like aborting `options.signal`). No-op once the run has ended. */
  cancel(reason?: string): void;
}
