import { describe, expect, it } from 'vitest';
import { ManualClock, RetryBudget } from '../src/retry/index.js';

describe('RetryBudget', () => {
  it('allows retries up to the ratio of calls plus the floor, then refuses', () => {
    const clock = new ManualClock();
    const budget = new RetryBudget({ ratio: 0.2, minRetriesPerSecond: 0, clock });
    for (let i = 0; i < 100; i++) budget.recordCall();
    let granted = 0;
    while (budget.tryRetry()) granted++;
    expect(granted).toBe(20);
    expect(budget.canRetry()).toBe(false);
    budget.recordCall();
    budget.recordCall();
    budget.recordCall();
    budget.recordCall();
    budget.recordCall();
    expect(budget.tryRetry()).toBe(true); // 105 calls allow 21
    expect(budget.tryRetry()).toBe(false);
  });

  it('keeps a floor of retries per second for a quiet instance', () => {
    const budget = new RetryBudget({ ratio: 0.2, minRetriesPerSecond: 1, windowMs: 10_000, clock: new ManualClock() });
    let granted = 0;
    while (budget.tryRetry()) granted++;
    expect(granted).toBe(10);
  });

  it('forgets calls and retries that left the window', async () => {
    const clock = new ManualClock();
    const budget = new RetryBudget({ ratio: 0.5, minRetriesPerSecond: 0, windowMs: 10_000, clock });
    for (let i = 0; i < 10; i++) budget.recordCall();
    while (budget.tryRetry());
    expect(budget.canRetry()).toBe(false);
    await clock.advance(5_000);
    expect(budget.canRetry()).toBe(false);
    await clock.advance(6_000);
    // the old calls and retries are gone together: nothing to spend, nothing spent
    expect(budget.canRetry()).toBe(false);
    budget.recordCall();
    budget.recordCall();
    expect(budget.tryRetry()).toBe(true);
  });

  it('turns an outage into at most ratio × calls retries (no retry storm)', () => {
    const clock = new ManualClock();
    const budget = new RetryBudget({ ratio: 0.2, minRetriesPerSecond: 0, clock });
    let retries = 0;
    for (let call = 0; call < 1_000; call++) {
      budget.recordCall();
      // every call fails and would retry 3 times without a budget
      for (let r = 0; r < 3; r++) if (budget.tryRetry()) retries++;
    }
    expect(retries).toBe(200);
  });
});
