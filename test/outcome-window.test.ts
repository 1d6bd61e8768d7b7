import { describe, expect, it } from 'vitest';
import { OutcomeWindow } from '../src/retry/outcome-window.js';
import { seededRandom } from '../src/testing/seeded-random.js';

describe('OutcomeWindow (the circuit breaker’s failure-rate window)', () => {
  it('keeps exactly the outcomes after now - windowMs, as a list of every outcome would, over 20,000 random calls', () => {
    const random = seededRandom(17);
    const windowMs = 1_000;
    const window = new OutcomeWindow(windowMs);
    const reference: Array<{ at: number; failed: boolean }> = [];
    let now = 0;
    for (let call = 0; call < 20_000; call++) {
      // Bursts (many calls at one instant), steady traffic and long gaps that empty the window.
      const r = random();
      now += r < 0.3 ? 0 : r < 0.98 ? random() * 20 : windowMs * (1 + random());
      const failed = random() < 0.3;
      window.add(now, failed);
      reference.push({ at: now, failed });
      const inWindow = reference.filter((o) => o.at > now - windowMs);
      expect(window.calls).toBe(inWindow.length);
      expect(window.failures).toBe(inWindow.filter((o) => o.failed).length);
    }
  });

  it('drops an outcome exactly windowMs old, and forgets everything on clear()', () => {
    const window = new OutcomeWindow(100);
    window.add(0, true);
    window.add(50, false);
    expect([window.calls, window.failures]).toEqual([2, 1]);
    window.add(100, false); // the outcome at 0 is now windowMs old: out
    expect([window.calls, window.failures]).toEqual([2, 0]);
    window.clear();
    expect([window.calls, window.failures]).toEqual([0, 0]);
    window.add(101, true);
    expect([window.calls, window.failures]).toEqual([1, 1]);
  });
});
