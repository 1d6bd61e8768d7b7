import type { RunEvent, RunEventOf, RunEventType } from '../run/events.js';
import { CallSite } from './call-site.js';
import { MetricsFigures } from './metrics-figures.js';
import type { MetricsSlice } from './metrics-slice.js';
import type { InstanceMetrics, RunMetrics } from './metrics-types.js';

/** The event types a metrics collector books (it ignores the others). */
export const METRIC_EVENT_TYPES: readonly RunEventType[] = [
  'run-start', 'node-start', 'node-route', 'budget', 'text-delta', 'tool-call', 'node-retry', 'node-fallback',
  'cache-lookup', 'node-end', 'node-skip', 'node-error', 'run-end',
];

interface RunState {
  workflow: string;
  /** The sites of the nodes under way by node id (a node's slice is looked up once, not on every event). */
  nodes: Map<string, CallSite>;
  /** The site of events of no node. */
  loose: CallSite | undefined;
  /** The node of the last event (a node's events mostly come one after another). */
  lastNodeId: string | undefined;
  lastNode: CallSite | undefined;
  /** Open attempts still waiting for their first token: at 0, a text-delta has nothing to book (O(1)). */
  awaiting: number;
}

const newRunState = (workflow: string): RunState => ({
  workflow,
  nodes: new Map(),
  loose: undefined,
  lastNodeId: undefined,
  lastNode: undefined,
  awaiting: 0,
});

type Counter = 'calls' | 'attempts' | 'retries' | 'fallbacks';

/** Options of a metrics collector. */
export interface MetricsCollectorOptions {
  /**
   * Key nodes as `workflow/nodeId` (for an instance that runs several workflows).
   * @default false
   */
  qualifyNodes?: boolean;
}

/**
 * Folds run events into metrics: usage and cost from `budget` settle events (one per attempt, failed ones
 * included), attempts from reservations, time to first token from the first `text-delta` or `tool-call` of an
 * attempt, retries, fallbacks and wasted spend from `node-retry` / `node-fallback`, response-cache figures from
 * `cache-lookup`. Feed it every event of one run or of many (`observe`), read it at any time (`snapshot`).
 * Per event it allocates nothing: a node's site and slice are made on its first event, its site let go at its end.
 */
export class MetricsCollector {
  readonly #figures = new MetricsFigures();
  readonly #runs = new Map<string, RunState>();
  readonly #qualify: boolean;
  /** The run of the last event (a collector mostly sees one run). */
  #lastRunId: string | undefined;
  #lastRun: RunState | undefined;

  constructor(options: MetricsCollectorOptions = {}) {
    this.#qualify = options.qualifyNodes ?? false;
  }

  /** @internal The figures booked so far, live (an instance merges its runs' collectors with them). */
  get figures(): MetricsFigures {
    return this.#figures;
  }

  /** Books one event. Bound, so it can be passed as a handler: `run.on('*', collector.observe)`. */
  readonly observe = (event: RunEvent): void => {
    switch (event.type) {
      case 'text-delta':
      case 'tool-call':
        return this.#firstToken(event);
      case 'budget':
        return event.phase === 'reserve' ? this.#reserve(event) : this.#settle(event);
      case 'node-route': {
        // A new call: a retry or fallback from now on replaces one of its attempts, not the previous call's.
        const site = this.#site(this.#run(event.runId), event);
        site.replaceable = false;
        return this.#count(event, site.node, 'calls');
      }
      case 'node-retry':
      case 'node-fallback':
        return this.#replaced(event);
      case 'cache-lookup':
        return this.#lookup(event);
      default:
        return this.#lifecycle(event);
    }
  };

  /** The figures so far. */
  snapshot(): RunMetrics {
    return this.#figures.snapshot();
  }

  /**
   * @internal The figures of a collector that will see no more events (an ended run's), with `byNode` made when
   * first read.
   */
  finalSnapshot(): RunMetrics {
    return this.#figures.finalSnapshot();
  }

  /** The figures so far, with the count of runs started and ended (for an instance-wide collector). */
  instanceSnapshot(): InstanceMetrics {
    return this.#figures.instanceSnapshot();
  }

  /** Run and node lifecycle; nodes of nested workflows (events with `parent`) count in their holding node only. */
  #lifecycle(event: RunEvent): void {
    const n = this.#figures.nodes;
    switch (event.type) {
      case 'run-start':
        this.#figures.runs.started++;
        n.total += event.nodes;
        this.#runs.set(event.runId, newRunState(event.workflow));
        this.#lastRunId = this.#lastRun = undefined;
        return;
      case 'run-end':
        this.#figures.runs.ended++;
        this.#runs.delete(event.runId);
        this.#lastRunId = this.#lastRun = undefined;
        return;
      case 'node-start':
        if (event.parent === undefined) n.started++;
        return;
      case 'node-end':
        if (event.parent === undefined) {
          n.succeeded++;
          if (event.cached) n.cached++;
        }
        return this.#release(event);
      case 'node-skip':
        if (event.parent === undefined) n.skipped++;
        return this.#release(event);
      case 'node-error':
        if (event.parent !== undefined) return this.#release(event);
        if (event.status === 'cancelled') n.cancelled++;
        else n.failed++;
        return this.#release(event);
    }
  }

  /**
   * A node ended: its sites are let go (a long run keeps no state per ended node), unless one still has an
   * attempt open, whose settlement is still to be timed.
   */
  #release(event: RunEvent): void {
    const { nodeId } = event;
    const run = nodeId === undefined ? undefined : this.#run(event.runId, true);
    const site = run?.nodes.get(nodeId!);
    if (!run || !site || site.busy()) return;
    run.nodes.delete(nodeId!);
    if (run.lastNode === site) run.lastNodeId = run.lastNode = undefined;
  }

  /** The state of an event's run, made on first use (or undefined with `peek`). */
  #run(runId: string): RunState;
  #run(runId: string, peek: true): RunState | undefined;
  #run(runId: string, peek = false): RunState | undefined {
    if (runId === this.#lastRunId) return this.#lastRun;
    let run = this.#runs.get(runId);
    if (!run) {
      if (peek) return undefined;
      run = newRunState('');
      this.#runs.set(runId, run);
    }
    this.#lastRunId = runId;
    this.#lastRun = run;
    return run;
  }

  /** An event's call site (its node, item and candidate) in its run, made on first use. */
  #site(run: RunState, event: RunEvent): CallSite {
    const site = event.nodeId === undefined ? (run.loose ??= new CallSite(undefined)) : this.#nodeSite(run, event.nodeId);
    if (event.item === undefined && event.candidate === undefined) return site;
    return site.subSite(event.item, event.candidate, true)!;
  }

  /** A node's own site, made (with its slice) on first use. */
  #nodeSite(run: RunState, nodeId: string): CallSite {
    if (nodeId === run.lastNodeId) return run.lastNode!;
    let site = run.nodes.get(nodeId);
    if (!site) {
      site = new CallSite(this.#figures.byNode.get(this.#qualify ? `${run.workflow}/${nodeId}` : nodeId));
      run.nodes.set(nodeId, site);
    }
    run.lastNodeId = nodeId;
    run.lastNode = site;
    return site;
  }

  /** Adds 1 to a counter of every slice the event counts in: total, its node, its model and its endpoint. */
  #count(event: RunEvent, node: MetricsSlice | undefined, counter: Counter): void {
    const f = this.#figures;
    f.total[counter]++;
    if (node) node[counter]++;
    if (event.model !== undefined) f.byModel.get(event.model)[counter]++;
    if (event.provider !== undefined) f.byEndpoint.get(event.provider)[counter]++;
  }

  #reserve(event: RunEventOf<'budget'>): void {
    const run = this.#run(event.runId);
    const site = this.#site(run, event);
    this.#count(event, site.node, 'attempts');
    if (site.open && site.firstToken === undefined) run.awaiting--;
    site.open = true;
    site.start = event.t;
    site.firstToken = undefined;
    run.awaiting++;
  }

  /** O(1) once every open attempt of the run has had its first token. */
  #firstToken(event: RunEventOf<'text-delta' | 'tool-call'>): void {
    const run = this.#run(event.runId, true);
    if (run === undefined || run.awaiting === 0) return;
    const { nodeId, item, candidate } = event;
    let site = nodeId === undefined ? run.loose : nodeId === run.lastNodeId ? run.lastNode : run.nodes.get(nodeId);
    if (site && (item !== undefined || candidate !== undefined)) site = site.subSite(item, candidate, false);
    if (site?.open && site.firstToken === undefined) {
      site.firstToken = event.t;
      run.awaiting--;
    }
  }

  #settle(event: RunEventOf<'budget'>): void {
    const run = this.#run(event.runId);
    const site = this.#site(run, event);
    let latency: number | undefined;
    let ttft: number | undefined;
    if (site.open) {
      latency = event.t - site.start;
      if (site.firstToken === undefined) run.awaiting--;
      else ttft = site.firstToken - site.start;
      site.open = false;
    }
    const f = this.#figures;
    const { usage, amountUsd } = event;
    const model = event.model === undefined ? undefined : f.byModel.get(event.model);
    const endpoint = event.provider === undefined ? undefined : f.byEndpoint.get(event.provider);
    f.total.settle(usage, amountUsd, latency, ttft);
    site.node?.settle(usage, amountUsd, latency, ttft);
    model?.settle(usage, amountUsd, latency, ttft);
    endpoint?.settle(usage, amountUsd, latency, ttft);
    site.replaceable = true;
    site.lastCostUsd = amountUsd;
    site.lastModel = model;
    site.lastEndpoint = endpoint;
  }

  /** A retry or fallback: the call's last settled attempt was replaced, so what it cost was wasted. */
  #replaced(event: RunEventOf<'node-retry' | 'node-fallback'>): void {
    const site = this.#site(this.#run(event.runId), event);
    this.#count(event, site.node, event.type === 'node-retry' ? 'retries' : 'fallbacks');
    if (!site.replaceable) return;
    site.replaceable = false;
    const cost = site.lastCostUsd;
    this.#figures.total.waste(cost);
    site.node?.waste(cost);
    site.lastModel?.waste(cost);
    site.lastEndpoint?.waste(cost);
  }

  #lookup(event: RunEventOf<'cache-lookup'>): void {
    const f = this.#figures;
    const node = event.nodeId === undefined ? undefined : this.#site(this.#run(event.runId), event).node;
    const model = event.model === undefined ? undefined : f.byModel.get(event.model);
    const endpoint = event.provider === undefined ? undefined : f.byEndpoint.get(event.provider);
    for (const slice of [f.total, node, model, endpoint]) {
      if (!slice) continue;
      slice.lookups++;
      if (event.hit) {
        slice.hits++;
        slice.savedUsd += event.savedUsd ?? 0;
      }
    }
  }
}
