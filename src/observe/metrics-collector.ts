import type { RunEvent, RunEventType, StampedPayload } from '../run/events.js';
import { CallSite } from './call-site.js';
import { MetricsFigures } from './metrics-figures.js';
import type { MetricsSlice } from './metrics-slice.js';
import type { InstanceMetrics, RunMetrics } from './metrics-types.js';

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

/** @internal What the run's hub stamps on a payload: the fields of a run event a collector reads besides it. */
export interface EventStamp {
  readonly runId: string;
  readonly t: number;
  readonly nodeId?: string | undefined;
  readonly item?: number | undefined;
}

/** @internal What a collector reads of an event's payload (a run event is one too). */
export type MetricPayload = StampedPayload & { candidate?: number };

type PayloadOf<T extends RunEventType> = Extract<MetricPayload, { type: T }>;

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
  readonly observe = (event: RunEvent): void => this.book(event, event);

  /**
   * @internal Books one event given as its payload and its stamps, so the run's hub can feed its collector without
   * building the event (it builds one only for a listener). Bound; `at` is read, not kept.
   */
  readonly book = (e: MetricPayload, at: EventStamp): void => {
    switch (e.type) {
      case 'text-delta':
      case 'tool-call':
        return this.#firstToken(e, at);
      case 'budget':
        return e.phase === 'reserve' ? this.#reserve(e, at) : this.#settle(e, at);
      case 'node-route': {
        // A new call: a retry or fallback from now on replaces one of its attempts, not the previous call's.
        const site = this.#site(this.#run(at.runId), e, at);
        site.replaceable = false;
        return this.#count(e, site.node, 'calls');
      }
      case 'node-retry':
      case 'node-fallback':
        return this.#replaced(e, at);
      case 'cache-lookup':
        return this.#lookup(e, at);
      default:
        return this.#lifecycle(e, at);
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
  #lifecycle(event: MetricPayload, at: EventStamp): void {
    const n = this.#figures.nodes;
    switch (event.type) {
      case 'run-start':
        this.#figures.runs.started++;
        n.total += event.nodes;
        this.#runs.set(at.runId, newRunState(event.workflow));
        this.#lastRunId = this.#lastRun = undefined;
        return;
      case 'run-end':
        this.#figures.runs.ended++;
        this.#runs.delete(at.runId);
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
        return this.#release(at);
      case 'node-skip':
        if (event.parent === undefined) n.skipped++;
        return this.#release(at);
      case 'node-error':
        if (event.parent !== undefined) return this.#release(at);
        if (event.status === 'cancelled') n.cancelled++;
        else n.failed++;
        return this.#release(at);
    }
  }

  /**
   * A node ended: its sites are let go (a long run keeps no state per ended node), unless one still has an
   * attempt open, whose settlement is still to be timed.
   */
  #release(at: EventStamp): void {
    const { nodeId } = at;
    const run = nodeId === undefined ? undefined : this.#run(at.runId, true);
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
  #site(run: RunState, event: MetricPayload, at: EventStamp): CallSite {
    const site = at.nodeId === undefined ? (run.loose ??= new CallSite(undefined)) : this.#nodeSite(run, at.nodeId);
    if (at.item === undefined && event.candidate === undefined) return site;
    return site.subSite(at.item, event.candidate, true)!;
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
  #count(event: MetricPayload, node: MetricsSlice | undefined, counter: Counter): void {
    const f = this.#figures;
    f.total[counter]++;
    if (node) node[counter]++;
    if (event.model !== undefined) f.byModel.get(event.model)[counter]++;
    if (event.provider !== undefined) f.byEndpoint.get(event.provider)[counter]++;
  }

  #reserve(event: PayloadOf<'budget'>, at: EventStamp): void {
    const run = this.#run(at.runId);
    const site = this.#site(run, event, at);
    this.#count(event, site.node, 'attempts');
    if (site.open && site.firstToken === undefined) run.awaiting--;
    site.open = true;
    site.start = at.t;
    site.firstToken = undefined;
    run.awaiting++;
  }

  /** O(1) once every open attempt of the run has had its first token. */
  #firstToken(event: PayloadOf<'text-delta' | 'tool-call'>, at: EventStamp): void {
    const run = this.#run(at.runId, true);
    if (run === undefined || run.awaiting === 0) return;
    const { nodeId, item } = at;
    const { candidate } = event;
    let site = nodeId === undefined ? run.loose : nodeId === run.lastNodeId ? run.lastNode : run.nodes.get(nodeId);
    if (site && (item !== undefined || candidate !== undefined)) site = site.subSite(item, candidate, false);
    if (site?.open && site.firstToken === undefined) {
      site.firstToken = at.t;
      run.awaiting--;
    }
  }

  #settle(event: PayloadOf<'budget'>, at: EventStamp): void {
    const run = this.#run(at.runId);
    const site = this.#site(run, event, at);
    let latency: number | undefined;
    let ttft: number | undefined;
    if (site.open) {
      latency = at.t - site.start;
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
  #replaced(event: PayloadOf<'node-retry' | 'node-fallback'>, at: EventStamp): void {
    const site = this.#site(this.#run(at.runId), event, at);
    this.#count(event, site.node, event.type === 'node-retry' ? 'retries' : 'fallbacks');
    if (!site.replaceable) return;
    site.replaceable = false;
    const cost = site.lastCostUsd;
    this.#figures.total.waste(cost);
    site.node?.waste(cost);
    site.lastModel?.waste(cost);
    site.lastEndpoint?.waste(cost);
  }

  #lookup(event: PayloadOf<'cache-lookup'>, at: EventStamp): void {
    const f = this.#figures;
    const node = at.nodeId === undefined ? undefined : this.#site(this.#run(at.runId), event, at).node;
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
