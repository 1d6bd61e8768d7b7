import { describe, expect, it } from 'vitest';
import { budgetLeft, MemoryBudgetLedger } from '../src/budget/index.js';
import { BudgetExceededError, SwitchyardError } from '../src/errors/index.js';

function setup(instance = { usd: 1 }, run = { usd: 0.5 }, node = { usd: 0.2 }) {
  const ledger = new MemoryBudgetLedger({ limits: instance });
  const runScope = ledger.scope(ledger.root, 'run', run);
  const nodeScope = ledger.scope(runScope, 'node', node);
  return { ledger, runScope, nodeScope };
}

function refusal(result: ReturnType<MemoryBudgetLedger['reserve']>): BudgetExceededError {
  if (result.ok) throw new Error('expected a refusal');
  return result.error;
}

describe('MemoryBudgetLedger: reserve, then settle', () => {
  it('holds a reservation at every level of its chain', () => {
    const { ledger, nodeScope } = setup();
    const result = ledger.reserve({ scope: nodeScope, usd: 0.15, tokens: 1000 });
    expect(result.ok).toBe(true);
    const levels = ledger.snapshot(nodeScope);
    expect(levels.map((l) => l.level)).toEqual(['instance', 'run', 'node']);
    for (const level of levels) {
      expect(level.reservedUsd).toBe(0.15);
      expect(level.reservedTokens).toBe(1000);
      expect(level.spentUsd).toBe(0);
    }
    expect(levels[0]?.remainingUsd).toBe(0.85);
    expect(levels[2]?.remainingUsd).toBeCloseTo(0.05, 12);
  });

  it('refuses with the figures of the level that refused, and holds nothing anywhere', () => {
    const { ledger, nodeScope } = setup();
    const first = ledger.reserve({ scope: nodeScope, usd: 0.15, tokens: 10 });
    expect(first.ok).toBe(true);
    const error = refusal(ledger.reserve({ scope: nodeScope, usd: 0.1, tokens: 10, model: 'gpt-5.5', provider: 'hub' }));
    expect(BudgetExceededError.isInstance(error)).toBe(true);
    expect(error.kind).toBe('budget_exceeded');
    expect(error.retryable).toBe(false);
    expect({ level: error.level, unit: error.unit, limit: error.limit, spent: error.spent, reserved: error.reserved, requested: error.requested })
      .toEqual({ level: 'node', unit: 'usd', limit: 0.2, spent: 0, reserved: 0.15, requested: 0.1 });
    expect(error.model).toBe('gpt-5.5');
    expect(error.message).toContain('node budget');
    // the refused request left no trace at any level
    for (const level of ledger.snapshot(nodeScope)) expect(level.reservedUsd).toBe(0.15);
  });

  it('reports the outermost level when several refuse', () => {
    const { ledger, nodeScope } = setup({ usd: 0.1 }, { usd: 0.1 }, { usd: 0.1 });
    expect(refusal(ledger.reserve({ scope: nodeScope, usd: 0.2, tokens: 0 })).level).toBe('instance');
  });

  it('refuses in tokens when a token limit is the one that runs out', () => {
    const ledger = new MemoryBudgetLedger();
    const run = ledger.scope(ledger.root, 'run', { tokens: 10_000 });
    expect(ledger.reserve({ scope: run, usd: 0, tokens: 8_000 }).ok).toBe(true);
    const error = refusal(ledger.reserve({ scope: run, usd: 0, tokens: 2_001 }));
    expect({ level: error.level, unit: error.unit, limit: error.limit, reserved: error.reserved, requested: error.requested })
      .toEqual({ level: 'run', unit: 'tokens', limit: 10_000, reserved: 8_000, requested: 2_001 });
  });

  it('settles to the actual charge and returns the rest of the hold', () => {
    const { ledger, nodeScope } = setup();
    const held = ledger.reserve({ scope: nodeScope, usd: 0.2, tokens: 5000 });
    if (!held.ok) throw held.error;
    const settled = ledger.settle(held.reservation.id, { usd: 0.03, tokens: 1200 });
    expect(settled).toMatchObject({ applied: true, chargedUsd: 0.03, chargedTokens: 1200 });
    for (const level of settled.levels) {
      expect(level.spentUsd).toBe(0.03);
      expect(level.reservedUsd).toBe(0);
      expect(level.spentTokens).toBe(1200);
      expect(level.reservedTokens).toBe(0);
    }
    // what was returned can be reserved again
    expect(ledger.reserve({ scope: nodeScope, usd: 0.17, tokens: 0 }).ok).toBe(true);
  });

  it('charges truthfully when a provider reports more than was reserved, and refuses what no longer fits', () => {
    const { ledger, nodeScope } = setup({ usd: 1 }, { usd: 1 }, { usd: 1 });
    const held = ledger.reserve({ scope: nodeScope, usd: 0.1, tokens: 0 });
    if (!held.ok) throw held.error;
    ledger.settle(held.reservation.id, { usd: 0.95, tokens: 0 });
    expect(ledger.snapshot(nodeScope)[0]?.spentUsd).toBe(0.95);
    const error = refusal(ledger.reserve({ scope: nodeScope, usd: 0.06, tokens: 0 }));
    expect(error.spent).toBe(0.95);
    expect(ledger.reserve({ scope: nodeScope, usd: 0.05, tokens: 0 }).ok).toBe(true);
  });

  it('release charges nothing; settle and release are idempotent', () => {
    const { ledger, nodeScope } = setup();
    const a = ledger.reserve({ scope: nodeScope, usd: 0.1, tokens: 100 });
    const b = ledger.reserve({ scope: nodeScope, usd: 0.05, tokens: 100 });
    if (!a.ok || !b.ok) throw new Error('expected holds');
    expect(ledger.release(a.reservation.id)).toMatchObject({ applied: true, chargedUsd: 0 });
    expect(ledger.settle(a.reservation.id, { usd: 0.1, tokens: 100 }).applied).toBe(false);
    expect(ledger.settle(b.reservation.id, { usd: 0.04, tokens: 50 }).applied).toBe(true);
    expect(ledger.settle(b.reservation.id, { usd: 0.04, tokens: 50 })).toMatchObject({ applied: false, chargedUsd: 0 });
    expect(ledger.release(b.reservation.id).applied).toBe(false);
    expect(ledger.release('no-such-id').applied).toBe(false);
    const [instance] = ledger.snapshot(nodeScope);
    expect(instance).toMatchObject({ spentUsd: 0.04, reservedUsd: 0, spentTokens: 50, reservedTokens: 0 });
  });

  it('keeps exact sums: reservations of 0.1 and 0.2 fit a 0.3 limit and reserved returns to exactly 0', () => {
    const ledger = new MemoryBudgetLedger({ limits: { usd: 0.3 } });
    const ids: string[] = [];
    for (const usd of [0.1, 0.2]) {
      const r = ledger.reserve({ scope: ledger.root, usd, tokens: 0 });
      if (!r.ok) throw r.error;
      ids.push(r.reservation.id);
    }
    expect(ledger.reserve({ scope: ledger.root, usd: 1e-9, tokens: 0 }).ok).toBe(false);
    for (const id of ids) ledger.settle(id, { usd: 0.1, tokens: 0 });
    expect(ledger.snapshot()[0]).toMatchObject({ reservedUsd: 0, spentUsd: 0.2 });
  });

  it('reserves zero-cost calls against an unlimited ledger', () => {
    const ledger = new MemoryBudgetLedger();
    const r = ledger.reserve({ scope: ledger.root, usd: 0, tokens: 0 });
    expect(r.ok).toBe(true);
    expect(ledger.snapshot()[0]).not.toHaveProperty('limitUsd');
  });
});

describe('MemoryBudgetLedger: scopes', () => {
  it('close() returns every hold of the scope and its children, and refuses new reservations there', () => {
    const { ledger, runScope, nodeScope } = setup();
    const sibling = ledger.scope(runScope, 'node');
    expect(ledger.reserve({ scope: nodeScope, usd: 0.1, tokens: 10 }).ok).toBe(true);
    expect(ledger.reserve({ scope: sibling, usd: 0.2, tokens: 10 }).ok).toBe(true);
    expect(ledger.reserve({ scope: runScope, usd: 0.1, tokens: 10 }).ok).toBe(true);
    runScope.close();
    runScope.close();
    expect(nodeScope.closed).toBe(true);
    expect(ledger.snapshot()[0]).toMatchObject({ reservedUsd: 0, reservedTokens: 0, spentUsd: 0 });
    expect(() => ledger.reserve({ scope: nodeScope, usd: 0.01, tokens: 0 })).toThrowError(
      expect.objectContaining({ kind: 'aborted' }),
    );
    expect(() => ledger.scope(runScope, 'node')).toThrowError(expect.objectContaining({ kind: 'aborted' }));
  });

  it('charges a settle that arrives after its scope closed (money spent is never dropped)', () => {
    const { ledger, runScope, nodeScope } = setup();
    const held = ledger.reserve({ scope: nodeScope, usd: 0.1, tokens: 10 });
    if (!held.ok) throw held.error;
    runScope.close();
    const late = ledger.settle(held.reservation.id, { usd: 0.07, tokens: 9 });
    expect(late.applied).toBe(true);
    expect(ledger.snapshot()[0]).toMatchObject({ spentUsd: 0.07, reservedUsd: 0 });
    expect(ledger.settle(held.reservation.id, { usd: 0.07, tokens: 9 }).applied).toBe(false);
  });

  it('counts a child scope without limits as a level for reporting', () => {
    const ledger = new MemoryBudgetLedger({ limits: { usd: 1 } });
    const run = ledger.scope(ledger.root, 'run');
    const r = ledger.reserve({ scope: run, usd: 0.5, tokens: 1 });
    if (!r.ok) throw r.error;
    ledger.settle(r.reservation.id, { usd: 0.25, tokens: 1 });
    expect(ledger.snapshot(run)[1]).toEqual({ level: 'run', spentUsd: 0.25, reservedUsd: 0, spentTokens: 1, reservedTokens: 0 });
  });

  it('rejects scopes of another ledger, bad amounts and bad limits with kinds that say what to fix', () => {
    const a = new MemoryBudgetLedger();
    const b = new MemoryBudgetLedger();
    expect(() => a.reserve({ scope: b.root, usd: 1, tokens: 1 })).toThrowError(expect.objectContaining({ kind: 'invalid_request' }));
    expect(() => a.reserve({ scope: a.root, usd: Number.NaN, tokens: 1 })).toThrowError(expect.objectContaining({ kind: 'invalid_request' }));
    expect(() => a.reserve({ scope: a.root, usd: 1, tokens: -1 })).toThrowError(SwitchyardError);
    expect(() => a.scope(a.root, 'run', { usd: -1 })).toThrowError(expect.objectContaining({ kind: 'invalid_config' }));
    expect(() => new MemoryBudgetLedger({ limits: { usd: 1, window: { ms: 0 } } })).toThrowError(
      expect.objectContaining({ kind: 'invalid_config' }),
    );
  });
});

describe('MemoryBudgetLedger: instance windows', () => {
  it('counts spend per window and starts afresh when the window rolls over', () => {
    let now = 10_500;
    const ledger = new MemoryBudgetLedger({ limits: { usd: 1, window: { ms: 1000 } }, now: () => now });
    const r = ledger.reserve({ scope: ledger.root, usd: 0.9, tokens: 0 });
    if (!r.ok) throw r.error;
    ledger.settle(r.reservation.id, { usd: 0.9, tokens: 0 });
    expect(ledger.reserve({ scope: ledger.root, usd: 0.2, tokens: 0 }).ok).toBe(false);
    now = 10_999;
    expect(ledger.reserve({ scope: ledger.root, usd: 0.2, tokens: 0 }).ok).toBe(false);
    now = 11_000;
    expect(ledger.snapshot()[0]?.spentUsd).toBe(0);
    expect(ledger.reserve({ scope: ledger.root, usd: 0.2, tokens: 0 }).ok).toBe(true);
  });

  it('carries holds in flight over a rollover and charges them to the window they settle in', () => {
    let now = 0;
    const ledger = new MemoryBudgetLedger({ limits: { usd: 1, window: 'hour' }, now: () => now });
    const r = ledger.reserve({ scope: ledger.root, usd: 0.6, tokens: 0 });
    if (!r.ok) throw r.error;
    now = 3_600_000;
    expect(ledger.snapshot()[0]).toMatchObject({ spentUsd: 0, reservedUsd: 0.6 });
    expect(ledger.reserve({ scope: ledger.root, usd: 0.5, tokens: 0 }).ok).toBe(false);
    ledger.settle(r.reservation.id, { usd: 0.3, tokens: 0 });
    expect(ledger.snapshot()[0]).toMatchObject({ spentUsd: 0.3, reservedUsd: 0 });
  });

  it("aligns 'day' windows to UTC midnight", () => {
    let now = Date.UTC(2026, 3, 1, 23, 59);
    const ledger = new MemoryBudgetLedger({ limits: { usd: 1, window: 'day' }, now: () => now });
    const r = ledger.reserve({ scope: ledger.root, usd: 1, tokens: 0 });
    if (!r.ok) throw r.error;
    ledger.settle(r.reservation.id, { usd: 1, tokens: 0 });
    now = Date.UTC(2026, 3, 2, 0, 0);
    expect(ledger.reserve({ scope: ledger.root, usd: 1, tokens: 0 }).ok).toBe(true);
  });
});

describe('budgetLeft', () => {
  it('gives what the tightest level has left, per unit', () => {
    const ledger = new MemoryBudgetLedger({ limits: { usd: 1 } });
    const run = ledger.scope(ledger.root, 'run', { usd: 0.5, tokens: 10_000 });
    const node = ledger.scope(run, 'node');
    const r = ledger.reserve({ scope: node, usd: 0.2, tokens: 4_000 });
    if (!r.ok) throw r.error;
    expect(budgetLeft(ledger.snapshot(node))).toEqual({ usd: 0.3, tokens: 6_000 });
    expect(budgetLeft(new MemoryBudgetLedger().snapshot())).toEqual({});
  });
});
