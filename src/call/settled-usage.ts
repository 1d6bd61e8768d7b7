import type { ModelInfo, Usage } from '../models/types.js';

/** What the settlement of one attempt knows besides the provider's report. */
export interface SettleFacts {
  model: ModelInfo;
  /** The usage the provider reported, as it arrived (untrusted: any field may be missing, negative, text...). */
  reported: Usage | undefined;
  /** Whether the provider sent anything at all (an attempt refused before any event consumed nothing). */
  anything: boolean;
  /** The estimate of the input, from the request (what the reservation counted). */
  inputEstimate(): number;
  /** The estimate of the output, from what streamed (the model's tokenizer, rounded up; reasoning included). */
  outputEstimate(): number;
  /** The estimate of the reasoning, from the reasoning text that streamed (0 when none did). */
  reasoningEstimate(): number;
  /** Output tokens that certainly streamed: a floor no tokenizer goes below (see `tokenFloor`). */
  outputFloor(): number;
  /** Output tokens the budget holds for the attempt: the cap it was sent, plus any overrun allowance. */
  heldOutput: number;
}

/** The usage an attempt is charged, and, when the provider's report could not be used as it was, why. */
export interface SettledUsage {
  usage: Usage;
  /** What was replaced and by what (absent when the report was used as it was, or when none was expected). */
  note?: string;
}

/** Figures the cache and reasoning fields may leave out (a wire that does not report them means 0). */
type Optional = 'cachedInputTokens' | 'cacheWriteTokens' | 'reasoningTokens';

/**
 * What an attempt is charged. The provider's report when it is sound; every figure that is not a finite
 * non-negative integer (missing, null, negative, fractional, text, NaN, `1e999`), or that no model could produce
 * (input above the context window, output above the model's max output), is replaced:
 * - input by the estimate from the request, output by the estimate from what streamed — never below what
 *   certainly streamed, and never above what the budget held unless what certainly streamed is above it;
 * - cached input by 0 (no discount that cannot be trusted), cache writes by all uncached input (Anthropic bills
 *   them above input; the reservation priced input at the higher price), reasoning by 0 (it is inside output).
 * A cache figure left out (missing or null) is 0: nothing was cached; a reasoning figure left out is the estimate of
 * the reasoning that streamed, never above the output.
 * Inconsistent figures are read the way that cannot undercount, up to what the budget held: cached + written above
 * input means input left them out (they are added); reasoning above output means output left it out (it is added);
 * output below what certainly streamed is replaced by the estimate. Usage with any replaced figure is marked `estimated` and the
 * note says what was replaced. No report at all (a stream cut before it): the estimate, marked `estimated`.
 * Pure, and never throws.
 */
export function settledUsage(facts: SettleFacts): SettledUsage {
  if (facts.reported === undefined) return { usage: unreported(facts) };
  const problems: string[] = [];
  const reported: unknown = facts.reported;
  const raw = (typeof reported === 'object' && reported !== null ? reported : {}) as Record<string, unknown>;
  const usage = {
    inputTokens: required(raw, 'inputTokens', facts.model.contextWindow, facts.inputEstimate, problems),
    cachedInputTokens: optional(raw, 'cachedInputTokens', problems),
    cacheWriteTokens: optional(raw, 'cacheWriteTokens', problems),
    outputTokens: required(raw, 'outputTokens', facts.model.maxOutputTokens, () => outputEstimate(facts), problems),
    reasoningTokens: optional(raw, 'reasoningTokens', problems),
  } satisfies Usage;
  if (usage.cacheWriteTokens < 0) usage.cacheWriteTokens = Math.max(0, usage.inputTokens - usage.cachedInputTokens);
  if (isMissing(raw['reasoningTokens'])) usage.reasoningTokens = Math.min(facts.reasoningEstimate(), usage.outputTokens);
  reconcile(usage, facts, problems);
  if (problems.length === 0) return { usage: raw['estimated'] === true ? { ...usage, estimated: true } : usage };
  return {
    usage: { ...usage, estimated: true },
    note: `The usage ${facts.model.id} reported was not sound, so part of it was replaced: ${problems.join('; ')}.`,
  };
}

/** Nothing reported: nothing if nothing arrived, else the estimate. */
function unreported(facts: SettleFacts): Usage {
  if (!facts.anything) return { inputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 0, reasoningTokens: 0 };
  const outputTokens = outputEstimate(facts);
  return {
    inputTokens: facts.inputEstimate(),
    cachedInputTokens: 0,
    cacheWriteTokens: 0,
    outputTokens,
    reasoningTokens: Math.min(facts.reasoningEstimate(), outputTokens),
    estimated: true,
  };
}

/** The output estimate: at least the floor, at most what was held unless the floor is above it. */
function outputEstimate(facts: SettleFacts): number {
  const floor = facts.outputFloor();
  return Math.max(floor, Math.min(facts.outputEstimate(), facts.heldOutput));
}

const isMissing = (value: unknown): boolean => value === undefined || value === null;

const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

function shown(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/** Input or output: a sound count within `most`, else the estimate. */
function required(raw: Record<string, unknown>, field: 'inputTokens' | 'outputTokens', most: number, estimate: () => number, problems: string[]): number {
  const value = raw[field];
  if (isCount(value) && value <= most) return value;
  const replacement = estimate();
  const why = isCount(value) ? `more than the model can ${field === 'inputTokens' ? 'read' : 'write'} (${most})` : 'not a token count';
  problems.push(`${field} ${value === undefined ? 'was missing' : `was ${shown(value)} (${why})`}, charged as ${replacement} (estimated)`);
  return replacement;
}

/** A cache or reasoning figure: missing or null is 0; anything else unsound is flagged (-1: cache writes to decide). */
function optional(raw: Record<string, unknown>, field: Optional, problems: string[]): number {
  const value = raw[field];
  if (isMissing(value)) return 0;
  if (isCount(value)) return value;
  const fallback = field === 'cacheWriteTokens' ? 'all uncached input' : '0';
  problems.push(`${field} was ${shown(value)} (not a token count), charged as ${fallback}`);
  return field === 'cacheWriteTokens' ? -1 : 0;
}

/**
 * Reads inconsistent figures the way that cannot undercount, as far as the budget held (a reading is a guess, and a
 * guess is not charged past the hold: the figure the provider reported may be, the guess on top of it may not).
 */
function reconcile(usage: Usage, facts: SettleFacts, problems: string[]): void {
  const cache = usage.cachedInputTokens + usage.cacheWriteTokens;
  if (cache > usage.inputTokens) {
    const input = Math.min(usage.inputTokens + cache, Math.max(usage.inputTokens, facts.inputEstimate()));
    problems.push(`cached + cache-write tokens (${cache}) exceeded inputTokens (${usage.inputTokens}), read as left out of it: input charged as ${input}`);
    usage.inputTokens = input;
  }
  if (usage.reasoningTokens > usage.outputTokens) {
    const output = Math.min(usage.outputTokens + usage.reasoningTokens, Math.max(usage.outputTokens, facts.heldOutput));
    problems.push(`reasoningTokens (${usage.reasoningTokens}) exceeded outputTokens (${usage.outputTokens}), read as left out of it: output charged as ${output}`);
    usage.outputTokens = output;
  }
  const floor = facts.outputFloor();
  if (usage.outputTokens < floor) {
    const replacement = outputEstimate(facts);
    problems.push(`outputTokens (${usage.outputTokens}) is below what certainly streamed (${floor}), charged as ${replacement} (estimated)`);
    usage.outputTokens = replacement;
  }
}
