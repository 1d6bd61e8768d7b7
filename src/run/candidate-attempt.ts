import type { BudgetScope } from '../budget/budget-ledger.js';
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
import type { SwitchyardEnv } from './env.js';

/** Totals a call accumulates over all its attempts. */
export interface Tally {
  usage: Usage;
  costUsd: number;
  attempts: number;
}

export interface CandidateAttempt {
  candidate: RoutedCandidate<Provider>;
  request: ModelRequest;
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
  const permit = env.breakers.get(endpoint, model.id).acquire();
  let pass: GatePass | undefined;
  let reservationId: string | undefined;
  try {
    pass = await env.gate.acquire(endpoint, candidate.worstCaseTokens, ctx.signal);
    const reserved = await env.ledger.reserve({ scope: input.scope, usd: candidate.worstCaseUsd, tokens: candidate.worstCaseTokens, model: model.id, provider: endpoint });
    if (!reserved.ok) throw reserved.error;
    reservationId = reserved.reservation.id;
    tally.attempts++;
    const stamp = { attempt: tally.attempts, model: model.id, provider: endpoint };
    ctx.emit({ type: 'budget', phase: 'reserve', amountUsd: reserved.reservation.usd, levels: reserved.reservation.levels, ...stamp });
    const started = performance.now();
    await runAttempt(
      {
        provider: candidate.provider,
        model,
        request: { ...input.request, maxOutputTokens: candidate.maxOutputTokens },
        signal: ctx.signal,
        limits: { attemptTimeoutMs: input.retry.attemptTimeoutMs, idleTimeoutMs: input.retry.idleTimeoutMs },
        onDelta: (event) => ctx.emit({ ...event, ...stamp }),
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
    if (reservationId !== undefined) await settle(env, input, state, reservationId);
  }
}

/** Records the outcome on the circuit; a state change lands in this run's stream. */
function record(env: SwitchyardEnv, permit: CircuitPermit, ctx: CallContext, error: unknown): void {
  env.circuitListener = (payload) => ctx.emit(payload);
  try {
    permit.record(error);
  } finally {
    env.circuitListener = undefined;
  }
}

async function settle(env: SwitchyardEnv, input: CandidateAttempt, state: AttemptState, reservationId: string): Promise<void> {
  const { candidate, ctx, tally } = input;
  const used = consumedUsage(candidate.model, input.request, state);
  const costUsd = costOf(candidate.model, used);
  const settled = await env.ledger.settle(reservationId, { usd: costUsd, tokens: totalTokens(used) });
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
