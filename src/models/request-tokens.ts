import { attachmentTokensOf } from './attachment-tokens.js';
import { o200kCount } from './o200k.js';
import { BOUND_FRAMING, CHAT_FRAMING, inputTokenBound, measureRequest, quarterBytes, type TokenCountRequest } from './token-bound.js';
import { countedExactly, countTokens, scaledCount } from './tokens.js';
import type { ModelInfo } from './types.js';
import { utf8Bytes } from './utf8-bytes.js';

/**
 * The input tokens of one request, as each decision about it needs them. Until `refine()` every figure is the
 * byte bound (`inputTokenBound`): no tokenizer is loaded, and no input can be counted above what it is. After
 * `refine()` (done only where an exact count changes a decision, see `exactCountReason`), models counted with
 * o200k get their exact count (still in the bound's framing, so still an upper bound), and windows of other
 * models are compared with an estimate. The texts are measured once for every model; each figure for a model
 * adds the bound of the request's images and PDFs by that model's provider (`attachmentTokens`), which no
 * tokenizer refines.
 */
export class RequestTokens<R extends TokenCountRequest = TokenCountRequest> {
  /** Never below any model's count of this request (images and PDFs at the largest any provider's rules give). */
  readonly bound: number;
  /** The texts' byte bound: their UTF-8 bytes plus framing allowances. */
  readonly textBound: number;
  #o200k: number | undefined;
  #estimate: number | undefined;

  constructor(readonly request: R) {
    this.textBound = measureRequest(request, utf8Bytes, BOUND_FRAMING);
    this.bound = inputTokenBound(request);
  }

  /** True once the request was counted with o200k. */
  get refined(): boolean {
    return this.#o200k !== undefined;
  }

  /** Counts the request's texts with o200k (loads the encoder on first use). Idempotent. */
  refine(): void {
    this.#o200k ??= Math.min(this.textBound, measureRequest(this.request, o200kCount, BOUND_FRAMING));
  }

  /** The tokens of the request's images and PDFs on this model's provider (0 without any). */
  attachments(model: ModelInfo): number {
    return attachmentTokensOf(model, this.request.messages);
  }

  /** The byte bound for this model (`inputTokenBound(request, model)`): never below what it will bill. */
  boundFor(model: ModelInfo): number {
    return this.textBound + this.attachments(model);
  }

  /**
   * What budgets reserve and price tiers are chosen by, for this model: never below the tokens it will bill.
   * The exact (o200k) count once refined, for models counted with o200k; the byte bound otherwise.
   */
  forBudget(model: ModelInfo): number {
    const text = this.#o200k !== undefined && countedExactly(model) ? this.#o200k : this.textBound;
    return text + this.attachments(model);
  }

  /**
   * What windows are compared with, for this model: the budget's count, or once refined, for a model whose
   * tokenizer is not public, the o200k count times its `tokenFactor`. An estimate may be low; a provider that
   * counts more answers `context_length`, and the call fails over to a larger window.
   */
  forWindow(model: ModelInfo): number {
    if (this.#o200k === undefined || countedExactly(model)) return this.forBudget(model);
    return Math.min(this.textBound, scaledCount(model, this.#o200k)) + this.attachments(model);
  }

  /** A realistic count for this model without a tokenizer (for rate limits): see `inputTokenEstimate`. */
  estimate(model: ModelInfo): number {
    this.#estimate ??= measureRequest(this.request, quarterBytes, CHAT_FRAMING);
    return this.#estimate + this.attachments(model);
  }

  /** The request in OpenAI's chat framing, counted with o200k (what a route function reads as `inputTokens`). */
  counted(): number {
    return countTokens({ id: '', provider: 'openai' } as ModelInfo, this.request);
  }
}
