import { checkBudgetLimits } from './budget-limits.js';
import type { BudgetExceededDetails, BudgetLevel } from '../errors/budget-exceeded-error.js';
import type { BudgetFigures } from './budget-figures.js';
import type { BudgetScope, InstanceLimits } from './budget-ledger.js';
import { windowLengthMs, windowStart } from './budget-window.js';
import { fromNano, nanoDown } from './nano-usd.js';

/** An amount in the ledger's internal units: integer nano-dollars and tokens. */
export interface Held {
  nano: number;
  tokens: number;
}

/**
 * The counters of one scope of the in-memory ledger. Not exported from the package: users hold `BudgetScope`
 * handles; the ledger works on accounts.
 */
export class ScopeAccount implements BudgetScope {
  readonly children = new Set<ScopeAccount>();
  /** Ids of reservations made in this scope (not its children) that are still held. */
  readonly held = new Set<string>();
  spentNano = 0;
  reservedNano = 0;
  spentTokens = 0;
  reservedTokens = 0;
  private isClosed = false;
  private readonly limitNano?: number;
  private readonly limitTokens?: number;
  private readonly windowMs?: number;
  private windowStartedAt = 0;
  /** Whether this account or an ancestor has a spend window (which `roll` may reset). */
  readonly windowed: boolean;

  constructor(
    readonly id: string,
    readonly level: BudgetLevel,
    readonly parent: ScopeAccount | undefined,
    limits: InstanceLimits,
    private readonly onClose: (account: ScopeAccount) => void,
  ) {
    checkBudgetLimits(limits, level);
    if (limits.usd !== undefined) this.limitNano = nanoDown(limits.usd);
    if (limits.tokens !== undefined) this.limitTokens = Math.floor(limits.tokens);
    if (limits.window !== undefined) this.windowMs = windowLengthMs(limits.window);
    this.windowed = this.windowMs !== undefined || (parent?.windowed ?? false);
  }

  get closed(): boolean {
    return this.isClosed || (this.parent?.closed ?? false);
  }

  close(): void {
    if (this.isClosed) return;
    this.onClose(this);
    this.isClosed = true;
  }

  #chain: readonly ScopeAccount[] | undefined;

  /** This account and its ancestors, instance first (the same array every time: parents never change). */
  chain(): readonly ScopeAccount[] {
    if (this.#chain === undefined) {
      const out: ScopeAccount[] = [];
      for (let a: ScopeAccount | undefined = this; a; a = a.parent) out.unshift(a);
      this.#chain = out;
    }
    return this.#chain;
  }


  /** Starts a new window when the current one has passed: spend resets, holds carry over. */
  roll(now: number): void {
    if (this.windowMs === undefined) return;
    const start = windowStart(this.windowMs, now);
    if (start === this.windowStartedAt) return;
    this.windowStartedAt = start;
    this.spentNano = 0;
    this.spentTokens = 0;
  }

  /** Why this account cannot hold `amount`, or undefined when it can. */
  refusal(amount: Held): Omit<BudgetExceededDetails, 'model' | 'provider'> | undefined {
    if (this.limitNano !== undefined && this.spentNano + this.reservedNano + amount.nano > this.limitNano) {
      return {
        level: this.level,
        unit: 'usd',
        limit: fromNano(this.limitNano),
        spent: fromNano(this.spentNano),
        reserved: fromNano(this.reservedNano),
        requested: fromNano(amount.nano),
      };
    }
    if (this.limitTokens !== undefined && this.spentTokens + this.reservedTokens + amount.tokens > this.limitTokens) {
      return {
        level: this.level,
        unit: 'tokens',
        limit: this.limitTokens,
        spent: this.spentTokens,
        reserved: this.reservedTokens,
        requested: amount.tokens,
      };
    }
    return undefined;
  }

  hold(amount: Held): void {
    this.reservedNano += amount.nano;
    this.reservedTokens += amount.tokens;
  }

  unhold(amount: Held): void {
    this.reservedNano -= amount.nano;
    this.reservedTokens -= amount.tokens;
  }

  charge(amount: Held): void {
    this.spentNano += amount.nano;
    this.spentTokens += amount.tokens;
  }

  figures(): BudgetFigures {
    const figures: BudgetFigures = {
      level: this.level,
      spentUsd: fromNano(this.spentNano),
      reservedUsd: fromNano(this.reservedNano),
      spentTokens: this.spentTokens,
      reservedTokens: this.reservedTokens,
    };
    if (this.limitNano !== undefined) {
      figures.limitUsd = fromNano(this.limitNano);
      figures.remainingUsd = fromNano(Math.max(0, this.limitNano - this.spentNano - this.reservedNano));
    }
    if (this.limitTokens !== undefined) figures.limitTokens = this.limitTokens;
    return figures;
  }
}
