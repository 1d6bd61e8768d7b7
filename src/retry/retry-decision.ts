/** One candidate as the retry policy sees it (the router's candidates fit this shape). */
export interface RetryCandidate {
  model: { id: string; provider: string; contextWindow: number };
  /** Endpoint name. */
  endpoint: string;
}

/** Where a call stands when an attempt has failed. */
export interface RetryState {
  /** The call's candidates in order (from the router). */
  readonly candidates: readonly RetryCandidate[];
  /** Index of the candidate whose attempt just failed. */
  current: number;
  /** Attempts made on the current candidate, the failed one included (1 after the first failure). */
  attempt: number;
  /** Time since the call's first attempt started, in ms (for `deadlineMs`). */
  elapsedMs: number;
  /**
   * Whether the instance's retry budget allows one more retry (`retryBudget.canRetry()`).
   * @default true
   */
  retryBudgetOk?: boolean;
  /**
   * Whether a candidate may be tried now (e.g. its circuit is not open, its endpoint is not paused past the
   * Retry-After cap). Failover skips candidates for which it returns false.
   * @default every candidate is available
   */
  available?: (candidate: RetryCandidate) => boolean;
}

/** What to do after a failed attempt. */
export type RetryDecision =
  /** Wait `delayMs` (abortably), then try the same candidate again. */
  | { action: 'retry'; delayMs: number; reason: string }
  /** Move at once to `candidates[next]` (candidates between current and next are skipped). */
  | { action: 'failover'; next: number; reason: string }
  /** Fail the call with the error. */
  | { action: 'stop'; reason: string };

/**
 * A user's retry decision: receives the error, the state and the decision the table made. Return a decision to
 * replace it, or undefined to keep it.
 */
export type RetryDecider = (error: unknown, state: RetryState, proposed: RetryDecision) => RetryDecision | undefined;
