import { emptyRecord } from '../data/plain-record.js';
import { SwitchyardError } from '../errors/switchyard-error.js';
import { AbortScope } from '../call/abort-scope.js';
import { errorToJSON } from '../errors/error-json.js';
import { compileWorkflow, type CompiledWorkflow } from '../workflow/compile-workflow.js';
import type { Workflow } from '../workflow/workflow.js';
import type { Outputs } from '../workflow/workflow-types.js';
import { checkRunOptions, parseInput } from './check-run.js';
import type { EventHub } from './event-hub.js';
import type { RunEventPayload, RunStatus } from './events.js';
import { runNode, type NodeOutcome } from './node-runner.js';
import type { RunEnv } from './run-env.js';
import { assembleResult, newNodeResult } from './run-result.js';
import type { RunScope } from '../call/run-scope.js';
import type { EngineHost } from './engine-host.js';
import { ModelBook, NodeTally } from './run-totals.js';
import type { NodeResult, RunError, RunOptions, RunResult } from './run-types.js';
import { Scheduler } from './scheduler.js';
import { METRIC_EVENT_TYPES, MetricsCollector } from '../observe/metrics-collector.js';
import { openJournal, type RunJournal } from '../durable/run-journal.js';

/** A `node-end` payload, stamped with the model and endpoint of the node's first call. */
type NodeEndPayload = Extract<RunEventPayload, { type: 'node-end' }> & { model?: string; provider?: string };

const epochNow = () => performance.timeOrigin + performance.now();

/** One run of a workflow: validation, the scheduler's hooks, node outcomes, and the result. */
export class RunEngine<O extends Outputs> {
  readonly result: Promise<RunResult<O>>;
  readonly #abortScope = new AbortScope();
  #resolve!: (result: RunResult<O>) => void;
  #reject!: (error: unknown) => void;
  #cancelledByUser = false;
  #finished = false;
  #scheduler: Scheduler | undefined;
  #scope: RunScope | undefined;
  #env: RunEnv | undefined;
  #results: NodeResult[] = [];
  #errors: RunError[] = [];
  #startedAt = 0;
  #detachSignal = () => {};
  #journal: RunJournal | undefined;
  /** Folds this run's events into `result.metrics` (and, read live, into the instance's). */
  readonly metrics = new MetricsCollector();

  constructor(
    private readonly host: EngineHost,
    private readonly workflow: Workflow,
    private readonly input: unknown,
    private readonly options: RunOptions,
    private readonly hub: EventHub,
  ) {
    this.result = new Promise((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    // Per type, not '*': the collector is then ahead of every handler a user attaches (they see metrics up to date).
    for (const type of METRIC_EVENT_TYPES) hub.emitter.on(type, this.metrics.observe);
  }

  /** Validates, opens the run scope and starts the roots. Failures before any node runs reject `result`. */
  async start(): Promise<void> {
    let graph: CompiledWorkflow;
    let input: unknown;
    try {
      graph = compileWorkflow(this.workflow);
      checkRunOptions(this.options);
      ({ journal: this.#journal, input } = await openJournal(this.options, this.hub.runId, graph, this.input, (raw) => parseInput(this.workflow, raw)));
      this.#scope = this.host.openRun({
        runId: this.hub.runId,
        budget: this.options.budget,
        signal: this.#abortScope.signal,
        cache: this.options.cache,
        holds: this.#journal?.holds,
      });
      await this.#journal?.chargeRestored(this.#scope);
    } catch (error) {
      this.#finished = true;
      this.hub.close(error);
      this.#reject(error);
      return;
    }
    this.#begin(graph, input, this.#scope);
  }

  /** Cancels the run (user cancel or options.signal). */
  cancel(reason?: unknown): void {
    if (this.#finished || this.#abortScope.aborted) return;
    this.#cancelledByUser = true;
    const text = reason === undefined ? 'the run was cancelled' : `the run was cancelled: ${describeReason(reason)}`;
    this.#abort(new SwitchyardError({ kind: 'aborted', retryable: false, message: `Node not completed: ${text}.` }));
  }

  #abort(reason: SwitchyardError): void {
    this.#abortScope.abort(reason);
    this.#scheduler?.stop();
  }

  #begin(graph: CompiledWorkflow, input: unknown, scope: RunScope): void {
    const { signal } = this.options;
    if (signal) {
      const onAbort = () => this.cancel(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      this.#detachSignal = () => signal.removeEventListener('abort', onAbort);
    }
    const runPolicy = this.options.onError ?? 'fail-fast';
    this.#results = graph.nodes.map((node) => newNodeResult(node.kind));
    this.#env = {
      runId: this.hub.runId,
      graph,
      hub: this.hub,
      scope,
      abort: this.#abortScope,
      input,
      outputs: emptyRecord(),
      tallies: graph.nodes.map(() => new NodeTally()),
      models: new ModelBook(),
      policy: (i) => graph.nodes[i]!.onError ?? runPolicy,
      started: (i) => this.#started(i),
    };
    this.#journal?.restoreTallies(this.#env.tallies, this.#env.models, this.#results);
    this.#journal?.watch(this.hub);
    this.#startedAt = epochNow();
    this.hub.emit({ type: 'run-start', workflow: graph.name, nodes: graph.nodes.length });
    this.#scheduler = new Scheduler(graph, this.options.concurrency ?? Infinity, {
      start: (i) => this.#launch(i),
      skip: (i, reason) => this.#skipped(i, reason),
      cancel: (i) => this.#cancelled(i),
      done: () => this.#finish(),
    });
    if (signal?.aborted) this.cancel(signal.reason);
    else if (this.#abortScope.aborted) this.#scheduler.stop();
    this.#scheduler.begin();
  }

  #launch(i: number): void {
    const journal = this.#journal;
    const restored = journal?.restored(i);
    let ran: Promise<NodeOutcome>;
    if (restored) {
      ran = Promise.resolve({ end: 'succeeded', output: restored.output });
    } else {
      ran = this.options.executor?.run(this.#env!, i) ?? runNode(this.#env!, i);
      if (journal !== undefined) ran = ran.then((o) => journal.commitOutcome(i, o, this.#env!.tallies[i]!, this.#results[i]!.startedAt) ?? o);
    }
    ran.then(
      (outcome) => this.#settle(i, outcome),
      (error) => this.#crash(error),
    );
  }

  #started(i: number): void {
    const env = this.#env!;
    this.#results[i]!.startedAt = epochNow();
    const node = env.graph.nodes[i]!;
    this.hub.emit({ type: 'node-start', kind: node.kind }, node.id);
  }

  #settle(i: number, outcome: NodeOutcome): void {
    try {
      this.#record(i, outcome);
      this.#scheduler!.settle(i, outcome.end);
    } catch (error) {
      this.#crash(error);
    }
  }

  /** Books a node's outcome, emits its terminal event, and applies fail-fast. */
  #record(i: number, outcome: NodeOutcome): void {
    const env = this.#env!;
    const id = env.graph.nodes[i]!.id;
    const result = this.#results[i]!;
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
    if (result.startedAt !== undefined) {
      result.endedAt = epochNow();
      result.durationMs = result.endedAt - result.startedAt;
    }
    const stamp = tally.model === undefined ? {} : { model: tally.model, provider: tally.provider };
    if (outcome.end === 'succeeded') {
      env.outputs[id] = outcome.output;
      const event: NodeEndPayload = { type: 'node-end', status: 'succeeded', usage: tally.usage, costUsd: tally.costUsd };
      if (tally.finishReason) event.finishReason = tally.finishReason;
      // Restored from a checkpoint, or every model call served by the response cache (calls made, no attempt sent).
      if (this.#journal?.restored(i) !== undefined || (tally.calls > 0 && tally.attempts === 0)) event.cached = true;
      if (tally.model !== undefined) {
        event.model = tally.model;
        event.provider = tally.provider;
      }
      this.hub.emit(event, id);
    } else if (outcome.end === 'skipped') {
      result.skipReason = outcome.skipReason;
      this.hub.emit({ type: 'node-skip', reason: outcome.skipReason ?? 'skipped' }, id);
    } else {
      result.error = outcome.error;
      if (outcome.partialOutput) result.partialOutput = outcome.partialOutput;
      const status = outcome.end === 'cancelled' ? 'cancelled' : 'failed';
      this.hub.emit({ type: 'node-error', status, error: errorToJSON(outcome.error), ...stamp }, id);
      if (status === 'failed') this.#failed(i, id, outcome);
    }
  }

  #failed(i: number, id: string, outcome: NodeOutcome): void {
    if (outcome.itemErrors) for (const e of outcome.itemErrors) this.#errors.push({ nodeId: id, item: e.item, error: e.error });
    else this.#errors.push({ nodeId: id, error: outcome.error! });
    if (this.#env!.policy(i) === 'fail-fast' && !this.#abortScope.aborted) {
      this.#abort(
        new SwitchyardError({
          kind: 'aborted',
          retryable: false,
          message: `Node not completed: node '${id}' failed and the error policy is 'fail-fast' (${outcome.error!.message}).`,
        }),
      );
    }
  }

  #skipped(i: number, reason: string): void {
    const id = this.#env!.graph.nodes[i]!.id;
    Object.assign(this.#results[i]!, { status: 'skipped', skipReason: reason });
    this.hub.emit({ type: 'node-skip', reason }, id);
  }

  #cancelled(i: number): void {
    const id = this.#env!.graph.nodes[i]!.id;
    const error = this.#abortScope.reason as SwitchyardError;
    Object.assign(this.#results[i]!, { status: 'cancelled', error });
    this.hub.emit({ type: 'node-error', status: 'cancelled', error: errorToJSON(error) }, id);
  }

  #finish(): void {
    if (this.#finished) return;
    const status = this.#cancelledByUser ? 'cancelled' : this.#errors.length > 0 ? 'failed' : 'succeeded';
    let result: RunResult<O>;
    try {
      result = this.#assemble(status);
      this.#scope!.close();
    } catch (error) {
      this.#crash(error);
      return;
    }
    this.#finished = true;
    this.#detachSignal();
    void this.#journal?.finish(status);
    this.hub.emit({ type: 'run-end', status, usage: result.usage, costUsd: result.costUsd });
    this.hub.close();
    this.#resolve(result);
  }

  #assemble(status: RunStatus): RunResult<O> {
    const env = this.#env!;
    return assembleResult<O>({
      runId: env.runId,
      status,
      graph: env.graph,
      outputs: env.outputs,
      nodes: this.#results,
      tallies: env.tallies,
      byModel: env.models.byModel,
      budget: this.#scope!.budget(),
      errors: this.#errors,
      startedAt: this.#startedAt,
      endedAt: epochNow(),
      metrics: this.metrics.finalSnapshot(),
    });
  }

  /** An engine bug: end the run loudly (`result` rejects, the stream throws) rather than hang. */
  #crash(error: unknown): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#detachSignal();
    this.#abortScope.abort(error);
    try {
      this.#scope?.close();
    } finally {
      this.hub.close(error);
      this.#reject(error);
    }
  }
}

function describeReason(reason: unknown): string {
  if (reason instanceof Error) return reason.message;
  return String(reason);
}
