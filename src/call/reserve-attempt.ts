import type { BudgetScope, MaybePromise, ReserveRequest, ReserveResult } from '../budget/budget-ledger.js';
import type { BudgetFigures } from '../budget/budget-figures.js';
import { worstCaseCostOf } from '../models/cost.js';
import type { ModelRequest } from '../models/types.js';
import type { Provider } from '../providers/types.js';
import type { RoutedCandidate } from '../route/route-types.js';
import type { SwitchyardEnv } from './call-env.js';
import { fitSpecFor, outputCapOf, type OutputCap } from './output-cap.js';

/** A granted reservation, with the request to send under it (its output cap set to what was held for). */
export interface ReservedAttempt {
  id: string;
  usd: number;
  levels: BudgetFigures[];
  request: ModelRequest;
  outputCap: OutputCap;
}

/**
 * Reserves one attempt's worst case. With an explicit maxOutputTokens, the candidate's worst case. Without one,
 * the input's worst case plus an output cap the ledger fits to every level's figures in the same atomic step
 * (see `fitOutputTokens`); the cap is then sent to the provider, which enforces it, so the attempt can never
 * cost more than it holds. Throws the ledger's `BudgetExceededError` when it refuses. Answers synchronously when
 * the ledger does (the in-memory one).
 */
export function reserveAttempt(
  env: SwitchyardEnv,
  candidate: RoutedCandidate<Provider>,
  scope: BudgetScope,
  request: ModelRequest,
): MaybePromise<ReservedAttempt> {
  const fit = fitSpecFor(candidate);
  const where = { scope, model: candidate.model.id, provider: candidate.endpoint };
  const whole: ReserveRequest = { ...where, usd: candidate.worstCaseUsd, tokens: candidate.worstCaseTokens };
  const ask: ReserveRequest = fit
    ? { ...where, usd: worstCaseCostOf(candidate.model, candidate.inputTokens, 0), tokens: candidate.inputTokens, fitOutput: fit }
    : whole;
  const granted =
    (asked: ReserveRequest) =>
    (result: ReserveResult): MaybePromise<ReservedAttempt> => {
      if (!result.ok) throw result.error;
      const { id, usd, levels, fitted } = result.reservation;
      // A ledger of your own that does not fit held the input alone: give it back, and hold the whole worst case.
      if (asked.fitOutput && fitted === undefined) return then(env.ledger.release(id), () => then(env.ledger.reserve(whole), granted(whole)));
      const outputCap = outputCapOf(candidate, fitted);
      const sent = request.maxOutputTokens === outputCap.tokens ? request : { ...request, maxOutputTokens: outputCap.tokens };
      return { id, usd, levels, request: sent, outputCap };
    };
  return then(env.ledger.reserve(ask), granted(ask));
}

/** `fn(value)`, after the value when it is a promise (the in-memory ledger answers synchronously). */
function then<T, R>(value: MaybePromise<T>, fn: (value: T) => MaybePromise<R>): MaybePromise<R> {
  const thenable = typeof (value as { then?: unknown } | null)?.then === 'function';
  return thenable ? Promise.resolve(value).then(fn) : fn(value as T);
}
