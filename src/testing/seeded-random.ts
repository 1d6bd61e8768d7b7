/**
 * A seeded generator (mulberry32), uniform in [0, 1): the same seed gives the same sequence, so load tests and
 * benchmarks with random usage, faults or graphs are reproducible.
 * @example
 * const random = seededRandom(7);
 * const usage = { inputTokens: 100 + Math.floor(random() * 900) };
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let r = Math.imul(state ^ (state >>> 15), state | 1);
    r ^= r + Math.imul(r ^ (r >>> 7), r | 61);
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}
