import { SwitchyardError } from '../errors/switchyard-error.js';
import { backoffDelay } from './backoff.js';
import { describeNeed, failoverNeed, failoverTarget, type FailoverNeed } from './failover-target.js';
import type { RetryDecision, RetryState } from './retry-decision.js';
import { resolveRetryOptions, type ResolvedRetryOptions } from './retry-options.js';

/**
 * Decides what follows a failed attempt: retry the same candidate after a delay, fail over to a later
 * candidate, or stop. Pure: the same error, state and options (with the same `random`) give the same decision.
 * The user's `options.decide`, when set, sees the table's decision and may replace it.
 */
export function decide(error: unknown, state: RetryState, options: ResolvedRetryOptions = resolveRetryOptions()): RetryDecision {
  const proposed = decideByTable(error, state, options);
  return options.decide?.(error, state, proposed) ?? proposed;
}

function decideByTable(error: unknown, state: RetryState, options: ResolvedRetryOptions): RetryDecision {
  if (!SwitchyardError.isInstance(error)) {
    return { action: 'stop', reason: `an unexpected error is not retried: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (options.deadlineMs !== undefined && state.elapsedMs >= options.deadlineMs) {
    return { action: 'stop', reason: `the deadline of ${options.deadlineMs} ms has passed` };
  }
  const action = options.actions[error.kind] ?? 'stop';
  if (action === 'stop') return { action: 'stop', reason: `${error.kind} errors are not retried` };
  if (action === 'failover') return failover(error, state, `${error.kind} on ${where(state)}`);
  if (action === 'next-endpoint') {
    const target = failoverTarget(state, 'same-model-elsewhere');
    if (target) return { action: 'failover', next: target.next, reason: `${error.kind} on ${where(state)}; trying ${target.why}` };
  }
  return retryOrFailover(error, state, options);
}

function retryOrFailover(error: SwitchyardError, state: RetryState, options: ResolvedRetryOptions): RetryDecision {
  const here = where(state);
  if (!error.retryable) return failover(error, state, `${error.kind} on ${here} cannot succeed on a retry`);
  if (state.attempt >= options.maxAttempts) {
    return failover(error, state, `${state.attempt} of ${options.maxAttempts} attempts on ${here} failed (${error.kind})`);
  }
  if (state.retryBudgetOk === false) return failover(error, state, `${error.kind} on ${here} and the retry budget is spent`);
  const current = state.candidates[state.current];
  if (current && state.available && !state.available(current)) return failover(error, state, `${here} is unavailable now`);
  let delayMs: number;
  let why: string;
  if (error.retryAfterMs !== undefined) {
    if (error.retryAfterMs > options.retryAfterCapMs) {
      const reason = `${here} asked to wait ${error.retryAfterMs} ms, more than retryAfterCapMs (${options.retryAfterCapMs} ms)`;
      return failover(error, state, reason, 'other-endpoint');
    }
    delayMs = Math.max(0, Math.ceil(error.retryAfterMs));
    why = `Retry-After ${delayMs} ms`;
  } else {
    delayMs = backoffDelay(state.attempt - 1, options, options.random);
    why = `backoff ${delayMs} ms`;
  }
  if (options.deadlineMs !== undefined && state.elapsedMs + delayMs >= options.deadlineMs) {
    return failover(error, state, `waiting ${delayMs} ms on ${here} would pass the deadline of ${options.deadlineMs} ms`);
  }
  return { action: 'retry', delayMs, reason: `${error.kind} on ${here}; retry ${state.attempt + 1} of ${options.maxAttempts} after ${why}` };
}

/** Fails over to the first later candidate that suits the error, or stops when none does. */
function failover(error: SwitchyardError, state: RetryState, reason: string, need: FailoverNeed = failoverNeed(error.kind)): RetryDecision {
  const target = failoverTarget(state, need);
  if (target) {
    const to = state.candidates[target.next]!;
    return { action: 'failover', next: target.next, reason: `${reason}; failing over to ${to.endpoint}/${to.model.id} (${target.why})` };
  }
  return { action: 'stop', reason: `${reason}; no remaining candidate offers ${describeNeed(need)}` };
}

function where(state: RetryState): string {
  const c = state.candidates[state.current];
  return c ? `${c.endpoint}/${c.model.id}` : 'the current candidate';
}
