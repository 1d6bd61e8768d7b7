import { describeAttachment, type Attachment } from '../models/attachment.js';
import { priceTierFor, worstCaseCostOf } from '../models/cost.js';
import type { Capabilities, ModelInfo } from '../models/types.js';
import { formatTokens, formatUsd } from './format.js';
import type { ReasoningChoice } from './reasoning-choice.js';
import type { RouteInput, RouteEndpoint, RouteRejection, RouteState, RoutedCandidate } from './route-types.js';

/** A model that passed the model-level filters, with its worst case for this call. */
export interface QualifiedModel {
  model: ModelInfo;
  inputTokens: number;
  maxOutputTokens: number;
  /** Set when the output cap is fitted at reservation: the least it may be fitted to. */
  minOutputTokens?: number;
  worstCaseUsd: number;
  worstCaseTokens: number;
  /** The reasoning it gets for this call. */
  reasoning?: ReasoningChoice;
}

const API_NAMES: Readonly<Record<string, string>> = {
  chat: 'the Chat Completions API',
  responses: 'the Responses API',
  messages: 'the Messages API',
  'generate-content': 'the Gemini API',
};

/** Why an endpoint cannot serve a model over the API it speaks (undefined when it can). */
function apiMismatch(model: ModelInfo, endpoint: RouteEndpoint): string | undefined {
  if (model.apis === undefined || endpoint.api === undefined || model.apis.includes(endpoint.api as never)) return undefined;
  const needs = model.apis.map((api) => API_NAMES[api] ?? api).join(' or ');
  const hint = model.apis.includes('responses') ? ` (openai({ api: 'responses' }) makes an endpoint speak it)` : '';
  return `${model.id} is served by ${needs} only, and ${endpoint.name} speaks ${API_NAMES[endpoint.api] ?? endpoint.api}${hint}`;
}

/** The output limit for this model: the call's (capped at the model's), else the model's max or what the window leaves. */
function outputLimit(model: ModelInfo, input: RouteInput, windowTokens: number): number {
  if (input.maxOutputTokens !== undefined) return Math.min(input.maxOutputTokens, model.maxOutputTokens);
  return Math.min(model.maxOutputTokens, model.contextWindow - windowTokens);
}

/** The call's input tokens as budgets count them for this model (counts differ by tokenizer). */
export function inputTokensFor(model: ModelInfo, input: RouteInput): number {
  return typeof input.inputTokens === 'function' ? input.inputTokens(model) : input.inputTokens;
}

/** The call's input tokens as compared with this model's window (`windowTokens`, else `inputTokens`). */
function windowTokensFor(model: ModelInfo, input: RouteInput): number {
  const counted = input.windowTokens ?? input.inputTokens;
  return typeof counted === 'function' ? counted(model) : counted;
}

/** Most output tokens that keep one attempt's worst case within `usd`, or -1 when not even the input fits. */
function affordableOutput(model: ModelInfo, inputTokens: number, usd: number): number {
  const left = usd - worstCaseCostOf(model, inputTokens, 0);
  const perToken = priceTierFor(model, inputTokens).output / 1e6;
  if (left < 0) return -1;
  if (perToken <= 0) return Number.MAX_SAFE_INTEGER;
  let tokens = Math.floor(left / perToken);
  while (tokens > 0 && worstCaseCostOf(model, inputTokens, tokens) > usd) tokens--; // float edges
  return tokens;
}

const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

/** Why a model without a capability the request needs is skipped. */
function unsupported(capability: keyof Capabilities, input: RouteInput): string {
  const attachments = input.attachments ?? [];
  if (capability === 'vision') {
    return `it cannot read images (capabilities.vision is false) and the request has ${count(attachments.filter((a) => a.type === 'image').length, 'image')}`;
  }
  if (capability === 'documents') {
    return `it cannot read PDFs (capabilities.documents is not set) and the request has ${count(attachments.filter((a) => a.type === 'file').length, 'PDF')}`;
  }
  return `it does not support ${capability}`;
}

/** Why an endpoint cannot send the request's attachments to this model, or undefined. */
function attachmentProblem(endpoint: RouteEndpoint, model: ModelInfo, attachments: readonly Attachment[] | undefined): string | undefined {
  for (const attachment of attachments ?? []) {
    if (attachment.source === 'file-id' && attachment.provider !== endpoint.name) {
      return `the request's file ${attachment.fileId} is held by ${attachment.provider}, not ${endpoint.name}`;
    }
    const why = endpoint.attachmentProblem?.(attachment, model);
    if (why !== undefined) return `it cannot take the ${describeAttachment(attachment)}: ${why}`;
  }
  return undefined;
}

/** Checks window, capabilities and price. Returns the qualified model, or why it does not qualify. */
export function qualifyModel(model: ModelInfo, input: RouteInput): QualifiedModel | string {
  const windowTokens = windowTokensFor(model, input);
  const usable = model.usableInputTokens ?? model.contextWindow;
  if (windowTokens > usable) {
    const what = usable < model.contextWindow ? 'usable input' : 'context window';
    return `input of ${formatTokens(windowTokens)} tokens exceeds its ${what} of ${formatTokens(usable)}`;
  }
  let maxOutputTokens = outputLimit(model, input, windowTokens);
  if (maxOutputTokens <= 0 || windowTokens + maxOutputTokens > model.contextWindow) {
    return `${formatTokens(windowTokens)} input + ${formatTokens(Math.max(0, maxOutputTokens))} output tokens do not fit its ${formatTokens(model.contextWindow)}-token window`;
  }
  const requires = input.requires ?? {};
  for (const capability of ['tools', 'structuredOutput', 'vision', 'documents'] as const) {
    if (requires[capability] && !model.capabilities[capability]) return unsupported(capability, input);
  }
  const inputTokens = inputTokensFor(model, input);
  const fitted = input.maxOutputTokens === undefined && input.minOutputTokens !== undefined;
  const minOutputTokens = fitted ? Math.min(input.minOutputTokens!, maxOutputTokens) : undefined;
  if (fitted && input.maxPriceUsd !== undefined) {
    // A fitted cap is fitted to maxPriceUsd too: the attempt's worst case stays within it.
    maxOutputTokens = Math.min(maxOutputTokens, affordableOutput(model, inputTokens, input.maxPriceUsd));
    if (maxOutputTokens < minOutputTokens!) {
      const least = worstCaseCostOf(model, inputTokens, minOutputTokens!);
      return `its worst case with ${formatTokens(minOutputTokens!)} output tokens (${formatUsd(least)}) exceeds maxPriceUsd ${formatUsd(input.maxPriceUsd)}`;
    }
  }
  const worstCaseUsd = worstCaseCostOf(model, inputTokens, maxOutputTokens);
  if (input.maxPriceUsd !== undefined && worstCaseUsd > input.maxPriceUsd) {
    return `its worst case ${formatUsd(worstCaseUsd)} exceeds maxPriceUsd ${formatUsd(input.maxPriceUsd)}`;
  }
  const qualified: QualifiedModel = { model, inputTokens, maxOutputTokens, worstCaseUsd, worstCaseTokens: inputTokens + maxOutputTokens };
  if (minOutputTokens !== undefined) qualified.minOutputTokens = minOutputTokens;
  return qualified;
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
    const mismatch = apiMismatch(q.model, endpoint) ?? attachmentProblem(endpoint, q.model, input.attachments);
    if (mismatch !== undefined) {
      rejected.push({ model: id, endpoint: endpoint.name, reason: mismatch });
      continue;
    }
    if (state.isOpen?.(endpoint.name, id)) {
      rejected.push({ model: id, endpoint: endpoint.name, reason: 'its circuit is open (repeated failures)' });
      continue;
    }
    const latencyMs = state.latencyMs?.(endpoint.name, id);
    const again = out.length > 0 ? `; the same model on another endpoint (${endpoint.name})` : '';
    const thinking = q.reasoning?.reason === undefined ? '' : `; ${q.reasoning.reason}`;
    const candidate: RoutedCandidate<E> = {
      model: q.model,
      endpoint: endpoint.name,
      provider: endpoint,
      reason: `${id}: ${source}${again}${thinking}`,
      worstCaseUsd: q.worstCaseUsd,
      worstCaseTokens: q.worstCaseTokens,
      inputTokens: q.inputTokens,
      maxOutputTokens: q.maxOutputTokens,
    };
    if (q.minOutputTokens !== undefined) candidate.minOutputTokens = q.minOutputTokens;
    if (q.reasoning?.reasoning !== undefined) candidate.reasoning = q.reasoning.reasoning;
    if (latencyMs !== undefined) candidate.latencyMs = latencyMs;
    out.push(candidate);
  }
  if (!served) rejected.push({ model: id, reason: `no configured endpoint serves it${unservedHint(q.model)}` });
  return out;
}
