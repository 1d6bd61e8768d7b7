import type { BudgetScope } from '../budget/budget-ledger.js';
import { fromNano } from '../budget/nano-usd.js';
import type { BudgetLevel } from '../errors/budget-exceeded-error.js';
import { SwitchyardError } from '../errors/switchyard-error.js';
import type { BudgetFigures } from '../budget/budget-figures.js';

/** A scope of the Redis ledger in this process: its limits, the figures last seen, and the holds this process made. */
export class RedisScope implements BudgetScope {
  readonly children = new Set<RedisScope>();
  /** Reservations this process holds in this scope. */
  readonly held = new Set<string>();
  figures: BudgetFigures;
  #closed = false;

  constructor(
    readonly id: string,
    readonly level: BudgetLevel,
    readonly parent: RedisScope | undefined,
    readonly limitNano: number | undefined,
    readonly limitTokens: number | undefined,
    private readonly onClose: (scope: RedisScope) => Promise<void>,
  ) {
    this.figures = toFigures(this, [0, 0, 0, 0]);
  }

  get closed(): boolean {
    return this.#closed || (this.parent?.closed ?? false);
  }

  chain(): RedisScope[] {
    const chain: RedisScope[] = [];
    for (let s: RedisScope | undefined = this; s; s = s.parent) chain.unshift(s);
    return chain;
  }

  close(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#closed = true;
    return this.onClose(this);
  }
}

export function toFigures(scope: RedisScope, [sn, st, rn, rt]: number[]): BudgetFigures {
  const figures: BudgetFigures = { level: scope.level, spentUsd: fromNano(sn!), reservedUsd: fromNano(rn!), spentTokens: st!, reservedTokens: rt! };
  if (scope.limitNano !== undefined) {
    figures.limitUsd = fromNano(scope.limitNano);
    figures.remainingUsd = fromNano(Math.max(0, scope.limitNano - sn! - rn!));
  }
  if (scope.limitTokens !== undefined) figures.limitTokens = scope.limitTokens;
  return figures;
}

export function closedScope(scope: RedisScope): SwitchyardError {
  return new SwitchyardError({
    kind: 'aborted',
    message: `The ${scope.level} budget scope ${scope.id} is closed (its run or node has ended); no reservation can be made in it.`,
  });
}
