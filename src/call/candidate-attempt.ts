import type { BudgetScope } from '../budget/budget-ledger.js';
import { SwitchyardError } from '../errors/switchyard-error.js';
import type { ModelInfo, ModelRequest, Usage } from '../models/types.js';
import type { Provider } from '../providers/types.js';
import type { CircuitPermit } from '../retry/circuit-breaker.js';
import type { GatePass } from '../retry/endpoint-gate.js';
import type { ResolvedRetryOptions } from '../retry/retry-options.js';
import type { RoutedCandidate } from '../route/route-types.js';
import { runAttempt, type AttemptDelta, type AttemptInput, type AttemptState } from './attempt.js';
import { AttemptHolds } from './attempt-holds.js';
import type { CallContext } from './call-types.js';
import type { HoldJournal } from './hold-journal.js';
import type { SwitchyardEnv } from './call-env.js';
import { TextDeltaPayload } from './text-delta-payload.js';
import type { OutputCap } from './output-cap.js';
import { reserveAttempt, type ReservedAttempt } from './reserve-attempt.js';
import type { AbortScope } from './abort-scope.js';
import type { OutputMeter } from './output-meter.js';

/** Totals a call accumulates over all its attempts. */
export interface Tally {
  usage: Usage;
  costUsd: number;
  attempts: number;
  /** The output cap of the latest attempt. */
  outputCap?: OutputCap;
}

export interface CandidateAttempt {
  candidate: RoutedCandidate<Provider>;
  request: ModelRequest;
  /** A realistic estimate of the input tokens, for tokens-per-minute limits (providers count their own estimate). */
  inputEstimate: number;
  ctx: CallContext;
  scope: BudgetScope;
  retry: ResolvedRetryOptions;
  tally: Tally;
  /** The durable run's record of holds, when the run has a checkpoint store. */
  holds?: HoldJournal;
}

/**
 * One attempt on one candidate, in the order that keeps every promise: the circuit must allow it, the endpoint
 * gate (Retry-After pause, rate limits, concurrency) must let it through, and the budget must hold its worst case
 * at every level (and a durable run must have recorded that hold) — otherwise no HTTP request is made and no
 * attempt is counted. Afterwards the reservation is settled to what the attempt consumed (reported usage, checked;
 * or an estimate from what streamed), success or not. Never throws: a failure is the promise's rejection.
 */
export function runCandidateAttempt(env: SwitchyardEnv, input: CandidateAttempt, state: AttemptState): Promise<void> {
  const run = new CandidateRun(env, input, state);
  try {
    run.acquire();
  } catch (error) {
    return Promise.reject(error);
  }
  try {
    return run.start() ?? run.stream();
  } catch (error) {
    return run.failed(error);
  }
}

/**
 * One attempt's state from its permit to its settlement, and the input of its stream (`runAttempt`). Steps run
 * synchronously while the gate, the ledger and the journal answer synchronously (the in-memory ledger, no durable
 * store); promise callbacks otherwise. No async frame of its own stays suspended while the attempt streams.
 */
class CandidateRun implements AttemptInput {
  readonly provider: Provider;
  readonly model: ModelInfo;
  request: ModelRequest;
  readonly abort: AbortScope;
  readonly limits: ResolvedRetryOptions;
  readonly deadlines: SwitchyardEnv['deadlines'];
  meter: OutputMeter | undefined;
  onCapReached: AttemptInput['onCapReached'];
  readonly #env: SwitchyardEnv;
  readonly #input: CandidateAttempt;
  readonly #state: AttemptState;
  #permit: CircuitPermit | undefined;
  #pass: GatePass | undefined;
  #holds: AttemptHolds | undefined;
  #attempt = 0;
  #started = 0;

  constructor(env: SwitchyardEnv, input: CandidateAttempt, state: AttemptState) {
    const { candidate } = input;
    this.#env = env;
    this.#input = input;
    this.#state = state;
    this.provider = candidate.provider;
    this.model = candidate.model;
    this.request = candidateRequest(input.request, candidate);
    this.abort = input.ctx.abort;
    this.limits = input.retry;
    this.deadlines = env.deadlines;
  }

  /** The circuit's permit (throws the circuit-open error: nothing to release then). */
  acquire(): void {
    const env = this.#env;
    const { candidate, ctx } = this.#input;
    this.#permit = withCircuitEvents(env, ctx, () => env.breakers.get(candidate.endpoint, candidate.model.id).acquire());
  }

  /** Through the gate, the reservation and its journal; a promise (of the whole attempt) when one answers later. */
  start(): Promise<void> | undefined {
    const env = this.#env;
    const { candidate, ctx } = this.#input;
    refuseLongPause(env, this.#input);
    const passing = env.gate.acquire(candidate.endpoint, this.#input.inputEstimate + candidate.maxOutputTokens, ctx.abort);
    return passing instanceof Promise ? this.#after(passing, (pass) => this.#reserve(pass)) : this.#reserve(passing);
  }

  /** The next step once `pending` answers, then the stream; any failure on the way is booked by `failed`. */
  #after<T>(pending: PromiseLike<T>, next: (value: T) => Promise<void> | undefined): Promise<void> {
    return Promise.resolve(pending).then(
      (value) => {
        let later: Promise<void> | undefined;
        try {
          later = next(value);
        } catch (error) {
          return this.failed(error);
        }
        return later ?? this.stream();
      },
      (error: unknown) => this.failed(error),
    );
  }

  #reserve(pass: GatePass): Promise<void> | undefined {
    this.#pass = pass;
    const reservation = reserveAttempt(this.#env, this.#input.candidate, this.#input.scope, this.request);
    // The in-memory ledger answers synchronously: wait only for a promise (a plain value would cost a turn).
    return isPromiseLike(reservation) ? this.#after(reservation, (reserved) => this.#hold(reserved)) : this.#hold(reservation);
  }

  #hold(reserved: ReservedAttempt): Promise<void> | undefined {
    const { candidate } = this.#input;
    this.request = reserved.request;
    this.#input.tally.outputCap = reserved.outputCap;
    const held = new AttemptHolds(this.#env, this.#input, reserved.request, { id: reserved.id, usd: reserved.usd, tokens: candidate.inputTokens + reserved.outputCap.tokens });
    // A durable run records the hold before the request goes out (a failure returns it: no request, no attempt).
    const journaled = held.journal();
    return journaled === undefined ? this.#reserved(held, reserved) : this.#after(journaled, () => this.#reserved(held, reserved));
  }

  #reserved(held: AttemptHolds, reserved: ReservedAttempt): undefined {
    const { candidate, ctx, tally } = this.#input;
    this.#holds = held;
    this.meter = held.meter;
    this.onCapReached = held.onCapReached;
    const attempt = (this.#attempt = ++tally.attempts);
    const { usd, levels, outputCap } = reserved;
    ctx.emit({ type: 'budget', phase: 'reserve', amountUsd: usd, levels, outputCap, attempt, model: candidate.model.id, provider: candidate.endpoint });
    return undefined;
  }

  /** Streams the attempt, then books its outcome on the circuit and settles its holds. */
  stream(): Promise<void> {
    this.#started = performance.now();
    return runAttempt(this, this.#state).then(
      () => this.#streamed(),
      (error: unknown) => this.failed(error),
    );
  }

  /** Passes a streamed piece on, stamped with the attempt; built field by field (a spread per delta costs more). */
  onDelta(event: AttemptDelta): void {
    const { ctx, candidate } = this.#input;
    const model = candidate.model.id;
    const endpoint = candidate.endpoint;
    const attempt = this.#attempt;
    ctx.emit(
      event.type === 'text-delta'
        ? new TextDeltaPayload(event.text, attempt, model, endpoint)
        : event.type === 'tool-call'
          ? { type: 'tool-call', call: event.call, attempt, model, provider: endpoint }
          : { type: 'reasoning-delta', text: event.text, attempt, model, provider: endpoint },
    );
  }

  #streamed(): Promise<void> | undefined {
    const { candidate, ctx } = this.#input;
    try {
      const { firstTokenAt } = this.#state;
      if (firstTokenAt !== undefined) this.#env.latency.record(candidate.endpoint, candidate.model.id, firstTokenAt - this.#started);
      record(this.#env, this.#permit!, ctx, undefined);
    } catch (error) {
      return this.failed(error);
    }
    return this.#settle();
  }

  /** Books a failure (a Retry-After pauses the endpoint; the circuit counts it once a request went out), settles, rethrows. */
  failed(error: unknown): Promise<never> {
    const env = this.#env;
    const { candidate, ctx } = this.#input;
    if (SwitchyardError.isInstance(error) && error.retryAfterMs !== undefined && error.retryAfterMs > 0) {
      env.gate.pauseUntil(candidate.endpoint, env.clock.now() + error.retryAfterMs);
    }
    if (this.#holds === undefined) this.#permit?.release();
    else record(env, this.#permit!, ctx, error);
    const settling = this.#settle();
    return settling === undefined ? Promise.reject(error) : settling.then(() => Promise.reject(error));
  }

  /** Lets the gate go and settles the holds (a promise only when the ledger answers with one). */
  #settle(): Promise<void> | undefined {
    this.#pass?.release();
    this.#pass = undefined;
    const holds = this.#holds;
    return holds === undefined ? undefined : holds.settle(this.#state);
  }
}

/** The request as this candidate gets it: its output limit and reasoning (the same object when nothing changes). */
function candidateRequest(request: ModelRequest, candidate: RoutedCandidate<Provider>): ModelRequest {
  if (request.maxOutputTokens === candidate.maxOutputTokens && request.reasoning === candidate.reasoning) return request;
  const fitted: ModelRequest = { ...request, maxOutputTokens: candidate.maxOutputTokens };
  if (candidate.reasoning === undefined) delete fitted.reasoning;
  else fitted.reasoning = candidate.reasoning;
  return fitted;
}

/**
 * Runs `fn` (anything that may move a circuit: acquiring a permit, recording an outcome, asking whether a circuit
 * is open, which turns an open circuit half-open once its cool-down has passed) so that a state change lands in
 * this call's stream as a `circuit` event.
 */
export function withCircuitEvents<T>(env: SwitchyardEnv, ctx: CallContext, fn: () => T): T {
  const previous = env.circuitListener;
  env.circuitListener = ctx.emit;
  try {
    return fn();
  } finally {
    env.circuitListener = previous;
  }
}

/** Records the outcome on the circuit; a state change lands in this run's stream. */
function record(env: SwitchyardEnv, permit: CircuitPermit, ctx: CallContext, error: unknown): void {
  withCircuitEvents(env, ctx, () => permit.record(error));
}

/**
 * An endpoint paused (by a Retry-After) for longer than the call's `retryAfterCapMs` is not waited for: the
 * attempt fails at once, without a request, so the retry policy fails over to another endpoint (or stops).
 */
function refuseLongPause(env: SwitchyardEnv, input: CandidateAttempt): void {
  const { endpoint, model } = input.candidate;
  const pausedMs = env.gate.pausedFor(endpoint);
  if (pausedMs <= input.retry.retryAfterCapMs) return;
  throw new SwitchyardError({
    kind: 'rate_limit',
    retryAfterMs: pausedMs,
    provider: endpoint,
    model: model.id,
    message:
      `Endpoint '${endpoint}' asked callers to wait ${Math.ceil(pausedMs)} ms more (Retry-After), longer than ` +
      `retryAfterCapMs (${input.retry.retryAfterCapMs} ms); no request was sent. Raise retry.retryAfterCapMs to wait, ` +
      `or configure another endpoint for ${model.id}.`,
  });
}

function isPromiseLike<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}
