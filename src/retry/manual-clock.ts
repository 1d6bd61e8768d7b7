import type { Clock } from './clock.js';

interface Timer {
  id: number;
  at: number;
  callback: () => void;
}

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * A clock that moves only when told to, for tests of backoff, gates and breakers without real sleeps.
 *
 * @example
 * const clock = new ManualClock();
 * const done = sleep(1000, undefined, clock);
 * await clock.advance(1000); // fires the timer, then lets promise continuations run
 * await done;
 */
export class ManualClock implements Clock {
  private current: number;
  private timers: Timer[] = [];
  private nextId = 0;

  constructor(start = 0) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const timer = { id: ++this.nextId, at: this.current + Math.max(0, ms), callback };
    this.timers.push(timer);
    return timer.id;
  }

  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }

  /** Timers not yet fired. */
  get pending(): number {
    return this.timers.length;
  }

  /**
   * Moves time forward by `ms`, firing due timers in time order; after each, waits a macrotask so the promise
   * continuations it triggered (and the timers they set) run before time moves on.
   */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    await flush();
    for (;;) {
      const due = this.timers.filter((t) => t.at <= target).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.current = Math.max(this.current, due.at);
      due.callback();
      await flush();
    }
    this.current = target;
    await flush();
  }
}
