import type { Usage } from '../models/types.js';
import { field, figure, isFigure, isMissing, plus } from './usage-figures.js';

/** The usage fields Anthropic reports, cumulative over the message. */
export type RawUsage = Record<string, unknown>;

const FIELDS = ['input_tokens', 'cache_read_input_tokens', 'cache_creation_input_tokens', 'output_tokens'] as const;
type Field = (typeof FIELDS)[number];
type Sums = Record<Field, number>;

/** Iterations the top-level figures already count: the model's own sampling turns. */
const COUNTED = new Set(['message', 'fallback_message']);

/** Sums of `usage.iterations`: the sampling turns the top level counts, and the server-side sub-calls it does not. */
function iterationSums(iterations: unknown): { counted: Sums; extra: Sums } {
  const counted: Sums = { input_tokens: 0, cache_read_input_tokens: 0, cache_creation_input_tokens: 0, output_tokens: 0 };
  const extra: Sums = { ...counted };
  if (!Array.isArray(iterations)) return { counted, extra };
  for (const entry of iterations) {
    const into = COUNTED.has(String(field(entry, 'type'))) ? counted : extra;
    for (const key of FIELDS) {
      const value = field(entry, key);
      if (isFigure(value) && value > 0) into[key] += value;
    }
  }
  return { counted, extra };
}

/**
 * One top-level figure with the iterations added: the larger of the top level and its counted iterations (the
 * top level includes the model's own turns; should a server report them only per iteration, their sum is the
 * floor), plus the server-side sub-calls (compaction, advisor) that it leaves out. Missing or garbage top-level
 * figures pass through untouched.
 */
function withIterations(raw: RawUsage, key: Field, sums: { counted: Sums; extra: Sums }): number {
  const top = raw[key];
  // Cache figures are null when nothing was cached: that is none, not a missing count.
  const cache = key === 'cache_read_input_tokens' || key === 'cache_creation_input_tokens';
  if (cache && isMissing(top)) return sums.counted[key] + sums.extra[key];
  if (!isFigure(top)) return figure(top);
  return Math.max(top, sums.counted[key]) + sums.extra[key];
}

/**
 * Anthropic usage as switchyard counts it. Our `inputTokens` is ALL input: Anthropic's `input_tokens` excludes
 * cache reads and writes, so they are added. Server-side sub-calls reported in `usage.iterations` (compaction,
 * advisor calls), which the top-level figures leave out, are added to the totals: they were billed. Reasoning
 * is `output_tokens_details.thinking_tokens` (inside `output_tokens`).
 */
export function anthropicUsage(raw: RawUsage): Usage {
  const sums = iterationSums(raw['iterations']);
  const read = withIterations(raw, 'cache_read_input_tokens', sums);
  const write = withIterations(raw, 'cache_creation_input_tokens', sums);
  return {
    inputTokens: plus(withIterations(raw, 'input_tokens', sums), read, write),
    cachedInputTokens: read,
    cacheWriteTokens: write,
    outputTokens: withIterations(raw, 'output_tokens', sums),
    reasoningTokens: figure(field(raw, 'output_tokens_details', 'thinking_tokens')),
  };
}

/** message_delta carries cumulative figures; null or missing ones keep the message_start value. */
export function mergeUsage(into: RawUsage, from: unknown): RawUsage {
  const out: RawUsage = { ...into };
  if (typeof from !== 'object' || from === null) return out;
  for (const [key, value] of Object.entries(from)) {
    if (value !== null && value !== undefined) out[key] = value;
  }
  return out;
}
