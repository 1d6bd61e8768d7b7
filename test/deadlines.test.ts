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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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
    await sleep(300); // generous: timers on a loaded machine fire late, never early
    expect(log).toEqual(['early', 'late']);
    expect(early.firedAt!).toBeGreaterThanOrEqual(early.at);
    expect(late.firedAt!).toBeGreaterThanOrEqual(late.at);
  });

  test('a deadline that moved later is waited for again (an idle watchdog after an event)', async () => {
    const watch = new Deadlines();
    const log: string[] = [];
    const idle = new Probe(performance.now() + 30, log, 'idle');
    watch.add(idle);
    await sleep(15);
    idle.at = performance.now() + 250; // an event arrived: the deadline moves well past the first check
    await sleep(60);
    expect(log).toEqual([]); // the first check (at +30) found it not due and re-armed
    await sleep(400);
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
    await sleep(300);
    expect(log).toEqual(['second']);
  });
});
