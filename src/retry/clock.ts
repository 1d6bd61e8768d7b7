/**
 * Time as the policies see it. Injected so tests can move time by hand (`ManualClock`) instead of sleeping.
 * `now()` is in ms since the epoch, so `pauseUntil(endpoint, clock.now() + retryAfterMs)` and HTTP-date
 * Retry-After values use the same scale.
 */
export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The real clock: `Date.now` and the global timers. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};
