import type { MetricsCollector } from './metrics-collector.js';
import { MetricsFigures } from './metrics-figures.js';
import { SliceMap } from './metrics-slice.js';
import type { InstanceMetrics } from './metrics-types.js';

/** Ended runs gathered before they are merged (bounds what they hold on to). */
const MERGE_AFTER_RUNS = 16;

/**
 * An instance's metrics (`sy.metrics()`) without folding any event a second time: each run's own collector
 * (the one behind `run.result.metrics`) does the folding. While a run is live its collector is read as it is;
 * when it ends, its figures are merged into the ended runs' once (O(slices)), and it is let go.
 * Node keys are `workflow/nodeId`.
 */
export class InstanceMetricsBook {
  /** The figures of every ended run, but their nodes. */
  readonly #ended = new MetricsFigures();
  /** The ended runs' node slices per workflow (merging needs no `workflow/nodeId` key per node). */
  readonly #endedNodes = new Map<string, SliceMap>();
  /** The collectors of the runs still going, with their workflow. */
  readonly #live = new Map<MetricsCollector, string>();
  /**
   * Ended runs not merged yet: merging is O(slices), so it waits for the next `snapshot` (or for a few runs to
   * gather) rather than adding to the time of the run that just ended.
   */
  readonly #unmerged: Array<[MetricsCollector, string]> = [];

  /** Starts reading a run's collector; `end` (idempotent) hands it over to the ended runs' figures. */
  track(collector: MetricsCollector, workflow: string): { end(): void } {
    this.#live.set(collector, workflow);
    return {
      end: () => {
        if (!this.#live.delete(collector)) return;
        this.#unmerged.push([collector, workflow]);
        if (this.#unmerged.length >= MERGE_AFTER_RUNS) this.#merge();
      },
    };
  }

  #merge(): void {
    for (const [collector, workflow] of this.#unmerged.splice(0)) {
      let nodes = this.#endedNodes.get(workflow);
      if (!nodes) this.#endedNodes.set(workflow, (nodes = new SliceMap()));
      this.#ended.merge(collector.figures, '', nodes);
    }
  }

  /** The figures of every run so far, live runs included. */
  snapshot(): InstanceMetrics {
    this.#merge();
    if (this.#live.size === 0) {
      const metrics = this.#ended.instanceSnapshot();
      for (const [workflow, nodes] of this.#endedNodes) nodes.summaries(`${workflow}/`, metrics.byNode);
      return metrics;
    }
    const all = new MetricsFigures();
    all.merge(this.#ended);
    for (const [workflow, nodes] of this.#endedNodes) all.byNode.merge(nodes, `${workflow}/`);
    for (const [collector, workflow] of this.#live) all.merge(collector.figures, `${workflow}/`);
    return all.instanceSnapshot();
  }
}
