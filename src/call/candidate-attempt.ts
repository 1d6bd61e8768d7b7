import type { BudgetScope } from '../budget/budget-ledger.js';
import { SwitchyardError } from '../errors/switchyard-error.js';
import type { ModelRequest, Usage } from '../models/types.js';
import type { Provider } from '../providers/types.js';
import type { CircuitPermit } from '../retry/circuit-breaker.js';
import type { GatePass } from '../retry/endpoint-gate.js';
import type { ResolvedRetryOptions } from '../retry/retry-options.js';
import type { RoutedCandidate } from '../route/route-types.js';
import { runAttempt, type AttemptState } from './attempt.js';
import { AttemptHolds } from './attempt-holds.js';
import type { CallContext } from './call-types.js';
import type { HoldJournal } from './hold-journal.js';
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
  /** The durable run's record of holds, when the run has a checkpoint store. */
  holds?: HoldJournal;
}

/**
 * One attempt on one candidate, in the order that keeps every promise: the circuit must allow it, the endpoint
 * gate (Retry-After pause, rate limits, concurrency) must let it through, and the budget must hold its worst case
 * at every level (and a durable run must have recorded that hold) — otherwise no HTTP request is made and no
 * attempt is counted. Afterwards the reservation is settled to what the attempt consumed (reported usage, checked;
 * or an estimate from what streamed), success or not.
 */
export async function runCandidateAttempt(env: SwitchyardEnv, input: CandidateAttempt, state: AttemptState): Promise<void> {
  const { candidate, ctx, tally } = input;
  const endpoint = candidate.endpoint;
  const model = candidate.model;
  let request = candidateRequest(input.request, candidate);
  const permit = withCircuitEvents(env, ctx, () => env.breakers.get(endpoint, model.id).acquire());
  let pass: GatePass | undefined;
  let holds: AttemptHolds | undefined;
  try {
    refuseLongPause(env, input);
    const passing = env.gate.acquire(endpoint, input.inputEstimate + candidate.maxOutputTokens, ctx.abort);
    pass = passing instanceof Promise ? await passing : passing;
    const reservation = reserveAttempt(env, candidate, input.scope, request);
    // The in-memory ledger answers synchronously: await only a promise (a plain value would cost a turn).
    const reserved = isPromiseLike(reservation) ? await reservation : reservation;
    request = reserved.request;
    tally.outputCap = reserved.outputCap;
    const held = new AttemptHolds(env, input, request, { id: reserved.id, usd: reserved.usd, tokens: candidate.inputTokens + reserved.outputCap.tokens });
    // A durable run records the hold before the request goes out (a failure returns it: no request, no attempt).
    const journaled = held.journal();
    if (journaled !== undefined) await journaled;
    holds = held;
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
        deadlines: env.deadlines,
        meter: holds.meter,
        onCapReached: holds.onCapReached,
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
    if (holds === undefined) permit.release();
    else record(env, permit, ctx, error);
    throw error;
  } finally {
    pass?.release();
    if (holds !== undefined) {
      const settling = holds.settle(state);
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

function isPromiseLike<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}
