import { abortedError } from '../retry/aborted-error.js';

/**
 * Wakes the calls that wait for budget held by attempts in flight. Whoever settles or releases a reservation
 * calls `notify()`; a waiter then tries its reservation again. Waits also end after `pollMs`, so spend that
 * frees up without a local notification (a window rollover, another process sharing the ledger) is noticed.
 */
export class ReleaseSignal {
  private waiters = new Set<() => void>();

  /** Resolves at the next `notify()`, after `pollMs`, or rejects (kind 'aborted') when `signal` aborts. */
  wait(signal: AbortSignal | undefined, pollMs = 1000): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortedError(signal, 'budget held by calls in flight'));
    return new Promise<void>((resolve, reject) => {
      const finish = (error?: unknown) => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        signal?.removeEventListener('abort', onAbort);
        if (error === undefined) resolve();
        else reject(error);
      };
      const wake = () => finish();
      const onAbort = () => finish(abortedError(signal, 'budget held by calls in flight'));
      const timer = setTimeout(wake, pollMs);
      this.waiters.add(wake);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Wakes every waiter. */
  notify(): void {
    if (this.waiters.size === 0) return;
    const waiters = this.waiters;
    this.waiters = new Set();
    for (const wake of waiters) wake();
  }

  /** Calls waiting now. */
  get waiting(): number {
    return this.waiters.size;
  }
}

const signals = new WeakMap<object, ReleaseSignal>();

/** The release signal shared by everything that uses one ledger. */
export function releaseSignalOf(ledger: object): ReleaseSignal {
  let signal = signals.get(ledger);
  if (!signal) {
    signal = new ReleaseSignal();
    signals.set(ledger, signal);
  }
  return signal;
}
