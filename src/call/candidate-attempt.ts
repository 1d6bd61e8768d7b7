import type { BudgetScope, SettleResult } from '../budget/budget-ledger.js';
import { releaseSignalOf } from '../budget/release-signal.js';
import { SwitchyardError } from '../errors/switchyard-error.js';
import { costOf } from '../models/cost.js';
import { addUsage, totalTokens } from '../models/usage.js';
import type { ModelRequest, Usage } from '../models/types.js';
import type { Provider } from '../providers/types.js';
import type { CircuitPermit } from '../retry/circuit-breaker.js';
import type { GatePass } from '../retry/endpoint-gate.js';
import type { ResolvedRetryOptions } from '../retry/retry-options.js';
import type { RoutedCandidate } from '../route/route-types.js';
import { consumedUsage, runAttempt, type AttemptState } from './attempt.js';
import type { CallContext } from './call-types.js';
import type { SwitchyardEnv } from './call-env.js';
import { TextDeltaPayload } from './text-delta-payload.js';
import type { OutputCap } from './output-cap.js';
import { reserveAttempt } from './reserve-attempt.js';

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
}

/**
 * One attempt on one candidate, in the order that keeps every promise: the circuit must allow it, the endpoint
 * gate (Retry-After pause, rate limits, concurrency) must let it through, and the budget must hold its worst case
 * at every level — otherwise no HTTP request is made and no attempt is counted. Afterwards the reservation is
 * settled to what the attempt consumed (reported usage, or an estimate from what streamed), success or not.
 */
export async function runCandidateAttempt(env: SwitchyardEnv, input: CandidateAttempt, state: AttemptState): Promise<void> {
  const { candidate, ctx, tally } = input;
  const endpoint = candidate.endpoint;
  const model = candidate.model;
  let request = candidateRequest(input.request, candidate);
  const permit = withCircuitEvents(env, ctx, () => env.breakers.get(endpoint, model.id).acquire());
  let pass: GatePass | undefined;
  let reservationId: string | undefined;
  try {
    refuseLongPause(env, input);
    const passing = env.gate.acquire(endpoint, input.inputEstimate + candidate.maxOutputTokens, ctx.abort);
    pass = passing instanceof Promise ? await passing : passing;
    const reservation = reserveAttempt(env, candidate, input.scope, request);
    // The in-memory ledger answers synchronously: await only a promise (a plain value would cost a turn).
    const reserved = isPromiseLike(reservation) ? await reservation : reservation;
    reservationId = reserved.id;
    request = reserved.request;
    tally.outputCap = reserved.outputCap;
    const attempt = ++tally.attempts;
    const { usd, levels, outputCap } = reserved;
    ctx.emit({ type: 'budget', phase: 'reserve', amountUsd: usd, levels, outputCap, attempt, model: model.id, provider: endpoint });
    const started = performance.now();
    await runAttempt(
      {
        provider: candidate.provider,
        model,
        request,
        abort: ctx.abort,
        limits: input.retry,
        // Built field by field: a spread per delta costs more than the rest of the hot path.
        onDelta: (event) =>
          ctx.emit(
            event.type === 'text-delta'
              ? new TextDeltaPayload(event.text, attempt, model.id, endpoint)
              : event.type === 'tool-call'
                ? { type: 'tool-call', call: event.call, attempt, model: model.id, provider: endpoint }
                : { type: 'reasoning-delta', text: event.text, attempt, model: model.id, provider: endpoint },
          ),
      },
      state,
    );
    if (state.firstTokenAt !== undefined) env.latency.record(endpoint, model.id, state.firstTokenAt - started);
    record(env, permit, ctx, undefined);
  } catch (error) {
    if (SwitchyardError.isInstance(error) && error.retryAfterMs !== undefined && error.retryAfterMs > 0) {
      env.gate.pauseUntil(endpoint, env.clock.now() + error.retryAfterMs);
    }
    if (reservationId === undefined) permit.release();
    else record(env, permit, ctx, error);
    throw error;
  } finally {
    pass?.release();
    if (reservationId !== undefined) {
      const settling = settle(env, input, request, state, reservationId);
      if (settling !== undefined) await settling;
    }
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

/** Settles the attempt's reservation to what it consumed; a promise only when the ledger answers with one. */
function settle(env: SwitchyardEnv, input: CandidateAttempt, request: ModelRequest, state: AttemptState, reservationId: string): Promise<void> | undefined {
  const used = consumedUsage(input.candidate.model, request, state);
  const costUsd = costOf(input.candidate.model, used);
  const settling = env.ledger.settle(reservationId, { usd: costUsd, tokens: totalTokens(used) });
  if (isPromiseLike(settling)) return Promise.resolve(settling).then((settled) => booked(env, input, used, costUsd, settled));
  booked(env, input, used, costUsd, settling);
  return undefined;
}

/** Books a settled attempt on the call's tally and tells the stream. */
function booked(env: SwitchyardEnv, input: CandidateAttempt, used: Usage, costUsd: number, settled: SettleResult): void {
  const { candidate, ctx, tally } = input;
  releaseSignalOf(env.ledger).notify();
  tally.usage = addUsage(tally.usage, used);
  tally.costUsd += costUsd;
  ctx.emit({
    type: 'budget',
    phase: 'settle',
    amountUsd: costUsd,
    usage: used,
    levels: settled.levels,
    attempt: tally.attempts,
    model: candidate.model.id,
    provider: candidate.endpoint,
  });
}

function isPromiseLike<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}
