/**
 * A small run of the chaos benchmark (bench/chaos.ts), so it cannot rot: 20% faults on two endpoints (garbage usage
 * and streams that never end among them), every node completes, nothing is overspent, and every request is an
 * attempt the result reports. And a small money run: over HTTP, under a Redis cap that binds, with a process
 * SIGKILLed with calls on the wire, what the server billed stays within the cap.
 */
import { describe, expect, test } from 'vitest';
import { DEFAULT_CHAOS, DEFAULT_MONEY, runChaosOnce, runMixCost } from '../bench/chaos.js';
import { runMoneyChaos } from '../bench/chaos-money.js';
import { redisUrl } from './setup/redis-url.js';

describe('chaos benchmark (small)', () => {
  test('240 nodes with 20% injected faults all complete within budget, every request accounted for', async () => {
    const options = { ...DEFAULT_CHAOS, shape: { chains: 40, stages: 6 }, runBudgetUsd: 0.5, instanceBudgetUsd: 0.6 };
    const run = await runChaosOnce(options, 0.2);
    expect(run.completed).toBe(240);
    expect(run.requests).toBe(run.attempts);
    expect(Object.values(run.faults).reduce((a, b) => a + b, 0)).toBeGreaterThan(20);
    for (const level of run.budgets) {
      expect(level.overspendUsd).toBe(0);
      expect(level.peakCommittedUsd).toBeLessThanOrEqual(level.limitUsd);
    }
  });

  test('money run: 120 nodes over HTTP, a binding Redis cap, a SIGKILLed client: the server billed within the cap', async () => {
    const options = { ...DEFAULT_MONEY, shape: { chains: 30, stages: 4 }, faultRate: 0.3, capShare: 0.7, victimCalls: 2 };
    const money = await runMoneyChaos({ ...options, redisUrl: redisUrl() });
    expect(money.refusedByBudget).toBeGreaterThan(0); // the cap binds
    expect(money.completed).toBeGreaterThan(20);
    expect(money.serverBilledUsd).toBeLessThanOrEqual(money.capUsd);
    expect(money.ledgerSpentUsd).toBeLessThanOrEqual(money.capUsd);
    expect(money.ledgerSpentUsd).toBeGreaterThanOrEqual(money.serverBilledUsd);
    expect(money.ledgerReservedUsd).toBe(0);
    expect(money.victimBilledUsd).toBeGreaterThan(0);
    expect(money.victimBilledUsd).toBeLessThanOrEqual(money.victimHeldUsd);
    expect(money.usageReplaced).toBeGreaterThan(0);
    expect(money.faults['endless']).toBeGreaterThan(0);
  }, 180_000);

  test('routing the workload mix by task costs less than everything on gpt-5.5, and halves the light work', async () => {
    const mix = await runMixCost(0.1);
    expect(mix.ratio).toBeLessThan(1);
    const classification = mix.rows.find((r) => r.task === 'classification')!;
    expect(classification.routedModels).toBe('gpt-5.4');
    expect(classification.routedUsd / classification.allGpt55Usd).toBeCloseTo(0.5, 2);
    expect(mix.rows.find((r) => r.task === 'critical')!.routedModels).toBe('gpt-5.5-pro');
  });
});
