import type { LatencyStats } from './metrics-types.js';

/**
 * Durations kept for percentiles. Up to `capacity` values are kept exactly; past that a reservoir sample of
 * `capacity` values stands for all of them (deterministic, so two runs over the same events agree).
 */
export class Samples {
  #values: number[] = [];
  #seen = 0;
  #seed = 0x9e3779b9;

  constructor(private readonly capacity = 20_000) {}

  get count(): number {
    return this.#seen;
  }

  add(value: number): void {
    this.#seen++;
    if (this.#values.length < this.capacity) {
      this.#values.push(value);
      return;
    }
    const slot = this.#next() % this.#seen;
    if (slot < this.capacity) this.#values[slot] = value;
  }

  /** Median, 95th percentile (nearest rank) and maximum of what was kept. */
  stats(): LatencyStats {
    if (this.#values.length === 0) return { count: 0, median: 0, p95: 0, max: 0 };
    if (this.#values.length === 1) {
      const only = round(this.#values[0]!);
      return { count: this.#seen, median: only, p95: only, max: only };
    }
    const sorted = [...this.#values].sort((a, b) => a - b);
    return {
      count: this.#seen,
      median: round(quantile(sorted, 0.5)),
      p95: round(quantile(sorted, 0.95)),
      max: round(sorted[sorted.length - 1]!),
    };
  }

  /** xorshift32: a cheap deterministic generator for the reservoir. */
  #next(): number {
    let x = this.#seed;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.#seed = x >>> 0;
    return this.#seed;
  }
}

/** Nearest-rank quantile of sorted values; the median of an even count is the mean of the middle two. */
export function quantile(sorted: readonly number[], q: number): number {
  const n = sorted.length;
  if (n === 0) return 0;
  if (q === 0.5 && n % 2 === 0) return (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
  const rank = Math.min(n, Math.max(1, Math.ceil(q * n)));
  return sorted[rank - 1]!;
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
