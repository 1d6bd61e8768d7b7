import { emptyRecord, isReservedName, RESERVED_NAMES } from './data/plain-record.js';
import { z } from 'zod';
import { SwitchyardError } from './errors/switchyard-error.js';
import { createCatalog, isCatalog, type Catalog } from './models/catalog.js';
import { defaultCatalog } from './models/default-catalog.js';
import type { Message } from './models/types.js';
import { MemoryBudgetLedger } from './budget/memory-budget-ledger.js';
import { CircuitBreakers } from './retry/circuit-breakers.js';
import { systemClock } from './retry/clock.js';
import { Deadlines, deadlines as processDeadlines } from './call/deadlines.js';
import { EndpointGate, type EndpointLimits } from './retry/endpoint-gate.js';
import { RetryBudget } from './retry/retry-budget.js';
import { resolveRetryOptions } from './retry/retry-options.js';
import { createRouter } from './route/route.js';
import { LatencyTracker } from './route/latency-tracker.js';
import type { Provider } from './providers/types.js';
import { CallRunner } from './call/call-runner.js';
import type { CallOptions, CallResult } from './call/call-types.js';
import { startRun } from './run/engine.js';
import type { SwitchyardEnv } from './call/call-env.js';
import type { RunEvent } from './run/events.js';
import type { RunScope, RunScopeOptions } from './call/run-scope.js';
import type { EngineHost } from './run/engine-host.js';
import type { Run, RunOptions } from './run/run-types.js';
import type { SwitchyardOptions } from './switchyard-options.js';
import { ResponseCache } from './cache/response-cache.js';
import { InstanceObserver } from './observe/instance-observer.js';
import type { InstanceMetrics } from './observe/metrics-types.js';
import type { Workflow } from './workflow/workflow.js';
import { workflow } from './workflow/workflow.js';
import type { Outputs } from './workflow/workflow-types.js';
import { PausedRuns } from './paused-runs.js';

/** One model call without a graph: `sy.stream(request)` / `sy.generate(request)`. */
export type CallRequest<Output = unknown> = CallOptions<Output> &
  ({ prompt: string; messages?: never } | { messages: Message[]; prompt?: never }) & {
    /** Aborting it closes the HTTP request. */
    signal?: AbortSignal;
  };

/** What `sy.generate` returns: the reply, its usage and cost, and where it ran. */
export type GenerateResult<Output = unknown> = CallResult<Output>;

/** A streaming call: the same run events as a workflow (one node, id 'call'), plus the final result. */
export interface CallStream<Output = unknown> extends AsyncIterable<RunEvent> {
  /** Resolves to the call's result; rejects with the SwitchyardError that ended the call. */
  readonly result: Promise<GenerateResult<Output>>;
  on: Run['on'];
  cancel(reason?: string): void;
}

/** Options of `sy.resume`: a run's options, and the answers to what a paused run waits for. */
export type ResumeOptions<A extends Outputs = Outputs> = Omit<RunOptions, 'runId' | 'resume' | 'answers'> & {
  /**
   * Answers to what the paused run waits for (`result.waiting`), by node path: an `.approval` node's answer
   * (validated with its `answer` schema), or a decision on an agent's tool calls (`true`, or `{ approved: false,
   * message }`). Nodes not answered keep waiting.
   * @default no answers
   * @example { answers: { approve: { ok: true }, fix: { approved: false, message: 'Not on prod.' } } }
   */
  answers?: Partial<A>;
};

/** A switchyard instance: the providers, catalog, routes, budget and retry policy its runs share. */
export interface Switchyard {
  readonly catalog: Catalog;
  readonly providers: readonly Provider[];
  /** Runs a workflow. The returned run is an async iterable of its merged event stream. */
  run<I, O extends Outputs, In>(workflow: Workflow<I, O, In>, input: In, options?: RunOptions): Run<O>;
  /**
   * Finishes a durable run from its checkpoint: completed nodes are not run (or paid for) again, their outputs and
   * spend are restored, agents continue from their last committed step, and only unfinished work runs. A paused
   * run continues with `options.answers` (typed by the workflow's `.approval` nodes and agents). Refused (kind
   * 'checkpoint_mismatch') when a completed node of `workflow` changed since the checkpoint. Uses `options.store`,
   * else the instance's `store`; a run that paused without a store can be resumed by this instance (in this
   * process) only.
   */
  resume<I, O extends Outputs, In, A extends Outputs>(runId: string, workflow: Workflow<I, O, In, A>, options?: ResumeOptions<A>): Run<O>;
  /** Streams one model call. */
  stream<Output = unknown>(request: CallRequest<Output>): CallStream<Output>;
  /** Makes one model call and resolves to its result. */
  generate<Output = unknown>(request: CallRequest<Output>): Promise<GenerateResult<Output>>;
  /** Tokens, cost, latency, retries and cache hit rates over every run and call of this instance so far (live). */
  metrics(): InstanceMetrics;
}

function resolveCatalog(option: SwitchyardOptions['catalog']): Catalog {
  if (option === undefined) return defaultCatalog;
  return isCatalog(option) ? option : createCatalog(defaultCatalog, option);
}

function checkProviders(providers: readonly Provider[] | undefined): readonly Provider[] {
  if (!Array.isArray(providers) || providers.length === 0) {
    throw new SwitchyardError({
      kind: 'invalid_config',
      message:
        'createSwitchyard needs at least one provider, e.g. providers: [openai()] — or simulated() from ' +
        "'switchyard-ai/testing' to run offline.",
    });
  }
  const seen = new Set<string>();
  for (const provider of providers) {
    if (typeof provider?.name === 'string' && isReservedName(provider.name)) {
      throw new SwitchyardError({
        kind: 'invalid_config',
        message: `A provider is named '${provider.name}', a reserved name (${RESERVED_NAMES.join(', ')}); give the endpoint another name.`,
      });
    }
    if (seen.has(provider.name)) {
      throw new SwitchyardError({
        kind: 'invalid_config',
        message: `Two providers are named '${provider.name}'. Give each endpoint its own name, e.g. openai({ name: 'hub', baseURL }).`,
      });
    }
    seen.add(provider.name);
  }
  return providers;
}

/** Creates a switchyard instance. */
export function createSwitchyard(options: SwitchyardOptions): Switchyard {
  const providers = checkProviders(options?.providers);
  const catalog = resolveCatalog(options.catalog);
  const observer = new InstanceObserver(providers, options.telemetry);
  const env = createEnv(options, observer.wrapProviders(providers), catalog);
  const host = { openRun: (scope: RunScopeOptions): RunScope => new CallRunner(env, scope), onRun: observer.onRun };

  const paused = new PausedRuns(options.store);
  const sy: Switchyard = {
    catalog,
    providers,
    run: (wf, input, runOptions = {}) => paused.track(startRun(host, wf, input, { ...runOptions, store: paused.storeFor(wf, runOptions.store) })),
    resume: (runId, wf, runOptions = {}) =>
      paused.track(startRun(host, wf, undefined, { ...runOptions, store: paused.storeToResume(runId, runOptions.store), runId, resume: true })),
    stream: (request) => streamCall(host, request),
    generate: (request) => streamCall(host, request).result,
    metrics: () => observer.metrics(),
  };
  return sy;
}

function createEnv(options: SwitchyardOptions, providers: readonly Provider[], catalog: Catalog): SwitchyardEnv {
  resolveRetryOptions(options.retry);
  const clock = options.clock ?? systemClock;
  const limits = emptyRecord<EndpointLimits>();
  for (const provider of providers) {
    const own = options.limits !== undefined && Object.hasOwn(options.limits, provider.name) ? options.limits[provider.name] : undefined;
    limits[provider.name] = { maxConcurrency: provider.maxConcurrency, ...own };
  }
  const env: SwitchyardEnv = {
    catalog,
    providers,
    route: createRouter({ catalog, endpoints: providers, routes: options.routes, reasoning: options.reasoning }),
    ledger: options.ledger ?? new MemoryBudgetLedger({ limits: options.budget }),
    breakers: new CircuitBreakers({
      ...options.circuitBreaker,
      clock,
      onStateChange: (change) => {
        options.shared?.circuitChanged(change);
        env.circuitListener?.({ type: 'circuit', endpoint: change.endpoint, circuitModel: change.model, from: change.from, to: change.to, reason: change.reason });
      },
    }),
    gate: new EndpointGate({ limits, clock, shared: options.shared }),
    retryBudget: new RetryBudget(options.retryBudget),
    retry: options.retry,
    latency: new LatencyTracker(),
    clock,
    deadlines: options.clock === undefined ? processDeadlines : new Deadlines(clock),
    responseCache: new ResponseCache(options.responseCache),
  };
  options.shared?.attach({ gate: env.gate, breakers: env.breakers });
  return env;
}

const callInput = z.undefined();

function streamCall<Output>(host: EngineHost, request: CallRequest<Output>): CallStream<Output> {
  let last: CallResult | undefined;
  const recordingHost: EngineHost = {
    onRun: host.onRun,
    openRun(options: RunScopeOptions): RunScope {
      const scope = host.openRun(options);
      return {
        call: async (spec, ctx) => (last = await scope.call(spec, ctx)),
        budget: () => scope.budget(),
        close: () => scope.close(),
      };
    },
  };
  const { signal, prompt, messages, ...call } = request;
  const wf = workflow({ name: 'call', input: callInput }).llm('call', {
    ...(call as CallOptions),
    ...(messages ? { messages: () => messages } : { prompt: prompt as string }),
  });
  const run = startRun(recordingHost, wf, undefined, { signal });
  const result = run.result.then((r) => {
    if (r.status === 'succeeded' && last) return last as GenerateResult<Output>;
    throw r.errors[0]?.error ?? new SwitchyardError({ kind: 'aborted', message: 'The call was cancelled.' });
  });
  result.catch(() => {});
  return {
    [Symbol.asyncIterator]: () => run[Symbol.asyncIterator](),
    result,
    on: run.on.bind(run),
    cancel: (reason) => run.cancel(reason),
  };
}
