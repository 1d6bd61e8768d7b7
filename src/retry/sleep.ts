import { abortedError } from './aborted-error.js';
import { systemClock, type Clock } from './clock.js';

/**
 * Waits `ms`, or rejects at once when `signal` aborts (with a SwitchyardError of kind 'aborted', or the
 * signal's reason when that is a SwitchyardError). The timer and the abort listener are removed either way.
 */
export async function sleep(ms: number, signal?: AbortSignal, clock: Clock = systemClock): Promise<void> {
  if (signal?.aborted) throw abortedError(signal, `a ${ms} ms delay`);
  let handle: unknown;
  let onAbort: (() => void) | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      handle = clock.setTimeout(resolve, Math.max(0, ms));
      onAbort = () => reject(abortedError(signal, `a ${ms} ms delay`));
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  } finally {
    clock.clearTimeout(handle);
    if (onAbort) signal?.removeEventListener('abort', onAbort);
  }
}
