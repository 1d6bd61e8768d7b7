import type { BudgetFigures } from './budget-figures.js';

/**
 * What is left in the tightest level of a chain, per unit (undefined where no level has a limit): the
 * router's `budgetLeftUsd` / `budgetLeftTokens` for a budget-aware downgrade.
 * @example
 * const left = budgetLeft(ledger.snapshot(nodeScope));
 * route(input, { budgetLeftUsd: left.usd, budgetLeftTokens: left.tokens }, config);
 */
export function budgetLeft(levels: readonly BudgetFigures[]): { usd?: number; tokens?: number } {
  let usd: number | undefined;
  let tokens: number | undefined;
  for (const level of levels) {
    if (level.remainingUsd !== undefined) usd = Math.min(usd ?? Infinity, level.remainingUsd);
    if (level.limitTokens !== undefined) {
      const left = Math.max(0, level.limitTokens - level.spentTokens - level.reservedTokens);
      tokens = Math.min(tokens ?? Infinity, left);
    }
  }
  return { ...(usd === undefined ? {} : { usd }), ...(tokens === undefined ? {} : { tokens }) };
}
