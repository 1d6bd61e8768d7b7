import type { BudgetLedger, InstanceLimits } from './budget/budget-ledger.js';
import type { CheckpointStore } from './durable/checkpoint-store.js';
import type { Catalog, CatalogOverrides } from './models/catalog.js';
import type { ResponseCacheOptions } from './cache/cache-options.js';
import type { TelemetryOptions } from './observe/telemetry-options.js';
import type { ReasoningEffort, TaskKind } from './models/types.js';
import type { Provider } from './providers/types.js';
import type { CircuitBreakerOptions } from './retry/circuit-breaker.js';
import type { EndpointLimits } from './retry/endpoint-gate.js';
import type { RetryBudgetOptions } from './retry/retry-budget.js';
import type { RetryOptions } from './retry/retry-options.js';
import type { Clock } from './retry/clock.js';
import type { SharedEndpointState } from './retry/shared-endpoint-state.js';

/** Options of `createSwitchyard`. */
export interface SwitchyardOptions {
  /**
   * The endpoints this instance may call, e.g. `[openai(), anthropic(), google()]` or `[simulated()]`.
   * Names must be unique; two endpoints may serve the same model (the router fails over between them).
   */
  providers: readonly Provider[];
  /**
   * The models, prices and capabilities to use: a catalog (see `createCatalog`), or overrides applied to
   * `defaultCatalog`.
   * @default defaultCatalog
   * @example { 'gpt-5.5': { pricing: { input: 4.5 } } }
   */
  catalog?: Catalog | CatalogOverrides;
  /**
   * Per task kind, the models to prefer, best first. Merged over `defaultRoutes`.
   * @default defaultRoutes
   * @example { classification: ['gpt-5.4-mini', 'gpt-5.4'] }
   */
  routes?: Partial<Record<TaskKind, readonly string[]>>;
  /**
   * Per task kind, the reasoning effort of calls that set no `reasoning` of their own. Merged over
   * `defaultReasoning` (high for agentic coding, agents, research and critical work; medium for computer use and
   * long context; low for classification, summarization, extraction and chat).
   * @default defaultReasoning
   * @example { classification: 'none', research: 'xhigh' }
   */
  reasoning?: Partial<Record<TaskKind, ReasoningEffort>>;
  /**
   * A budget shared by every run of this instance (optionally per time window).
   * @default unlimited
   * @example { usd: 5, window: 'day' }
   */
  budget?: InstanceLimits;
  /**
   * Default retry and failover policy; nodes and calls may override it.
   * @default { maxAttempts: 3, baseDelayMs: 500, maxDelayMs: 30_000, retryAfterCapMs: 60_000 }
   */
  retry?: RetryOptions;
  /**
   * Client-side limits per endpoint name: requests and tokens per minute, and calls in flight. A provider's own
   * `maxConcurrency` option is merged in.
   * @default unlimited
   * @example { openai: { requestsPerMinute: 500, tokensPerMinute: 2_000_000 }, hub: { maxConcurrency: 8 } }
   */
  limits?: Readonly<Record<string, EndpointLimits>>;
  /**
   * Circuit breakers per endpoint × model: when they open and how long they stay open.
   * @default { failureThreshold: 5, cooldownMs: 30_000 }
   */
  circuitBreaker?: Omit<CircuitBreakerOptions, 'onStateChange'>;
  /**
   * Caps retries at a share of calls across the instance, so an outage does not become a retry storm.
   * @default { ratio: 0.2, minRetriesPerSecond: 10, windowMs: 10_000 }
   */
  retryBudget?: RetryBudgetOptions;
  /**
   * The budget ledger every run of this instance reserves and settles on, e.g. a `RedisBudgetLedger` shared by a
   * fleet of processes. Its own limits apply; `budget` is ignored when a ledger is given.
   * @default a MemoryBudgetLedger with `budget`
   */
  ledger?: BudgetLedger;
  /**
   * The checkpoint store of every run that does not name its own (`RunOptions.store`): runs become durable and
   * `sy.resume(runId, workflow)` can finish them after a crash.
   * @default no checkpoints
   * @example sqliteStore('./runs.db')
   */
  store?: CheckpointStore;
  /**
   * Endpoint state shared with other processes: a Retry-After pause or an opened circuit in one process holds back
   * every process, e.g. `redisShared({ connection })` from 'switchyard-ai/redis'.
   * @default each process keeps its own
   */
  shared?: SharedEndpointState;
  /**
   * OpenTelemetry spans for every run, node and attempt (GenAI semantic conventions). Needs the optional peer
   * `@opentelemetry/api`; nothing is loaded without this option. See docs/observability.md.
   * @default no tracing
   * @example { tracer: trace.getTracer('my-app') }
   */
  telemetry?: TelemetryOptions;
  /**
   * The response cache's store and time to live. Calls use it only when they opt in (`cache: { response: true }`
   * on a node or call, or `sy.run(wf, input, { cache: { response: true } })`). See docs/caching.md.
   * @default an in-memory store of 1,000 entries, one hour to live
   */
  responseCache?: ResponseCacheOptions;
  /**
   * The clock that attempt time limits (`attemptTimeoutMs`, `firstTokenTimeoutMs`, `idleTimeoutMs`), retry waits,
   * Retry-After pauses, client-side rate limits and circuit cool-downs run on. Pass a `ManualClock` (from
   * 'switchyard-ai/testing') to test timeouts by moving time by hand instead of waiting for it.
   * @default the system clock
   * @example new ManualClock()
   */
  clock?: Clock;
}
