import { REASONING_EFFORTS } from './reasoning.js';
import type { ModelInfo, TaskKind, WireApi } from './types.js';

const APIS: readonly WireApi[] = ['chat', 'responses', 'messages', 'generate-content'];

/** A provider family name: a built-in family or an endpoint's name (letters, digits, '.', '_', '-'). */
const FAMILY_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Every task kind, in the order of the contract. */
export const TASK_KINDS: readonly TaskKind[] = [
  'agentic-coding',
  'agent',
  'computer-use',
  'long-context',
  'research',
  'classification',
  'summarization',
  'extraction',
  'chat',
  'critical',
];

type Obj = Record<string, unknown>;
const isObject = (value: unknown): value is Obj => typeof value === 'object' && value !== null && !Array.isArray(value);
const isPrice = (value: unknown) => typeof value === 'number' && Number.isFinite(value) && value >= 0;
const isCount = (value: unknown) => typeof value === 'number' && Number.isInteger(value) && value > 0;

function priceProblems(prices: Obj, at: string, problems: string[]): void {
  if (!isPrice(prices.input)) problems.push(`${at}.input (USD per million input tokens, a number >= 0)`);
  if (!isPrice(prices.output)) problems.push(`${at}.output (USD per million output tokens, a number >= 0)`);
  for (const key of ['cachedInput', 'cacheWrite']) {
    if (prices[key] !== undefined && !isPrice(prices[key])) problems.push(`${at}.${key} (a number >= 0, or unset)`);
  }
}

function pricingProblems(pricing: unknown, problems: string[]): void {
  if (!isObject(pricing)) {
    problems.push('pricing ({ input, output, cachedInput?, cacheWrite?, tiers?, source, asOf })');
    return;
  }
  priceProblems(pricing, 'pricing', problems);
  if (typeof pricing.source !== 'string' || pricing.source.length === 0) {
    problems.push('pricing.source (where the prices were read: a URL or document name)');
  }
  if (typeof pricing.asOf !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(pricing.asOf)) {
    problems.push('pricing.asOf (the date the prices were read, YYYY-MM-DD)');
  }
  if (pricing.tiers === undefined) return;
  if (!Array.isArray(pricing.tiers)) {
    problems.push('pricing.tiers (an array of { aboveInputTokens, input, output, ... })');
    return;
  }
  pricing.tiers.forEach((tier: unknown, index) => {
    const at = `pricing.tiers[${index}]`;
    if (!isObject(tier)) return void problems.push(`${at} (an object)`);
    if (!isCount(tier.aboveInputTokens)) problems.push(`${at}.aboveInputTokens (a positive integer)`);
    priceProblems(tier, at, problems);
  });
}

function capabilityProblems(capabilities: unknown, problems: string[]): void {
  const keys = ['tools', 'structuredOutput', 'vision', 'reasoning'];
  if (!isObject(capabilities)) {
    problems.push(`capabilities ({ ${keys.map((key) => `${key}: boolean`).join(', ')} })`);
    return;
  }
  for (const key of keys) {
    if (typeof capabilities[key] !== 'boolean') problems.push(`capabilities.${key} (a boolean)`);
  }
  if (capabilities.documents !== undefined && typeof capabilities.documents !== 'boolean') {
    problems.push('capabilities.documents (a boolean, or unset)');
  }
}

/** A list field that, when set, must be a non-empty array of known values. */
function listProblems(value: unknown, known: readonly string[], what: string, problems: string[]): void {
  if (value === undefined) return;
  if (!Array.isArray(value) || value.length === 0 || value.some((item) => !known.includes(item as string))) {
    problems.push(`${what} (a non-empty array of ${known.join(', ')}; or unset)`);
  }
}

/**
 * What is missing or wrong in a would-be catalog entry, one readable item per problem (empty when valid).
 * Each item names the field and what it should hold, so an error message can list them as they are.
 */
export function modelProblems(entry: unknown): string[] {
  if (!isObject(entry)) return ['the entry itself (an object)'];
  const problems: string[] = [];
  if (typeof entry.id !== 'string' || entry.id.length === 0) problems.push('id (a non-empty string)');
  if (typeof entry.provider !== 'string' || !FAMILY_NAME.test(entry.provider)) {
    problems.push(
      "provider ('openai', 'anthropic', 'google', or the name of the endpoint that serves it: 1-64 letters, " +
        "digits, '.', '_' or '-')",
    );
  }
  if (entry.apiModel !== undefined && (typeof entry.apiModel !== 'string' || entry.apiModel.length === 0)) {
    problems.push('apiModel (a non-empty string, or unset)');
  }
  if (!isCount(entry.contextWindow)) problems.push('contextWindow (a positive integer of tokens)');
  if (!isCount(entry.maxOutputTokens)) problems.push('maxOutputTokens (a positive integer of tokens)');
  if (entry.usableInputTokens !== undefined && !isCount(entry.usableInputTokens)) {
    problems.push('usableInputTokens (a positive integer of tokens, or unset)');
  }
  if (entry.tokenFactor !== undefined && !(typeof entry.tokenFactor === 'number' && entry.tokenFactor > 0)) {
    problems.push('tokenFactor (a number > 0, or unset)');
  }
  pricingProblems(entry.pricing, problems);
  capabilityProblems(entry.capabilities, problems);
  listProblems(entry.reasoningEfforts, REASONING_EFFORTS, 'reasoningEfforts', problems);
  listProblems(entry.apis, APIS, 'apis', problems);
  const tasks = entry.tasks;
  if (!Array.isArray(tasks) || tasks.some((task) => !TASK_KINDS.includes(task as TaskKind))) {
    problems.push(`tasks (an array of task kinds: ${TASK_KINDS.join(', ')})`);
  }
  return problems;
}

/** Freezes an entry and everything inside it, so a shared catalog cannot be changed by accident. */
export function freezeModel(entry: ModelInfo): ModelInfo {
  for (const tier of entry.pricing.tiers ?? []) Object.freeze(tier);
  if (entry.pricing.tiers) Object.freeze(entry.pricing.tiers);
  Object.freeze(entry.pricing);
  Object.freeze(entry.capabilities);
  Object.freeze(entry.tasks);
  if (entry.reasoningEfforts) Object.freeze(entry.reasoningEfforts);
  if (entry.apis) Object.freeze(entry.apis);
  return Object.freeze(entry);
}
