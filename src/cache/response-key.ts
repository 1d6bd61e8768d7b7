import { createHash } from 'node:crypto';
import type { ModelRequest } from '../models/types.js';

/** Bumped when the normalization changes, so old entries stop matching. */
const KEY_VERSION = 1;

/** JSON with object keys sorted and `undefined` members dropped: equal data gives equal text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item === undefined ? null : item)).join(',')}]`;
  const members = Object.keys(value)
    .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
  return `{${members.join(',')}}`;
}

/**
 * What identifies a reply: the model, the messages, the system prompt, the tools (sorted by name: their order
 * does not change what the model may call), the output schema, the sampling settings and the reasoning asked
 * for. Cache hints and the signal are not part of it.
 */
export function normalizedRequest(request: ModelRequest, model: string): unknown {
  const tools = request.tools === undefined ? [] : [...request.tools].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return {
    v: KEY_VERSION,
    model,
    system: request.system ?? '',
    messages: request.messages,
    tools,
    output: request.output ?? null,
    maxOutputTokens: request.maxOutputTokens ?? null,
    temperature: request.temperature ?? null,
    // Left out when unset (canonicalJson drops undefined), so keys of calls without reasoning do not change.
    reasoning: request.reasoning,
  };
}

/** The response-cache key of a request to `model`: a SHA-256 of its normalized form (no prompt text leaks). */
export function responseCacheKey(request: ModelRequest, model: string): string {
  return `sy1:${createHash('sha256').update(canonicalJson(normalizedRequest(request, model))).digest('hex')}`;
}
