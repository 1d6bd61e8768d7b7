import type { Usage } from './types.js';

/** Usage of a call that consumed nothing. */
export const ZERO_USAGE: Readonly<Usage> = Object.freeze({
  inputTokens: 0,
  cachedInputTokens: 0,
  cacheWriteTokens: 0,
  outputTokens: 0,
  reasoningTokens: 0,
});

/** Adds usages; the sum is marked estimated when any part was. */
export function addUsage(a: Usage, b: Usage): Usage {
  const sum: Usage = {
    inputTokens: a.inputTokens + b.inputTokens,
    cachedInputTokens: a.cachedInputTokens + b.cachedInputTokens,
    cacheWriteTokens: a.cacheWriteTokens + b.cacheWriteTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    reasoningTokens: a.reasoningTokens + b.reasoningTokens,
  };
  if (a.estimated || b.estimated) sum.estimated = true;
  return sum;
}

/** Input + output tokens: what token budgets count. */
export function totalTokens(usage: Usage): number {
  return usage.inputTokens + usage.outputTokens;
}
