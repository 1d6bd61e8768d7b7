import { emptyRecord } from '../data/plain-record.js';
import { SwitchyardError } from '../errors/switchyard-error.js';
import { errorToJSON } from '../errors/error-json.js';
import type { AbortScope } from '../call/abort-scope.js';
import type { RunScope } from '../call/run-scope.js';
import type { CompiledWorkflow } from '../workflow/compile-workflow.js';
import type { ErrorPolicy } from '../workflow/node-spec.js';
import type { EventSink, RunEventPayload, WaitingEntry } from './events.js';
import { pathIn, type FlowContext, type Waiting } from './flow-context.js';
import { runNode, type NodeOutcome, type NodeSink } from './node-runner.js';
import { newNodeResult } from './run-result.js';
import type { RunEnv } from './run-env.js';
import { ModelBook, NodeTally } from './run-totals.js';
import type { NodeResult, RunError } from './run-types.js';
import { Scheduler } from './scheduler.js';
import { nodeCanPause } from '../workflow/can-pause.js';

/** A `node-end` payload, stamped with the model and endpoint of the node's first call. */
type NodeEndPayload = Extract<RunEventPayload, { type: 'node-end' }> & { model?: string; provider?: string };

/** Node kinds that run in this process whatever the executor: they hold nested graphs or wait for a person. */
const LOCAL_KINDS = new Set(['workflow', 'loop', 'approval', 'branch']);

/** Whether node `i` goes to the executor: a leaf of the top graph that cannot wait for a person. */
function isRemote(env: RunEnv, i: number): boolean {
  const node = env.graph.nodes[i]!;
  return env.flow.executor !== undefined && env.flow.path === '' && !LOCAL_KINDS.has(node.kind) && !nodeCanPause(node);
}

/** What a graph runs with: the run's shared parts, its own input and abort scope, and where it sits. */
export interface GraphBase {
  runId: string;
  graph: CompiledWorkflow;
  hub: EventSink;
  scope: RunScope;
  /** The graph's abort scope: aborting it cancels its nodes (a nested graph's is a child of its node's). */
  abort: AbortScope;
  input: unknown;
  models: ModelBook;
  /** The policy of nodes without their own `onError`. */
  policy: ErrorPolicy;
  flow: FlowContext;
}

/** How a graph ended: what a pause, a failure or a cancellation left, in that order of precedence reversed. */
export type GraphStatus = 'succeeded' | 'failed' | 'cancelled' | 'waiting';

/** What the graph tells whoever runs it. */
export interface GraphHooks {
  /** Every node has ended, or every node left waits (directly or through a dependency) for a person. */
  done(): void;
  /** An engine bug: the graph cannot go on. */
  crash(error: unknown): void;
}

/**
 * One graph of a run — the top workflow, or a nested one (`.workflow`, an iteration of a `.loop`): the scheduler's
 * hooks, restored and committed checkpoints, node outcomes and their events, and fail-fast within the graph.
 */
export class GraphRun {
  readonly env: RunEnv;
  readonly results: NodeResult[];
  readonly errors: RunError[] = [];
  readonly waiting: Waiting[] = [];
  readonly #scheduler: Scheduler;
  readonly #hooks: GraphHooks;
  readonly #restored: Uint8Array;
  #ended = false;

  constructor(base: GraphBase, hooks: GraphHooks) {
    const { graph } = base;
    this.#hooks = hooks;
    this.results = graph.nodes.map((node) => newNodeResult(node.kind));
    this.#restored = new Uint8Array(graph.nodes.length);
    this.env = {
      runId: base.runId,
      graph,
      hub: base.hub,
      scope: base.scope,
      abort: base.abort,
      input: base.input,
      outputs: emptyRecord(),
      tallies: graph.nodes.map(() => new NodeTally()),
      models: base.models,
      policy: (i) => graph.nodes[i]!.onError ?? base.policy,
      started: (i) => this.#started(i),
      flow: base.flow,
    };
    this.#scheduler = new Scheduler(graph, base.flow.concurrency, {
      start: (i) => this.#launch(i),
      skip: (i, reason) => this.#skipped(i, reason),
      cancel: (i) => this.#cancelled(i),
      done: () => this.#done(),
    });
  }

  /** Books the nodes restored from the checkpoint, then starts the roots. Stops at once when already aborted. */
  begin(): void {
    this.#restore();
    const { abort } = this.env;
    if (abort.aborted) this.#scheduler.stop();
    else abort.onAbort(() => this.#scheduler.stop());
    this.#scheduler.begin();
  }

  /** How the graph ended: cancelled from outside, else failed, else waiting, else succeeded. */
  status(cancelled: boolean): GraphStatus {
    if (cancelled) return 'cancelled';
    if (this.errors.length > 0) return 'failed';
    return this.waiting.length > 0 ? 'waiting' : 'succeeded';
  }

  /** The checkpoint key of node `i`. */
  keyOf(i: number): string {
    return this.env.flow.key + this.env.graph.nodes[i]!.id;
  }

  #restore(): void {
    const { checkpoints } = this.env.flow;
    if (!checkpoints) return;
    const { graph, tallies, models } = this.env;
    graph.nodes.forEach((_node, i) => {
      const done = checkpoints.restored(this.keyOf(i));
      if (!done) return;
      this.#restored[i] = 1;
      tallies[i]!.add(done.usage, done.costUsd, done.attempts, done.model, done.provider);
      if (done.model !== undefined) models.add(done.model, done.usage, done.costUsd);
      if (done.startedAt !== undefined) this.results[i]!.startedAt = done.startedAt;
    });
  }

  #launch(i: number): void {
    const env = this.env;
    const { checkpoints, executor } = env.flow;
    if (this.#restored[i] === 1) {
      const outcome: NodeOutcome = { end: 'succeeded', output: checkpoints!.restored(this.keyOf(i))!.output };
      void Promise.resolve().then(() => this.#settle(i, outcome));
    } else if (isRemote(env, i)) {
      const ran = executor!.run(env, i);
      (checkpoints === undefined ? ran : ran.then((outcome) => this.#commit(i, outcome))).then(
        (outcome) => this.#settle(i, outcome),
        (error) => this.#crash(error),
      );
    } else {
      runNode(env, i, checkpoints === undefined ? this.#sink : this.#committing);
    }
  }

  /** Where a node run here gives its outcome. */
  readonly #sink: NodeSink = {
    settle: (i, outcome) => this.#settle(i, outcome),
    crash: (error) => this.#crash(error),
  };

  /** The same, in a durable run: a node that succeeded is committed first. */
  readonly #committing: NodeSink = {
    settle: (i, outcome) => {
      this.#commit(i, outcome).then(
        (committed) => this.#settle(i, committed),
        (error) => this.#crash(error),
      );
    },
    crash: (error) => this.#crash(error),
  };

  /** Commits a node that succeeded; a commit that fails fails the node (kind 'store_unavailable'). */
  async #commit(i: number, outcome: NodeOutcome): Promise<NodeOutcome> {
    if (outcome.end !== 'succeeded') return outcome;
    try {
      await this.env.flow.checkpoints!.commit(this.keyOf(i), outcome.output, this.env.tallies[i]!, this.results[i]!.startedAt);
      return outcome;
    } catch (error) {
      return { end: 'failed', error: error as SwitchyardError };
    }
  }

  #started(i: number): void {
    this.results[i]!.startedAt = this.env.flow.epochNow();
    const node = this.env.graph.nodes[i]!;
    this.env.hub.emit({ type: 'node-start', kind: node.kind }, node.id);
  }

  #settle(i: number, outcome: NodeOutcome): void {
    try {
      this.#record(i, outcome);
      this.#scheduler.settle(i, outcome.end);
    } catch (error) {
      this.#crash(error);
    }
  }

  /** Books a node's outcome, emits its terminal event, and applies fail-fast. */
  #record(i: number, outcome: NodeOutcome): void {
    const env = this.env;
    const id = env.graph.nodes[i]!.id;
    const result = this.results[i]!;
    const tally = env.tallies[i]!;
    result.status = outcome.end;
    result.attempts = tally.attempts;
    result.usage = tally.usage;
    result.costUsd = tally.costUsd;
    if (tally.model !== undefined) {
      result.model = tally.model;
      result.provider = tally.provider;
    }
    if (tally.outputCap) result.outputCap = tally.outputCap;
    if (outcome.detail) Object.assign(result, outcome.detail);
    if (result.startedAt !== undefined && outcome.end !== 'waiting') {
      result.endedAt = env.flow.epochNow();
      result.durationMs = result.endedAt - result.startedAt;
    }
    if (outcome.end === 'succeeded') {
      env.outputs[id] = outcome.output;
      const event: NodeEndPayload = { type: 'node-end', status: 'succeeded', usage: tally.usage, costUsd: tally.costUsd };
      if (tally.finishReason) event.finishReason = tally.finishReason;
      // Restored from a checkpoint, or every model call served by the response cache (calls made, no attempt sent).
      if (this.#restored[i] === 1 || (tally.calls > 0 && tally.attempts === 0)) event.cached = true;
      if (tally.model !== undefined) {
        event.model = tally.model;
        event.provider = tally.provider;
      }
      env.hub.emit(event, id);
    } else if (outcome.end === 'skipped') {
      result.skipReason = outcome.skipReason;
      env.hub.emit({ type: 'node-skip', reason: outcome.skipReason ?? 'skipped' }, id);
    } else if (outcome.end === 'waiting') {
      const waiting = outcome.waiting ?? [];
      this.waiting.push(...waiting);
      env.hub.emit({ type: 'node-wait', waiting: waiting.map(publicEntry) }, id);
    } else {
      result.error = outcome.error;
      if (outcome.partialOutput) result.partialOutput = outcome.partialOutput;
      const status = outcome.end === 'cancelled' ? 'cancelled' : 'failed';
      const stamp = tally.model === undefined ? {} : { model: tally.model, provider: tally.provider };
      env.hub.emit({ type: 'node-error', status, error: errorToJSON(outcome.error), ...stamp }, id);
      if (status === 'failed') this.#failed(i, id, outcome);
    }
  }

  #failed(i: number, id: string, outcome: NodeOutcome): void {
    const { flow, abort } = this.env;
    if (outcome.itemErrors) for (const e of outcome.itemErrors) this.errors.push({ nodeId: id, item: e.item, error: e.error });
    else this.errors.push({ nodeId: id, error: outcome.error! });
    const at = pathIn(flow, id);
    if (this.env.policy(i) === 'fail-fast' && !abort.aborted) {
      abort.abort(
        new SwitchyardError({
          kind: 'aborted',
          retryable: false,
          message: `Node not completed: node '${at}' failed and the error policy is 'fail-fast' (${outcome.error!.message}).`,
        }),
      );
    }
  }

  #skipped(i: number, reason: string): void {
    const id = this.env.graph.nodes[i]!.id;
    Object.assign(this.results[i]!, { status: 'skipped', skipReason: reason });
    this.env.hub.emit({ type: 'node-skip', reason }, id);
  }

  #cancelled(i: number): void {
    const id = this.env.graph.nodes[i]!.id;
    const error = this.env.abort.reason as SwitchyardError;
    Object.assign(this.results[i]!, { status: 'cancelled', error });
    this.env.hub.emit({ type: 'node-error', status: 'cancelled', error: errorToJSON(error) }, id);
  }

  #done(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#hooks.done();
  }

  #crash(error: unknown): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#hooks.crash(error);
  }
}

/** A waiting entry as users see it (without its checkpoint key). */
export function publicEntry({ key: _key, ...entry }: Waiting): WaitingEntry {
  return entry;
}
