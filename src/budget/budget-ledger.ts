import type { BudgetExceededError, BudgetLevel } from '../errors/budget-exceeded-error.js';
import type { BudgetFigures } from './budget-figures.js';
import type { BudgetWindow } from './budget-window.js';

/**
 * A value, or a promise of it. The in-memory ledger answers synchronously (its check-and-hold runs with no
 * `await` in between, which is what makes it safe under concurrency in one process); a ledger backed by a
 * shared store (Redis, a database) answers with promises. Callers always `await` the result.
 */
export type MaybePromise<T> = T | Promise<T>;

/** Limits of one budget scope. Either or both units; unset means unlimited. */
export interface ScopeLimits {
  /** Most USD this scope may spend: settled + reserved never exceeds it. */
  usd?: number;
  /** Most tokens (input + output) this scope may spend. */
  tokens?: number;
}

/** Limits of the instance scope, optionally counted per time window. */
export interface InstanceLimits extends ScopeLimits {
  /**
   * Count spend per window instead of for the instance's lifetime: `'day'` (UTC calendar day), `'hour'` (clock
   * hour) or `{ ms }` (windows of that length aligned to the Unix epoch). Spend resets when a window rolls over;
   * reservations in flight carry over and are charged to the window in which they settle.
   * @default no window (lifetime spend)
   */
  window?: BudgetWindow;
}

/** An amount in both units the ledger counts. */
export interface BudgetAmount {
  usd: number;
  tokens: number;
}

/**
 * A handle on one level of the budget tree: the instance (the ledger's `root`), a run, or a node. Every
 * reservation made in a scope is checked against, and held at, every scope of its chain up to the instance.
 */
export interface BudgetScope {
  readonly id: string;
  readonly level: BudgetLevel;
  readonly parent?: BudgetScope;
  /** True once `close()` was called on this scope or an ancestor. */
  readonly closed: boolean;
  /**
   * Releases every reservation still held in this scope and its descendants, and closes them. Idempotent.
   * A reservation released this way may still be settled later (its actual spend is then charged truthfully).
   */
  close(): MaybePromise<void>;
}

/** What an attempt asks the ledger to hold before it starts. */
export interface ReserveRequest {
  /** The innermost scope (usually the node's); every ancestor is checked too. */
  scope: BudgetScope;
  /** Worst-case USD (see `worstCaseCostOf`). */
  usd: number;
  /** Worst-case tokens: input tokens + maxOutputTokens. */
  tokens: number;
  /** For the refusal's message. */
  model?: string;
  /** For the refusal's message. */
  provider?: string;
  /**
   * Fit an output cap to the budget: besides `usd` and `tokens` (then the input's worst case), hold `n` output
   * tokens at `usdPerToken` each, for the `n` that `fitOutputTokens` chooses from every level's figures at the
   * moment of the hold (at most half of what a level has left, between `minTokens` and `maxTokens`), and
   * report it in `Reservation.fitted`. Refused when not even `minTokens` fit.
   */
  fitOutput?: OutputFitSpec;
}

/** What a reservation with a budget-fitted output cap asks for. */
export interface OutputFitSpec {
  /** The least output cap worth sending. */
  minTokens: number;
  /** The most: the model's max output (or what its window or maxPriceUsd leaves). */
  maxTokens: number;
  /** Output price in USD per token, at the price tier of the input. */
  usdPerToken: number;
}

/** The output cap a reservation was fitted to. */
export interface FittedOutput {
  /** The output tokens held for: the cap to send. */
  tokens: number;
  /**
   * The level and unit that limited the cap, with what that level had left before this hold (USD or tokens);
   * absent when nothing did (the cap is `maxTokens`).
   */
  limitedBy?: { level: BudgetLevel; unit: 'usd' | 'tokens'; left: number };
}

/** A hold on budget at every level of a scope's chain. */
export interface Reservation {
  id: string;
  /** What was held (USD, rounded up to the ledger's nano-dollar resolution). */
  usd: number;
  tokens: number;
  /** Figures per level after the hold, instance first. */
  levels: BudgetFigures[];
  /** With `fitOutput`: the output cap held for. A ledger that does not fit leaves it unset (and held none). */
  fitted?: FittedOutput;
}

/** The answer to `reserve`: a hold, or the refusal of the first level (outermost first) that cannot cover it. */
export type ReserveResult = { ok: true; reservation: Reservation } | { ok: false; error: BudgetExceededError };

/** The answer to `settle` and `release`. */
export interface SettleResult {
  id: string;
  /** False when the reservation was already settled or released (or is unknown): nothing changed. */
  applied: boolean;
  /** What this call charged. */
  chargedUsd: number;
  chargedTokens: number;
  /** Figures per level after the call, instance first (empty when the id is unknown). */
  levels: BudgetFigures[];
}

/**
 * The budget ledger: reserve the worst case before an attempt, settle to the actual after it. Implementations
 * must keep, at every level and in both units, `spent + reserved <= limit` whenever a reservation is granted,
 * and must hold a reservation at all levels of its chain or at none.
 */
export interface BudgetLedger {
  /** The instance scope, parent of every run scope. */
  readonly root: BudgetScope;
  /**
   * True when recorded spend outlives the process (a shared store such as Redis): a resumed run's earlier spend
   * is then already counted, and is not charged again.
   * @default false
   */
  readonly persistent?: boolean;
  /**
   * Opens a child scope (a run under the root, a node under a run). `key` names the scope for every process that
   * shares the ledger (switchyard passes a run's id): a shared-store ledger gives the run scopes opened with the
   * same key in different processes one set of figures, so a run's budget holds across workers. In-process
   * ledgers ignore it.
   */
  scope(parent: BudgetScope, level: BudgetLevel, limits?: ScopeLimits, key?: string): BudgetScope;
  /** Holds `usd` and `tokens` at every level of the chain, or nothing when any level refuses. */
  reserve(request: ReserveRequest): MaybePromise<ReserveResult>;
  /**
   * Charges the actual amount (lower or higher than reserved; a failed attempt is charged what it consumed)
   * and returns the hold. Idempotent: only the first settle or release of an id applies.
   */
  settle(reservationId: string, actual: BudgetAmount): MaybePromise<SettleResult>;
  /** Returns the hold and charges nothing. Idempotent. */
  release(reservationId: string): MaybePromise<SettleResult>;
  /**
   * Figures per level of the scope's chain, instance first (the root's alone when no scope is given).
   * A shared-store ledger may answer with the figures it last saw.
   */
  snapshot(scope?: BudgetScope): BudgetFigures[];
}
