import { o200kCount } from './o200k.js';
import { BOUND_FRAMING, inputTokenBound, inputTokenEstimate, measureRequest, type TokenCountRequest } from './token-bound.js';
import { countedExactly, countTokens, scaledCount } from './tokens.js';
import type { ModelInfo } from './types.js';

/**
 * The input tokens of one request, as each decision about it needs them. Until `refine()` every figure is the
 * byte bound (`inputTokenBound`): no tokenizer is loaded, and no input can be counted above what it is. After
 * `refine()` (done only where an exact count changes a decision, see `exactCountReason`), models counted with
 * o200k get their exact count (still in the bound's framing, so still an upper bound), and windows of other
 * models are compared with an estimate.
 */
export class RequestTokens<R extends TokenCountRequest = TokenCountRequest> {
  /** Never below any model's count of this request: its UTF-8 bytes plus framing allowances. */
  readonly bound: number;
  #o200k: number | undefined;
  #estimate: number | undefined;

  constructor(readonly request: R) {
    this.bound = inputTokenBound(request);
  }

  /** True once the request was counted with o200k. */
  get refined(): boolean {
    return this.#o200k !== undefined;
  }

  /** Counts the request with o200k (loads the encoder on first use). Idempotent. */
  refine(): void {
    this.#o200k ??= Math.min(this.bound, measureRequest(this.request, o200kCount, BOUND_FRAMING));
  }

  /**
   * What budgets reserve and price tiers are chosen by, for this model: never below the tokens it will bill.
   * The exact (o200k) count once refined, for models counted with o200k; the byte bound otherwise.
   */
  forBudget(model: ModelInfo): number {
    return this.#o200k !== undefined && countedExactly(model) ? this.#o200k : this.bound;
  }

  /**
   * What windows are compared with, for this model: the budget's count, or once refined, for a model whose
   * tokenizer is not public, the o200k count times its `tokenFactor`. An estimate may be low; a provider that
   * counts more answers `context_length`, and the call fails over to a larger window.
   */
  forWindow(model: ModelInfo): number {
    if (this.#o200k === undefined || countedExactly(model)) return this.forBudget(model);
    return Math.min(this.bound, scaledCount(model, this.#o200k));
  }

  /** A realistic count without a tokenizer (for rate limits): see `inputTokenEstimate`. */
  get estimate(): number {
    return (this.#estimate ??= inputTokenEstimate(this.request));
  }

  /** The request in OpenAI's chat framing, counted with o200k (what a route function reads as `inputTokens`). */
  counted(): number {
    return countTokens({ provider: 'openai' } as ModelInfo, this.request);
  }
}
