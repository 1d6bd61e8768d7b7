import { worstCaseCostOf } from '../models/cost.js';
import { formatTokens, formatUsd } from './format.js';
import type { RouteEndpoint, RouteState, RoutedCandidate } from './route-types.js';

/** The least a candidate reserves: its worst case, or with a fitted output cap, the input plus the least cap. */
function least(c: RoutedCandidate<RouteEndpoint>): { usd: number; tokens: number } {
  if (c.minOutputTokens === undefined) return { usd: c.worstCaseUsd, tokens: c.worstCaseTokens };
  return { usd: worstCaseCostOf(c.model, c.inputTokens, c.minOutputTokens), tokens: c.inputTokens + c.minOutputTokens };
}

function fits(c: RoutedCandidate<RouteEndpoint>, state: RouteState): boolean {
  const need = least(c);
  if (state.budgetLeftUsd !== undefined && need.usd > state.budgetLeftUsd) return false;
  if (state.budgetLeftTokens !== undefined && need.tokens > state.budgetLeftTokens) return false;
  return true;
}

function shortfall(c: RoutedCandidate<RouteEndpoint>, state: RouteState): string {
  const need = least(c);
  if (state.budgetLeftUsd !== undefined && need.usd > state.budgetLeftUsd) {
    return `${c.model.id} needs ${formatUsd(need.usd)} worst case, ${formatUsd(state.budgetLeftUsd)} left`;
  }
  return `${c.model.id} needs ${formatTokens(need.tokens)} tokens worst case, ${formatTokens(state.budgetLeftTokens ?? 0)} left`;
}

/**
 * Budget-aware downgrade: when the first candidate's worst case does not fit what is left, the candidates that
 * fit move ahead (in their order), the rest follow. Nothing moves when the first fits or when none fits (the
 * reservation then refuses with the budget's figures).
 */
export function downgrade<E extends RouteEndpoint>(
  candidates: RoutedCandidate<E>[],
  state: RouteState,
): { candidates: RoutedCandidate<E>[]; note?: string } {
  const first = candidates[0];
  if (!first || fits(first, state)) return { candidates };
  const fitting = candidates.filter((c) => fits(c, state));
  const chosen = fitting[0];
  if (!chosen) return { candidates, note: `no candidate fits the budget left (${shortfall(first, state)})` };
  const note = `${shortfall(first, state)}; took ${chosen.model.id}`;
  const rest = candidates.filter((c) => !fits(c, state));
  return { candidates: [{ ...chosen, reason: `${note} (${chosen.reason})` }, ...fitting.slice(1), ...rest], note };
}
