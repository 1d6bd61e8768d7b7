import { formatUsd } from './format.js';
import type { RouteEndpoint, RouteMode, RoutedCandidate } from './route-types.js';

/**
 * Orders groups of candidates (one group per model, its endpoints in order) by the mode. Sorting moves whole
 * groups, so the same model on a second endpoint always comes right after the first. Sorts are stable: ties
 * keep the preference order.
 */
export function orderByMode<E extends RouteEndpoint>(groups: RoutedCandidate<E>[][], mode: RouteMode): RoutedCandidate<E>[] {
  if (mode === 'cost') {
    const sorted = [...groups].sort((a, b) => a[0]!.worstCaseUsd - b[0]!.worstCaseUsd);
    return sorted.flat().map((c, i) => (i === 0 ? { ...c, reason: `${c.reason}; cheapest that qualifies (${formatUsd(c.worstCaseUsd)} worst case)` } : c));
  }
  if (mode === 'latency') {
    const fastest = (g: RoutedCandidate<E>[]) => Math.min(...g.map((c) => c.latencyMs ?? Number.POSITIVE_INFINITY));
    const latency = (c: RoutedCandidate<E>) => c.latencyMs ?? Number.POSITIVE_INFINITY;
    const byLatency = groups.map((g) => [...g].sort((a, b) => compare(latency(a), latency(b))));
    const sorted = byLatency.sort((a, b) => compare(fastest(a), fastest(b)));
    return sorted.flat().map((c, i) =>
      i === 0 && c.latencyMs !== undefined ? { ...c, reason: `${c.reason}; lowest observed latency (${Math.round(c.latencyMs)} ms)` } : c,
    );
  }
  return groups.length === 1 ? groups[0]! : groups.flat();
}

/** Compares numbers, Infinity included (a - b would give NaN for two infinities). */
function compare(a: number, b: number): number {
  return a === b ? 0 : a < b ? -1 : 1;
}
