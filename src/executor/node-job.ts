import { BudgetExceededError } from '../errors/budget-exceeded-error.js';
import type { Usage, FinishReason } from '../models/types.js';
import type { SwitchyardErrorJSON } from '../errors/error-json.js';
import { SwitchyardError } from '../errors/switchyard-error.js';
import type { NodeOutcome } from '../run/node-runner.js';
import type { ModelTotals } from '../run/run-types.js';

/** What a node job carries: everything a worker needs to run one node of a run. */
export interface NodeJobData {
  runId: string;
  /** The workflow's name; the worker must know a workflow of that name. */
  workflow: string;
  nodeId: string;
  /** The run's parsed input. */
  input: unknown;
  /** Outputs of the node's dependencies, by id (JSON). */
  deps: Record<string, unknown>;
  /**
   * The run's budget (`RunOptions.budget`), when it has one: the worker runs the node under it, in the run scope
   * its ledger addresses by `runId` (shared by every worker on a Redis ledger).
   */
  budget?: { usd?: number; tokens?: number };
}

/** A node's outcome as JSON. */
export interface OutcomeJSON {
  end: NodeOutcome['end'];
  output?: unknown;
  error?: SwitchyardErrorJSON;
  skipReason?: string;
  itemErrors?: Array<{ item: number; error: SwitchyardErrorJSON }>;
  partialOutput?: unknown[];
}

/** What a worker commits for a node (and sends back to the caller): how it ended and what it cost. */
export interface NodeReply {
  outcome: OutcomeJSON;
  usage: Usage;
  costUsd: number;
  attempts: number;
  model?: string;
  provider?: string;
  finishReason?: FinishReason;
  byModel: Record<string, ModelTotals>;
}

/** A message on a run's channel, from a worker to the caller. */
export type RunMessage = { type: 'event'; nodeId: string; event: Record<string, unknown> } | { type: 'done'; nodeId: string; reply: NodeReply };

/** Keys and names shared by the executor (caller side) and the workers. */
export interface ExecutorNames {
  /** Key prefix of committed node results and run channels. */
  prefix: string;
  /** The BullMQ queue name. */
  queue: string;
}

export const DEFAULT_NAMES: ExecutorNames = { prefix: 'switchyard:exec:', queue: 'switchyard-nodes' };

export const resultKey = (names: ExecutorNames, runId: string, nodeId: string) => `${names.prefix}result:${runId}:${nodeId}`;
export const runChannel = (names: ExecutorNames, runId: string) => `${names.prefix}run:${runId}`;
/** BullMQ job ids may not contain ':'; one job per run × node, so a node is never queued twice at once. */
export const jobId = (runId: string, nodeId: string) => `${runId}.${nodeId}`.replace(/:/g, '_');

export function errorFromJSON(json: SwitchyardErrorJSON): SwitchyardError {
  const { name: _name, kind, level, unit, limit, spent, reserved, requested, ...rest } = json;
  if (kind === 'budget_exceeded' && level && unit && limit !== undefined && requested !== undefined) {
    // A worker's refusal arrives as the same typed error a local one would be.
    return new BudgetExceededError({ level, unit, limit, spent: spent ?? 0, reserved: reserved ?? 0, requested, model: rest.model, provider: rest.provider });
  }
  return new SwitchyardError({ ...rest, kind: kind === 'unknown' ? 'node_failed' : kind });
}

export function outcomeFromJSON(json: OutcomeJSON): NodeOutcome {
  const outcome: NodeOutcome = { end: json.end };
  if ('output' in json) outcome.output = json.output;
  if (json.error) outcome.error = errorFromJSON(json.error);
  if (json.skipReason !== undefined) outcome.skipReason = json.skipReason;
  if (json.itemErrors) outcome.itemErrors = json.itemErrors.map((e) => ({ item: e.item, error: errorFromJSON(e.error) }));
  if (json.partialOutput) outcome.partialOutput = json.partialOutput;
  return outcome;
}
