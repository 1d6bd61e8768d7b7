import { emptyRecord } from '../data/plain-record.js';
import type { FinishReason, Usage } from '../models/types.js';
import type { OutputCap } from '../call/output-cap.js';
import { addUsage, ZERO_USAGE } from '../models/usage.js';
import type { ModelTotals } from './run-types.js';

/** What one node's model calls consumed (all attempts, failed ones included). */
export class NodeTally {
  usage: Usage = { ...ZERO_USAGE };
  costUsd = 0;
  attempts = 0;
  /** Calls booked (successful or not). */
  calls = 0;
  model?: string;
  provider?: string;
  /** Finish reason of the last successful call. */
  finishReason?: FinishReason;
  /** The output cap of the latest attempt. */
  outputCap?: OutputCap;

  /** Adds one call (successful, or what a failed call was charged). */
  add(usage: Usage, costUsd: number, attempts: number, model?: string, provider?: string): void {
    this.usage = addUsage(this.usage, usage);
    this.costUsd += costUsd;
    this.attempts += attempts;
    this.calls++;
    if (this.model === undefined && model !== undefined) {
      this.model = model;
      this.provider = provider;
    }
  }

  /** Adds everything another tally booked (the nodes of a nested workflow, on the node that holds them). */
  absorb(other: NodeTally): void {
    if (other.calls === 0) return;
    this.add(other.usage, other.costUsd, other.attempts, other.model, other.provider);
    this.calls += other.calls - 1;
    if (other.finishReason !== undefined) this.finishReason = other.finishReason;
  }
}

/** Usage and cost per model over a run. */
export class ModelBook {
  readonly byModel: Record<string, ModelTotals> = emptyRecord();

  add(model: string, usage: Usage, costUsd: number): void {
    const totals = (this.byModel[model] ??= { usage: { ...ZERO_USAGE }, costUsd: 0, calls: 0 });
    totals.usage = addUsage(totals.usage, usage);
    totals.costUsd += costUsd;
    totals.calls++;
  }
}

/** Sums node tallies into run totals. */
export function sumTallies(tallies: readonly NodeTally[]): { usage: Usage; costUsd: number } {
  let usage: Usage = { ...ZERO_USAGE };
  let costUsd = 0;
  for (const tally of tallies) {
    if (tally.calls === 0) continue;
    usage = addUsage(usage, tally.usage);
    costUsd += tally.costUsd;
  }
  return { usage, costUsd };
}
