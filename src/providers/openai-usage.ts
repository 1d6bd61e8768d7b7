import type { Usage } from '../models/types.js';
import { field, figure, isFigure, plus } from './usage-figures.js';

/**
 * Whether `output` excludes `reasoning` (xAI's convention: `total = prompt + completion + reasoning`), told
 * from the figures: the total says so, or there is more reasoning than output (impossible when it is included,
 * as OpenAI reports it).
 */
function reasoningExcluded(input: unknown, output: unknown, reasoning: unknown, total: unknown): boolean {
  if (!isFigure(reasoning) || reasoning <= 0 || !isFigure(output)) return false;
  if (isFigure(total) && isFigure(input) && total === input + output + reasoning) return true;
  return reasoning > output;
}

/** Output tokens with reasoning included, whichever convention the wire followed. */
function outputWithReasoning(input: unknown, output: unknown, reasoning: unknown, total: unknown): number {
  return reasoningExcluded(input, output, reasoning, total) ? plus(output, reasoning) : figure(output);
}

/**
 * Chat Completions usage. Besides OpenAI's own fields, two conventions of OpenAI-compatible servers are read:
 * - a hub translating Claude reports Anthropic's `cache_read_input_tokens` / `cache_creation_input_tokens`
 *   beside `prompt_tokens`, which then excludes them (Anthropic's convention) — unless the hub also reports
 *   `prompt_tokens_details.cached_tokens` equal to the reads, the OpenAI convention of a prompt count that
 *   already includes them;
 * - xAI's `completion_tokens` excludes reasoning (`total = prompt + completion + reasoning`).
 */
export function chatUsage(raw: unknown): Usage {
  const prompt = field(raw, 'prompt_tokens');
  const completion = field(raw, 'completion_tokens');
  const reasoning = field(raw, 'completion_tokens_details', 'reasoning_tokens');
  const cachedDetail = field(raw, 'prompt_tokens_details', 'cached_tokens');
  const read = field(raw, 'cache_read_input_tokens');
  const write = field(raw, 'cache_creation_input_tokens');
  const anthropicCache = isFigure(read) || isFigure(write);
  const promptIncludesCache = isFigure(cachedDetail) && isFigure(read) && read > 0 && cachedDetail === read;
  return {
    inputTokens: anthropicCache && !promptIncludesCache ? plus(prompt, read, write) : figure(prompt),
    cachedInputTokens: figure(anthropicCache ? (read ?? 0) : cachedDetail),
    // The OpenAI wire has no cache-write figure: 0 is what it reports, not a missing value.
    cacheWriteTokens: anthropicCache ? figure(write ?? 0) : 0,
    outputTokens: outputWithReasoning(prompt, completion, reasoning, field(raw, 'total_tokens')),
    reasoningTokens: figure(reasoning),
  };
}

/**
 * Responses API usage: `input_tokens` includes the cached ones (`input_tokens_details.cached_tokens`) and
 * `output_tokens` the reasoning ones (`output_tokens_details.reasoning_tokens`); a server that reports reasoning
 * apart from output is read as Chat Completions' xAI convention is.
 */
export function responsesUsage(raw: unknown): Usage {
  const input = field(raw, 'input_tokens');
  const output = field(raw, 'output_tokens');
  const reasoning = field(raw, 'output_tokens_details', 'reasoning_tokens');
  return {
    inputTokens: figure(input),
    cachedInputTokens: figure(field(raw, 'input_tokens_details', 'cached_tokens')),
    cacheWriteTokens: 0,
    outputTokens: outputWithReasoning(input, output, reasoning, field(raw, 'total_tokens')),
    reasoningTokens: figure(reasoning),
  };
}
