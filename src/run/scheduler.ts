import { emptyList } from '../data/empty-list.js';
import type { CompiledWorkflow } from '../workflow/compile-workflow.js';

/**
 * Where a node is in its life. `'waiting'`: for its dependencies; `'paused'`: it waits for a person (its
 * dependents stay `'waiting'` until a resumed run answers it).
 */
export type NodeState = 'waiting' | 'ready' | 'running' | 'paused' | 'succeeded' | 'failed' | 'skipped' | 'cancelled';

/** How a node that ran ended (`'waiting'`: it paused for a person). */
export type NodeEnd = 'succeeded' | 'failed' | 'skipped' | 'cancelled' | 'waiting';

/** What the scheduler asks of the engine. */
export interface SchedulerHooks {
  /** Start node `i`; the engine calls `settle(i, ...)` when it ends (never synchronously). */
  start(i: number): void;
  /** Node `i` will not run because of its dependencies. */
  skip(i: number, reason: string): void;
  /** Node `i` never started and the run stopped. */
  cancel(i: number): void;
  /** Every node has ended, or every node left waits (directly or through its dependencies) for a paused one. */
  done(): void;
}

const NONE = -1;

/**
 * Most nodes started in one turn of the event loop. When more become ready (a 2,000-wide fan-out), the rest start
 * on the next turns, a batch per turn: starting them all at once would hold all their calls in memory together
 * (at zero latency, the GC's work grows with that) and keep the event loop from timers and I/O until the last
 * was launched. A batch's launches take well under a millisecond (about 15 µs per model call at zero latency in
 * docs/benchmarks.md), so no node waits noticeably for its turn.
 */
export const LAUNCH_BATCH = 32;

/**
 * The dataflow state machine of one run. A node becomes ready the moment its last dependency ends (no
 * supersteps); ready nodes start in order while fewer than `limit` run. Work is O(1) per edge: each node keeps
 * a count of dependencies still pending, how many succeeded, and the first that failed.
 */
export class Scheduler {
  readonly state: NodeState[];
  readonly #graph: CompiledWorkflow;
  readonly #hooks: SchedulerHooks;
  readonly #limit: number;
  readonly #pending: Int32Array;
  readonly #succeededDeps: Int32Array;
  /** First dependency that failed, was cancelled, or was skipped because of a failure. */
  readonly #blocker: Int32Array;
  /** 1 when the node was skipped because of a failure upstream (not a `when`). */
  readonly #failureSkip: Uint8Array;
  #queue: number[] = [];
  #head = 0;
  #running = 0;
  #ended = 0;
  #paused = 0;
  #stopped = false;
  #done = false;
  /** Nodes started since the current batch opened. */
  #launchedThisTurn = 0;

  constructor(graph: CompiledWorkflow, limit: number, hooks: SchedulerHooks) {
    const n = graph.nodes.length;
    this.#graph = graph;
    this.#hooks = hooks;
    this.#limit = limit;
    this.state = new Array<NodeState>(n).fill('waiting');
    this.#pending = Int32Array.from(graph.deps, (deps) => deps.length);
    this.#succeededDeps = new Int32Array(n);
    this.#blocker = new Int32Array(n).fill(NONE);
    this.#failureSkip = new Uint8Array(n);
  }

  /** Queues the nodes without dependencies and starts as many as the limit allows. */
  begin(): void {
    if (this.#stopped) return;
    for (let i = 0; i < this.state.length; i++) if (this.#pending[i] === 0) this.#enqueue(i);
    this.#pump();
    this.#checkDone();
  }

  /**
   * Records how a started node ended, releases its dependents, and starts what became ready. A paused node
   * releases nothing: its dependents wait for the run that answers it.
   */
  settle(i: number, end: NodeEnd): void {
    if (this.state[i] === 'running') this.#running--;
    if (end === 'waiting') {
      this.state[i] = 'paused';
      this.#paused++;
    } else {
      this.#end(i, end);
      this.#release(i);
    }
    this.#pump();
    this.#checkDone();
  }

  /** Stops the run: no node starts any more; every waiting or ready node is cancelled. */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    for (let i = 0; i < this.state.length; i++) {
      const state = this.state[i];
      if (state === 'waiting' || state === 'ready') {
        this.#end(i, 'cancelled');
        this.#hooks.cancel(i);
      }
    }
    this.#checkDone();
  }

  #end(i: number, end: NodeEnd): void {
    this.state[i] = end;
    this.#ended++;
  }

  /** Walks dependents of every node that ended (iteratively: skips cascade without recursion). */
  #release(first: number): void {
    const stack = [first];
    const { dependents, deps } = this.#graph;
    while (stack.length > 0) {
      const j = stack.pop()!;
      const blocking = this.state[j] === 'failed' || this.state[j] === 'cancelled' || this.#failureSkip[j] === 1;
      for (const k of dependents[j]!) {
        if (this.state[k] !== 'waiting') continue;
        if (this.state[j] === 'succeeded') this.#succeededDeps[k]!++;
        else if (blocking && this.#blocker[k] === NONE) this.#blocker[k] = j;
        if (--this.#pending[k]! > 0) continue;
        if (this.#blocker[k] !== NONE || this.#succeededDeps[k] === 0) {
          this.#failureSkip[k] = this.#blocker[k] === NONE ? 0 : 1;
          this.#end(k, 'skipped');
          this.#hooks.skip(k, this.#skipReason(k, deps[k]!));
          stack.push(k);
        } else {
          this.#enqueue(k);
        }
      }
    }
  }

  #skipReason(k: number, deps: readonly number[]): string {
    const ids = this.#graph.nodes;
    const blocker = this.#blocker[k]!;
    if (blocker === NONE) {
      const listed = deps.slice(0, 10).map((d) => `'${ids[d]!.id}'`).join(', ');
      return `every dependency was skipped (${listed}${deps.length > 10 ? ', …' : ''})`;
    }
    const how = this.state[blocker] === 'skipped' ? 'was skipped after a failure upstream' : this.state[blocker];
    return `dependency '${ids[blocker]!.id}' ${how}`;
  }

  #enqueue(i: number): void {
    this.state[i] = 'ready';
    this.#queue.push(i);
  }

  #pump(): void {
    const queue = this.#queue;
    while (!this.#stopped && this.#head < queue.length && this.#running < this.#limit) {
      // The turn's batch is used up: the rest start when the turn ends (see LAUNCH_BATCH).
      if (this.#launchedThisTurn >= LAUNCH_BATCH) break;
      if (this.#launchedThisTurn++ === 0) this.#onTurnEnd();
      const i = queue[this.#head++]!;
      this.state[i] = 'running';
      this.#running++;
      this.#hooks.start(i);
    }
    if (this.#head === queue.length && this.#head > 0) {
      emptyList(queue);
      this.#head = 0;
    }
  }

  /**
   * When this turn of the event loop ends (after its microtasks: what was started has run as far as it could),
   * opens a new batch and starts what is still ready.
   */
  #onTurnEnd(): void {
    setImmediate(() => {
      this.#launchedThisTurn = 0;
      if (this.#head < this.#queue.length) {
        this.#pump();
        this.#checkDone();
      }
    });
  }

  #checkDone(): void {
    if (this.#done) return;
    // With a node paused, the graph is done when nothing runs or is ready: what is left depends on a paused node.
    const idle = this.#running === 0 && (this.#stopped || this.#head === this.#queue.length);
    if (this.#ended === this.state.length || (this.#paused > 0 && idle)) {
      this.#done = true;
      this.#hooks.done();
    }
  }
}
