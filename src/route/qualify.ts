import { worstCaseCostOf } from '../models/cost.js';
import type { ModelInfo } from '../models/types.js';
import { formatTokens, formatUsd } from './format.js';
import type { RouteInput, RouteEndpoint, RouteRejection, RouteState, RoutedCandidate } from './route-types.js';

/** A model that passed the model-level filters, with its worst case for this call. */
export interface QualifiedModel {
  model: ModelInfo;
  maxOutputTokens: number;
  worstCaseUsd: number;
  worstCaseTokens: number;
}

/** The output limit for this model: the call's (capped at the model's), else the model's max or what the window leaves. */
function outputLimit(model: ModelInfo, input: RouteInput, inputTokens: number): number {
  if (input.maxOutputTokens !== undefined) return Math.min(input.maxOutputTokens, model.maxOutputTokens);
  return Math.min(model.maxOutputTokens, model.contextWindow - inputTokens);
}

/** The call's input tokens as counted for this model (counts differ by tokenizer). */
export function inputTokensFor(model: ModelInfo, input: RouteInput): number {
  return typeof input.inputTokens === 'function' ? input.inputTokens(model) : input.inputTokens;
}

/** Checks window, capabilities and price. Returns the qualified model, or why it does not qualify. */
export function qualifyModel(model: ModelInfo, input: RouteInput): QualifiedModel | string {
  const inputTokens = inputTokensFor(model, input);
  const usable = model.usableInputTokens ?? model.contextWindow;
  if (inputTokens > usable) {
    const what = usable < model.contextWindow ? 'usable input' : 'context window';
    return `input of ${formatTokens(inputTokens)} tokens exceeds its ${what} of ${formatTokens(usable)}`;
  }
  const maxOutputTokens = outputLimit(model, input, inputTokens);
  if (maxOutputTokens <= 0 || inputTokens + maxOutputTokens > model.contextWindow) {
    return `${formatTokens(inputTokens)} input + ${formatTokens(Math.max(0, maxOutputTokens))} output tokens do not fit its ${formatTokens(model.contextWindow)}-token window`;
  }
  const requires = input.requires ?? {};
  for (const capability of ['tools', 'structuredOutput', 'vision'] as const) {
    if (requires[capability] && !model.capabilities[capability]) return `it does not support ${capability}`;
  }
  const worstCaseUsd = worstCaseCostOf(model, inputTokens, maxOutputTokens);
  if (input.maxPriceUsd !== undefined && worstCaseUsd > input.maxPriceUsd) {
    return `its worst case ${formatUsd(worstCaseUsd)} exceeds maxPriceUsd ${formatUsd(input.maxPriceUsd)}`;
  }
  return { model, maxOutputTokens, worstCaseUsd, worstCaseTokens: inputTokens + maxOutputTokens };
}

const BUILT_IN_FAMILIES: ReadonlySet<string> = new Set(['openai', 'anthropic', 'google']);

/** For a model of a family no built-in adapter speaks: which endpoint would serve it. */
function unservedHint(model: ModelInfo): string {
  if (BUILT_IN_FAMILIES.has(model.provider)) return '';
  return ` (its provider is '${model.provider}': name an endpoint '${model.provider}', or list ${model.id} in an endpoint's models)`;
}

/** Expands a qualified model to every endpoint that serves it, allowed and healthy; records why others are out. */
export function expandEndpoints<E extends RouteEndpoint>(
  q: QualifiedModel,
  source: string,
  endpoints: readonly E[],
  input: RouteInput,
  state: RouteState,
  rejected: RouteRejection[],
): RoutedCandidate<E>[] {
  const id = q.model.id;
  const out: RoutedCandidate<E>[] = [];
  let served = false;
  for (const endpoint of endpoints) {
    if (!endpoint.serves(q.model)) continue;
    served = true;
    const allowed = input.providers;
    if (allowed && !allowed.includes(endpoint.name) && !allowed.includes(q.model.provider)) {
      rejected.push({ model: id, endpoint: endpoint.name, reason: `neither ${endpoint.name} nor ${q.model.provider} is in the allowed providers` });
      continue;
    }
    if (state.isOpen?.(endpoint.name, id)) {
      rejected.push({ model: id, endpoint: endpoint.name, reason: 'its circuit is open (repeated failures)' });
      continue;
    }
    const latencyMs = state.latencyMs?.(endpoint.name, id);
    const again = out.length > 0 ? `; the same model on another endpoint (${endpoint.name})` : '';
    const candidate: RoutedCandidate<E> = {
      model: q.model,
      endpoint: endpoint.name,
      provider: endpoint,
      reason: `${id}: ${source}${again}`,
      worstCaseUsd: q.worstCaseUsd,
      worstCaseTokens: q.worstCaseTokens,
      maxOutputTokens: q.maxOutputTokens,
    };
    if (latencyMs !== undefined) candidate.latencyMs = latencyMs;
    out.push(candidate);
  }
  if (!served) rejected.push({ model: id, reason: `no configured endpoint serves it${unservedHint(q.model)}` });
  return out;
}
