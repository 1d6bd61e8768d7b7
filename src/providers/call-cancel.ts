import type { AbortListening } from '../call/abort-scope.js';
import type { ProviderCall } from './types.js';

/** A call of the engine's: it can be watched for cancellation without making its AbortSignal. */
interface EngineCall extends ProviderCall {
  watchAbort?(listener: (reason: unknown) => void): AbortListening;
}

const NOT_WATCHING: AbortListening = { off() {} };

/**
 * Calls `onAbort` with the reason when the call is cancelled: its `signal`, or its request's own `signal` (when both
 * abort, it is called for each: make it idempotent); `off()` on the result stops watching. Not called for a source
 * that was aborted already: check `callCancelled` first.
 *
 * The engine's calls are watched through the engine (`watchAbort`), so no AbortSignal is made for them, and the two
 * sources are watched each on its own rather than through `AbortSignal.any`, which makes a combined signal per call
 * tied to its sources by weak references the GC must track (docs/benchmarks.md, section 7).
 */
export function watchCancel(call: ProviderCall, onAbort: (reason: unknown) => void): AbortListening {
  const engine = call as EngineCall;
  // An engine call's `signal` would be made on read: it is watched through `watchAbort` instead.
  const signal = engine.watchAbort === undefined ? call.signal : undefined;
  const own = engine.watchAbort !== undefined ? engine.watchAbort(onAbort) : watchSignal(signal, onAbort);
  const request = call.request.signal;
  if (request === undefined || request === signal) return own;
  const also = watchSignal(request, onAbort);
  return {
    off() {
      own.off();
      also.off();
    },
  };
}

function watchSignal(signal: AbortSignal | undefined, onAbort: (reason: unknown) => void): AbortListening {
  if (signal === undefined) return NOT_WATCHING;
  const listener = (): void => onAbort(signal.reason);
  signal.addEventListener('abort', listener, { once: true });
  return { off: () => signal.removeEventListener('abort', listener) };
}

/**
 * Whether the call was cancelled. The engine's calls say so in `aborted` (reading their `signal` would make an
 * AbortSignal, which a call that is only checked does not need); other callers' signals are read.
 */
export function callCancelled(call: ProviderCall): boolean {
  const own = call.aborted ?? call.signal?.aborted === true;
  return own || call.request.signal?.aborted === true;
}
