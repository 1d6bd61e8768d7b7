import { describe, expect, test } from 'vitest';
import { Deadline, Deadlines } from '../src/call/deadlines.js';

/** A deadline at `at` (performance.now ms) that records when it expired. */
class Probe extends Deadline {
  firedAt: number | undefined;
  constructor(
    public at: number,
    private readonly log: string[],
    private readonly name: string,
  ) {
    super();
  }
  due(): number {
    return this.at;
  }
  expire(): void {
    this.firedAt = performance.now();
    this.log.push(this.name);
  }
}

/**
 * Waits until `done()` holds (polling), failing after `limitMs`. Tests wait for what must happen instead of
 * sleeping a fixed time: on a loaded machine a timer may fire seconds late, never early.
 */
async function until(done: () => boolean, limitMs = 15_000): Promise<void> {
  const end = performance.now() + limitMs;
  while (!done()) {
    if (performance.now() > end) throw new Error('waited too long');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('Deadlines: one timer for many deadlines', () => {
  test('each entry expires once, in due order, not before it is due; a removed entry never expires', async () => {
    const watch = new Deadlines();
    const log: string[] = [];
    const now = performance.now();
    const late = new Probe(now + 60, log, 'late');
    const early = new Probe(now + 20, log, 'early');
    const removed = new Probe(now + 10, log, 'removed');
    watch.add(late);
    watch.add(early);
    watch.add(removed);
    watch.delete(removed);
    await until(() => log.length >= 2);
    // 'removed' was due first: had it been watched, it would have expired before (or with) the others.
    expect(log).toEqual(['early', 'late']);
    expect(early.firedAt!).toBeGreaterThanOrEqual(early.at);
    expect(late.firedAt!).toBeGreaterThanOrEqual(late.at);
  });

  test('a deadline that moved later is waited for again (an idle watchdog after an event)', async () => {
    const watch = new Deadlines();
    const log: string[] = [];
    const idle = new Probe(performance.now() + 30, log, 'idle');
    watch.add(idle); // the timer is armed for +30
    idle.at = performance.now() + 400; // an event arrived: the deadline moves well past the armed check
    await until(() => log.length > 0);
    // Expired once, and not at the first check (+30): only after its moved deadline, so it was re-armed.
    expect(log).toEqual(['idle']);
    expect(idle.firedAt!).toBeGreaterThanOrEqual(idle.at);
  });

  test('an entry added after others were removed is still watched', async () => {
    const watch = new Deadlines();
    const log: string[] = [];
    const first = new Probe(performance.now() + 10, log, 'first');
    watch.add(first);
    watch.delete(first);
    const second = new Probe(performance.now() + 30, log, 'second');
    watch.add(second);
    await until(() => log.length > 0);
    expect(log).toEqual(['second']);
    expect(second.firedAt!).toBeGreaterThanOrEqual(second.at);
  });
});
