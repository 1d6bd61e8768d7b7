import type { HeaderSource } from './retry-after.js';

/** Where a call's response headers land, so an error can read Retry-After and the request id. */
export interface SeenResponse {
  headers?: HeaderSource;
}

const GLOBAL_DISPATCHER = Symbol.for('undici.globalDispatcher.1');

interface Dispatcher {
  dispatch(options: Record<string, unknown>, handler: unknown): boolean;
}

/**
 * Node's fetch gives up on a response whose headers or next body chunk take over 300 s, which long thinking
 * calls can exceed; @google/genai switches those timeouts off, but only when it uses its own fetch. This keeps
 * that behaviour for ours (cancellation is the caller's signal).
 */
function noTimeoutDispatcher(): Dispatcher | undefined {
  if (!(GLOBAL_DISPATCHER in globalThis)) new Headers(); // makes Node set up its fetch (undici) lazily
  const global = (globalThis as Record<symbol, unknown>)[GLOBAL_DISPATCHER] as Dispatcher | undefined;
  if (global === undefined || typeof global.dispatch !== 'function') return undefined;
  return {
    dispatch: (options, handler) => global.dispatch({ ...options, headersTimeout: 0, bodyTimeout: 0 }, handler),
  };
}

/**
 * A fetch for @google/genai that records the response headers: its `ApiError` carries only the status and the
 * body, and we want `retry-after` and the request id.
 */
export function headerCapturingFetch(seen: SeenResponse): typeof fetch {
  return async (input, init) => {
    const dispatcher = noTimeoutDispatcher();
    const response = await fetch(input, dispatcher === undefined ? init : ({ ...init, dispatcher } as unknown as RequestInit));
    seen.headers = response.headers;
    return response;
  };
}
