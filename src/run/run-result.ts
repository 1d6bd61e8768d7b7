import { emptyRecord } from '../data/plain-record.js';
import { ZERO_USAGE } from '../models/usage.js';
import type { CompiledWorkflow } from '../workflow/compile-workflow.js';
import type { NodeKind } from '../workflow/node-definition.js';
import type { Outputs } from '../workflow/workflow-types.js';
import type { BudgetFigures, RunStatus, WaitingEntry } from './events.js';
import { sumTallies, type NodeTally } from './run-totals.js';
import type { ModelTotals, NodeResult, RunError, RunResult } from './run-types.js';
import { lazyMember } from '../data/lazy-member.js';
import type { RunMetrics } from '../observe/metrics-types.js';

/** A node that has not ended yet. */
export function newNodeResult(kind: NodeKind): NodeResult {
  return { status: 'pending', kind, attempts: 0, usage: { ...ZERO_USAGE }, costUsd: 0 };
}

/** Everything a finished run knows, before it is shaped into a RunResult. */
export interface RunRecord {
  runId: string;
  status: RunStatus;
  graph: CompiledWorkflow;
  outputs: Record<string, unknown>;
  nodes: readonly NodeResult[];
  tallies: readonly NodeTally[];
  byModel: Record<string, ModelTotals>;
  budget: BudgetFigures[];
  errors: RunError[];
  waiting: WaitingEntry[];
  startedAt: number;
  endedAt: number;
  /** Made when `result.metrics` is first read (the run's figures are final by then). */
  metrics: () => RunMetrics;
}

/** Shapes the result of a finished run: node results by id, totals over all nodes. */
export function assembleResult<O extends Outputs>(record: RunRecord): RunResult<O> {
  const nodes = emptyRecord<NodeResult>();
  record.graph.nodes.forEach((node, i) => {
    nodes[node.id] = record.nodes[i]!;
  });
  const { usage, costUsd } = sumTallies(record.tallies);
  const result: RunResult<O> = {
    runId: record.runId,
    status: record.status,
    outputs: record.outputs as O,
    nodes: nodes as RunResult<O>['nodes'],
    usage,
    costUsd,
    byModel: record.byModel,
    budget: record.budget,
    errors: record.errors,
    waiting: record.waiting,
    startedAt: record.startedAt,
    endedAt: record.endedAt,
    durationMs: record.endedAt - record.startedAt,
    metrics: undefined as unknown as RunMetrics,
  };
  // Summaries and percentiles of every slice cost more than the rest of the result: made when first read.
  return lazyMember(result, 'metrics', record.metrics);
}
