import { OutcomeWindow } from './outcome-window.js';
import { SwitchyardError } from '../errors/switchyard-error.js';
import { systemClock, type Clock } from './clock.js';

export type CircuitState = 'closed' | 'open' | 'half-open';

/** A state change, for `circuit` events and logs. */
export interface CircuitChange {
  endpoint: string;
  model: string;
  from: CircuitState;
  to: CircuitState;
  /** `clock.now()` of the change. */
  at: number;
  reason: string;
}

export interface CircuitBreakerOptions {
  /**
   * Consecutive failures that open the circuit.
   * @default 5
   */
  failureThreshold?: number;
  /**
   * Share of failed calls in the last `windowMs` that opens the circuit (once `minimumCalls` were made in it).
   * A value above 1 switches the rate rule off (only consecutive failures open the circuit).
   * @default 0.5
   */
  failureRate?: number;
  /**
   * Calls the window must hold before `failureRate` applies.
   * @default 20
   */
  minimumCalls?: number;
  /**
   * Length of the failure-rate window.
   * @default 60_000
   */
  windowMs?: number;
  /**
   * How long an open circuit rejects calls before it lets one probe through.
   * @default 30_000
   */
  cooldownMs?: number;
  /** @default systemClock */
  clock?: Clock;
  /** Called on every state change. */
  onStateChange?: (change: CircuitChange) => void;
}

/** The right to make one call through a breaker. The first of `success`, `failure`, `release` counts; later calls do nothing. */
export interface CircuitPermit {
  /** The call succeeded (or failed in a way that says the endpoint is healthy). */
  success(): void;
  /** The call failed in a way that says the endpoint is unhealthy. */
  failure(): void;
  /** The call ended without a verdict on the endpoint (cancelled, refused by the budget, a bad request). */
  release(): void;
  /** Records the call's outcome: no error is a success; see `countsAgainstCircuit` for errors. */
  record(error?: unknown): void;
}

/** Errors that say an endpoint is unhealthy: server errors, overload, timeouts and network failures. */
export function countsAgainstCircuit(error: unknown): boolean {
  return SwitchyardError.isInstance(error) && ['server', 'overloaded', 'timeout', 'network'].includes(error.kind);
}

type Verdict = 'success' | 'failure' | 'release';

/** One call's permit: the first verdict counts, later ones are ignored. */
class Permit implements CircuitPermit {
  #done = false;

  constructor(
    private readonly breaker: CircuitBreaker,
    private readonly probe: boolean,
    private readonly generation: number,
  ) {}

  success(): void {
    this.#once('success');
  }

  failure(): void {
    this.#once('failure');
  }

  release(): void {
    this.#once('release');
  }

  record(error?: unknown): void {
    this.#once(error === undefined ? 'success' : countsAgainstCircuit(error) ? 'failure' : 'release');
  }

  #once(verdict: Verdict): void {
    if (this.#done) return;
    this.#done = true;
    this.breaker.verdict(verdict, this.probe, this.generation);
  }
}

/**
 * A circuit breaker for one endpoint × model. Closed: calls pass. Open (after `failureThreshold` consecutive
 * failures, or a failure rate over the window): calls are refused at once with an `overloaded` error that is
 * not retryable, so the retry policy moves to another candidate. After `cooldownMs` it is half-open: ONE probe
 * passes; its success closes the circuit, its failure opens it again for another cool-down.
 */
export class CircuitBreaker {
  private current: CircuitState = 'closed';
  private consecutive = 0;
  private readonly outcomes: OutcomeWindow;
  private openedAt = 0;
  private probing = false;
  /** Bumped when the circuit opens, so verdicts of calls admitted before are ignored. */
  private generation = 0;
  private readonly clock: Clock;
  private readonly o: Required<Omit<CircuitBreakerOptions, 'clock' | 'onStateChange'>>;

  constructor(
    readonly endpoint: string,
    readonly model: string,
    private readonly options: CircuitBreakerOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.o = {
      failureThreshold: options.failureThreshold ?? 5,
      failureRate: options.failureRate ?? 0.5,
      minimumCalls: options.minimumCalls ?? 20,
      windowMs: options.windowMs ?? 60_000,
      cooldownMs: options.cooldownMs ?? 30_000,
    };
    this.outcomes = new OutcomeWindow(this.o.windowMs);
  }

  /** The state now (an open circuit whose cool-down has passed reports, and becomes, half-open). */
  get state(): CircuitState {
    this.refresh();
    return this.current;
  }

  /** Whether `acquire()` would grant a permit now. */
  get allowsCall(): boolean {
    this.refresh();
    return this.current === 'closed' || (this.current === 'half-open' && !this.probing);
  }

  /** A permit for one call; throws the circuit-open error (kind 'overloaded', not retryable) when refused. */
  acquire(): CircuitPermit {
    this.refresh();
    if (this.current === 'open' || (this.current === 'half-open' && this.probing)) throw this.openError();
    const probe = this.current === 'half-open';
    if (probe) this.probing = true;
    return new Permit(this, probe, this.generation);
  }

  /** Opens the circuit now (another process saw the endpoint fail), unless it is already open. */
  trip(reason: string): void {
    this.refresh();
    if (this.current !== 'open') this.open(reason);
  }

  /** @internal Books a permit's outcome (called once per permit, by the permit). */
  verdict(verdict: Verdict, probe: boolean, generation: number): void {
    if (probe) {
      this.probing = false;
      if (verdict === 'success') this.move('closed', 'the probe call succeeded');
      else if (verdict === 'failure') this.open('the probe call failed');
      return;
    }
    if (generation !== this.generation || this.current !== 'closed' || verdict === 'release') return;
    const now = this.clock.now();
    this.outcomes.add(now, verdict === 'failure');
    if (verdict === 'success') {
      this.consecutive = 0;
      return;
    }
    this.consecutive++;
    if (this.consecutive >= this.o.failureThreshold) {
      this.open(`${this.consecutive} consecutive failures`);
      return;
    }
    const { failures, calls } = this.outcomes;
    if (calls >= this.o.minimumCalls && failures / calls >= this.o.failureRate) {
      this.open(`${failures} of the last ${calls} calls failed`);
    }
  }

  private open(reason: string): void {
    this.openedAt = this.clock.now();
    this.generation++;
    this.move('open', reason);
  }

  private refresh(): void {
    if (this.current === 'open' && this.clock.now() - this.openedAt >= this.o.cooldownMs) {
      this.move('half-open', `the ${this.o.cooldownMs} ms cool-down has passed`);
    }
  }

  private move(to: CircuitState, reason: string): void {
    const from = this.current;
    if (from === to) return;
    this.current = to;
    if (to === 'closed') {
      this.consecutive = 0;
      this.outcomes.clear();
    }
    this.options.onStateChange?.({ endpoint: this.endpoint, model: this.model, from, to, at: this.clock.now(), reason });
  }

  private openError(): SwitchyardError {
    const waitMs = Math.max(0, this.o.cooldownMs - (this.clock.now() - this.openedAt));
    const when = this.current === 'half-open' ? 'a probe call is in flight' : `it lets one probe call through in ${waitMs} ms`;
    return new SwitchyardError({
      kind: 'overloaded',
      retryable: false,
      provider: this.endpoint,
      model: this.model,
      message: `The circuit for ${this.endpoint}/${this.model} is open after repeated failures; ${when}. Calls go to other candidates meanwhile.`,
    });
  }
}
