/** Budget figures in USD at one level, after a reservation or a settlement. */
export interface BudgetFigures {
  level: 'instance' | 'run' | 'node';
  limitUsd?: number;
  spentUsd: number;
  reservedUsd: number;
  /** `limitUsd - spentUsd - reservedUsd`, when there is a limit. */
  remainingUsd?: number;
  limitTokens?: number;
  spentTokens: number;
  reservedTokens: number;
}
