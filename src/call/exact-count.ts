import { priceTierFor } from '../models/cost.js';
import { countedExactly } from '../models/tokens.js';
import type { ModelInfo } from '../models/types.js';

/** Below this bound, an exact count is not taken for the budget's sake: the bound over-reserves a few cents at most. */
export const SMALL_INPUT_TOKENS = 1_024;
/** An exact count is worth taking when the input's bound would hold more than this share of what a budget has left. */
const BUDGET_SHARE = 0.1;

const NO_ATTACHMENTS = (): number => 0;

/** What `exactCountReason` looks at. */
export interface ExactCountInput {
  /** The byte bound of the request's texts (what an exact count can lower). */
  bound: number;
  /** The tokens of the request's images and PDFs on a model (no count lowers them). @default none */
  attachments?: (model: ModelInfo) => number;
  /** The models routing considered: its candidates, and the models it rejected. */
  models: readonly ModelInfo[];
  /** The call's maxOutputTokens, when it set one. */
  maxOutputTokens?: number;
  /** What the tightest budget of the call's chain has left, read only when needed. */
  budgetLeft?: () => { usd?: number; tokens?: number };
}

/**
 * Why counting a request's tokens exactly (o200k; about a second and ~100 MB of heap the first time) could
 * change a decision about it — or undefined when the byte bound decides everything as an exact count would.
 * Pure. The bound never undercounts, so the only decisions it can get wrong are ones where it is too high:
 * - a window: the bound passes a model's usable input, or leaves less than the model's max output (or the
 *   call's maxOutputTokens) in its window — for any model, since other families' windows are then compared
 *   with an estimate;
 * - a price cliff: the bound is above a tier's `aboveInputTokens` of a model counted with o200k (the exact count
 *   may bill at the lower tier);
 * - a budget: for a model counted with o200k, the bound's input cost (or tokens) would hold more than a tenth
 *   of what the tightest budget has left, so the output cap fitted to it would be noticeably smaller.
 * Images and PDFs count their bound on each model; a line they pass on their own, no count of the text moves.
 */
export function exactCountReason(input: ExactCountInput): string | undefined {
  const fixedOn = input.attachments ?? NO_ATTACHMENTS;
  for (const model of input.models) {
    const fixed = fixedOn(model);
    const bound = input.bound + fixed;
    const usable = model.usableInputTokens ?? model.contextWindow;
    if (bound > usable && fixed < usable) return `the bound of ${bound} input tokens passes ${model.id}'s usable input (${usable})`;
    const output = Math.min(input.maxOutputTokens ?? model.maxOutputTokens, model.maxOutputTokens);
    if (bound + output > model.contextWindow && fixed + output < model.contextWindow) {
      return `the bound of ${bound} input tokens leaves less than ${output} output tokens in ${model.id}'s window`;
    }
    if (!countedExactly(model)) continue;
    const cliff = (model.pricing.tiers ?? []).find((tier) => bound > tier.aboveInputTokens && fixed <= tier.aboveInputTokens);
    if (cliff) return `the bound of ${bound} input tokens is above ${model.id}'s price cliff at ${cliff.aboveInputTokens}`;
  }
  if (input.bound <= SMALL_INPUT_TOKENS || input.budgetLeft === undefined) return undefined;
  const exact = input.models.filter(countedExactly);
  if (exact.length === 0) return undefined;
  const left = input.budgetLeft();
  for (const model of exact) {
    const bound = input.bound + fixedOn(model);
    const usd = (bound * priceTierFor(model, bound).input) / 1e6;
    if (left.usd !== undefined && usd > left.usd * BUDGET_SHARE) return `the bound's input cost on ${model.id} is over a tenth of the budget left`;
    if (left.tokens !== undefined && bound > left.tokens * BUDGET_SHARE) return `the bound of ${bound} input tokens is over a tenth of the token budget left`;
  }
  return undefined;
}
