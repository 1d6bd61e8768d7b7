import { PairMap } from '../data/pair-map.js';

/**
 * Observed time to first token per endpoint × model, as an exponentially weighted moving average — what the
 * router's `'latency'` mode orders by.
 */
export class LatencyTracker {
  private readonly averages = new PairMap<number>();

  /** @param weight share of a new sample in the average (0..1] */
  constructor(private readonly weight = 0.3) {}

  record(endpoint: string, model: string, ms: number): void {
    const previous = this.averages.get(endpoint, model);
    this.averages.set(endpoint, model, previous === undefined ? ms : previous + this.weight * (ms - previous));
  }

  get(endpoint: string, model: string): number | undefined {
    return this.averages.get(endpoint, model);
  }
}
