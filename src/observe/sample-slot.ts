import type { LatencyStats } from './metrics-types.js';
import { round, Samples } from './samples.js';

/**
 * Where a slice keeps its durations, as cheaply as they come: nothing yet, the one value (most node slices hold
 * one: no object is made for it), or `Samples` from the second value on.
 */
export type SampleSlot = Samples | number | undefined;

/** The slot with `value` added (the same Samples, once there is one). */
export function addSample(slot: SampleSlot, value: number): Samples | number {
  if (slot === undefined) return value;
  if (typeof slot === 'number') return samplesOf(slot, value);
  slot.add(value);
  return slot;
}

/** The slot with `other`'s values added (`other` is left as it is). See `Samples.merge`. */
export function mergeSamples(slot: SampleSlot, other: SampleSlot): SampleSlot {
  if (other === undefined) return slot;
  if (typeof other === 'number') return addSample(slot, other);
  const samples = slot === undefined ? new Samples() : typeof slot === 'number' ? samplesOf(slot) : slot;
  samples.merge(other);
  return samples;
}

/** Median, 95th percentile and maximum of the slot's values (0s when it has none). */
export function sampleStats(slot: SampleSlot): LatencyStats {
  if (slot === undefined) return { count: 0, median: 0, p95: 0, max: 0 };
  if (typeof slot !== 'number') return slot.stats();
  const only = round(slot);
  return { count: 1, median: only, p95: only, max: only };
}

function samplesOf(...values: number[]): Samples {
  const samples = new Samples();
  for (const value of values) samples.add(value);
  return samples;
}
