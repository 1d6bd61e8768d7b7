import { attachmentTokensOf } from './attachment-tokens.js';
import { o200kCount } from './o200k.js';
import { CHAT_FRAMING, measureRequest, type TokenCountRequest } from './token-bound.js';
import type { ModelInfo } from './types.js';

export type { TokenCountRequest };

/** Multiplier over the o200k count for models without their own entry (`ModelInfo.tokenFactor`). */
export const DEFAULT_TOKEN_FACTOR = 1.15;

function factorOf(model: ModelInfo): number {
  return model.tokenFactor ?? (model.provider === 'openai' ? 1 : DEFAULT_TOKEN_FACTOR);
}

/** Whether the o200k count is this model's own count (the 'openai' family, no other `tokenFactor`). */
export function countedExactly(model: ModelInfo): boolean {
  return model.provider === 'openai' && factorOf(model) === 1;
}

/** An o200k count scaled to the model's tokenizer, rounded up. */
export function scaledCount(model: ModelInfo, count: number): number {
  const factor = factorOf(model);
  return factor === 1 ? count : Math.ceil(count * factor);
}

/**
 * Tokens of a text for this model. For the 'openai' family this is the exact o200k_base count (js-tiktoken,
 * offline). For others — whose tokenizers are not public — it is an estimate: the o200k count times
 * `model.tokenFactor` (default 1.15), rounded up. Pieces of 200+ characters of one kind (a run of spaces or
 * symbols, letters without a break) count as their UTF-8 bytes, an upper bound, since encoding them exactly is
 * quadratic. Synchronous; the first call builds the encoder (about a second, ~100 MB of heap) — budgets and
 * routing do not need it (see `inputTokenBound`).
 */
export function countTextTokens(model: ModelInfo, text: string): number {
  return scaledCount(model, o200kCount(text));
}

/**
 * Input tokens of a request for this model: the system prompt and every message in OpenAI's chat framing (3
 * tokens per message plus its role, 3 to prime the reply), tool calls and results, plus tool definitions and the
 * output schema as their JSON text with a small preamble. Message text is counted exactly for the 'openai'
 * family; tool and schema definitions are a close estimate (providers render them in their own formats). Other
 * families: the same count times `model.tokenFactor` (default 1.15), rounded up. Images and PDFs add their bound
 * by the model's provider's published rules (`attachmentTokens`, not scaled: they are the provider's own counts);
 * text files count as their text. This is what a cut stream's input is charged at; budgets reserve
 * `inputTokenBound`, which is never below it. See `countTextTokens`.
 */
export function countTokens(model: ModelInfo, request: TokenCountRequest): number {
  return scaledCount(model, measureRequest(request, o200kCount, CHAT_FRAMING)) + attachmentTokensOf(model, request.messages);
}
