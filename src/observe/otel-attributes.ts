import type { Usage } from '../models/types.js';
import type { BudgetFigures } from '../run/events.js';

/** Span attribute values as OpenTelemetry accepts them. */
export type Attributes = Record<string, string | number | boolean | string[]>;

/** `gen_ai.provider.name` for a wire family (OpenTelemetry GenAI semantic conventions' well-known values). */
export function genAiProviderName(family: string | undefined, endpoint: string): string {
  switch (family) {
    case 'openai':
      return 'openai';
    case 'anthropic':
      return 'anthropic';
    case 'google':
      return 'gcp.gemini';
    default:
      return family ?? endpoint;
  }
}

/** Token usage as GenAI semantic-convention attributes (cache reads and writes are part of input). */
export function usageAttributes(usage: Usage | undefined): Attributes {
  if (!usage) return {};
  const out: Attributes = {
    'gen_ai.usage.input_tokens': usage.inputTokens,
    'gen_ai.usage.output_tokens': usage.outputTokens,
    'gen_ai.usage.cache_read.input_tokens': usage.cachedInputTokens,
    'gen_ai.usage.cache_creation.input_tokens': usage.cacheWriteTokens,
    // the name newer revisions of the conventions use for cache creation
    'gen_ai.usage.cache_write.input_tokens': usage.cacheWriteTokens,
    'gen_ai.usage.reasoning.output_tokens': usage.reasoningTokens,
  };
  if (usage.estimated) out['switchyard.usage.estimated'] = true;
  return out;
}

/** Usage totals of a node or run, under `switchyard.*` names (not `gen_ai.usage.*`, which belongs to the calls). */
export function totalsAttributes(usage: Usage | undefined, costUsd: number): Attributes {
  const out: Attributes = { 'switchyard.cost_usd': costUsd };
  if (!usage) return out;
  out['switchyard.usage.input_tokens'] = usage.inputTokens;
  out['switchyard.usage.cached_input_tokens'] = usage.cachedInputTokens;
  out['switchyard.usage.cache_write_tokens'] = usage.cacheWriteTokens;
  out['switchyard.usage.output_tokens'] = usage.outputTokens;
  return out;
}

/** The budget after a reservation: what was reserved, and what remains at each level that has a limit. */
export function budgetAttributes(amountUsd: number, levels: readonly BudgetFigures[]): Attributes {
  const out: Attributes = { 'switchyard.budget.reserved_usd': amountUsd };
  let tightest: number | undefined;
  for (const level of levels) {
    if (level.remainingUsd === undefined) continue;
    out[`switchyard.budget.${level.level}.remaining_usd`] = level.remainingUsd;
    tightest = tightest === undefined ? level.remainingUsd : Math.min(tightest, level.remainingUsd);
  }
  if (tightest !== undefined) out['switchyard.budget.remaining_usd'] = tightest;
  return out;
}
