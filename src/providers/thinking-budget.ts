import type { ReasoningOptions, ReasoningEffort } from '../models/types.js';

/** The thinking budget, in tokens, each effort gets on wires that take a budget (Anthropic, Gemini 2.x). */
export const THINKING_BUDGETS: Readonly<Record<Exclude<ReasoningEffort, 'none'>, number>> = {
  minimal: 1_024,
  low: 4_096,
  medium: 16_384,
  high: 32_768,
  xhigh: 65_536,
};

/** Output kept for the reply itself when thinking shares the cap: a quarter of it, at least 1,024 tokens. */
export function replyRoom(maxOutputTokens: number): number {
  return Math.max(1_024, Math.floor(maxOutputTokens / 4));
}

/**
 * The thinking budget of a request: `budgetTokens`, else the effort's, fitted inside the output cap (thinking
 * counts toward it) with room left for the reply. May be below a wire's minimum: the caller decides.
 */
export function fittedThinkingBudget(reasoning: ReasoningOptions, maxOutputTokens: number | undefined): number {
  const wanted = reasoning.budgetTokens ?? (reasoning.effort === 'none' ? 0 : THINKING_BUDGETS[reasoning.effort]);
  if (maxOutputTokens === undefined) return wanted;
  return Math.max(0, Math.min(wanted, maxOutputTokens - replyRoom(maxOutputTokens)));
}
