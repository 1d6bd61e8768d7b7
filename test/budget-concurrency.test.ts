import { seededRandom } from '../src/testing/seeded-random.js';
import { describe, expect, it } from 'vitest';
import { MemoryBudgetLedger, type BudgetScope } from '../src/budget/index.js';
import type { BudgetFigures } from '../src/run/events.js';


/** Yields to other reservers a random number of times (microtasks and macrotasks), so calls interleave. */
async function interleave(random: () => number): Promise<void> {
  const turns = Math.floor(random() * 4);
  for (let i = 0; i < turns; i++) {
    if (random() < 0.3) await new Promise((resolve) => setImmediate(resolve));
    else await Promise.resolve();
  }
}

/** Asserts spent <= limit and spent + reserved <= limit at every level, in both units. */
function checkLimits(levels: BudgetFigures[], context: string): void {
  for (const l of levels) {
    if (l.limitUsd !== undefined) {
      expect(l.spentUsd, `${context}: ${l.level} spent`).toBeLessThanOrEqual(l.limitUsd);
      expect(l.spentUsd + l.reservedUsd, `${context}: ${l.level} spent+reserved`).toBeLessThanOrEqual(l.limitUsd + 1e-12);
    }
    if (l.limitTokens !== undefined) {
      expect(l.spentTokens + l.reservedTokens, `${context}: ${l.level} tokens`).toBeLessThanOrEqual(l.limitTokens);
    }
  }
}

interface Tally {
  usd: number;
  refused: number;
}

type Outcome = 'success' | 'failed' | 'aborted' | 'throws';

/** One node: up to three attempts, each reserving a worst case and settling to a random share of it. */
async function node(ledger: MemoryBudgetLedger, scope: BudgetScope, random: () => number, tally: Tally): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const usd = Math.round(random() * 40_000) / 1e6; // up to $0.04 worst case
    const tokens = Math.floor(random() * 5_000);
    await interleave(random);
    const result = ledger.reserve({ scope, usd, tokens });
    if (!result.ok) {
      tally.refused++;
      return;
    }
    checkLimits(result.reservation.levels, 'after reserve');
    const id = result.reservation.id;
    const outcome: Outcome = (['success', 'success', 'failed', 'aborted', 'throws'] as const)[Math.floor(random() * 5)]!;
    try {
      await interleave(random);
      if (outcome === 'throws') throw new Error('adapter bug');
      if (outcome === 'aborted') {
        ledger.release(id);
        return;
      }
      // a failed attempt is charged what it consumed so far: a part of the worst case
      const share = outcome === 'success' ? 0.2 + random() * 0.8 : random() * 0.5;
      const actual = { usd: Math.floor(usd * share * 1e6) / 1e6, tokens: Math.floor(tokens * share) };
      const settled = ledger.settle(id, actual);
      if (settled.applied) tally.usd += settled.chargedUsd;
      checkLimits(settled.levels, 'after settle');
      if (outcome === 'success') return;
    } catch {
      // the runner's finally: nothing settled, so the hold is returned
    } finally {
      ledger.release(id);
    }
  }
}

async function round(seed: number): Promise<number> {
  const random = seededRandom(seed);
  const ledger = new MemoryBudgetLedger({ limits: { usd: 0.2 + random() * 0.8, tokens: 200_000 + Math.floor(random() * 400_000) } });
  const runs = Array.from({ length: 3 + Math.floor(random() * 3) }, () =>
    ledger.scope(ledger.root, 'run', random() < 0.5 ? { usd: 0.1 + random() * 0.4 } : {}),
  );
  const charged: Tally = { usd: 0, refused: 0 };
  const nodes = Array.from({ length: 300 }, () => {
    const run = runs[Math.floor(random() * runs.length)]!;
    const scope = ledger.scope(run, 'node', random() < 0.3 ? { usd: random() * 0.05 } : {});
    return node(ledger, scope, random, charged);
  });
  await Promise.all(nodes);

  const [instance] = ledger.snapshot();
  expect(instance?.reservedUsd, `seed ${seed}`).toBe(0);
  expect(instance?.reservedTokens, `seed ${seed}`).toBe(0);
  expect(instance?.spentUsd).toBeLessThanOrEqual(instance!.limitUsd!);
  expect(instance?.spentUsd).toBeCloseTo(charged.usd, 9);
  let runSpend = 0;
  for (const run of runs) {
    const levels = ledger.snapshot(run);
    checkLimits(levels, `seed ${seed} end`);
    expect(levels[1]?.reservedUsd).toBe(0);
    runSpend += levels[1]!.spentUsd;
  }
  expect(runSpend).toBeCloseTo(instance!.spentUsd, 9);
  for (const run of runs) run.close();
  return charged.refused;
}

describe('MemoryBudgetLedger under concurrency (property, seeded)', () => {
  it('never lets spend pass a limit and returns every hold, over 40 rounds of 300 concurrent nodes', async () => {
    let contended = 0;
    for (let seed = 1; seed <= 40; seed++) if ((await round(seed)) > 0) contended++;
    // the budgets are small enough that refusals happen: the invariant is tested where it matters
    expect(contended).toBeGreaterThan(30);
  });

  it('contends: the budget runs out in a round, so the invariant is tested where it matters', async () => {
    const random = seededRandom(7);
    const ledger = new MemoryBudgetLedger({ limits: { usd: 0.1 } });
    let refused = 0;
    await Promise.all(
      Array.from({ length: 200 }, async () => {
        await interleave(random);
        const r = ledger.reserve({ scope: ledger.root, usd: 0.01, tokens: 0 });
        if (!r.ok) {
          refused++;
          return;
        }
        await interleave(random);
        ledger.settle(r.reservation.id, { usd: 0.01, tokens: 0 });
      }),
    );
    expect(refused).toBe(190);
    expect(ledger.snapshot()[0]).toMatchObject({ spentUsd: 0.1, reservedUsd: 0 });
  });

  it('after a provider over-reports, no later reservation passes that would push spent + reserved over the limit', async () => {
    const random = seededRandom(99);
    const ledger = new MemoryBudgetLedger({ limits: { usd: 0.5 } });
    const run = ledger.scope(ledger.root, 'run', { usd: 0.3 });
    await Promise.all(
      Array.from({ length: 300 }, async () => {
        await interleave(random);
        const usd = random() * 0.02;
        const r = ledger.reserve({ scope: run, usd, tokens: 0 });
        if (!r.ok) return;
        // at the moment of every grant, every level fits
        for (const l of r.reservation.levels) expect(l.spentUsd + l.reservedUsd).toBeLessThanOrEqual(l.limitUsd! + 1e-12);
        await interleave(random);
        ledger.settle(r.reservation.id, { usd: usd * (random() < 0.1 ? 1.5 : 0.5), tokens: 0 });
      }),
    );
    expect(ledger.snapshot(run)[1]?.reservedUsd).toBe(0);
  });

  it('closing runs while nodes are in flight leaks nothing and still charges late settles', async () => {
    const random = seededRandom(3);
    const ledger = new MemoryBudgetLedger({ limits: { usd: 1 } });
    const run = ledger.scope(ledger.root, 'run');
    let charged = 0;
    const inflight = Array.from({ length: 100 }, async () => {
      const r = ledger.reserve({ scope: ledger.scope(run, 'node'), usd: 0.005, tokens: 10 });
      if (!r.ok) return;
      await interleave(random);
      await interleave(random);
      const settled = ledger.settle(r.reservation.id, { usd: 0.002, tokens: 5 });
      if (settled.applied) charged += settled.chargedUsd;
    });
    run.close();
    expect(ledger.snapshot()[0]?.reservedUsd).toBe(0);
    await Promise.all(inflight);
    expect(ledger.snapshot()[0]).toMatchObject({ reservedUsd: 0, reservedTokens: 0 });
    expect(ledger.snapshot()[0]?.spentUsd).toBeCloseTo(charged, 9);
    expect(charged).toBeCloseTo(0.2, 9);
  });
});
