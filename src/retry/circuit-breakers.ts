import { PairMap } from '../data/pair-map.js';
import { CircuitBreaker, type CircuitBreakerOptions, type CircuitState } from './circuit-breaker.js';

/** One circuit breaker per endpoint × model, created on first use with shared options. */
export class CircuitBreakers {
  private readonly breakers = new PairMap<CircuitBreaker>();

  constructor(private readonly options: CircuitBreakerOptions = {}) {}

  /** The breaker of an endpoint × model. */
  get(endpoint: string, model: string): CircuitBreaker {
    let breaker = this.breakers.get(endpoint, model);
    if (!breaker) {
      breaker = new CircuitBreaker(endpoint, model, this.options);
      this.breakers.set(endpoint, model, breaker);
    }
    return breaker;
  }

  /** Whether a call to this endpoint × model would be refused now (for the router's health filter). */
  isOpen(endpoint: string, model: string): boolean {
    return !this.get(endpoint, model).allowsCall;
  }

  /** Every breaker that has been used, with its state. */
  states(): Array<{ endpoint: string; model: string; state: CircuitState }> {
    return [...this.breakers.values()].map((b) => ({ endpoint: b.endpoint, model: b.model, state: b.state }));
  }
}
