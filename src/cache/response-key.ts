import { createHash } from 'node:crypto';
import { attachmentInfo, resolveAttachment } from '../models/attachment.js';
import { exceedsDepth, MAX_JSON_DEPTH } from '../data/json-depth.js';
import { SwitchyardError } from '../errors/switchyard-error.js';
import type { ContentPart, Message, ModelRequest } from '../models/types.js';

/** Bumped when the normalization changes, so old entries stop matching. */
const KEY_VERSION = 1;
/** Deepest request that is keyed: a model's JSON (at most MAX_JSON_DEPTH) inside messages, tools and schema. */
const MAX_KEYED_DEPTH = MAX_JSON_DEPTH + 16;

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

/** A part as the key sees it: an image or file by its content hash, type and size (never its bytes). */
function keyPart(part: ContentPart): unknown {
  if (part.type === 'text') return part;
  const resolved = resolveAttachment(part);
  return typeof resolved === 'string' ? { type: part.type, invalid: true } : attachmentInfo(resolved);
}

/** Messages as the key sees them: text content as it is; parts with attachments replaced by their metadata. */
function keyMessages(messages: readonly Message[]): unknown[] {
  return messages.map((m) => (typeof m.content === 'string' ? m : { ...m, content: (m.content as ContentPart[]).map(keyPart) }));
}

/**
 * What identifies a reply: the model, the messages (images and files by their SHA-256, media type and size), the
 * system prompt, the tools (sorted by name: their order does not change what the model may call), the output
 * schema, the sampling settings and the reasoning asked for. Cache hints and the signal are not part of it.
 */
export function normalizedRequest(request: ModelRequest, model: string): unknown {
  const tools = request.tools === undefined ? [] : [...request.tools].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return {
    v: KEY_VERSION,
    model,
    system: request.system ?? '',
    messages: keyMessages(request.messages),
    tools,
    output: request.output ?? null,
    maxOutputTokens: request.maxOutputTokens ?? null,
    temperature: request.temperature ?? null,
    // Left out when unset (canonicalJson drops undefined), so keys of calls without reasoning do not change.
    reasoning: request.reasoning,
  };
}

/**
 * The response-cache key of a request to `model`: a SHA-256 of its normalized form (no prompt text leaks). A
 * request nested deeper than 144 levels has none (kind 'invalid_request'): the run does not cache such a call.
 */
export function responseCacheKey(request: ModelRequest, model: string): string {
  const key = cacheKeyOf(request, model);
  if (key !== undefined) return key;
  throw new SwitchyardError({
    kind: 'invalid_request',
    message: `The request nests deeper than ${MAX_KEYED_DEPTH} levels (messages, tool arguments or output schema), so it has no response-cache key.`,
  });
}

/** The response-cache key, or undefined for a request nested too deep to key (it is then not cached). */
export function cacheKeyOf(request: ModelRequest, model: string): string | undefined {
  const normalized = normalizedRequest(request, model);
  if (exceedsDepth(normalized, MAX_KEYED_DEPTH)) return undefined;
  return `sy1:${createHash('sha256').update(canonicalJson(normalized)).digest('hex')}`;
}
