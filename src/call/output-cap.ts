import type { FittedOutput, OutputFitSpec } from '../budget/budget-ledger.js';
import { priceTierFor } from '../models/cost.js';
import type { Provider } from '../providers/types.js';
import { formatTokens, formatUsd } from '../route/format.js';
import type { RoutedCandidate } from '../route/route-types.js';

/**
 * The least output cap a budget-fitted call is sent: enough for a short answer, a classification with some
 * reasoning, or a tool call. Below it the call is refused (or waits for its siblings' settlements) rather than
 * sent with a cap that would cut most replies short.
 */
export const DEFAULT_MIN_OUTPUT_TOKENS = 1_024;

/** The output cap an attempt sent to the provider, and how it was chosen. */
export interface OutputCap {
  /** The most output tokens the provider was asked for (its `max_tokens` or equivalent); it enforces it. */
  tokens: number;
  /**
   * True when the cap was fitted to a budget: the call set no `maxOutputTokens`, and what a budget could spare
   * was less than the model's max output.
   */
  fitted: boolean;
  /** Why this cap, in words (which budget, how much it had left). */
  reason: string;
}

/** What the ledger is asked to fit for a candidate of a call without maxOutputTokens, or undefined. */
export function fitSpecFor(candidate: RoutedCandidate<Provider>): OutputFitSpec | undefined {
  if (candidate.minOutputTokens === undefined) return undefined;
  const usdPerToken = priceTierFor(candidate.model, candidate.inputTokens).output / 1e6;
  return { minTokens: candidate.minOutputTokens, maxTokens: candidate.maxOutputTokens, usdPerToken };
}

/** The cap an attempt sends, with its reason: the call's, the model's (or its window's), or fitted to a budget. */
export function outputCapOf(candidate: RoutedCandidate<Provider>, fitted: FittedOutput | undefined): OutputCap {
  const model = candidate.model;
  if (candidate.minOutputTokens === undefined) return { tokens: candidate.maxOutputTokens, fitted: false, reason: "the call's maxOutputTokens" };
  const tokens = fitted?.tokens ?? candidate.maxOutputTokens;
  const limit = fitted?.limitedBy;
  if (limit === undefined) {
    const most = candidate.maxOutputTokens === model.maxOutputTokens ? `${model.id}'s max output` : `what ${model.id}'s window or maxPriceUsd leaves for output`;
    return { tokens, fitted: false, reason: `no maxOutputTokens: ${most}, which the budget covers` };
  }
  const left = limit.unit === 'usd' ? formatUsd(limit.left) : `${formatTokens(limit.left)} tokens`;
  const how =
    tokens === candidate.minOutputTokens && tokens < candidate.maxOutputTokens
      ? `the least cap (minOutputTokens), which the ${left} the ${limit.level} budget had left still holds`
      : `at most half of the ${left} the ${limit.level} budget had left, so calls beside it still fit`;
  return { tokens, fitted: true, reason: `no maxOutputTokens: fitted to ${formatTokens(tokens)} output tokens, ${how}` };
}
