import type { Catalog } from '../models/catalog.js';
import { costOf } from '../models/cost.js';
import { addUsage, ZERO_USAGE } from '../models/usage.js';
import { tierModel, tierName, type CascadeTier } from './cascade-tier.js';
import type { CascadeReport, CascadeTierRecord } from './node-detail.js';
import type { CallMeter } from './node-io.js';

const sumCost = (log: readonly CallMeter[]) => log.reduce((sum, m) => sum + m.costUsd, 0);

/** What one tier did: its calls' usage and cost, the model it ran on, and whether it produced the output. */
export function tierRecord(tier: CascadeTier, log: readonly CallMeter[], passed: boolean, reason?: string): CascadeTierRecord {
  const record: CascadeTierRecord = {
    tier: tierName(tier),
    passed,
    usage: log.reduce((sum, m) => addUsage(sum, m.usage), { ...ZERO_USAGE }),
    costUsd: sumCost(log),
  };
  const model = log.find((m) => m.model !== undefined)?.model;
  if (model !== undefined) record.model = model;
  if (reason !== undefined) record.reason = reason;
  return record;
}

/**
 * The cascade's saving against going straight to its strongest (last) tier. The baseline is the usage of every
 * call of the tier that produced the output, each priced as the strongest model (tier-aware, call by call) —
 * or, when the strongest tier produced it, what that tier actually cost.
 */
export function cascadeReport(
  tiers: readonly CascadeTier[],
  records: readonly CascadeTierRecord[],
  logs: readonly (readonly CallMeter[])[],
  catalog: Catalog,
): Omit<CascadeReport, 'tiers'> {
  const lastTier = tiers.length - 1;
  const total = logs.reduce((sum, log) => sum + sumCost(log), 0);
  const baselineModel = tierModel(tiers[lastTier]!) ?? records[lastTier]?.model;
  const passed = records.findIndex((r) => r.passed);
  const report: Omit<CascadeReport, 'tiers'> = {};
  if (baselineModel !== undefined) report.baselineModel = baselineModel;
  if (passed < 0) return report;
  const winning = logs[passed]!;
  const model = [...winning].reverse().find((m) => m.model !== undefined)?.model;
  if (model !== undefined) report.model = model;
  let baseline: number | undefined;
  if (passed === lastTier) baseline = sumCost(winning);
  else {
    const info = baselineModel === undefined ? undefined : catalog.find(baselineModel);
    if (info !== undefined) baseline = winning.reduce((sum, m) => sum + costOf(info, m.usage), 0);
  }
  if (baseline !== undefined) {
    report.baselineCostUsd = baseline;
    report.savingUsd = baseline - total;
  }
  return report;
}
