import type Anthropic from '@anthropic-ai/sdk';
import type { Message, ModelRequest } from '../models/types.js';
import { ownData } from './provider-state.js';
import { fittedThinkingBudget } from './thinking-budget.js';

/** The thinking blocks a reply leaves on its assistant turn, sent back (unchanged, in order) to the same endpoint. */
export interface AnthropicTurnState {
  blocks: Array<Anthropic.Messages.ThinkingBlockParam | Anthropic.Messages.RedactedThinkingBlockParam>;
}

/** Anthropic's smallest thinking budget. */
export const MIN_THINKING_BUDGET = 1_024;

/**
 * Whether the request continues a tool loop whose assistant turn has no thinking block of this endpoint: a turn
 * made elsewhere (the agent failed over) or without thinking. Anthropic refuses thinking there (the assistant turn
 * that called the tools must start with its thinking block), so such a request goes without thinking.
 */
function continuesTurnWithoutThinking(messages: readonly Message[], owner: string): boolean {
  if (messages.at(-1)?.role !== 'tool') return false;
  const turn = messages.findLast((message) => message.role === 'assistant');
  if (turn === undefined || turn.role !== 'assistant') return false;
  return (ownData<AnthropicTurnState>(turn.providerState, owner)?.blocks.length ?? 0) === 0;
}

/**
 * Extended thinking for one request: a budget from the effort (or `budgetTokens`), fitted inside `max_tokens`
 * (thinking counts toward it) with a quarter of it left for the reply. None when the effort is 'none', when the
 * budget cannot reach Anthropic's minimum of 1,024 tokens within the cap, when structured output forces its tool
 * (Anthropic does not think under a forced tool choice), or when the request continues a tool turn that has no
 * thinking block of this endpoint.
 */
export function thinkingConfig(request: ModelRequest, maxTokens: number, owner: string): Anthropic.Messages.ThinkingConfigEnabled | undefined {
  const reasoning = request.reasoning;
  if (reasoning === undefined || reasoning.effort === 'none' || request.output !== undefined) return undefined;
  if (continuesTurnWithoutThinking(request.messages, owner)) return undefined;
  const budget = fittedThinkingBudget(reasoning, maxTokens);
  return budget < MIN_THINKING_BUDGET ? undefined : { type: 'enabled', budget_tokens: budget };
}
