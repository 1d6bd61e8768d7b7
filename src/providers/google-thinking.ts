import type { ThinkingConfig, ThinkingLevel } from '@google/genai';
import type { ModelRequest } from '../models/types.js';
import { fittedThinkingBudget } from './thinking-budget.js';

/** The thought signature of a function call, sent back on that part to the same endpoint. */
export interface GoogleCallState {
  signature: string;
}

/** The thought signature of a reply's other parts (text), sent back on the text of that turn. */
export interface GoogleTurnState {
  signature: string;
}

/**
 * What Gemini 3 accepts on a function-call part whose real signature is unknown (a call made by another
 * provider before a failover, or one whose state was dropped): Google's documented value for skipping the
 * signature check. Without a signature Gemini 3 refuses the request with a 400.
 */
export const SKIP_SIGNATURE = 'skip_thought_signature_validator';

/** Whether a Gemini model checks thought signatures on function calls (Gemini 3 and later; 1.x and 2.x do not). */
export function checksSignatures(wireModel: string): boolean {
  return !/gemini-[12](\.|-)/.test(wireModel);
}

/**
 * Gemini's `thinkingConfig` for a request, with thoughts included so their summaries stream as reasoning: Gemini 3
 * takes the effort as `thinkingLevel`; Gemini 2.x, or a call that gives `budgetTokens`, a `thinkingBudget` fitted
 * inside the output cap. Effort 'none' turns thinking off (`thinkingBudget: 0`, for models that allow it).
 */
export function thinkingConfigOf(request: ModelRequest, wireModel: string): ThinkingConfig | undefined {
  const reasoning = request.reasoning;
  if (reasoning === undefined) return undefined;
  if (reasoning.effort === 'none') return { thinkingBudget: 0 };
  if (reasoning.budgetTokens === undefined && checksSignatures(wireModel)) {
    return { thinkingLevel: reasoning.effort.toUpperCase() as ThinkingLevel, includeThoughts: true };
  }
  return { thinkingBudget: fittedThinkingBudget(reasoning, request.maxOutputTokens), includeThoughts: true };
}
