import { SwitchyardError } from '../errors/switchyard-error.js';
import { AbortScope } from '../call/abort-scope.js';
import { compileWorkflow, type CompiledWorkflow } from '../workflow/compile-workflow.js';
import type { Workflow } from '../workflow/workflow.js';
import type { Outputs } from '../workflow/workflow-types.js';
import { resolveAnswers } from './answers.js';
import { checkRunOptions, parseInput } from './check-run.js';
import type { EventHub } from './event-hub.js';
import type { RunStatus } from './events.js';
import { GraphRun, publicEntry } from './graph-run.js';
import { assembleResult } from './run-result.js';
import type { RunScope } from '../call/run-scope.js';
import type { EngineHost } from './engine-host.js';
import { ModelBook } from './run-totals.js';
import type { RunOptions, RunResult } from './run-types.js';
import { MetricsCollector } from '../observe/metrics-collector.js';
import { openJournal, type RunJournal } from '../durable/run-journal.js';

/** One run of a workflow: validation, the run scope and journal, its top graph, and the result. */
export class RunEngine<O extends Outputs> {
  readonly result: Promise<RunResult<O>>;
  readonly #abortScope = new AbortScope();
  #resolve!: (result: RunResult<O>) => void;
  #reject!: (error: unknown) => void;
  #cancelledByUser = false;
  #finished = false;
  #graph: GraphRun | undefined;
  #scope: RunScope | undefined;
  #answers: ReadonlyMap<string, unknown> = new Map();
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
    // Fed by the hub ahead of every handler a user attaches (they see metrics up to date), and from the payloads:
    // an event nobody listens to is not built.
    hub.tap(this.metrics.book);
  }

  /** Validates, opens the run scope and starts the roots. Failures before any node runs reject `result`. */
  async start(): Promise<void> {
    let graph: CompiledWorkflow;
    let input: unknown;
    try {
      graph = compileWorkflow(this.workflow);
      checkRunOptions(this.options);
      ({ journal: this.#journal, input } = await openJournal(this.options, this.hub.runId, graph, this.input, (raw) => parseInput(this.workflow, raw)));
      this.#answers = await resolveAnswers(this.workflow, this.#journal?.waiting ?? [], this.options.answers);
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
    this.#abortScope.abort(new SwitchyardError({ kind: 'aborted', retryable: false, message: `Node not completed: ${text}.` }));
  }

  #begin(graph: CompiledWorkflow, input: unknown, scope: RunScope): void {
    const { signal } = this.options;
    if (signal) {
      const onAbort = () => this.cancel(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      this.#detachSignal = () => signal.removeEventListener('abort', onAbort);
    }
    const journal = this.#journal;
    this.#graph = new GraphRun(
      {
        runId: this.hub.runId,
        graph,
        hub: this.hub,
        scope,
        abort: this.#abortScope,
        input,
        models: new ModelBook(),
        policy: this.options.onError ?? 'fail-fast',
        flow: {
          root: this.hub,
          epochNow: () => this.hub.epochNow(),
          path: '',
          key: '',
          checkpoints: journal,
          answers: this.#answers,
          executor: this.options.executor,
          concurrency: this.options.concurrency ?? Infinity,
        },
      },
      { done: () => this.#finish(), crash: (error) => this.#crash(error) },
    );
    journal?.restoreInterrupted(this.#graph.env.tallies);
    journal?.watch(this.hub);
    this.#startedAt = this.hub.epochNow();
    this.hub.emit({ type: 'run-start', workflow: graph.name, nodes: graph.nodes.length });
    if (signal?.aborted) this.cancel(signal.reason);
    this.#graph.begin();
  }

  #finish(): void {
    if (this.#finished) return;
    const run = this.#graph!;
    const status = run.status(this.#cancelledByUser);
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
    this.hub.emit({ type: 'run-end', status, usage: result.usage, costUsd: result.costUsd });
    this.hub.close();
    // The checkpoint says how the run ended (and what a paused run waits for) before `result` resolves.
    const saved = this.#journal?.finish(status, run.waiting);
    if (saved === undefined) this.#resolve(result);
    else void saved.then(() => this.#resolve(result));
  }

  #assemble(status: RunStatus): RunResult<O> {
    const run = this.#graph!;
    const { env } = run;
    const { metrics } = this; // the result keeps the run's collector, not the engine
    return assembleResult<O>({
      runId: env.runId,
      status,
      graph: env.graph,
      outputs: env.outputs,
      nodes: run.results,
      tallies: env.tallies,
      byModel: env.models.byModel,
      budget: this.#scope!.budget(),
      errors: run.errors,
      waiting: run.waiting.map(publicEntry),
      startedAt: this.#startedAt,
      endedAt: this.hub.epochNow(),
      metrics: () => metrics.finalSnapshot(),
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
