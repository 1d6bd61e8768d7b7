import { systemClock, type Clock } from './clock.js';

export interface RetryBudgetOptions {
  /**
   * Retries allowed per call made, over the window: 0.2 means at most one retry for every five calls.
   * @default 0.2
   */
  ratio?: number;
  /**
   * Retries allowed per second regardless of traffic, so a quiet instance can still retry.
   * @default 10
   */
  minRetriesPerSecond?: number;
  /**
   * The sliding window over which calls and retries are counted.
   * @default 10_000
   */
  windowMs?: number;
  /** @default systemClock */
  clock?: Clock;
}

const SLICES = 10;

/**
 * Caps retries at a share of calls across an instance, so an outage does not turn into a retry storm: over the
 * last `windowMs`, retries ≤ `ratio` × calls + `minRetriesPerSecond` × window seconds. When it is spent, the
 * retry policy fails over (or stops) instead of retrying.
 */
export class RetryBudget {
  private readonly ratio: number;
  private readonly floor: number;
  private readonly sliceMs: number;
  private readonly clock: Clock;
  private calls = new Array<number>(SLICES).fill(0);
  private retries = new Array<number>(SLICES).fill(0);
  private slice = 0;

  constructor(options: RetryBudgetOptions = {}) {
    const windowMs = options.windowMs ?? 10_000;
    this.ratio = options.ratio ?? 0.2;
    this.floor = (options.minRetriesPerSecond ?? 10) * (windowMs / 1000);
    this.sliceMs = windowMs / SLICES;
    this.clock = options.clock ?? systemClock;
    this.slice = this.sliceIndex();
  }

  /** Counts a call (a first attempt). */
  recordCall(): void {
    this.calls[this.advance()]!++;
  }

  /** Whether one more retry fits the budget now. */
  canRetry(): boolean {
    this.advance();
    return sum(this.retries) + 1 <= this.ratio * sum(this.calls) + this.floor;
  }

  /** Counts a retry. */
  recordRetry(): void {
    this.retries[this.advance()]!++;
  }

  /** `canRetry()` and, when true, `recordRetry()`, in one step. */
  tryRetry(): boolean {
    if (!this.canRetry()) return false;
    this.recordRetry();
    return true;
  }

  private sliceIndex(): number {
    return Math.floor(this.clock.now() / this.sliceMs);
  }

  /** Clears the slices that have left the window; returns the index of the current slice. */
  private advance(): number {
    const now = this.sliceIndex();
    const gap = Math.min(SLICES, now - this.slice);
    for (let i = 1; i <= gap; i++) {
      const index = (this.slice + i) % SLICES;
      this.calls[index] = 0;
      this.retries[index] = 0;
    }
    this.slice = Math.max(this.slice, now);
    return this.slice % SLICES;
  }
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
