import { abortedError } from './aborted-error.js';
import { systemClock, type Clock } from './clock.js';

interface Waiter {
  amount: number;
  grant: () => void;
}

/**
 * A token bucket of `capacity` tokens refilled evenly over `periodMs` (e.g. 60 requests per 60_000 ms). It
 * starts full. Takers are served in order; a take larger than the capacity waits for a full bucket and leaves
 * it in debt, so a huge request is delayed, never starved, and still paid for.
 */
export class TokenBucket {
  private level: number;
  private last: number;
  private readonly queue: Waiter[] = [];
  private timer: unknown;

  constructor(
    readonly capacity: number,
    readonly periodMs: number,
    private readonly clock: Clock = systemClock,
  ) {
    this.level = capacity;
    this.last = clock.now();
  }

  /** Tokens available now (negative while in debt). */
  get available(): number {
    this.refill();
    return this.level;
  }

  /** Takes `amount` tokens, waiting (abortably) until they are there. */
  async take(amount: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw abortedError(signal, 'a rate limit');
    this.refill();
    if (this.queue.length === 0 && this.level >= Math.min(amount, this.capacity)) {
      this.level -= amount;
      return;
    }
    let onAbort: (() => void) | undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        const waiter: Waiter = { amount, grant: resolve };
        this.queue.push(waiter);
        onAbort = () => {
          const i = this.queue.indexOf(waiter);
          if (i >= 0) this.queue.splice(i, 1);
          reject(abortedError(signal, 'a rate limit'));
          this.schedule();
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        this.schedule();
      });
    } finally {
      if (onAbort) signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Gives tokens back (a call that was not made after all), up to the capacity. */
  refund(amount: number): void {
    this.refill();
    this.level = Math.min(this.capacity, this.level + amount);
    this.schedule();
  }

  private refill(): void {
    const now = this.clock.now();
    this.level = Math.min(this.capacity, this.level + ((now - this.last) * this.capacity) / this.periodMs);
    this.last = now;
  }

  /** Grants every waiter at the head that fits, then sets one timer for when the next head will fit. */
  private schedule(): void {
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.refill();
    for (let head = this.queue[0]; head; head = this.queue[0]) {
      const need = Math.min(head.amount, this.capacity);
      if (this.level < need) {
        const waitMs = Math.ceil(((need - this.level) * this.periodMs) / this.capacity);
        this.timer = this.clock.setTimeout(() => this.schedule(), Math.max(1, waitMs));
        return;
      }
      this.level -= head.amount;
      this.queue.shift();
      head.grant();
    }
  }
}
