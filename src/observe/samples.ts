import type { LatencyStats } from './metrics-types.js';
import { quantile } from './quantile.js';

/**
 * Durations kept for percentiles. Up to `capacity` values are kept exactly; past that a reservoir sample of
 * `capacity` values stands for all of them (deterministic, so two runs over the same events agree). The count
 * and the maximum are always exact. (A slice holding one value keeps it without a Samples: see `SampleSlot`.)
 */
export class Samples {
  #values: number[] = [];
  #seen = 0;
  #max = -Infinity;
  /** Kept as an int32 (a small integer, not a boxed double). */
  #seed = 0x9e3779b9 | 0;

  constructor(private readonly capacity = 20_000) {}

  get count(): number {
    return this.#seen;
  }

  add(value: number): void {
    const seen = ++this.#seen;
    if (value > this.#max) this.#max = value;
    const values = this.#values;
    if (values.length < this.capacity) {
      values.push(value);
      return;
    }
    const slot = this.#next() % seen;
    if (slot < this.capacity) values[slot] = value;
  }

  /**
   * Adds `other`'s values (`other` is left as it is). While the two together fit in `capacity`, every value is
   * kept, so the result is exactly what adding them one by one would give. Past that, the kept values are a
   * sample in which each side has a share proportional to its count (drawn uniformly within each side); count
   * and maximum stay exact.
   */
  merge(other: Samples): void {
    const theirs = other.#seen;
    if (theirs === 0) return;
    if (other.#max > this.#max) this.#max = other.#max;
    const mine = this.#seen;
    this.#seen = mine + theirs;
    if (mine === 0) this.#values = other.#values.slice();
    else if (mine + theirs <= this.capacity) for (const value of other.#values) this.#values.push(value);
    else this.#merge(mine, other.#values, theirs);
  }

  /** Past capacity: keeps `room` values, shares in proportion to the counts, drawn uniformly within each side. */
  #merge(mine: number, values: readonly number[], theirs: number): void {
    const kept = this.#values;
    const room = Math.min(this.capacity, kept.length + values.length);
    const share = Math.round((room * mine) / (mine + theirs));
    const fromMine = Math.min(kept.length, Math.max(room - values.length, share));
    // A partial Fisher–Yates shuffle moves the values of mine that make room, drawn at random, to the end.
    for (let end = kept.length - 1; end >= fromMine; end--) {
      const j = this.#next() % (end + 1);
      const swap = kept[end]!;
      kept[end] = kept[j]!;
      kept[j] = swap;
    }
    kept.length = fromMine;
    // Selection sampling (Knuth's algorithm S) draws the rest from theirs in one pass, without copying them.
    let need = room - fromMine;
    for (let i = 0; i < values.length && need > 0; i++) {
      if (this.#next() % (values.length - i) < need) {
        kept.push(values[i]!);
        need--;
      }
    }
  }

  /** Median, 95th percentile (nearest rank) and maximum of what was kept (the maximum of everything). */
  stats(): LatencyStats {
    const seen = this.#seen;
    if (seen === 0) return { count: 0, median: 0, p95: 0, max: 0 };
    const values = Float64Array.from(this.#values);
    return { count: seen, median: round(quantile(values, 0.5)), p95: round(quantile(values, 0.95)), max: round(this.#max) };
  }

  /** xorshift32: a cheap deterministic generator for the reservoir. */
  #next(): number {
    let x = this.#seed;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.#seed = x;
    return x >>> 0;
  }
}

/** Rounds to the µs. */
export function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
