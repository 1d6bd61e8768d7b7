import type { BudgetLedger } from '../budget/budget-ledger.js';
import type { Catalog } from '../models/catalog.js';
import type { Provider } from '../providers/types.js';
import type { Clock } from '../retry/clock.js';
import type { CircuitBreakers } from '../retry/circuit-breakers.js';
import type { EndpointGate } from '../retry/endpoint-gate.js';
import type { RetryBudget } from '../retry/retry-budget.js';
import type { RetryOptions } from '../retry/retry-options.js';
import type { LatencyTracker } from '../route/latency-tracker.js';
import type { RouteInput, RoutePlan, RouteState } from '../route/route-types.js';
import type { CallEvent } from './call-events.js';
import type { ResponseCache } from '../cache/response-cache.js';
import type { Deadlines } from './deadlines.js';

/** What a switchyard instance shares between all its runs: endpoints, policies and their live state. */
export interface SwitchyardEnv {
  readonly catalog: Catalog;
  readonly providers: readonly Provider[];
  readonly route: (input: RouteInput, state: RouteState) => RoutePlan<Provider>;
  readonly ledger: BudgetLedger;
  readonly breakers: CircuitBreakers;
  readonly gate: EndpointGate;
  readonly retryBudget: RetryBudget;
  readonly retry?: RetryOptions;
  readonly latency: LatencyTracker;
  /** The clock the gate, breakers and retry waits run on. */
  readonly clock: Clock;
  /** The watch list of attempts' time limits, on the same clock. */
  readonly deadlines: Deadlines;
  /** The response cache (store and default time to live); calls opt in with `cache: { response: true }`. */
  readonly responseCache?: ResponseCache;
  /**
   * Where circuit changes are reported while an attempt records its outcome (set by the call runner around
   * `permit.record`, so the change lands in the stream of the run that caused it).
   */
  circuitListener?: (payload: Extract<CallEvent, { type: 'circuit' }>) => void;
}
