import { abortedError } from './aborted-error.js';

interface Waiter {
  grant: () => void;
}

/**
 * At most `limit` holders at once; waiters are served first come, first served. `acquire` is abortable and
 * resolves to a release function (calling it twice releases once).
 */
export class Semaphore {
  private holders = 0;
  private readonly queue: Waiter[] = [];

  constructor(readonly limit: number) {}

  /** Holders now. */
  get inUse(): number {
    return this.holders;
  }

  /** Callers waiting for a slot. */
  get waiting(): number {
    return this.queue.length;
  }

  async acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) throw abortedError(signal, 'a concurrency slot');
    if (this.holders < this.limit && this.queue.length === 0) {
      this.holders++;
      return this.releaser();
    }
    let onAbort: (() => void) | undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        const waiter: Waiter = { grant: resolve };
        this.queue.push(waiter);
        onAbort = () => {
          const i = this.queue.indexOf(waiter);
          if (i >= 0) this.queue.splice(i, 1);
          reject(abortedError(signal, 'a concurrency slot'));
        };
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    } finally {
      if (onAbort) signal?.removeEventListener('abort', onAbort);
    }
    return this.releaser();
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.queue.shift();
      // the slot passes straight to the next waiter, so no newcomer can take it in between
      if (next) next.grant();
      else this.holders--;
    };
  }
}
