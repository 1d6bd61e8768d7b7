/**
 * Full-jitter exponential backoff: a delay drawn uniformly from `[0, min(maxDelayMs, baseDelayMs * 2^retry))`.
 * `retry` is 0 for the first retry of a candidate. Spreads retries of many callers over time instead of
 * sending them in waves.
 */
export function backoffDelay(
  retry: number,
  options: { baseDelayMs: number; maxDelayMs: number },
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, retry));
  return Math.floor(random() * ceiling);
}
