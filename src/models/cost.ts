import type { ModelInfo, PriceTier, Usage } from './types.js';

/** The prices that apply to one request, with every optional price resolved. */
export interface ResolvedPrices {
  input: number;
  cachedInput: number;
  cacheWrite: number;
  output: number;
  /** The `aboveInputTokens` of the tier that applies; 0 for the base prices. */
  aboveInputTokens: number;
}

/** One request's cost by part, in USD. `total` is computed exactly, not by adding the rounded parts. */
export interface CostBreakdown {
  input: number;
  cachedInput: number;
  cacheWrite: number;
  output: number;
  total: number;
  prices: ResolvedPrices;
}

// Prices are held as integer micro-dollars per million tokens (= pico-dollars per token), so every product
// tokens x price is an exact integer and the only rounding is the one division at the end.
const PICO = 1e12;
const micro = (usdPerMillion: number) => Math.round(usdPerMillion * 1e6);
const toUsd = (picoDollars: number) => picoDollars / PICO;

function resolve(tier: PriceTier, aboveInputTokens: number): ResolvedPrices {
  return {
    input: tier.input,
    cachedInput: tier.cachedInput ?? tier.input,
    cacheWrite: tier.cacheWrite ?? tier.input,
    output: tier.output,
    aboveInputTokens,
  };
}

/**
 * The prices for a request of `inputTokens` input tokens: the tier with the highest `aboveInputTokens` that the
 * input exceeds (strictly), else the base prices. The whole request bills at the chosen tier, as OpenAI (above
 * 272K) and Google (above 200K) bill long context. Unset cached-input and cache-write prices fall back to the
 * tier's input price.
 */
export function priceTierFor(model: ModelInfo, inputTokens: number): ResolvedPrices {
  let chosen: (PriceTier & { aboveInputTokens: number }) | undefined;
  for (const tier of model.pricing.tiers ?? []) {
    const higher = chosen === undefined || tier.aboveInputTokens > chosen.aboveInputTokens;
    if (inputTokens > tier.aboveInputTokens && higher) chosen = tier;
  }
  return chosen ? resolve(chosen, chosen.aboveInputTokens) : resolve(model.pricing, 0);
}

const count = (value: number | undefined) =>
  value !== undefined && Number.isFinite(value) && value > 0 ? Math.round(value) : 0;

/**
 * The cost of one call by part. Cached input bills at the cached price, cache writes at the cache-write price, the
 * rest of the input at the input price, all output (reasoning included: it is part of `outputTokens`) at the
 * output price. If a provider reported more reasoning than output tokens, the reasoning count is billed instead.
 */
export function costBreakdownOf(model: ModelInfo, usage: Usage): CostBreakdown {
  const prices = priceTierFor(model, count(usage.inputTokens));
  const cached = count(usage.cachedInputTokens);
  const written = count(usage.cacheWriteTokens);
  const plain = Math.max(0, count(usage.inputTokens) - cached - written);
  const output = Math.max(count(usage.outputTokens), count(usage.reasoningTokens));
  const parts = {
    input: plain * micro(prices.input),
    cachedInput: cached * micro(prices.cachedInput),
    cacheWrite: written * micro(prices.cacheWrite),
    output: output * micro(prices.output),
  };
  return {
    input: toUsd(parts.input),
    cachedInput: toUsd(parts.cachedInput),
    cacheWrite: toUsd(parts.cacheWrite),
    output: toUsd(parts.output),
    total: toUsd(parts.input + parts.cachedInput + parts.cacheWrite + parts.output),
    prices,
  };
}

/**
 * The exact cost in USD of one call with this usage: tier-aware (the tier is picked by `usage.inputTokens` and
 * the whole request bills at it), cached input at the cached price, cache writes at the cache-write price,
 * reasoning tokens as output (counted once: they are inside `outputTokens`).
 * @example
 * costOf(defaultCatalog.get('gpt-5.5'), { inputTokens: 1000, cachedInputTokens: 0, cacheWriteTokens: 0,
 *   outputTokens: 500, reasoningTokens: 0 }) // 0.02
 */
export function costOf(model: ModelInfo, usage: Usage): number {
  return costBreakdownOf(model, usage).total;
}

/**
 * The most a call can cost: all input at the input price of the tier the input falls into (no cache discount)
 * plus `maxOutputTokens` at that tier's output price. This is what a budget reserves before a call.
 * Where cache writes bill above input (Anthropic), the input is reserved at the cache-write price instead, since
 * any of it may be written to the cache; otherwise a settled call could cost more than its reservation.
 */
export function worstCaseCostOf(model: ModelInfo, inputTokens: number, maxOutputTokens: number): number {
  const prices = priceTierFor(model, count(inputTokens));
  const inputPrice = Math.max(micro(prices.input), micro(prices.cacheWrite));
  return toUsd(count(inputTokens) * inputPrice + count(maxOutputTokens) * micro(prices.output));
}
