import type { RunEvent } from '../run/events.js';
import { siteOf } from './call-site.js';
import { MetricsSlice, SliceMap } from './metrics-slice.js';
import type { InstanceMetrics, NodeCounts, RunMetrics } from './metrics-types.js';

/** An attempt between its budget reservation and its settlement. */
interface OpenAttempt {
  start: number;
  firstToken?: number;
}

/** The last settled attempt of a call site, until the next one: a retry or fallback marks it wasted. */
interface SettledAttempt {
  costUsd: number;
  slices: MetricsSlice[];
  wasted: boolean;
}

interface RunState {
  workflow: string;
  open: Map<string, OpenAttempt>;
  last: Map<string, SettledAttempt>;
  /** Node slices by node id (saves building the qualified key on every event). */
  nodes: Map<string, MetricsSlice>;
  /** Open attempts still waiting for their first token: at 0, a text-delta has nothing to book (O(1)). */
  awaiting: number;
}

const newRunState = (workflow: string): RunState => ({ workflow, open: new Map(), last: new Map(), nodes: new Map(), awaiting: 0 });

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
 */
export class MetricsCollector {
  readonly #total = new MetricsSlice();
  readonly #byNode = new SliceMap();
  readonly #byModel = new SliceMap();
  readonly #byEndpoint = new SliceMap();
  readonly #runs = new Map<string, RunState>();
  readonly #nodes: NodeCounts = { total: 0, started: 0, succeeded: 0, failed: 0, cancelled: 0, skipped: 0, cached: 0 };
  readonly #runCount = { started: 0, ended: 0 };
  readonly #qualify: boolean;
  /** The run of the last text event (streams come in long runs of one run's deltas). */
  #lastRunId: string | undefined;
  #lastRun: RunState | undefined;

  constructor(options: MetricsCollectorOptions = {}) {
    this.#qualify = options.qualifyNodes ?? false;
  }

  /** Books one event. Bound, so it can be passed as a handler: `run.on('*', collector.observe)`. */
  readonly observe = (event: RunEvent): void => {
    switch (event.type) {
      case 'text-delta':
      case 'tool-call':
        return this.#firstToken(event);
      case 'budget':
        return event.phase === 'reserve' ? this.#reserve(event) : this.#settle(event);
      case 'node-route':
        // A new call: a retry or fallback from now on replaces one of its attempts, not the previous call's.
        this.#runs.get(event.runId)?.last.delete(siteOf(event));
        this.#count(event, 'calls');
        return;
      case 'node-retry':
      case 'node-fallback':
        return this.#replaced(event);
      case 'cache-lookup':
        for (const slice of this.#slices(event)) {
          slice.lookups++;
          if (event.hit) {
            slice.hits++;
            slice.savedUsd += event.savedUsd ?? 0;
          }
        }
        return;
      default:
        return this.#lifecycle(event);
    }
  };

  /** The figures so far. */
  snapshot(): RunMetrics {
    return {
      total: this.#total.summary(),
      byNode: this.#byNode.summaries(),
      byModel: this.#byModel.summaries(),
      byEndpoint: this.#byEndpoint.summaries(),
      nodes: { ...this.#nodes },
    };
  }

  /** The figures so far, with the count of runs started and ended (for an instance-wide collector). */
  instanceSnapshot(): InstanceMetrics {
    return { ...this.snapshot(), runs: { ...this.#runCount } };
  }

  #lifecycle(event: RunEvent): void {
    const n = this.#nodes;
    switch (event.type) {
      case 'run-start':
        this.#runCount.started++;
        n.total += event.nodes;
        this.#runs.set(event.runId, newRunState(event.workflow));
        this.#lastRunId = this.#lastRun = undefined;
        return;
      case 'run-end':
        this.#runCount.ended++;
        this.#runs.delete(event.runId);
        this.#lastRunId = this.#lastRun = undefined;
        return;
      case 'node-start':
        n.started++;
        return;
      case 'node-end':
        n.succeeded++;
        if (event.cached) n.cached++;
        return;
      case 'node-skip':
        n.skipped++;
        return;
      case 'node-error':
        if (event.status === 'cancelled') n.cancelled++;
        else n.failed++;
        return;
    }
  }

  #run(event: RunEvent): RunState {
    let run = this.#runs.get(event.runId);
    if (!run) {
      run = newRunState('');
      this.#runs.set(event.runId, run);
    }
    return run;
  }

  /** The slices an event counts in: total, its node, its model and its endpoint. */
  #slices(event: RunEvent): MetricsSlice[] {
    const slices = [this.#total];
    if (event.nodeId !== undefined) slices.push(this.#nodeSlice(event, event.nodeId));
    if (event.model !== undefined) slices.push(this.#byModel.get(event.model));
    if (event.provider !== undefined) slices.push(this.#byEndpoint.get(event.provider));
    return slices;
  }

  #nodeSlice(event: RunEvent, nodeId: string): MetricsSlice {
    const run = this.#run(event);
    let node = run.nodes.get(nodeId);
    if (!node) {
      node = this.#byNode.get(this.#qualify ? `${run.workflow}/${nodeId}` : nodeId);
      run.nodes.set(nodeId, node);
    }
    return node;
  }

  /** Adds 1 to a counter of every slice the event counts in (no array, unlike `#slices`). */
  #count(event: RunEvent, counter: 'calls' | 'attempts' | 'retries' | 'fallbacks'): void {
    this.#total[counter]++;
    if (event.nodeId !== undefined) this.#nodeSlice(event, event.nodeId)[counter]++;
    if (event.model !== undefined) this.#byModel.get(event.model)[counter]++;
    if (event.provider !== undefined) this.#byEndpoint.get(event.provider)[counter]++;
  }

  #reserve(event: RunEvent): void {
    this.#count(event, 'attempts');
    const run = this.#run(event);
    const site = siteOf(event);
    const previous = run.open.get(site);
    if (previous && previous.firstToken === undefined) run.awaiting--;
    run.open.set(site, { start: event.t });
    run.awaiting++;
  }

  /** Allocation-free; O(1) once every open attempt of the run has had its first token. */
  #firstToken(event: RunEvent): void {
    let run = this.#lastRun;
    if (event.runId !== this.#lastRunId) {
      run = this.#runs.get(event.runId);
      if (!run) return;
      this.#lastRunId = event.runId;
      this.#lastRun = run;
    }
    if (run === undefined || run.awaiting === 0) return;
    const open = run.open.get(siteOf(event));
    if (open && open.firstToken === undefined) {
      open.firstToken = event.t;
      run.awaiting--;
    }
  }

  #settle(event: Extract<RunEvent, { type: 'budget' }>): void {
    const run = this.#run(event);
    const site = siteOf(event);
    const open = run.open.get(site);
    if (open && open.firstToken === undefined) run.awaiting--;
    run.open.delete(site);
    const slices = this.#slices(event);
    for (const slice of slices) {
      slice.settle(event.usage, event.amountUsd);
      if (open) {
        slice.latency.add(event.t - open.start);
        if (open.firstToken !== undefined) slice.ttft.add(open.firstToken - open.start);
      }
    }
    run.last.set(site, { costUsd: event.amountUsd, slices, wasted: false });
  }

  /** A retry or fallback: the call's last settled attempt was replaced, so what it cost was wasted. */
  #replaced(event: Extract<RunEvent, { type: 'node-retry' | 'node-fallback' }>): void {
    this.#count(event, event.type === 'node-retry' ? 'retries' : 'fallbacks');
    const last = this.#runs.get(event.runId)?.last.get(siteOf(event));
    if (!last || last.wasted) return;
    last.wasted = true;
    for (const slice of last.slices) {
      slice.wastedAttempts++;
      slice.wastedUsd += last.costUsd;
    }
  }
}
