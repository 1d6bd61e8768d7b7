import { lazyMember } from '../data/lazy-member.js';
import { emptyRecord } from '../data/plain-record.js';
import { MetricsSlice, SliceMap } from './metrics-slice.js';
import type { InstanceMetrics, NodeCounts, RunMetrics } from './metrics-types.js';

/** The running figures of a metrics collector (or of an instance's ended runs): slices, node and run counts. */
export class MetricsFigures {
  readonly total = new MetricsSlice();
  readonly byNode = new SliceMap();
  readonly byModel = new SliceMap();
  readonly byEndpoint = new SliceMap();
  readonly nodes: NodeCounts = { total: 0, started: 0, succeeded: 0, failed: 0, cancelled: 0, skipped: 0, cached: 0 };
  readonly runs = { started: 0, ended: 0 };

  /**
   * Adds `other`'s figures to these, in O(slices): node keys get `nodePrefix` before them (`workflow/` for an
   * instance); its node slices go to `nodesInto` when given (an instance keeps them per workflow). `other` is
   * left as it is.
   */
  merge(other: MetricsFigures, nodePrefix = '', nodesInto: SliceMap = this.byNode): void {
    this.total.merge(other.total);
    nodesInto.merge(other.byNode, nodePrefix);
    this.byModel.merge(other.byModel);
    this.byEndpoint.merge(other.byEndpoint);
    const n = this.nodes;
    const o = other.nodes;
    n.total += o.total;
    n.started += o.started;
    n.succeeded += o.succeeded;
    n.failed += o.failed;
    n.cancelled += o.cancelled;
    n.skipped += o.skipped;
    n.cached += o.cached;
    this.runs.started += other.runs.started;
    this.runs.ended += other.runs.ended;
  }

  /** The figures now (`withNodes: false` leaves `byNode` empty). */
  snapshot(withNodes = true): RunMetrics {
    return {
      total: this.total.summary(),
      byNode: withNodes ? this.byNode.summaries() : emptyRecord(),
      byModel: this.byModel.summaries(),
      byEndpoint: this.byEndpoint.summaries(),
      nodes: { ...this.nodes },
    };
  }

  /**
   * The snapshot of figures that will not change any more (an ended run's): `byNode`, one summary per node, is
   * made when first read — a run of 10,000 nodes whose per-node metrics nobody reads does not pay for them. It
   * reads like a plain property (enumerable: JSON, spreads and deep equality see it).
   */
  finalSnapshot(): RunMetrics {
    return lazyMember(this.snapshot(false), 'byNode', () => this.byNode.summaries());
  }

  instanceSnapshot(): InstanceMetrics {
    return { ...this.snapshot(), runs: { ...this.runs } };
  }
}
